import CSQLite

/// A connection to an SQLite database file.
///
/// Opened in WAL mode with foreign keys on and a busy timeout, so that several
/// processes can ingest into one file at once: each write transaction takes the
/// write lock at its start and the others wait for it.
public final class SQLiteDatabase: Database {
    let handle: OpaquePointer
    /// The file's path as given.
    public let path: String
    private var statementCache: [String: SQLiteStatement] = [:]
    private var transactionDepth = 0
    private var readOnly = false

    public var dialect: SQLDialect { .sqlite }
    public var displayName: String { path }

    /// Opens (creating if needed) the database file at `path`.
    ///
    /// - Parameter busyTimeout: how long a writer waits for another's lock, in ms.
    public init(path: String, busyTimeout: Int32 = 60_000) throws {
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(connection)
            throw DatabaseError(code: .cannotOpen, message: "cannot open SQLite database \(path): \(message)")
        }
        self.handle = connection
        self.path = path
        sqlite3_extended_result_codes(connection, 1)
        sqlite3_busy_timeout(connection, busyTimeout)
        try executeScript("PRAGMA foreign_keys = ON")
        // journal_mode needs a lock; the busy timeout covers a concurrent opener.
        try executeScript("PRAGMA journal_mode = WAL")
        try executeScript("PRAGMA synchronous = NORMAL")
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    func lastError(sql: String?, code: Int32) -> DatabaseError {
        let extended = sqlite3_extended_errcode(handle)
        let message = String(cString: sqlite3_errmsg(handle))
        return DatabaseError(code: .sqlite(extended != 0 ? extended : code), message: message, sql: sql)
    }

    public func executeScript(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw DatabaseError(code: .sqlite(sqlite3_extended_errcode(handle)), message: message, sql: sql)
        }
    }

    /// A prepared statement for `text`, reused across calls.
    func statement(_ text: String) throws -> SQLiteStatement {
        if let cached = statementCache[text] { return cached }
        let statement = try SQLiteStatement(connection: self, sql: text)
        if readOnly && !statement.isReadOnly {
            throw DatabaseError(
                code: .readOnlyStatement,
                message: "this statement would change the database, and only reading is allowed here",
                sql: text)
        }
        statementCache[text] = statement
        return statement
    }

    @discardableResult
    public func execute(_ sql: SQL) throws -> Int {
        let (text, arguments) = sql.rendered(for: .sqlite)
        let statement = try statement(text)
        try statement.bind(arguments)
        defer { statement.reset() }
        while try statement.step() {}
        return Int(sqlite3_changes(handle))
    }

    public func forEachRow(_ sql: SQL, _ body: (any Row) throws -> Void) throws {
        let (text, arguments) = sql.rendered(for: .sqlite)
        let statement = try statement(text)
        try statement.bind(arguments)
        defer { statement.reset() }
        let row = SQLiteRow(handle: statement.handle)
        while try statement.step() {
            try body(row)
        }
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        // Nested calls become savepoints, so a helper can demand a transaction
        // without knowing whether its caller opened one.
        let savepoint = "lesion_\(transactionDepth)"
        try executeScript(transactionDepth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT \(savepoint)")
        transactionDepth += 1
        let result: T
        do {
            result = try body()
        } catch {
            transactionDepth -= 1
            if transactionDepth == 0 {
                try? executeScript("ROLLBACK")
            } else {
                try? executeScript("ROLLBACK TO \(savepoint); RELEASE \(savepoint)")
            }
            throw error
        }
        transactionDepth -= 1
        do {
            try executeScript(transactionDepth == 0 ? "COMMIT" : "RELEASE \(savepoint)")
        } catch {
            // A COMMIT that fails (SQLITE_BUSY) leaves the transaction open: end it.
            try? executeScript(transactionDepth == 0 ? "ROLLBACK" : "ROLLBACK TO \(savepoint); RELEASE \(savepoint)")
            throw error
        }
        return result
    }

    public func readOnlyTransaction<T>(_ body: () throws -> T) throws -> T {
        // Two guards: each statement is checked before it runs, and query_only
        // makes SQLite itself refuse any write that slips past the check.
        let cached = statementCache
        statementCache.removeAll()
        readOnly = true
        try executeScript("PRAGMA query_only = ON; BEGIN")
        defer {
            try? executeScript("ROLLBACK")
            try? executeScript("PRAGMA query_only = OFF")
            readOnly = false
            statementCache = cached
        }
        return try body()
    }

    public func lockForTransaction(key: Int64) throws {
        // BEGIN IMMEDIATE already holds the database's single write lock.
    }

    public func bulkLoad(table: String, columns: [String], _ produce: (inout BulkRowWriter) throws -> Void) throws {
        let placeholders = (1...columns.count).map { "?\($0)" }.joined(separator: ", ")
        let text = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))"
        let statement = try statement(text)
        let sink = SQLiteBulkSink(statement: statement, columnCount: columns.count)
        var writer = BulkRowWriter(sink: sink)
        try transaction {
            try produce(&writer)
            try sink.finish()
        }
    }
}

/// Binds bulk-loaded fields straight into a reused INSERT statement.
final class SQLiteBulkSink: BulkRowSink {
    let statement: SQLiteStatement
    let columnCount: Int32
    var column: Int32 = 1

    init(statement: SQLiteStatement, columnCount: Int) {
        self.statement = statement
        self.columnCount = Int32(columnCount)
        statement.reset()
    }

    private func next() throws -> Int32 {
        guard column <= columnCount else {
            throw DatabaseError(code: .misuse, message: "bulk row has more than \(columnCount) fields", sql: statement.sql)
        }
        defer { column += 1 }
        return column
    }

    func add(_ value: Int64) throws {
        let index = try next()
        let code = sqlite3_bind_int64(statement.handle, index, value)
        if code != SQLITE_OK { try statement.bind(.integer(value), at: index) }
    }

    func add(_ value: Double) throws {
        let index = try next()
        let code = value.isNaN ? sqlite3_bind_null(statement.handle, index) : sqlite3_bind_double(statement.handle, index, value)
        if code != SQLITE_OK { try statement.bind(.real(value), at: index) }
    }

    func add(_ value: String) throws {
        try statement.bind(.text(value), at: try next())
    }

    func addNull() throws {
        try statement.bind(.null, at: try next())
    }

    func endRow() throws {
        guard column == columnCount + 1 else {
            throw DatabaseError(code: .misuse, message: "bulk row has \(column - 1) of \(columnCount) fields", sql: statement.sql)
        }
        _ = try statement.step()
        statement.reset()
        column = 1
    }

    func finish() throws {
        guard column == 1 else {
            throw DatabaseError(code: .misuse, message: "bulk load ended inside a row", sql: statement.sql)
        }
    }
}
