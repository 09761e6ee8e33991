/// Makes user text safe inside markup: SVG text nodes and attribute values here, and
/// the web pages' HTML (through ``markup(_:)``). The one escaper of `& < > " '`.
public enum XMLEscaping {
    /// `text` for an SVG chart: control characters first made printable (a chart
    /// is drawn on one line), then escaped as ``markup(_:)`` does.
    static func escape(_ text: String) -> String {
        markup(DisplayWidth.sanitized(text))
    }

    /// `text` with `& < > " '` as character references (`&#39;` for the apostrophe,
    /// which HTML 4 lacks as a name) and the non-characters U+FFFE and U+FFFF
    /// replaced, safe in element content and in single- or double-quoted attribute
    /// values of XML and HTML alike. Line breaks are kept.
    public static func markup(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\u{FFFE}", "\u{FFFF}": result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
