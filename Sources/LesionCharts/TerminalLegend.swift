/// Lays out legend entries ("● fc1  ρ=-0.04") in as many equal columns as fit the width,
/// row by row, so ten groups take a few lines rather than ten.
enum TerminalLegend {
    /// Legend lines for `labels` (already sanitized) within `width` columns.
    static func lines(labels: [String], width: Int) -> [TerminalLine] {
        guard !labels.isEmpty else { return [] }
        let width = max(1, width)
        let gap = 3
        // Marker, space, label; a label wider than the chart is cut with an ellipsis.
        let entries = labels.map { DisplayWidth.truncated($0, toColumns: max(1, width - 2)) }
        let entryWidth = entries.map { 2 + DisplayWidth.columns($0) }.max() ?? 2
        let perLine = max(1, min(entries.count, (width + gap) / (entryWidth + gap)))
        var lines: [TerminalLine] = []
        var index = 0
        while index < entries.count {
            var line = TerminalLine()
            for slot in 0..<perLine where index < entries.count {
                if slot > 0 { line.append(String(repeating: " ", count: gap)) }
                line.append(String(ChartPalette.marker(index)), series: index)
                let text = " " + entries[index]
                line.append(slot == perLine - 1 ? text : DisplayWidth.padded(text, toColumns: entryWidth - 1))
                index += 1
            }
            lines.append(line)
        }
        return lines
    }
}
