import CLibPQ

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One row of a PostgreSQL result (text format), read in place: numbers are parsed
/// from libpq's C strings with `strtoll` / `strtod` without making a Swift string.
struct PostgresRow: Row {
    let result: OpaquePointer
    let row: Int32

    var columnCount: Int { Int(PQnfields(result)) }

    func columnName(_ index: Int) -> String {
        PQfname(result, Int32(index)).map { String(cString: $0) } ?? ""
    }

    func isNull(_ index: Int) -> Bool {
        // libpq answers 1 for a column out of range too.
        PQgetisnull(result, row, Int32(index)) != 0
    }

    /// The column's text, or nil for NULL.
    private func text(_ index: Int) -> UnsafeMutablePointer<CChar>? {
        isNull(index) ? nil : PQgetvalue(result, row, Int32(index))
    }

    private func type(_ index: Int) -> Oid {
        PQftype(result, Int32(index))
    }

    func int64(_ index: Int) -> Int64? {
        guard let text = text(index) else { return nil }
        switch type(index) {
        case PostgresType.bool:
            return text.pointee == UInt8(ascii: "t") ? 1 : 0
        case PostgresType.float4, PostgresType.float8, PostgresType.numeric:
            // As SQLite reads a REAL as an integer: truncated, when it fits.
            let value = strtod(text, nil)
            guard value.isFinite, value >= -9.223_372_036_854_775_808e18, value < 9.223_372_036_854_775_808e18 else { return nil }
            return Int64(value)
        default:
            return Int64(strtoll(text, nil, 10))
        }
    }

    func double(_ index: Int) -> Double? {
        guard let text = text(index) else { return nil }
        if type(index) == PostgresType.bool {
            return text.pointee == UInt8(ascii: "t") ? 1 : 0
        }
        // strtod reads "Infinity", "-Infinity" and "NaN" too.
        return strtod(text, nil)
    }

    func string(_ index: Int) -> String? {
        guard let text = text(index) else { return nil }
        let count = Int(PQgetlength(result, row, Int32(index)))
        return text.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }

    func withBlob<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard let text = text(index), type(index) == PostgresType.bytea else { return nil }
        var length = 0
        guard let bytes = text.withMemoryRebound(to: UInt8.self, capacity: 1, { PQunescapeBytea($0, &length) }) else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        defer { PQfreemem(bytes) }
        return try body(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    func value(_ index: Int) -> DatabaseValue {
        guard let text = text(index) else { return .null }
        switch type(index) {
        case PostgresType.int2, PostgresType.int4, PostgresType.int8, PostgresType.oid:
            return .integer(Int64(strtoll(text, nil, 10)))
        case PostgresType.float4, PostgresType.float8, PostgresType.numeric:
            return .real(strtod(text, nil))
        case PostgresType.bool:
            return .integer(text.pointee == UInt8(ascii: "t") ? 1 : 0)
        case PostgresType.bytea:
            var length = 0
            guard let bytes = text.withMemoryRebound(to: UInt8.self, capacity: 1, { PQunescapeBytea($0, &length) }) else {
                return .blob([])
            }
            defer { PQfreemem(bytes) }
            return .blob(Array(UnsafeBufferPointer(start: bytes, count: length)))
        default:
            return string(index).map(DatabaseValue.text) ?? .null
        }
    }
}
