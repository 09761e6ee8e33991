import CSQLite
#if canImport(Glibc)
import Glibc
#endif

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
    /// The single-row and batch INSERTs of each bulk-loaded table, built once.
    private var bulkStatements: [String: (single: SQLiteStatement, batch: SQLiteStatement)] = [:]
    private var transactionDepth = 0
    private var timeLimited = false
    /// Neither in a transaction nor under a time limit: free to share a snapshot
    /// with siblings (``SnapshotReaders``), which a time limit would not reach.
    var canShareSnapshot: Bool { transactionDepth == 0 && !timeLimited }
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
            throw DatabaseError(
                code: .cannotOpen, message: "cannot open SQLite database \(path): \(message)",
                hint: "check that its folder exists and that you may write there, or name another file with --db")
        }
        self.handle = connection
        self.path = path
        sqlite3_extended_result_codes(connection, 1)
        sqlite3_busy_timeout(connection, busyTimeout)
        try executeScript("PRAGMA foreign_keys = ON")
        // journal_mode needs a lock; the busy timeout covers a concurrent opener.
        do {
            try executeScript("PRAGMA journal_mode = WAL")
        } catch let error as DatabaseError where error.sqlitePrimaryCode == SQLITE_READONLY {
            // A file this user may not write (SQLite opened it read-only): even
            // reading needs the write-ahead log's files beside it.
            throw DatabaseError(
                code: .cannotOpen, message: "cannot open SQLite database \(path): the file is read-only for this user",
                hint: "make the file and its folder writable (SQLite keeps its log files beside the database), "
                    + "or copy the file to a folder of your own")
        }
        try executeScript("PRAGMA synchronous = NORMAL")
    }

    deinit {
        bulkStatements.removeAll()
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    func lastError(sql: String?, code: Int32) -> DatabaseError {
        let extended = sqlite3_extended_errcode(handle)
        if readOnly && (extended & 0xFF) == SQLITE_AUTH {
            return DatabaseError(
                code: .readOnlyStatement,
                message: "this statement is refused: only reading is allowed here "
                    + "(no ATTACH, DETACH, transaction control, or PRAGMA that changes a setting)",
                sql: sql)
        }
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
            do { try body(row) } catch { throw DatabaseError.locating(error, in: text) }
        }
    }

    public func columnNames(_ sql: SQL) throws -> [String] {
        let statement = try statement(sql.rendered(for: .sqlite).text)
        return (0..<sqlite3_column_count(statement.handle)).map { index in
            sqlite3_column_name(statement.handle, index).map { String(cString: $0) } ?? ""
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
        // Three guards: each statement is checked before it runs, query_only makes
        // SQLite itself refuse any write that slips past the check, and the
        // authorizer refuses what SQLite counts as reading but is not (ATTACH, COMMIT).
        let cached = statementCache
        statementCache.removeAll()
        readOnly = true
        try executeScript("PRAGMA query_only = ON; BEGIN")
        // Consulted as each statement is prepared; removed before our own ROLLBACK.
        sqlite3_set_authorizer(handle, SQLiteReadOnlyAuthorizer.callback, nil)
        defer {
            sqlite3_set_authorizer(handle, nil, nil)
            try? executeScript("ROLLBACK")
            try? executeScript("PRAGMA query_only = OFF")
            readOnly = false
            statementCache = cached
        }
        return try body()
    }

    public func withTimeLimit<T>(milliseconds: Int, _ body: () throws -> T) throws -> T {
        // SQLite calls the progress handler every 10,000 virtual-machine steps (well
        // under a millisecond, and rare enough to cost nothing measurable); a
        // non-zero answer interrupts the statement (SQLITE_INTERRUPT).
        let deadline = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        deadline.pointee = SQLiteDatabase.monotonicNanoseconds() + UInt64(max(milliseconds, 0)) * 1_000_000
        sqlite3_progress_handler(handle, 10_000, { context in
            guard let context else { return 0 }
            return SQLiteDatabase.monotonicNanoseconds() >= context.assumingMemoryBound(to: UInt64.self).pointee ? 1 : 0
        }, deadline)
        timeLimited = true
        defer {
            timeLimited = false
            sqlite3_progress_handler(handle, 0, nil, nil)
            deadline.deallocate()
        }
        return try body()
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    public func lockForTransaction(key: Int64) throws {
        // BEGIN IMMEDIATE already holds the database's single write lock.
    }

    public func bulkLoad(table: String, columns: [String], _ produce: (inout BulkRowWriter) throws -> Void) throws {
        // Many rows per INSERT: SQLite's cost is mostly per statement run, not per row.
        let rowsPerBatch = max(1, min(SQLiteBulkSink.maximumBatchRows, 32_000 / max(columns.count, 1)))
        func insert(rows: Int) -> String {
            var placeholders: [String] = []
            placeholders.reserveCapacity(rows)
            var index = 1
            for _ in 0..<rows {
                placeholders.append("(" + (0..<columns.count).map { offset in "?\(index + offset)" }.joined(separator: ", ") + ")")
                index += columns.count
            }
            return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES " + placeholders.joined(separator: ", ")
        }
        let key = table + "(" + columns.joined(separator: ",") + ")"
        let statements: (single: SQLiteStatement, batch: SQLiteStatement)
        if let cached = bulkStatements[key] {
            statements = cached
        } else {
            statements = (try statement(insert(rows: 1)), try statement(insert(rows: rowsPerBatch)))
            bulkStatements[key] = statements
        }
        let sink = SQLiteBulkSink(
            single: statements.single, batch: statements.batch, rowsPerBatch: rowsPerBatch, columnCount: columns.count)
        var writer = BulkRowWriter(sink: sink)
        try transaction {
            try produce(&writer)
            try sink.finish()
        }
    }
}

/// Collects bulk-loaded rows and inserts them a batch per statement run; the
/// rows of a last, partial batch go one by one.
final class SQLiteBulkSink: BulkRowSink {
    /// Rows per multi-row INSERT.
    static let maximumBatchRows = 200

    let single: SQLiteStatement
    let batch: SQLiteStatement
    let rowsPerBatch: Int
    let columnCount: Int
    private var fields: [DatabaseValue] = []
    private var fieldsInRow = 0

    init(single: SQLiteStatement, batch: SQLiteStatement, rowsPerBatch: Int, columnCount: Int) {
        self.single = single
        self.batch = batch
        self.rowsPerBatch = rowsPerBatch
        self.columnCount = columnCount
        fields.reserveCapacity(rowsPerBatch * columnCount)
        single.reset()
        batch.reset()
    }

    private func append(_ field: DatabaseValue) throws {
        guard fieldsInRow < columnCount else {
            throw DatabaseError(code: .misuse, message: "bulk row has more than \(columnCount) fields", sql: single.sql)
        }
        fields.append(field)
        fieldsInRow += 1
    }

    func add(_ value: Int64) throws { try append(.integer(value)) }
    func add(_ value: Double) throws { try append(value.isNaN ? .null : .real(value)) }
    func add(_ value: String) throws { try append(.text(value)) }
    func add(_ value: [UInt8]) throws { try append(.blob(value)) }
    func addNull() throws { try append(.null) }

    func endRow() throws {
        guard fieldsInRow == columnCount else {
            throw DatabaseError(code: .misuse, message: "bulk row has \(fieldsInRow) of \(columnCount) fields", sql: single.sql)
        }
        fieldsInRow = 0
        if fields.count == rowsPerBatch * columnCount {
            try run(batch, fields: fields[...])
            fields.removeAll(keepingCapacity: true)
        }
    }

    func finish() throws {
        guard fieldsInRow == 0 else {
            throw DatabaseError(code: .misuse, message: "bulk load ended inside a row", sql: single.sql)
        }
        var start = 0
        while start < fields.count {
            try run(single, fields: fields[start..<(start + columnCount)])
            start += columnCount
        }
        fields.removeAll(keepingCapacity: true)
    }

    private func run(_ statement: SQLiteStatement, fields: ArraySlice<DatabaseValue>) throws {
        var index: Int32 = 1
        for field in fields {
            try statement.bind(field, at: index)
            index += 1
        }
        _ = try statement.step()
        statement.reset()
    }
}
