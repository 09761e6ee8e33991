/// Reading a column as the type a query promises, or failing loudly.
///
/// `row.int64(i) ?? 0` turns a NULL or a mistyped column into a plausible number;
/// a query that drifts from its reader would then export wrong data silently. These
/// decoders instead throw a ``DatabaseError`` with code ``DatabaseError/Code/rowDecoding``
/// that names the column, as GRDB's `RowDecodingError` does. A backend fills in the
/// statement's SQL as the error leaves `forEachRow`.
///
///     let step = try row.decode(Int64.self, at: 1)
///     let kind = try row.decodeIfPresent(String.self, at: 3)   // NULL allowed
public protocol RowDecodable {
    /// What a column holds to be read as this type, for messages ("an integer").
    static var expectation: String { get }
    /// The value, or nil where `value`'s type is not one this type is read from.
    static func decoded(from value: DatabaseValue) -> Self?
}

extension Int64: RowDecodable {
    @inlinable public static var expectation: String { "an integer" }
    @inlinable public static func decoded(from value: DatabaseValue) -> Int64? {
        switch value {
        case .integer(let v): return v
        // PostgreSQL's SUM and AVG of integers are numeric: read exact integral values.
        case .real(let v): return Int64(exactly: v)
        default: return nil
        }
    }
}

extension Int: RowDecodable {
    @inlinable public static var expectation: String { "an integer" }
    @inlinable public static func decoded(from value: DatabaseValue) -> Int? {
        Int64.decoded(from: value).flatMap { Int(exactly: $0) }
    }
}

extension Double: RowDecodable {
    @inlinable public static var expectation: String { "a number" }
    @inlinable public static func decoded(from value: DatabaseValue) -> Double? {
        switch value {
        case .integer(let v): return Double(v)
        case .real(let v): return v
        default: return nil
        }
    }
}

extension String: RowDecodable {
    @inlinable public static var expectation: String { "text" }
    @inlinable public static func decoded(from value: DatabaseValue) -> String? {
        if case .text(let v) = value { return v }
        return nil
    }
}

extension Bool: RowDecodable {
    @inlinable public static var expectation: String { "a boolean (0 or 1)" }
    @inlinable public static func decoded(from value: DatabaseValue) -> Bool? {
        switch value {
        case .integer(0): return false
        case .integer(1): return true
        default: return nil
        }
    }
}

// Inlinable, so that a reader's hot loop gets a decoder specialized to its type:
// generic, each call looked up type metadata at run time, a third of the time of
// reading 20 million class values.
extension Row {
    /// Column `index` as `type`; throws where it is NULL or holds another type.
    @inlinable public func decode<T: RowDecodable>(_ type: T.Type, at index: Int) throws -> T {
        let value = checkedValue(index)
        guard value != .null, let decoded = T.decoded(from: value) else { throw mismatch(index, value, expected: T.expectation) }
        return decoded
    }

    // The same for the common types, not generic: called on `any Row` (every
    // reader's closure), the generic version cannot be specialized, and looked up
    // the metadata of `T?` at run time on every call, 15% of class-importance.

    /// Column `index` as an integer; throws where it is NULL or holds another type.
    @inlinable public func decode(_ type: Int64.Type, at index: Int) throws -> Int64 {
        let value = checkedValue(index)
        if let decoded = Int64.decoded(from: value) { return decoded }
        throw mismatch(index, value, expected: Int64.expectation)
    }

    /// Column `index` as an integer; throws where it is NULL, another type or out of range.
    @inlinable public func decode(_ type: Int.Type, at index: Int) throws -> Int {
        let value = checkedValue(index)
        if let decoded = Int.decoded(from: value) { return decoded }
        throw mismatch(index, value, expected: Int.expectation)
    }

    /// Column `index` as a number; throws where it is NULL or holds another type.
    @inlinable public func decode(_ type: Double.Type, at index: Int) throws -> Double {
        let value = checkedValue(index)
        if let decoded = Double.decoded(from: value) { return decoded }
        throw mismatch(index, value, expected: Double.expectation)
    }

    /// Column `index` as text; throws where it is NULL or holds another type.
    @inlinable public func decode(_ type: String.Type, at index: Int) throws -> String {
        let value = checkedValue(index)
        if let decoded = String.decoded(from: value) { return decoded }
        throw mismatch(index, value, expected: String.expectation)
    }

    @usableFromInline func mismatch(_ index: Int, _ value: DatabaseValue, expected: String) -> DatabaseError {
        value == .null
            ? decodingError(index, "is NULL where \(expected) was expected")
            : decodingError(index, "holds \(value.kindDescription) where \(expected) was expected")
    }

    /// Column `index` as `type`, nil for NULL; throws where it holds another type.
    @inlinable public func decodeIfPresent<T: RowDecodable>(_ type: T.Type, at index: Int) throws -> T? {
        let value = checkedValue(index)
        if value == .null { return nil }
        guard let decoded = T.decoded(from: value) else {
            throw decodingError(index, "holds \(value.kindDescription) where \(T.expectation) or NULL was expected")
        }
        return decoded
    }

    /// Column `index` read as text and turned into `type` by its raw value (a
    /// closed set such as a perturbation); throws naming the value it does not know.
    public func decode<T: RawRepresentable>(_ type: T.Type, at index: Int) throws -> T where T.RawValue == String {
        let text = try decode(String.self, at: index)
        guard let decoded = T(rawValue: text) else {
            throw decodingError(index, "holds \(JSONQuoted(text)), which is not a known \(T.self)")
        }
        return decoded
    }

    @usableFromInline func checkedValue(_ index: Int) -> DatabaseValue {
        index >= 0 && index < columnCount ? value(index) : .null
    }

    @usableFromInline func decodingError(_ index: Int, _ problem: String) -> DatabaseError {
        let name = index >= 0 && index < columnCount ? " (\(columnName(index)))" : " (no such column)"
        return DatabaseError(code: .rowDecoding, message: "column \(index)\(name) \(problem)")
    }
}

extension DatabaseError {
    /// `error` with `sql` attached where it is a decoding error that does not name
    /// its statement yet (a row does not know the SQL that produced it).
    static func locating(_ error: Error, in sql: String) -> Error {
        guard var decoding = error as? DatabaseError, decoding.code == .rowDecoding, decoding.sql == nil else { return error }
        decoding.sql = sql
        return decoding
    }
}

extension DatabaseValue {
    /// The value's type in words, for decoding errors (the value itself stays out).
    @usableFromInline var kindDescription: String {
        switch self {
        case .null: return "NULL"
        case .integer: return "an integer"
        case .real: return "a number"
        case .text: return "text"
        case .blob: return "a blob"
        }
    }
}

/// `text` in double quotes, for naming an unexpected value in a message.
private func JSONQuoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
