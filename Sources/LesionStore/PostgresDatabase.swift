import CLibPQ
import Foundation

/// A connection to a PostgreSQL server through libpq.
///
/// Every statement with arguments runs as a named prepared statement, prepared
/// once per statement text and argument types and reused (the ingest runs the same
/// few statements thousands of times). Arguments go in libpq's text format —
/// integers and doubles in their shortest round-trip decimal form, `Infinity` and
/// `-Infinity` spelled out, NaN as NULL — and results come back as text, parsed in
/// place by ``PostgresRow``.
///
/// Notices (NOTICE, WARNING) are dropped rather than printed on standard error.
public final class PostgresDatabase: Database {
    /// The libpq connection, owned by this object and finished in `deinit`.
    let connection: OpaquePointer
    public let displayName: String
    public var dialect: SQLDialect { .postgresql }
    /// The connection string as given, for opening siblings (``SnapshotReaders``).
    let conninfo: String

    private var statementCache: [PostgresStatement.Key: PostgresStatement] = [:]
    private var transactionDepth = 0
    private var timeLimited = false
    /// Neither in a transaction nor under a time limit: free to share a snapshot
    /// with siblings (``SnapshotReaders``), which a time limit would not reach.
    var canShareSnapshot: Bool { transactionDepth == 0 && !timeLimited }
    private var readOnly = false
    /// True while a statement's rows or a COPY are in flight on the connection.
    private var busy = false
    /// The command tag of the last successful result ("COMMIT", "ROLLBACK", …).
    private var lastCommandStatus: String?

    /// Connects with any connection string libpq accepts (a `postgresql://` URI or
    /// `key=value` pairs); libpq also reads the `PG*` environment variables,
    /// `~/.pgpass` and the service file.
    public init(conninfo: String) throws {
        let masked = DatabaseLocation.maskingPassword(conninfo)
        guard !conninfo.utf8.contains(0) else {
            throw DatabaseError(code: .cannotOpen, message: "cannot connect to PostgreSQL \(masked): the connection string contains a NUL character")
        }
        guard let connection = PQconnectdb(conninfo) else {
            throw DatabaseError(code: .cannotOpen, message: "cannot connect to PostgreSQL \(masked): out of memory")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            var reason = PostgresDatabase.trimmed(PQerrorMessage(connection))
            PQfinish(connection)
            // libpq's message does not echo the password, but be sure of it.
            if let password = PostgresDatabase.password(in: conninfo), !password.isEmpty {
                reason = reason.replacingOccurrences(of: password, with: "***")
            }
            throw DatabaseError(code: .cannotOpen, message: "cannot connect to PostgreSQL \(masked): \(reason)")
        }
        self.connection = connection
        self.displayName = masked
        self.conninfo = conninfo
        lesion_pg_drop_notices(connection)
        // From here on, a throw runs deinit, which finishes the connection.
        guard PQsetClientEncoding(connection, "UTF8") == 0 else { throw connectionError(sql: nil) }
        // extra_float_digits > 0 makes the server print doubles exactly (shortest
        // round-trip form from PostgreSQL 12 on, 17 digits before).
        try executeScript("SET client_min_messages = warning; SET extra_float_digits = 3")
    }

    deinit {
        PQfinish(connection)
    }

    // MARK: Running statements

    public func executeScript(_ sql: String) throws {
        try checkReady(sql: sql)
        guard !sql.utf8.contains(0) else { throw PostgresDatabase.nulError(sql: sql) }
        // The simple-query protocol: several statements separated by semicolons.
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        try check(result, sql: sql)
    }

    @discardableResult
    public func execute(_ sql: SQL) throws -> Int {
        let (text, arguments) = sql.rendered(for: .postgresql)
        try checkReady(sql: text)
        let parameters = try PostgresParameters(arguments, sql: text)
        let statement = try prepared(text, types: parameters.types)
        let result = parameters.withPointers { count, values, lengths, formats in
            PQexecPrepared(connection, statement.name, count, values, lengths, formats, 0)
        }
        defer { PQclear(result) }
        try check(result, sql: text)
        // "" for statements that report no count (DDL, SET).
        return PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
    }

    /// Streams the rows in libpq's single-row mode: each row arrives as its own small
    /// result, so memory stays flat however many rows the query returns, and any
    /// statement (also `INSERT … RETURNING`) can be read this way, with no
    /// transaction needed. Measured (release build, 2 cores, other work running) on
    /// 1,000,000 rows of (bigint, bigint, float8), values parsed: 0.74–1.05 s,
    /// against 1.10–1.59 s for a cursor read with `FETCH 1000 / 10000 / 100000`
    /// (which also needs a transaction and takes queries only), and 0.78–1.00 s for
    /// the whole result held in memory at once.
    /// While the rows are being read the connection is busy: `body` cannot run
    /// another statement (it gets a clear error).
    public func forEachRow(_ sql: SQL, _ body: (any Row) throws -> Void) throws {
        let (text, arguments) = sql.rendered(for: .postgresql)
        try checkReady(sql: text)
        let parameters = try PostgresParameters(arguments, sql: text)
        let statement = try prepared(text, types: parameters.types)
        let sent = parameters.withPointers { count, values, lengths, formats in
            PQsendQueryPrepared(connection, statement.name, count, values, lengths, formats, 0)
        }
        guard sent == 1 else { throw connectionError(sql: text) }
        busy = true
        defer { busy = false }
        if PQsetSingleRowMode(connection) != 1 {
            // Only fails when called at the wrong moment; read the whole result then.
            try drain(sql: text, rows: body)
            return
        }
        // Read to the end even after `body` or the server fails: the connection is
        // usable again only once libpq has handed over its last result.
        var firstError: Error?
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            switch status {
            case PGRES_SINGLE_TUPLE:
                guard firstError == nil else { continue }
                do { try body(PostgresRow(result: result, row: 0)) } catch { firstError = error }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                continue  // the end of the rows (or a statement that returns none)
            case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
                if firstError == nil { firstError = resultError(result, sql: text) }
            case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH, PGRES_PIPELINE_SYNC, PGRES_PIPELINE_ABORTED:
                if firstError == nil { firstError = unexpected(status, sql: text) }
                if status == PGRES_COPY_IN { PQputCopyEnd(connection, "lesion does not run COPY this way") }
            default:
                if firstError == nil { firstError = unexpected(status, sql: text) }
            }
        }
        if let firstError { throw DatabaseError.locating(firstError, in: text) }
    }

    public func columnNames(_ sql: SQL) throws -> [String] {
        let (text, arguments) = sql.rendered(for: .postgresql)
        try checkReady(sql: text)
        let parameters = try PostgresParameters(arguments, sql: text)
        let statement = try prepared(text, types: parameters.types)
        let result = PQdescribePrepared(connection, statement.name)
        defer { PQclear(result) }
        try check(result, sql: text)
        return (0..<PQnfields(result)).map { index in
            PQfname(result, index).map { String(cString: $0) } ?? ""
        }
    }

    /// Reads every remaining result of the statement in flight, handing each row to
    /// `rows`, and throws the first error.
    private func drain(sql: String, rows: (any Row) throws -> Void = { _ in }) throws {
        var firstError: Error?
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            do {
                try check(result, sql: sql)
                if firstError == nil {
                    let status = PQresultStatus(result)
                    if status == PGRES_TUPLES_OK || status == PGRES_SINGLE_TUPLE {
                        for row in 0..<PQntuples(result) {
                            try rows(PostgresRow(result: result, row: row))
                        }
                    }
                }
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }

    // MARK: Transactions

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        // Nested calls become savepoints, as on SQLite.
        let savepoint = "lesion_\(transactionDepth)"
        try executeScript(transactionDepth == 0 ? "BEGIN" : "SAVEPOINT \(savepoint)")
        transactionDepth += 1
        let result: T
        do {
            result = try body()
        } catch {
            transactionDepth -= 1
            if transactionDepth == 0 {
                try? rollBack()
            } else {
                try? executeScript("ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)")
            }
            throw error
        }
        transactionDepth -= 1
        if transactionDepth > 0 {
            do {
                try executeScript("RELEASE SAVEPOINT \(savepoint)")
            } catch {
                try? executeScript("ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)")
                throw error
            }
            return result
        }
        do {
            try executeScript("COMMIT")
        } catch {
            try? rollBack()
            throw error
        }
        // After a failed statement PostgreSQL answers COMMIT with ROLLBACK and no
        // error: the body caught that failure, but nothing it did was kept.
        if lastCommandStatus == "ROLLBACK" {
            throw DatabaseError(
                code: .postgres("25P02"),
                message: "the transaction was rolled back because a statement in it had failed",
                sql: "COMMIT")
        }
        return result
    }

    public func readOnlyTransaction<T>(_ body: () throws -> T) throws -> T {
        guard transactionDepth == 0 else {
            throw DatabaseError(code: .misuse, message: "a read-only transaction cannot be opened inside another transaction")
        }
        try executeScript("BEGIN READ ONLY")
        transactionDepth = 1
        readOnly = true
        defer {
            readOnly = false
            transactionDepth = 0
            try? rollBack()
        }
        let result = try body()
        // A few functions act even in a READ ONLY transaction: lo_import writes a
        // large object, pg_advisory_lock takes a lock that outlives the transaction.
        // Rolling back undoes the first; refusing tells the user neither happened.
        let acted = try fetchOne("""
            SELECT CASE WHEN pg_current_xact_id_if_assigned() IS NOT NULL
                OR EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())
                THEN 1 ELSE 0 END
            """) { try $0.decode(Int64.self, at: 0) }
        if acted != 0 {
            readOnly = false
            try? executeScript("SELECT pg_advisory_unlock_all()")
            throw DatabaseError(
                code: .readOnlyStatement,
                message: "this statement is refused: it wrote to the database or took a lock, "
                    + "and only reading is allowed here (nothing it did was kept)")
        }
        return result
    }

    public func withTimeLimit<T>(milliseconds: Int, _ body: () throws -> T) throws -> T {
        // Inside a transaction SET LOCAL ends with it; outside, the session's
        // setting is put back afterwards.
        let limit = max(milliseconds, 1)
        timeLimited = true
        defer { timeLimited = false }
        if transactionDepth > 0 {
            // A query rather than SET LOCAL, so that it runs inside `lesion sql`'s
            // read-only transaction too, which admits nothing else; `true` makes it
            // end with the transaction, as SET LOCAL does.
            _ = try fetchOne("SELECT set_config('statement_timeout', \(String(limit)), true)") { _ in true }
            return try body()
        }
        try executeScript("SET statement_timeout = \(limit)")
        defer { try? executeScript("RESET statement_timeout") }
        return try body()
    }

    public func lockForTransaction(key: Int64) throws {
        try execute("SELECT pg_advisory_xact_lock(\(key))")
    }

    // MARK: Bulk load

    /// `COPY table (columns) FROM STDIN` in text format, inside a transaction (a
    /// savepoint when the caller has one open), so that a failed load keeps nothing.
    public func bulkLoad(table: String, columns: [String], _ produce: (inout BulkRowWriter) throws -> Void) throws {
        let text = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN"
        try transaction {
            try checkReady(sql: text)
            let start: OpaquePointer? = PQexec(connection, text)
            defer { PQclear(start) }
            guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
                try check(start, sql: text)
                // A status other than an error: read whatever follows and refuse.
                try? drain(sql: text)
                throw DatabaseError(code: .misuse, message: "COPY did not start", sql: text)
            }
            busy = true
            defer { busy = false }
            let sink = PostgresCopySink(connection: connection, columnCount: columns.count, sql: text)
            var writer = BulkRowWriter(sink: sink)
            do {
                try produce(&writer)
                try sink.finish()
            } catch {
                // CopyFail: the server discards every row of this COPY.
                sink.abort()
                try? drain(sql: text)
                throw error
            }
            try drain(sql: text)
        }
    }

    // MARK: Helpers

    /// The prepared statement for `text` with these argument types, prepared on
    /// first use.
    func prepared(_ text: String, types: [Oid]) throws -> PostgresStatement {
        let key = PostgresStatement.Key(sql: text, types: types)
        if let cached = statementCache[key] { return cached }
        guard !text.utf8.contains(0) else { throw PostgresDatabase.nulError(sql: text) }
        let statement = PostgresStatement(name: "stmt_\(statementCache.count + 1)", key: key)
        let result = types.withUnsafeBufferPointer { buffer in
            PQprepare(connection, statement.name, text, Int32(buffer.count), buffer.baseAddress)
        }
        defer { PQclear(result) }
        try check(result, sql: text)
        statementCache[key] = statement
        return statement
    }

    /// Refuses a statement while the connection is streaming rows or copying, and,
    /// in a read-only transaction, anything but a query (`ReadingStatement`) and
    /// anything once an earlier statement ended that transaction.
    private func checkReady(sql: String) throws {
        if busy {
            throw DatabaseError(
                code: .misuse,
                message: "a statement cannot run while the rows of another are being read on the same PostgreSQL connection",
                sql: sql)
        }
        if readOnly {
            guard ReadingStatement.isReading(sql) else {
                throw DatabaseError(
                    code: .readOnlyStatement,
                    message: "this statement is refused: only reading is allowed here "
                        + "(a query: SELECT, WITH, VALUES, TABLE, SHOW or EXPLAIN)",
                    sql: sql)
            }
            let status = PQtransactionStatus(connection)
            if status != PQTRANS_INTRANS && status != PQTRANS_INERROR {
                throw DatabaseError(
                    code: .readOnlyStatement,
                    message: "the read-only transaction has ended, and only reading is allowed here",
                    sql: sql)
            }
        }
    }

    /// Throws the error a result reports; records the command status otherwise.
    func check(_ result: OpaquePointer?, sql: String) throws {
        guard let result else { throw connectionError(sql: sql) }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            lastCommandStatus = PQcmdStatus(result).map { String(cString: $0) }
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            lastCommandStatus = nil
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            throw resultError(result, sql: sql)
        case PGRES_PIPELINE_SYNC, PGRES_PIPELINE_ABORTED:
            throw unexpected(status, sql: sql)
        default:
            throw unexpected(status, sql: sql)
        }
    }

    private func rollBack() throws {
        // Nothing to roll back when the connection is idle (e.g. a statement of the
        // body already ended the transaction); ROLLBACK would only warn.
        if PQtransactionStatus(connection) != PQTRANS_IDLE {
            let result = PQexec(connection, "ROLLBACK")
            defer { PQclear(result) }
            try check(result, sql: "ROLLBACK")
        }
    }

    /// The server's error in `result`: SQLSTATE, primary message, detail and hint.
    func resultError(_ result: OpaquePointer, sql: String?) -> DatabaseError {
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { String(cString: $0) }
        }
        let sqlstate = field(lesion_pg_diag_sqlstate) ?? "XX000"
        let message = field(lesion_pg_diag_message_primary)
            ?? PostgresDatabase.trimmed(PQresultErrorMessage(result)).nonEmpty
            ?? PostgresDatabase.trimmed(PQerrorMessage(connection))
        // 57P01–57P03: the server is shutting down or restarting; class 08: the
        // connection failed. Either way the session is gone.
        if PQstatus(connection) == CONNECTION_BAD || sqlstate.hasPrefix("57P0") || sqlstate.hasPrefix("08") {
            return PostgresDatabase.connectionLost(message)
        }
        return DatabaseError(
            code: .postgres(sqlstate), message: message,
            detail: field(lesion_pg_diag_message_detail), hint: field(lesion_pg_diag_message_hint), sql: sql)
    }

    /// An error libpq reports on the connection rather than in a result (lost
    /// connection, out of memory, misuse).
    func connectionError(sql: String?) -> DatabaseError {
        PostgresDatabase.connectionError(connection, sql: sql)
    }

    /// The same for any libpq connection (the COPY sink's too), so that a lost
    /// connection is told the same way whichever call noticed it.
    static func connectionError(
        _ connection: OpaquePointer, sql: String?, sqlstate: String = "08000", fallback: String = "the PostgreSQL connection failed"
    ) -> DatabaseError {
        // libpq marks a connection the server closed as bad only once it reads from
        // it; a failed send may come first. Read what is there, then ask.
        if PQstatus(connection) != CONNECTION_BAD { _ = PQconsumeInput(connection) }
        let message = PostgresDatabase.trimmed(PQerrorMessage(connection))
        if PQstatus(connection) == CONNECTION_BAD { return connectionLost(message) }
        return DatabaseError(code: .postgres(sqlstate), message: message.isEmpty ? fallback : message, sql: sql)
    }

    /// The one error of a broken connection, in plain words, without the statement
    /// (which did not fail on its own account).
    private static func connectionLost(_ reason: String) -> DatabaseError {
        // libpq's own words, on one line ("server closed the connection unexpectedly\n\tThis probably means…").
        let firstLine = reason.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return DatabaseError(
            code: .connectionLost,
            message: "connection to the server was lost" + (firstLine.isEmpty ? "" : " (\(firstLine))"),
            hint: "what was not finished was rolled back; once the server is running again, run the same command "
                + "again to complete the job")
    }

    private func unexpected(_ status: ExecStatusType, sql: String) -> DatabaseError {
        let name = PQresStatus(status).map { String(cString: $0) } ?? "\(status.rawValue)"
        return DatabaseError(code: .misuse, message: "unexpected PostgreSQL result status \(name)", sql: sql)
    }

    static func nulError(sql: String?) -> DatabaseError {
        DatabaseError(
            code: .postgres("22021"),
            message: "text containing the character U+0000 cannot be stored in PostgreSQL",
            sql: sql)
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        var text = String(cString: message)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }

    /// The password a connection string names, if libpq can parse it.
    static func password(in conninfo: String) -> String? {
        try? parseConninfo(conninfo).first(where: { $0.key == "password" })?.value
    }
}

extension PostgresDatabase {
    /// The keywords and values of a connection string (URI or `key=value`), as libpq
    /// reads them; only those given (not the defaults).
    public static func parseConninfo(_ conninfo: String) throws -> [(key: String, value: String)] {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            let reason = errorMessage.map { PostgresDatabase.trimmed($0) } ?? "out of memory"
            PQfreemem(errorMessage)
            throw DatabaseError(code: .cannotOpen, message: "invalid PostgreSQL connection string \(DatabaseLocation.maskingPassword(conninfo)): \(reason)")
        }
        defer { PQconninfoFree(options) }
        var pairs: [(key: String, value: String)] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                pairs.append((String(cString: keyword), String(cString: value)))
            }
            option += 1
        }
        return pairs
    }

    /// `conninfo` with some keywords set to other values (e.g. another `dbname`),
    /// as a `key='value'` connection string. Accepts URIs and `key=value` strings.
    public static func conninfo(_ conninfo: String, replacing replacements: [String: String]) throws -> String {
        // The replacements first, so that the string starts with a keyword lesion's
        // `--db` recognises (dbname, host, user…).
        var pairs = replacements.sorted(by: { $0.key < $1.key }).map { (key: $0.key, value: $0.value) }
        pairs += try parseConninfo(conninfo).filter { replacements[$0.key] == nil }
        return pairs.map { pair in
            let escaped = pair.value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            return "\(pair.key)='\(escaped)'"
        }.joined(separator: " ")
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
