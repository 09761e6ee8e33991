/// Reads a run document straight from bytes, asking the scanner for exactly the
/// token the format expects at each point, and checking every rule that needs only
/// what has been read so far. Rules that need the whole document are checked
/// afterwards by `DocumentValidator`.
///
/// This file holds the JSON plumbing (objects, arrays, typed scalars); the format's
/// fields are read in `DocumentDecoder+Fields.swift`.
struct DocumentDecoder {
    var scanner: ByteScanner

    /// Starts reading `bytes` from the beginning.
    init(_ bytes: UnsafeRawBufferPointer) {
        scanner = ByteScanner(bytes)
    }

    // MARK: Errors

    /// A syntax error as a format error at `path`, with its line.
    func failure(_ error: SyntaxError, at path: String) -> RunFormatError {
        RunFormatError(path: path, message: error.message, line: scanner.line(at: error.offset))
    }

    /// The error for a value of the wrong type at the cursor: `expected X, found Y`.
    /// When the value is not even well formed, that syntax error instead.
    mutating func mismatch(expected: String, at path: String) -> RunFormatError {
        do throws(SyntaxError) {
            let found = try scanner.describeValue()
            return RunFormatError(path: path, message: "expected \(expected), found \(found)")
        } catch {
            return failure(error, at: path)
        }
    }

    // MARK: Objects and arrays

    /// Consumes the `{` of an object at `path`.
    mutating func beginObject(at path: String) throws(RunFormatError) {
        scanner.skipWhitespace()
        guard scanner.peekByte() == UInt8(ascii: "{") else {
            throw mismatch(expected: "an object", at: path)
        }
        scanner.offset += 1
    }

    /// The next key of the object at `path` (leaving the cursor at its value), or nil
    /// after consuming the closing `}`. `first` must start true for each object.
    mutating func nextKey(in path: String, first: inout Bool) throws(RunFormatError) -> String? {
        scanner.skipWhitespace()
        let wasFirst = first
        first = false
        if scanner.peekByte() == UInt8(ascii: "}") {
            scanner.offset += 1
            return nil
        }
        if !wasFirst {
            guard scanner.peekByte() == UInt8(ascii: ",") else {
                throw failure(scanner.unexpected("expected ',' or '}' after an object member"), at: path)
            }
            scanner.offset += 1
            scanner.skipWhitespace()
        }
        guard scanner.peekByte() == UInt8(ascii: "\"") else {
            let expectation = wasFirst ? "expected a key in quotes or '}'" : "expected a key in quotes after ','"
            throw failure(scanner.unexpected(expectation), at: path)
        }
        let key: String
        do throws(SyntaxError) {
            key = try scanner.readString()
        } catch {
            throw failure(error, at: path)
        }
        scanner.skipWhitespace()
        guard scanner.peekByte() == UInt8(ascii: ":") else {
            throw failure(scanner.unexpected("expected ':' after the key"), at: PathText.member(path, key))
        }
        scanner.offset += 1
        scanner.skipWhitespace()
        return key
    }

    /// Consumes the `[` of an array at `path`.
    mutating func beginArray(at path: String) throws(RunFormatError) {
        scanner.skipWhitespace()
        guard scanner.peekByte() == UInt8(ascii: "[") else {
            throw mismatch(expected: "an array", at: path)
        }
        scanner.offset += 1
    }

    /// Whether another element of the array at `path` follows (cursor left at it);
    /// false after consuming the closing `]`. `first` must start true for each array.
    mutating func nextElement(in path: String, first: inout Bool) throws(RunFormatError) -> Bool {
        scanner.skipWhitespace()
        let wasFirst = first
        first = false
        if scanner.peekByte() == UInt8(ascii: "]") {
            scanner.offset += 1
            return false
        }
        if !wasFirst {
            guard scanner.peekByte() == UInt8(ascii: ",") else {
                throw failure(scanner.unexpected("expected ',' or ']' after an array element"), at: path)
            }
            scanner.offset += 1
            scanner.skipWhitespace()
            if scanner.peekByte() == UInt8(ascii: "]") {
                throw failure(scanner.unexpected("expected a value after ','"), at: path)
            }
        }
        return true
    }

    // MARK: Scalars

    /// Reads a string at `path`.
    mutating func readString(at path: String) throws(RunFormatError) -> String {
        scanner.skipWhitespace()
        guard scanner.peekByte() == UInt8(ascii: "\"") else {
            throw mismatch(expected: "a string", at: path)
        }
        do throws(SyntaxError) {
            return try scanner.readString()
        } catch {
            throw failure(error, at: path)
        }
    }

    /// Reads a name at `path`: a string of 1…`limit` code points.
    mutating func readName(at path: String, limit: Int = Limits.name) throws(RunFormatError) -> String {
        let name = try readString(at: path)
        try Self.checkName(name, at: path, limit: limit)
        return name
    }

    /// Refuses an empty name or one longer than `limit` code points.
    static func checkName(_ name: String, at path: String, limit: Int = Limits.name) throws(RunFormatError) {
        if name.isEmpty {
            throw RunFormatError(path: path, message: "the name is empty; a name needs 1 to \(limit) characters")
        }
        let length = name.unicodeScalars.count
        if length > limit {
            throw RunFormatError(
                path: path, message: "the name has \(length) characters; at most \(limit) are allowed")
        }
    }

    /// Reads an integer field (`classes`, `units`, `step`, `seed`): a JSON number
    /// with an integral value, ≥ 0. Fractions, negatives, strings, null, NaN and
    /// ±Infinity are refused, and so is an integer a double cannot hold exactly when
    /// written with a fraction or exponent.
    mutating func readInteger(at path: String) throws(RunFormatError) -> Int {
        scanner.skipWhitespace()
        switch scanner.peekByte() {
        case UInt8(ascii: "-"), .some(UInt8(ascii: "0")...UInt8(ascii: "9")), UInt8(ascii: "N"), UInt8(ascii: "I"):
            break
        default:
            throw mismatch(expected: "an integer", at: path)
        }
        let number: ScannedNumber
        do throws(SyntaxError) {
            number = try scanner.scanNumber()
        } catch {
            throw failure(error, at: path)
        }
        let found = scanner.describe(number)
        if number.isToken || !scanner.isIntegral(number) {
            throw RunFormatError(path: path, message: "expected an integer, found \(found)")
        }
        if number.value < 0 || (number.exactInteger ?? 0) < 0 {
            throw RunFormatError(path: path, message: "expected an integer ≥ 0, found \(found)")
        }
        if let exact = number.exactInteger { return exact }
        guard number.value < JSONText.exactIntegerLimit else {
            throw RunFormatError(path: path, message: "\(found) is too large for this integer field")
        }
        return Int(number.value)
    }

    /// Reads a number or null at `path`; null and `NaN` give NaN (undefined).
    mutating func readNumberOrNull(at path: String) throws(RunFormatError) -> Double {
        scanner.skipWhitespace()
        let value: Double?
        do throws(SyntaxError) {
            value = try scanner.readNumberOrNull()
        } catch {
            throw failure(error, at: path)
        }
        guard let value else { throw mismatch(expected: "a number or null", at: path) }
        return value
    }

    /// Reads an array of numbers or nulls at `path`, appending them to `values`;
    /// returns how many there were. This is the hot loop of the reader: no per-element
    /// allocation, and the element path is built only for an error.
    /// `expected` describes an element for the error when one is not a number.
    mutating func readNumberArray(
        at path: String, into values: inout [Double], expected: String = "a number or null"
    ) throws(RunFormatError) -> Int {
        try beginArray(at: path)
        scanner.skipWhitespace()
        if scanner.peekByte() == UInt8(ascii: "]") {
            scanner.offset += 1
            return 0
        }
        var count = 0
        while true {
            let value: Double?
            do throws(SyntaxError) {
                value = try scanner.readNumberOrNull()
            } catch {
                throw failure(error, at: PathText.element(path, count))
            }
            guard let value else {
                throw mismatch(expected: expected, at: PathText.element(path, count))
            }
            values.append(value)
            count += 1
            scanner.skipWhitespace()
            switch scanner.peekByte() {
            case UInt8(ascii: ","):
                scanner.offset += 1
                scanner.skipWhitespace()
            case UInt8(ascii: "]"):
                scanner.offset += 1
                return count
            default:
                throw failure(scanner.unexpected("expected ',' or ']' after an array element"), at: path)
            }
        }
    }
}
