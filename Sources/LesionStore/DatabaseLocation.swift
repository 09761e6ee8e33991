/// Where a database lives, as the user wrote it in `--db` or `LESION_DB`.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL server, as any connection string libpq accepts
    /// (`postgresql://…`, `postgres://…` or `key=value …`).
    case postgresql(conninfo: String)

    /// The file used when neither `--db` nor `LESION_DB` names one.
    public static let defaultPath = "lesion.db"

    /// Reads a location: URIs with a PostgreSQL scheme and libpq `key=value`
    /// strings are PostgreSQL; anything else is an SQLite file path.
    public init(_ text: String) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgresql:") || lowered.hasPrefix("postgres:") {
            self = .postgresql(conninfo: text)
        } else if DatabaseLocation.looksLikeKeywordValue(text) {
            self = .postgresql(conninfo: text)
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The location from an explicit option, else the environment, else the default.
    public static func resolve(option: String?, environment: [String: String]) -> DatabaseLocation {
        if let option, !option.isEmpty { return DatabaseLocation(option) }
        if let fromEnvironment = environment["LESION_DB"], !fromEnvironment.isEmpty {
            return DatabaseLocation(fromEnvironment)
        }
        return .sqlite(path: defaultPath)
    }

    /// The location safe to print: a password in a URI or `password=` is masked.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgresql(let conninfo): return DatabaseLocation.maskingPassword(conninfo)
        }
    }

    // `host=db dbname=lesion`: the first word is a libpq keyword followed by '='.
    private static func looksLikeKeywordValue(_ text: String) -> Bool {
        let keywords = ["host", "hostaddr", "port", "dbname", "user", "password", "service", "sslmode", "application_name", "connect_timeout", "options"]
        let trimmed = text.drop(while: { $0 == " " })
        guard let equals = trimmed.firstIndex(of: "=") else { return false }
        let key = trimmed[..<equals].trimmingCharacters(in: " ")
        return keywords.contains(key)
    }

    static func maskingPassword(_ conninfo: String) -> String {
        var result = conninfo
        // URI form: scheme://user:password@host
        if let schemeEnd = result.range(of: "://"),
           let at = result[schemeEnd.upperBound...].firstIndex(of: "@"),
           let colon = result[schemeEnd.upperBound..<at].firstIndex(of: ":") {
            result.replaceSubrange(result.index(after: colon)..<at, with: "***")
        }
        // keyword form: password=secret
        if let range = result.range(of: "password=") {
            let valueEnd = result[range.upperBound...].firstIndex(of: " ") ?? result.endIndex
            result.replaceSubrange(range.upperBound..<valueEnd, with: "***")
        }
        return result
    }
}

private extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        String(self.drop(while: { $0 == set }).reversed().drop(while: { $0 == set }).reversed())
    }
}
