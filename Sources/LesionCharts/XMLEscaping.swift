/// Makes user text safe inside SVG text nodes and attribute values.
enum XMLEscaping {
    /// `text` with `& < > " '` as entities and characters XML 1.0 forbids (C0 controls,
    /// U+FFFE, U+FFFF) replaced, so any label yields a well-formed document.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in DisplayWidth.sanitized(text).unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\u{FFFE}", "\u{FFFF}": result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
