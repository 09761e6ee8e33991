import Foundation

/// One input to ingest: a file or standard input, and how its documents are laid out.
struct InputFile {
    var path: String
    var layout: DocumentSplitter.Layout
    var gzip: Bool
    /// Size in bytes on disk, when known (for the progress bar).
    var size: Int64?

    /// The file extensions ingest reads, in the order they are tried.
    static let extensions = [".jsonl.gz", ".json.gz", ".jsonl", ".json"]

    /// The inputs named by `paths`: files as given, folders searched recursively for
    /// the run-document extensions (in sorted order), `-` for standard input.
    static func expand(_ paths: [String]) throws -> [InputFile] {
        var result: [InputFile] = []
        let files = FileManager.default
        for path in paths {
            if path == "-" {
                result.append(InputFile(path: "-", layout: .stream, gzip: false, size: nil))
                continue
            }
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(source: path, reason: "no such file or folder")
            }
            if isDirectory.boolValue {
                guard let enumerator = files.enumerator(atPath: path) else {
                    throw InputError(source: path, reason: "cannot list this folder")
                }
                var found: [String] = []
                while let relative = enumerator.nextObject() as? String {
                    if InputFile.kind(of: relative) != nil { found.append(relative) }
                }
                for relative in found.sorted() {
                    let full = (path as NSString).appendingPathComponent(relative)
                    var nestedIsDirectory: ObjCBool = false
                    if files.fileExists(atPath: full, isDirectory: &nestedIsDirectory), !nestedIsDirectory.boolValue,
                       let file = try InputFile.file(full) {
                        result.append(file)
                    }
                }
            } else {
                guard let file = try InputFile.file(path) else {
                    throw InputError(source: path, reason: "not a run-document file; expected a name ending in .json, .jsonl, .json.gz or .jsonl.gz")
                }
                result.append(file)
            }
        }
        return result
    }

    private static func kind(of name: String) -> (layout: DocumentSplitter.Layout, gzip: Bool)? {
        let lowered = name.lowercased()
        if lowered.hasSuffix(".jsonl.gz") { return (.lines, true) }
        if lowered.hasSuffix(".json.gz") { return (.whole, true) }
        if lowered.hasSuffix(".jsonl") { return (.lines, false) }
        if lowered.hasSuffix(".json") { return (.whole, false) }
        return nil
    }

    private static func file(_ path: String) throws -> InputFile? {
        guard let kind = kind(of: path) else { return nil }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value
        return InputFile(path: path, layout: kind.layout, gzip: kind.gzip, size: size)
    }

    /// A splitter over this input's documents, and the raw stream (to track progress).
    func open() throws -> (splitter: DocumentSplitter, raw: CountingByteStream) {
        let raw = CountingByteStream(try FileByteStream(path: path))
        let stream: ByteStream = gzip ? try GzipByteStream(upstream: raw, name: path) : raw
        return (DocumentSplitter(stream: stream, layout: layout, source: path), raw)
    }
}

/// Counts the bytes read from a stream, for progress reporting.
final class CountingByteStream: ByteStream {
    private let upstream: ByteStream
    private(set) var bytesRead: Int64 = 0

    init(_ upstream: ByteStream) {
        self.upstream = upstream
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try upstream.read(into: buffer)
        bytesRead += Int64(count)
        return count
    }
}
