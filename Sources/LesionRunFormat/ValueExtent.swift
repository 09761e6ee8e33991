/// Finds where one JSON value of a whitespace-separated stream ends, without
/// parsing it: brackets are matched (outside strings), strings are skipped with their
/// escapes. The value is then parsed on its own, which gives the precise error.
enum ValueExtent {
    /// Brackets nest at most this deep; a run document needs 7 levels.
    static let maximumDepth = 64

    /// The extent of the next value at or after `offset`, or nil when only white
    /// space remains. Errors carry the line where the value starts.
    static func next(in bytes: UnsafeRawBufferPointer, from offset: Int) throws(RunFormatError) -> Range<Int>? {
        var scanner = ByteScanner(bytes, offset: max(0, offset))
        scanner.skipByteOrderMark()
        scanner.skipWhitespace()
        guard scanner.offset < bytes.count else { return nil }
        let start = scanner.offset
        let count = bytes.count
        func failure(_ message: String) -> RunFormatError {
            RunFormatError(path: "", message: message, line: scanner.line(at: start))
        }
        switch bytes[start] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            break
        case UInt8(ascii: "\""):
            guard let end = stringEnd(bytes, from: start) else {
                throw failure("a string starting here is not closed on its line")
            }
            return start..<end
        default:
            // A scalar or garbage: up to the next white space or bracket; parsing it
            // then says what is wrong.
            var end = start + 1
            while end < count, !isBoundary(bytes[end]) { end += 1 }
            return start..<end
        }
        // Closing brackets expected, innermost last.
        var expected: [UInt8] = []
        var index = start
        while index < count {
            let byte = bytes[index]
            // Most bytes are digits, commas and spaces: skip them with one test.
            // `[` and `]` differ from `{` and `}` only in bit 0x20.
            if byte != UInt8(ascii: "\"") && (byte | 0x20) != UInt8(ascii: "{") && (byte | 0x20) != UInt8(ascii: "}") {
                index &+= 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                guard let end = stringEnd(bytes, from: index) else {
                    throw failure(
                        "the document starting here has a string that is not closed on line \(scanner.line(at: index))")
                }
                index = end
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard expected.count < maximumDepth else {
                    throw failure("the document starting here nests deeper than \(maximumDepth) levels")
                }
                expected.append(byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]"))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard expected.last == byte else {
                    throw failure(
                        "the document starting here has an unmatched '\(UnicodeScalar(byte))' on line \(scanner.line(at: index))"
                    )
                }
                expected.removeLast()
                if expected.isEmpty { return start..<index + 1 }
            default:
                break
            }
            index += 1
        }
        throw failure("the document starting here is not closed before the end of the input")
    }

    /// The offset just after the string whose opening quote is at `start`, or nil if
    /// the input or the line ends first (a JSON string cannot hold a raw line break).
    private static func stringEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""): return index + 1
            case UInt8(ascii: "\\"): index += 2
            case 0x0A, 0x0D: return nil
            default: index += 1
            }
        }
        return nil
    }

    private static func isBoundary(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "}"), UInt8(ascii: "]"),
            UInt8(ascii: "\""):
            true
        default:
            false
        }
    }
}
