/// JSON spellings of strings and numbers, shared by the writer, by messages, and by
/// lesion's output formats.
public enum JSONText {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string: quote, backslash and control characters
    /// escaped (controls as `\u00XX`), everything else kept as UTF-8.
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0..<0x20:
                out.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)],
                ])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        appendQuoted(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Below this magnitude every integer is exactly a double, so an integral double
    /// can be written as an integer literal and read back unchanged.
    static let exactIntegerLimit = 9_007_199_254_740_992.0

    /// Appends `value` as Python's `json` writes it: NaN as `null`, ±Infinity as the
    /// bare tokens, integral values below 2^53 as integer literals (the sign of a
    /// zero is dropped), anything else in the shortest form that reads back as the
    /// same double.
    static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        out.append(contentsOf: documentNumber(value).utf8)
    }

    /// `value` as strict JSON, for lesion's output formats (`--format json` of every
    /// command): the same spelling as in a run document, but NaN and ±Infinity,
    /// which strict JSON cannot hold, as `null`. This is the one place a double
    /// becomes JSON text.
    public static func number(_ value: Double) -> String {
        value.isFinite ? documentNumber(value) : "null"
    }

    /// `value` spelled as `appendNumber` writes it.
    static func documentNumber(_ value: Double) -> String {
        if value.isNaN { return "null" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value.rounded(.towardZero) == value && abs(value) < exactIntegerLimit {
            return String(Int64(value))
        }
        // Swift's description is the shortest string that reads back as the same
        // double, and its forms ("0.1", "1e-05", "1.5e+300") are all valid JSON.
        return value.description
    }
}

extension JSONText {
    /// Reads a JSON array of strings, such as ``quoted`` writes joined by commas in
    /// brackets, with the run document's own strict reader; anything else (another
    /// type, trailing bytes, a bad escape) throws the reader's syntax error.
    public static func stringArray(_ text: String) throws -> [String] {
        var utf8 = Array(text.utf8)
        return try utf8.withUnsafeMutableBytes { buffer throws(SyntaxError) -> [String] in
            var scanner = ByteScanner(UnsafeRawBufferPointer(buffer))
            var strings: [String] = []
            scanner.skipWhitespace()
            guard scanner.peekByte() == UInt8(ascii: "[") else { throw scanner.unexpected("expected '['") }
            scanner.offset += 1
            scanner.skipWhitespace()
            if scanner.peekByte() == UInt8(ascii: "]") {
                scanner.offset += 1
            } else {
                while true {
                    scanner.skipWhitespace()
                    guard scanner.peekByte() == UInt8(ascii: "\"") else { throw scanner.unexpected("expected a string") }
                    strings.append(try scanner.readString())
                    scanner.skipWhitespace()
                    if scanner.peekByte() == UInt8(ascii: ",") { scanner.offset += 1; continue }
                    guard scanner.peekByte() == UInt8(ascii: "]") else { throw scanner.unexpected("expected ',' or ']'") }
                    scanner.offset += 1
                    break
                }
            }
            scanner.skipWhitespace()
            guard scanner.offset == scanner.bytes.count else { throw scanner.unexpected("expected the end of the array") }
            return strings
        }
    }
}
