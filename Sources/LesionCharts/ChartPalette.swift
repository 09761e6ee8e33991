/// Colours, terminal colours, dash patterns and marker glyphs, one set per series index.
///
/// The Okabe–Ito palette stays distinguishable under the common colour-vision
/// deficiencies; yellow comes late because it is faint on white. Past the eighth series
/// the colours repeat and a dash pattern keeps the lines apart; in a terminal the marker
/// glyph carries identity without colour.
enum ChartPalette {
    /// Okabe–Ito, reordered so the first few series get the strongest contrast on white.
    static let colors = [
        "#0072B2", "#E69F00", "#009E73", "#D55E00",
        "#CC79A7", "#56B4E9", "#000000", "#F0E442",
    ]

    /// Nearest xterm-256 colours to `colors`; black becomes grey so it shows on dark
    /// backgrounds.
    static let ansi256 = [25, 214, 35, 166, 175, 74, 250, 227]

    /// Marker glyphs, all one terminal column in Western locales.
    static let markers: [Character] = ["●", "■", "▲", "◆", "○", "□", "△", "◇", "×", "+"]

    /// Fallback markers for series beyond `markers`.
    private static let extraMarkers = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// SVG colour of series `index`.
    static func color(_ index: Int) -> String {
        colors[positiveModulo(index, colors.count)]
    }

    /// SVG `stroke-dasharray` of series `index`, nil for a solid line.
    static func dash(_ index: Int) -> String? {
        switch max(0, index) / colors.count {
        case 0: return nil
        case 1: return "7 4"
        case 2: return "2 3"
        default: return "9 3 2 3"
        }
    }

    /// ANSI SGR sequence that sets the foreground to the colour of series `index`.
    static func ansiColor(_ index: Int) -> String {
        "\u{1B}[38;5;\(ansi256[positiveModulo(index, ansi256.count)])m"
    }

    /// ANSI SGR sequence restoring the default colour.
    static let ansiReset = "\u{1B}[0m"

    /// Terminal marker of series `index`; distinct for the first 62 series.
    static func marker(_ index: Int) -> Character {
        let index = max(0, index)
        if index < markers.count { return markers[index] }
        return extraMarkers[(index - markers.count) % extraMarkers.count]
    }

    private static func positiveModulo(_ value: Int, _ modulus: Int) -> Int {
        ((value % modulus) + modulus) % modulus
    }
}
