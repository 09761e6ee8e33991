import CSQLite

/// A prepared SQLite statement. It owns its handle and finalizes it in `deinit`.
final class SQLiteStatement {
    let handle: OpaquePointer
    let sql: String
    private unowned let connection: SQLiteDatabase

    init(connection: SQLiteDatabase, sql: String) throws {
        // The tail pointer points into the C string, so it is read while that exists.
        let (code, prepared, hasMore) = sql.withCString { text -> (Int32, OpaquePointer?, Bool) in
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(connection.handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            let rest = tail.map { String(cString: $0) } ?? ""
            return (code, statement, !rest.allSatisfy { $0.isWhitespace || $0 == ";" })
        }
        guard code == SQLITE_OK, let statement = prepared else {
            sqlite3_finalize(prepared)
            throw connection.lastError(sql: sql, code: code)
        }
        // A second statement after the first would be silently ignored: refuse it.
        if hasMore {
            sqlite3_finalize(statement)
            throw DatabaseError(code: .misuse, message: "only one statement can be run at a time", sql: sql)
        }
        self.handle = statement
        self.sql = sql
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// True when the statement cannot change the database.
    var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// Clears earlier bindings and binds `arguments` to ?1, ?2, ….
    func bind(_ arguments: [DatabaseValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == arguments.count else {
            throw DatabaseError(code: .misuse, message: "statement takes \(expected) arguments, \(arguments.count) given", sql: sql)
        }
        for (offset, value) in arguments.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Binds one value to the 1-based parameter `index`.
    func bind(_ value: DatabaseValue, at index: Int32) throws {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let v): code = sqlite3_bind_int64(handle, index, v)
        case .real(let v): code = v.isNaN ? sqlite3_bind_null(handle, index) : sqlite3_bind_double(handle, index, v)
        case .text(let v):
            // Bound as a C string, a NUL would silently cut the text short: refuse it.
            guard !v.utf8.contains(0) else {
                throw DatabaseError(
                    code: .sqlite(SQLITE_MISMATCH),
                    message: "text containing the character U+0000 cannot be stored", sql: sql)
            }
            code = sqlite3_bind_text(handle, index, v, -1, lesion_sqlite_transient)
        case .blob(let bytes):
            code = bytes.withUnsafeBytes { buffer in
                sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), lesion_sqlite_transient)
            }
        }
        guard code == SQLITE_OK else { throw connection.lastError(sql: sql, code: code) }
    }

    /// Advances one row: `true` when a row is ready, `false` when done.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            return false
        default:
            let error = connection.lastError(sql: sql, code: code)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Makes the statement ready to run again (bindings kept).
    func reset() {
        sqlite3_reset(handle)
    }
}

/// The current row of a stepping SQLite statement.
struct SQLiteRow: Row {
    let handle: OpaquePointer

    var columnCount: Int { Int(sqlite3_column_count(handle)) }

    func columnName(_ index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL
    }

    // NULL reads as 0 through sqlite3_column_int64 and _double (which convert without
    // changing the stored value's type), so the type is asked only for a zero: one
    // C call per column instead of two, on the hot path of every analysis.
    func int64(_ index: Int) -> Int64? {
        let value = sqlite3_column_int64(handle, Int32(index))
        return value == 0 && isNull(index) ? nil : value
    }

    func double(_ index: Int) -> Double? {
        let value = sqlite3_column_double(handle, Int32(index))
        return value == 0 && isNull(index) ? nil : value
    }

    func string(_ index: Int) -> String? {
        guard let text = sqlite3_column_text(handle, Int32(index)) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func withBlob<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) == SQLITE_BLOB else { return nil }
        // _blob before _bytes, as SQLite's documentation asks.
        let bytes = sqlite3_column_blob(handle, column)
        return try body(UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))))
    }

    func value(_ index: Int) -> DatabaseValue {
        let column = Int32(index)
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT: return string(index).map(DatabaseValue.text) ?? .null
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }
}
