/// A JSON value read whole, for the small JSON files other tools write (a safetensors
/// header, an SAE's `cfg.json`, one line of a Neuronpedia export). Run documents are
/// never read this way: they go through the streaming decoder.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number (or Python's `NaN`, `Infinity`, `-Infinity`) and, when written as a
    /// plain integer literal that fits in `Int`, its exact value.
    case number(Double, exactInteger: Int?)
    case string(String)
    case array([JSONValue])
    /// Members in the order written; a repeated key is refused when reading.
    case object([(key: String, value: JSONValue)])

    /// Nesting deeper than this is refused, so hostile input cannot exhaust the stack.
    static let maximumDepth = 64

    /// The member `key` of an object; nil for a missing key or a non-object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The value as a string, when it is one.
    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value as a double, when it is a number.
    public var number: Double? {
        if case .number(let value, _) = self { return value }
        return nil
    }

    /// The value as an integer, when it is a number with an integral value.
    public var integer: Int? {
        guard case .number(let value, let exact) = self else { return nil }
        if let exact { return exact }
        guard value.isFinite, value.rounded(.towardZero) == value, abs(value) < JSONText.exactIntegerLimit else { return nil }
        return Int(value)
    }

    /// The elements, when the value is an array.
    public var array: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// What kind of value this is, for a message ("a string", "an array").
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a, _), .number(let b, _)): a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// Reads exactly one JSON value from `bytes` (white space around it allowed),
    /// with lesion's own byte-level reader. Throws `JSONValueError` with the byte
    /// offset of the problem.
    public static func parse(_ bytes: [UInt8]) throws(JSONValueError) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer -> Result<JSONValue, SyntaxError> in
            var scanner = ByteScanner(buffer)
            scanner.skipByteOrderMark()
            do throws(SyntaxError) {
                let value = try scanner.readValue(depth: 0)
                scanner.skipWhitespace()
                guard scanner.offset == buffer.count else {
                    return .failure(scanner.unexpected("expected the end of the JSON value"))
                }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw JSONValueError(offset: error.offset, message: error.message)
        }
    }

    /// Reads `text` as one number the way run documents spell them (RFC 8259's
    /// number grammar, `NaN`, `Infinity`, `-Infinity`); nil if it is anything else.
    public static func parseNumber(_ text: Substring) -> Double? {
        // Read the text's bytes in place when they are contiguous (they are for a String).
        if let value = text.utf8.withContiguousStorageIfAvailable({ parseNumber(UnsafeRawBufferPointer($0)) }) {
            return value
        }
        return Array(text.utf8).withUnsafeBytes(parseNumber)
    }

    /// `parseNumber` over bytes: all of `bytes` must be the one number.
    public static func parseNumber(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var scanner = ByteScanner(bytes)
        guard let number = try? scanner.scanNumber(), scanner.offset == bytes.count else { return nil }
        return number.value
    }
}

/// Malformed JSON: the byte offset of the problem and what is wrong.
public struct JSONValueError: Error, Sendable, CustomStringConvertible {
    /// Byte offset within the bytes given to `JSONValue.parse`.
    public var offset: Int
    /// What is wrong, in plain words.
    public var message: String
    public var description: String { "byte \(offset): \(message)" }
}

extension ByteScanner {
    /// Reads the value at the cursor into a tree.
    mutating func readValue(depth: Int) throws(SyntaxError) -> JSONValue {
        skipWhitespace()
        guard let byte = peekByte() else {
            throw SyntaxError(offset: offset, message: "unexpected end of input")
        }
        switch byte {
        case UInt8(ascii: "{"):
            guard depth < JSONValue.maximumDepth else { throw unexpected("nesting deeper than \(JSONValue.maximumDepth) levels") }
            offset += 1
            var members: [(key: String, value: JSONValue)] = []
            var keys = Set<String>()
            skipWhitespace()
            if peekByte() == UInt8(ascii: "}") {
                offset += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard peekByte() == UInt8(ascii: "\"") else { throw unexpected("expected a key in quotes") }
                let keyOffset = offset
                let key = try readString()
                guard keys.insert(key).inserted else {
                    throw SyntaxError(offset: keyOffset, message: "the key \(JSONText.quoted(key)) is repeated")
                }
                skipWhitespace()
                guard peekByte() == UInt8(ascii: ":") else { throw unexpected("expected ':'") }
                offset += 1
                members.append((key, try readValue(depth: depth + 1)))
                skipWhitespace()
                if peekByte() == UInt8(ascii: ",") { offset += 1; continue }
                if peekByte() == UInt8(ascii: "}") { offset += 1; return .object(members) }
                throw unexpected("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            guard depth < JSONValue.maximumDepth else { throw unexpected("nesting deeper than \(JSONValue.maximumDepth) levels") }
            offset += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if peekByte() == UInt8(ascii: "]") {
                offset += 1
                return .array(elements)
            }
            while true {
                elements.append(try readValue(depth: depth + 1))
                skipWhitespace()
                if peekByte() == UInt8(ascii: ",") { offset += 1; continue }
                if peekByte() == UInt8(ascii: "]") { offset += 1; return .array(elements) }
                throw unexpected("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"):
            try readWord("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try readWord("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try readWord("null")
            return .null
        case UInt8(ascii: "N"), UInt8(ascii: "I"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try scanNumber()
            return .number(number.value, exactInteger: number.exactInteger)
        default:
            throw unexpected("expected a value")
        }
    }
}
