import CLibPQ

/// Writes bulk-loaded fields as `COPY … FROM STDIN` text: fields separated by tabs,
/// rows ended by newlines, `\N` for NULL, and `\`, tab, newline and carriage return
/// escaped. Sends about 64 KB per `PQputCopyData`.
final class PostgresCopySink: BulkRowSink {
    private let connection: OpaquePointer
    private let columnCount: Int
    private let sql: String
    private var column = 0
    private var buffer: [UInt8] = []
    private static let flushSize = 64 * 1024

    init(connection: OpaquePointer, columnCount: Int, sql: String) {
        self.connection = connection
        self.columnCount = columnCount
        self.sql = sql
        buffer.reserveCapacity(PostgresCopySink.flushSize + 4096)
    }

    /// Starts the next field: a tab before all but the first.
    private func nextField() throws {
        guard column < columnCount else {
            throw DatabaseError(code: .misuse, message: "bulk row has more than \(columnCount) fields", sql: sql)
        }
        if column > 0 { buffer.append(UInt8(ascii: "\t")) }
        column += 1
    }

    func add(_ value: Int64) throws {
        try nextField()
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                     UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            let digit = raw.bindMemory(to: UInt8.self)
            repeat {
                digit[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) {
                buffer.append(digit[index])
            }
        }
    }

    func add(_ value: Double) throws {
        try nextField()
        if value.isNaN {
            appendNull()
        } else {
            buffer.append(contentsOf: PostgresParameters.text(of: value).utf8)
        }
    }

    func add(_ value: String) throws {
        try nextField()
        var value = value
        try value.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\t"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "t"))
                case UInt8(ascii: "\n"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "r"))
                case 0: throw PostgresDatabase.nulError(sql: sql)
                default: buffer.append(byte)
                }
            }
        }
    }

    /// bytea in COPY text: `\\x` and two hex digits a byte (the backslash
    /// itself escaped, as COPY text requires).
    func add(_ value: [UInt8]) throws {
        try nextField()
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(UInt8(ascii: "x"))
        for byte in value {
            buffer.append(Self.hexDigits[Int(byte >> 4)])
            buffer.append(Self.hexDigits[Int(byte & 0x0f)])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    func addNull() throws {
        try nextField()
        appendNull()
    }

    private func appendNull() {
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(UInt8(ascii: "N"))
    }

    func endRow() throws {
        guard column == columnCount else {
            throw DatabaseError(code: .misuse, message: "bulk row has \(column) of \(columnCount) fields", sql: sql)
        }
        buffer.append(UInt8(ascii: "\n"))
        column = 0
        if buffer.count >= PostgresCopySink.flushSize { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBytes { bytes in
            PQputCopyData(connection, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        }
        guard sent == 1 else { throw failure() }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Sends the rest and ends the COPY; the server's verdict comes with the results.
    func finish() throws {
        guard column == 0 else {
            throw DatabaseError(code: .misuse, message: "bulk load ended inside a row", sql: sql)
        }
        try flush()
        guard PQputCopyEnd(connection, nil) == 1 else { throw failure() }
    }

    /// Ends the COPY with CopyFail, so that the server keeps none of its rows.
    func abort() {
        buffer.removeAll()
        _ = PQputCopyEnd(connection, "lesion stopped the load")
    }

    /// A failed send: the connection's one classifier, so that a server gone mid-COPY
    /// is "connection to the server was lost" here too, not a per-document error.
    private func failure() -> DatabaseError {
        PostgresDatabase.connectionError(connection, sql: sql, sqlstate: "08006", fallback: "sending COPY data failed")
    }
}
