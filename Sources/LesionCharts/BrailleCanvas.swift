/// A grid of terminal cells drawn at braille-dot resolution (2 × 4 dots per cell).
///
/// Each cell remembers the last series that drew in it (for colour) and may carry a
/// marker glyph that replaces its dots, so a series reads without colour. Coordinates
/// outside the grid are ignored rather than trapping: callers map data with clamping, but
/// a stray value must never crash a report.
struct BrailleCanvas {
    /// What one cell shows.
    struct Cell: Equatable {
        /// The glyph (a braille pattern, a marker, or a space).
        var character: Character
        /// Series whose colour the glyph takes, nil for none.
        var series: Int?
    }

    let columns: Int
    let rows: Int
    private var dots: [UInt8]
    private var owners: [Int?]
    private var markers: [(glyph: Character, series: Int)?]

    /// Width of the grid in dots.
    var dotColumns: Int { columns * 2 }
    /// Height of the grid in dots.
    var dotRows: Int { rows * 4 }

    /// An empty canvas of `columns` × `rows` cells (at least 1 × 1).
    init(columns: Int, rows: Int) {
        self.columns = max(1, columns)
        self.rows = max(1, rows)
        let count = self.columns * self.rows
        dots = Array(repeating: 0, count: count)
        owners = Array(repeating: nil, count: count)
        markers = Array(repeating: nil, count: count)
    }

    /// Bit of the braille pattern for the dot at (`dx`, `dy`) within a cell; braille
    /// numbers dots 1-2-3 down the left, 4-5-6 down the right, then 7 and 8 at the bottom.
    private static let dotBits: [[UInt8]] = [
        [0x01, 0x02, 0x04, 0x40],
        [0x08, 0x10, 0x20, 0x80],
    ]

    /// Sets the dot at dot coordinates (`x`, `y`), origin top-left.
    mutating func setDot(x: Int, y: Int, series: Int) {
        guard x >= 0, y >= 0, x < dotColumns, y < dotRows else { return }
        let index = (y / 4) * columns + x / 2
        dots[index] |= BrailleCanvas.dotBits[x % 2][y % 4]
        owners[index] = series
    }

    /// Draws a straight run of dots from one dot to another (Bresenham).
    mutating func drawLine(from start: (x: Int, y: Int), to end: (x: Int, y: Int), series: Int) {
        var x = start.x, y = start.y
        let dx = abs(end.x - x), dy = -abs(end.y - y)
        let stepX = x < end.x ? 1 : -1, stepY = y < end.y ? 1 : -1
        var error = dx + dy
        // The loop is bounded by the longer side; the guard keeps a logic slip from spinning.
        for _ in 0...(dx - dy + 1) {
            setDot(x: x, y: y, series: series)
            if x == end.x && y == end.y { return }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += stepX }
            if doubled <= dx { error += dx; y += stepY }
        }
    }

    /// Puts `glyph` in the cell holding dot (`x`, `y`), hiding that cell's dots.
    mutating func setMarker(_ glyph: Character, atDotX x: Int, dotY y: Int, series: Int) {
        setMarker(glyph, column: x / 2, row: y / 4, series: series, inBounds: x >= 0 && y >= 0)
    }

    /// Puts `glyph` in cell (`column`, `row`).
    mutating func setMarker(_ glyph: Character, column: Int, row: Int, series: Int) {
        setMarker(glyph, column: column, row: row, series: series, inBounds: true)
    }

    private mutating func setMarker(_ glyph: Character, column: Int, row: Int, series: Int, inBounds: Bool) {
        guard inBounds, column >= 0, row >= 0, column < columns, row < rows else { return }
        markers[row * columns + column] = (glyph, series)
    }

    /// The cell at (`column`, `row`); a space outside the grid.
    func cell(column: Int, row: Int) -> Cell {
        guard column >= 0, row >= 0, column < columns, row < rows else { return Cell(character: " ", series: nil) }
        let index = row * columns + column
        if let marker = markers[index] { return Cell(character: marker.glyph, series: marker.series) }
        let pattern = dots[index]
        guard pattern != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(pattern)) else {
            return Cell(character: " ", series: nil)
        }
        return Cell(character: Character(scalar), series: owners[index])
    }
}
