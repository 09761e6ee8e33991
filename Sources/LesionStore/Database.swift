/// A connection to a lesion database: the one interface that SQLite and
/// PostgreSQL both implement, small and synchronous.
///
/// Every value reaches the server bound, never spliced (see ``SQL``).
public protocol Database: AnyObject {
    /// Which dialect the connection speaks.
    var dialect: SQLDialect { get }

    /// Where the connection points, safe to print (no password).
    var displayName: String { get }

    /// Runs one or more statements that take no arguments (migrations, pragmas).
    func executeScript(_ sql: String) throws

    /// Runs one statement and returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: SQL) throws -> Int

    /// Runs one query and hands each row to `body` as it arrives, without
    /// loading the whole result first.
    func forEachRow(_ sql: SQL, _ body: (any Row) throws -> Void) throws

    /// The names of the columns a query would return, without running it (so that
    /// an empty result can still print its header).
    func columnNames(_ sql: SQL) throws -> [String]

    /// Runs `body` in a transaction: committed when it returns, rolled back when it
    /// throws (and the first error rethrown). Writers are serialized: on SQLite the
    /// transaction takes the write lock at once, so that concurrent ingests wait
    /// (busy timeout) rather than deadlock.
    func transaction<T>(_ body: () throws -> T) throws -> T

    /// Runs `body` in a transaction in which every write is refused by the database
    /// itself (for `lesion sql`).
    func readOnlyTransaction<T>(_ body: () throws -> T) throws -> T

    /// Runs `body` with its statements cut off once `milliseconds` have passed (the
    /// web server's bound on a request): SQLite interrupts the running statement,
    /// PostgreSQL cancels it (statement_timeout); either throws a ``DatabaseError``
    /// whose ``DatabaseError/isTimeout`` is true.
    func withTimeLimit<T>(milliseconds: Int, _ body: () throws -> T) throws -> T

    /// Serializes writers that touch the same logical key across processes until
    /// the current transaction ends (PostgreSQL advisory lock; SQLite's write lock
    /// already serializes, so there it does nothing).
    func lockForTransaction(key: Int64) throws

    /// Loads many rows into `table` fast: a reused prepared INSERT on SQLite,
    /// `COPY … FROM STDIN` on PostgreSQL. `produce` writes the rows into the sink;
    /// if it throws, nothing it wrote is kept (within the enclosing transaction) and
    /// its error is rethrown. Table and column names must come from code.
    func bulkLoad(table: String, columns: [String], _ produce: (inout BulkRowWriter) throws -> Void) throws
}

extension Database {
    /// The rows of a query, each read by `decode`.
    public func fetchAll<T>(_ sql: SQL, _ decode: (any Row) throws -> T) throws -> [T] {
        var result: [T] = []
        try forEachRow(sql) { result.append(try decode($0)) }
        return result
    }

    /// The first row of a query read by `decode`, or `nil` when there is none.
    public func fetchOne<T>(_ sql: SQL, _ decode: (any Row) throws -> T) throws -> T? {
        var result: T?
        try forEachRow(sql) { row in
            if result == nil { result = try decode(row) }
        }
        return result
    }
}

/// Receives the rows of a bulk load, one typed field at a time, so that no array
/// is built per row. Fields are given in the order of the load's columns and each
/// row ends with ``endRow()``.
public struct BulkRowWriter {
    let sink: any BulkRowSink

    /// Wraps a backend's sink.
    public init(sink: any BulkRowSink) {
        self.sink = sink
    }

    /// Appends an integer field.
    public mutating func add(_ value: Int64) throws { try sink.add(value) }
    /// Appends an integer field.
    public mutating func add(_ value: Int) throws { try sink.add(Int64(value)) }
    /// Appends a real field; NaN is stored as NULL.
    public mutating func add(_ value: Double) throws { try sink.add(value) }
    /// Appends a text field.
    public mutating func add(_ value: String) throws { try sink.add(value) }
    /// Appends a blob field.
    public mutating func add(_ value: [UInt8]) throws { try sink.add(value) }
    /// Appends a NULL field.
    public mutating func addNull() throws { try sink.addNull() }
    /// Appends any value.
    public mutating func add(_ value: DatabaseValue) throws {
        switch value {
        case .null: try sink.addNull()
        case .integer(let v): try sink.add(v)
        case .real(let v): try sink.add(v)
        case .text(let v): try sink.add(v)
        case .blob(let v): try sink.add(v)
        }
    }
    /// Ends the current row.
    public mutating func endRow() throws { try sink.endRow() }
}

/// What a backend implements to receive bulk-loaded fields.
public protocol BulkRowSink: AnyObject {
    func add(_ value: Int64) throws
    func add(_ value: Double) throws
    func add(_ value: String) throws
    func add(_ value: [UInt8]) throws
    func addNull() throws
    func endRow() throws
}
