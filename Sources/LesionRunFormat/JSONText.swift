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
        out.append(contentsOf: number(value).utf8)
    }

    /// `value` spelled as `appendNumber` writes it.
    static func number(_ value: Double) -> String {
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
