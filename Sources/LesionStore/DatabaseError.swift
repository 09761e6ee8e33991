/// A failure reported by a database, carrying what the server said and the SQL it
/// was running. Bound values stay out of the message: they may be large or private.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// The backend's own code: an SQLite extended result code as text
    /// (e.g. `"2067"`) or a PostgreSQL SQLSTATE (e.g. `"23505"`).
    public var code: Code
    /// The server's primary message, verbatim.
    public var message: String
    /// PostgreSQL's DETAIL, where given.
    public var detail: String?
    /// PostgreSQL's HINT, where given.
    public var hint: String?
    /// The statement that failed, if any.
    public var sql: String?

    /// Creates an error.
    public init(code: Code, message: String, detail: String? = nil, hint: String? = nil, sql: String? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
        self.hint = hint
        self.sql = sql
    }

    public var description: String {
        var text = message
        if let detail, !detail.isEmpty { text += " (\(detail))" }
        if let hint, !hint.isEmpty { text += "; hint: \(hint)" }
        if let sql { text += " — while running: \(sql.count > 300 ? String(sql.prefix(300)) + "…" : sql)" }
        return text
    }

    /// A backend error code, with named constants for the conditions lesion handles.
    public struct Code: RawRepresentable, Hashable, Sendable {
        /// `sqlite:<extended result code>` or `pg:<SQLSTATE>` or `lesion:<name>`.
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// An SQLite extended result code.
        public static func sqlite(_ code: Int32) -> Code { Code(rawValue: "sqlite:\(code)") }
        /// A PostgreSQL SQLSTATE.
        public static func postgres(_ sqlstate: String) -> Code { Code(rawValue: "pg:\(sqlstate)") }

        /// The database could not be opened or reached.
        public static let cannotOpen = Code(rawValue: "lesion:cannot-open")
        /// lesion itself misused the API (a bug, reported rather than trapped).
        public static let misuse = Code(rawValue: "lesion:misuse")
        /// The schema is newer than this binary knows.
        public static let schemaTooNew = Code(rawValue: "lesion:schema-too-new")
        /// Migrations are pending and this connection may not apply them.
        public static let migrationNotPermitted = Code(rawValue: "lesion:migration-not-permitted")
        /// A statement that would write was given where only reading is allowed.
        public static let readOnlyStatement = Code(rawValue: "lesion:read-only")
        /// A result column held NULL or another type than its reader expected.
        public static let rowDecoding = Code(rawValue: "lesion:row-decoding")
        /// The connection to the PostgreSQL server broke (the server stopped or the
        /// network went): what was not committed is rolled back by the server.
        public static let connectionLost = Code(rawValue: "lesion:connection-lost")
    }

    /// True when every later statement would fail the same way, so a run over many
    /// documents or models should stop at the first: the connection is lost, the
    /// disk is full, or the database file cannot be written.
    public var stopsTheRun: Bool {
        // SQLite 13: SQLITE_FULL, 10: SQLITE_IOERR, 11: SQLITE_CORRUPT, 14: SQLITE_CANTOPEN.
        code == .connectionLost || [13, 10, 11, 14].contains(sqlitePrimaryCode ?? 0)
    }

    /// True when a unique or primary-key constraint refused the write.
    public var isUniqueViolation: Bool {
        code == .postgres("23505") || code == .sqlite(2067) || code == .sqlite(1555)
    }

    /// True when the statement was refused because the connection is read-only
    /// or the role lacks the privilege.
    public var isReadOnlyOrPermissionDenied: Bool {
        // 25006: read_only_sql_transaction, 42501: insufficient_privilege;
        // SQLite 8: SQLITE_READONLY, 23: SQLITE_AUTH.
        code == .postgres("25006") || code == .postgres("42501") || code == .readOnlyStatement
            || sqlitePrimaryCode == 8 || sqlitePrimaryCode == 23
    }

    /// True when a statement was cut off by ``Database/withTimeLimit(milliseconds:_:)``
    /// (PostgreSQL 57014 query_canceled, SQLite 9 SQLITE_INTERRUPT).
    public var isTimeout: Bool {
        code == .postgres("57014") || sqlitePrimaryCode == 9
    }

    /// The SQLite primary result code (the low 8 bits), where this is an SQLite error.
    public var sqlitePrimaryCode: Int32? {
        guard code.rawValue.hasPrefix("sqlite:"), let value = Int32(code.rawValue.dropFirst(7)) else { return nil }
        return value & 0xFF
    }
}
