extension ByteScanner {
    /// Reads the JSON string at the cursor (which must be at its opening quote).
    ///
    /// Refuses raw control characters, invalid UTF-8, bad escapes, unpaired
    /// surrogates (they cannot be stored as text) and U+0000 in any spelling
    /// (PostgreSQL text cannot hold it). Strings without escapes are copied once.
    mutating func readString() throws(SyntaxError) -> String {
        let start = offset + 1
        let count = bytes.count
        var index = start
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                offset = index + 1
                return text(start..<index)
            }
            if byte == UInt8(ascii: "\\") {
                return try readEscapedString(start: start, firstEscape: index)
            }
            if byte < 0x20 {
                throw Self.controlCharacterError(byte, at: index)
            }
            if byte < 0x80 {
                index += 1
            } else {
                let length = UTF8Validation.sequenceLength(bytes, at: index)
                guard length > 0 else {
                    throw SyntaxError(offset: index, message: "invalid UTF-8 in a string")
                }
                index += length
            }
        }
        throw SyntaxError(offset: count, message: "unexpected end of input inside a string")
    }

    /// The slow path of `readString`, for strings with escapes: decodes into a buffer.
    private mutating func readEscapedString(start: Int, firstEscape: Int) throws(SyntaxError) -> String {
        let count = bytes.count
        var buffer = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<firstEscape]))
        var index = firstEscape
        while index < count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                offset = index + 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index = try readEscape(at: index, into: &buffer)
            case 0..<0x20:
                throw Self.controlCharacterError(byte, at: index)
            case 0x20..<0x80:
                buffer.append(byte)
                index += 1
            default:
                let length = UTF8Validation.sequenceLength(bytes, at: index)
                guard length > 0 else {
                    throw SyntaxError(offset: index, message: "invalid UTF-8 in a string")
                }
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<index + length]))
                index += length
            }
        }
        throw SyntaxError(offset: count, message: "unexpected end of input inside a string")
    }

    /// Decodes the escape at `index` (a backslash) into `buffer`; returns the offset
    /// after it.
    private func readEscape(at index: Int, into buffer: inout [UInt8]) throws(SyntaxError) -> Int {
        guard index + 1 < bytes.count else {
            throw SyntaxError(offset: bytes.count, message: "unexpected end of input inside a string")
        }
        let simple: UInt8
        switch bytes[index + 1] {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"):
            return try readUnicodeEscape(at: index, into: &buffer)
        default:
            let next = bytes[index + 1]
            let shown = next >= 0x21 && next < 0x7F ? "\\" + String(UnicodeScalar(next)) : "\\ then \(found(at: index + 1))"
            throw SyntaxError(offset: index, message: "invalid escape \(shown) in a string")
        }
        buffer.append(simple)
        return index + 2
    }

    /// Decodes `\uXXXX` (and a following low surrogate when XXXX is a high one).
    private func readUnicodeEscape(at index: Int, into buffer: inout [UInt8]) throws(SyntaxError) -> Int {
        let high = try hexQuad(at: index + 2)
        var scalar = high
        var next = index + 6
        switch high {
        case 0:
            throw SyntaxError(offset: index, message: "U+0000 is not allowed in a string")
        case 0xD800...0xDBFF:
            guard next + 1 < bytes.count, bytes[next] == UInt8(ascii: "\\"),
                bytes[next + 1] == UInt8(ascii: "u")
            else {
                throw SyntaxError(offset: index, message: "unpaired surrogate \\u\(hex(high)) in a string")
            }
            let low = try hexQuad(at: next + 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw SyntaxError(offset: index, message: "unpaired surrogate \\u\(hex(high)) in a string")
            }
            scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            next += 6
        case 0xDC00...0xDFFF:
            throw SyntaxError(offset: index, message: "unpaired surrogate \\u\(hex(high)) in a string")
        default:
            break
        }
        UTF8Validation.append(scalar, to: &buffer)
        return next
    }

    /// The value of the four hex digits at `index`.
    private func hexQuad(at index: Int) throws(SyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else {
            throw SyntaxError(offset: bytes.count, message: "unexpected end of input inside a string")
        }
        var value: UInt32 = 0
        for position in index..<index + 4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw SyntaxError(offset: position, message: "\\u must be followed by four hex digits")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The error for a raw control character inside a string.
    static func controlCharacterError(_ byte: UInt8, at offset: Int) -> SyntaxError {
        switch byte {
        case 0:
            SyntaxError(offset: offset, message: "U+0000 is not allowed in a string")
        case 0x0A, 0x0D:
            SyntaxError(offset: offset, message: "line break inside a string (unterminated string, or write \\n)")
        default:
            SyntaxError(
                offset: offset,
                message: "control character U+00\(byte < 0x10 ? "0" : "")\(String(byte, radix: 16, uppercase: true)) must be escaped in a string"
            )
        }
    }
}
