import LesionCharts

/// The one escaper of the web pages: every piece of text from the database or the
/// request goes through ``escape(_:)``, in element content and in quoted attribute
/// values alike.
public enum HTML {
    /// `text` with `& < > " '` as character references, safe in content and in
    /// single- or double-quoted attributes (the charts' escaper, without their
    /// flattening of line breaks).
    public static func escape(_ text: String) -> String {
        XMLEscaping.markup(text)
    }

    /// Percent-encodes `text` for a query string value (everything but unreserved characters).
    static func queryComponent(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return result
    }

    /// `path?name=value&…` with each part percent-encoded; empty values left out.
    static func link(_ path: String, _ parameters: [(String, String)]) -> String {
        let query = parameters.filter { !$0.1.isEmpty }.map { queryComponent($0.0) + "=" + queryComponent($0.1) }
        return query.isEmpty ? path : path + "?" + query.joined(separator: "&")
    }
}
