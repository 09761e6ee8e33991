import Foundation

/// Who stored a document, from where and when: written with every ingest so that
/// each stored row can be traced back.
public struct Provenance: Sendable, Hashable {
    /// The input as the user named it (`-` for standard input).
    public var source: String
    /// The line where the document starts, for JSONL and standard input.
    public var line: Int?
    /// SHA-256 of the document's bytes.
    public var contentHash: String
    /// ISO 8601 time of the ingest, UTC.
    public var time: String
    /// The user running lesion.
    public var user: String
    /// The machine lesion ran on.
    public var host: String
    /// lesion's version.
    public var toolVersion: String

    /// Provenance for a document read now, by this process.
    public static func current(source: String, line: Int?, contentHash: String) -> Provenance {
        Provenance(
            source: source, line: line, contentHash: contentHash,
            time: Provenance.now(), user: Provenance.user, host: Provenance.host, toolVersion: LesionVersion.current)
    }

    // Looked up once per process: ingest asks for them with every document.
    private static let user: String = {
        let environment = ProcessInfo.processInfo.environment
        let name = environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
        return name.isEmpty ? "unknown" : name
    }()

    private static let host: String = ProcessInfo.processInfo.hostName

    static func now() -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(Date())
    }
}

/// The version of this build of lesion.
public enum LesionVersion {
    /// Semantic version of the tool.
    public static let current = "0.1.0"
}
