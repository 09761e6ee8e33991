/// Terminal column counting for the text a chart or a table prints.
///
/// Swift counts characters, a terminal counts cells: CJK and emoji take two, combining
/// marks none. Labels come from user data, so control characters (which could move the
/// cursor or start an escape sequence) are replaced before anything is measured.
public enum DisplayWidth {
    /// Columns `text` occupies in a terminal, ignoring ANSI SGR sequences (`ESC [ … m`).
    public static func columns(_ text: String) -> Int {
        var total = 0
        var inEscape = false
        for character in text {
            if inEscape {
                if character == "m" { inEscape = false }
                continue
            }
            if character == "\u{1B}" {
                inEscape = true
                continue
            }
            total += columns(of: character)
        }
        return total
    }

    /// Columns one grapheme occupies: 0, 1 or 2.
    static func columns(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        // An explicit emoji presentation selector makes the cluster wide.
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        for scalar in scalars {
            let width = columns(of: scalar)
            if width > 0 { return width }
        }
        return 0
    }

    /// Columns one scalar occupies on its own.
    static func columns(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value == 0 { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        return isWide(value) ? 2 : 1
    }

    /// East Asian Wide / Fullwidth blocks and the pictographic emoji planes.
    private static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
             0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// `text` with control characters and line breaks turned into spaces, so a label
    /// stays on one line and cannot inject terminal escape sequences.
    /// With `trimmed`, leading and trailing spaces are dropped as well.
    public static func sanitized(_ text: String, trimmed: Bool = false) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029 {
                result.unicodeScalars.append(" ")
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        guard trimmed else { return result }
        return String(result.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// `text` cut to at most `limit` columns, ending in "…" when something was dropped.
    /// Expects text without escape sequences.
    static func truncated(_ text: String, toColumns limit: Int) -> String {
        guard limit > 0 else { return "" }
        if columns(text) <= limit { return text }
        var result = ""
        var used = 0
        for character in text {
            let width = columns(of: character)
            if used + width > limit - 1 { break }
            result.append(character)
            used += width
        }
        return result + "…"
    }

    /// `text` padded with spaces on the right to `width` columns.
    static func padded(_ text: String, toColumns width: Int) -> String {
        let missing = width - columns(text)
        return missing > 0 ? text + String(repeating: " ", count: missing) : text
    }
}
