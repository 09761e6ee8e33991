/// Draws a chart as text for a terminal: braille-dot lines or marker scatter, tick labels
/// on the left and below, axis names and a legend.
///
/// Every series has its own marker glyph, so the chart reads without colour: line charts
/// put it on the data points, scatter charts fill each occupied cell with the marker of
/// the series that has most points there. Colour is added with ANSI codes only when asked. Every returned line fits in `width` display
/// columns (braille and markers count one column, CJK two).
public enum TerminalChartRenderer {
    /// Renders `chart` with a plot area `height` rows tall (2…500); the title, axis names,
    /// tick labels and legend add lines around it. `width` is clamped to 1…1000. Returns
    /// lines joined by "\n", no trailing newline.
    public static func render(_ chart: Chart, width: Int = 80, height: Int = 20, color: Bool) -> String {
        // Clamped so a wild terminal size cannot ask for a gigantic canvas.
        let width = min(max(1, width), 1000)
        let plotRows = min(max(2, height), 500)
        var layout = Layout(chart: chart, width: width, plotRows: plotRows)
        var lines: [TerminalLine] = []

        let title = DisplayWidth.sanitized(chart.title, trimmed: true)
        if !title.isEmpty { lines.append(centered(title, width: width)) }
        let yName = DisplayWidth.sanitized(chart.yLabel, trimmed: true)
        if !yName.isEmpty { lines.append(TerminalLine(DisplayWidth.truncated(yName, toColumns: width))) }

        lines += layout.plotLines()
        lines.append(layout.axisLine())
        lines.append(layout.xTickLabelLine())
        let xName = DisplayWidth.sanitized(chart.xLabel, trimmed: true)
        if !xName.isEmpty {
            lines.append(centered(xName, width: width, over: layout.gutter..<(layout.gutter + layout.plotColumns)))
        }
        let labels = chart.series.map { DisplayWidth.sanitized($0.label, trimmed: true) }
        let legend = TerminalLegend.lines(labels: labels, width: width)
        if !legend.isEmpty {
            lines.append(TerminalLine())
            lines += legend
        }
        // Only a width too small for the gutter and a plot column overflows; cut it there.
        return lines
            .map { $0.columns > width ? $0.truncated(toColumns: width) : $0 }
            .map { $0.rendered(color: color) }
            .joined(separator: "\n")
    }

    /// `text` centred over `span` (default the whole width), cut to fit the width.
    private static func centered(_ text: String, width: Int, over span: Range<Int>? = nil) -> TerminalLine {
        let text = DisplayWidth.truncated(text, toColumns: width)
        let textWidth = DisplayWidth.columns(text)
        let span = span ?? 0..<width
        let start = min(max(0, span.lowerBound + (span.count - textWidth) / 2), max(0, width - textWidth))
        return TerminalLine(String(repeating: " ", count: start) + text)
    }

    /// Scales, sizes and the drawn canvas of one terminal chart.
    private struct Layout {
        let chart: Chart
        let width: Int
        let plotRows: Int
        let yScale: NiceScale
        let yLabels: [String]
        let gutter: Int
        let plotColumns: Int
        let xScale: NiceScale
        let xLabels: [(text: String, start: Int, column: Int)]

        init(chart: Chart, width: Int, plotRows: Int) {
            self.chart = chart
            self.width = width
            self.plotRows = plotRows
            let bounds = DataBounds.of(chart)

            // About one y tick every four rows, fewer if two ticks would share a row.
            var yScale = NiceScale(low: bounds.yMin, high: bounds.yMax, targetTickCount: 2)
            for target in stride(from: max(2, plotRows / 4 + 1), through: 2, by: -1) {
                let candidate = NiceScale(low: bounds.yMin, high: bounds.yMax, targetTickCount: target)
                let rows = candidate.ticks.map { Layout.row(of: $0, scale: candidate, plotRows: plotRows) }
                if Set(rows).count == rows.count { yScale = candidate; break }
            }
            self.yScale = yScale
            let yFormatter = TickLabelFormatter(
                step: yScale.step, largest: max(abs(yScale.lower), abs(yScale.upper)))
            yLabels = yScale.ticks.map(yFormatter.string)
            // Tick labels, a space, then the axis column.
            gutter = (yLabels.map(DisplayWidth.columns).max() ?? 1) + 2
            plotColumns = max(1, width - gutter - 1)

            // About one x tick every twelve columns, fewer until the labels stop colliding.
            var chosen: (NiceScale, [(String, Int, Int)])?
            for target in stride(from: max(2, plotColumns / 12 + 1), through: 2, by: -1) {
                let candidate = NiceScale(low: bounds.xMin, high: bounds.xMax, targetTickCount: target)
                let placed = Layout.placeXLabels(
                    scale: candidate, gutter: gutter, plotColumns: plotColumns, width: width)
                chosen = (candidate, placed)
                if Layout.labelsAreSeparate(placed) { break }
            }
            let fallback = NiceScale(low: bounds.xMin, high: bounds.xMax, targetTickCount: 2)
            xScale = chosen?.0 ?? fallback
            var labels = chosen?.1 ?? []
            // Even two ticks can collide on a very narrow chart: keep the ends only if so.
            if !Layout.labelsAreSeparate(labels), labels.count > 1 {
                labels = [labels[0]]
            }
            xLabels = labels.map { (text: $0.0, start: $0.1, column: $0.2) }
        }

        /// Plot row (0 at the top) of a y value.
        static func row(of value: Double, scale: NiceScale, plotRows: Int) -> Int {
            dot(fraction: 1 - scale.fraction(of: value), count: plotRows * 4) / 4
        }

        /// Dot index for a 0…1 fraction along `count` dots, clamped into the grid.
        static func dot(fraction: Double, count: Int) -> Int {
            guard fraction.isFinite else { return 0 }
            let position = (fraction * Double(count - 1)).rounded()
            return Int(min(max(position, 0), Double(count - 1)))
        }

        /// X tick labels as (text, first column, tick column), centred under their tick
        /// but kept inside the line.
        static func placeXLabels(
            scale: NiceScale, gutter: Int, plotColumns: Int, width: Int
        ) -> [(String, Int, Int)] {
            let formatter = TickLabelFormatter(step: scale.step, largest: max(abs(scale.lower), abs(scale.upper)))
            return scale.ticks.map { tick in
                let column = gutter + dot(fraction: scale.fraction(of: tick), count: plotColumns * 2) / 2
                let text = formatter.string(tick)
                let textWidth = DisplayWidth.columns(text)
                let start = min(max(0, column - textWidth / 2), max(0, width - textWidth))
                return (text, start, column)
            }
        }

        /// True when consecutive labels leave at least one space between them.
        static func labelsAreSeparate(_ labels: [(String, Int, Int)]) -> Bool {
            zip(labels, labels.dropFirst()).allSatisfy { left, right in
                left.1 + DisplayWidth.columns(left.0) < right.1
            }
        }

        /// The y tick labels, axis and drawn canvas, one line per plot row.
        mutating func plotLines() -> [TerminalLine] {
            let canvas = drawCanvas()
            var tickRows: [Int: String] = [:]
            for (tick, label) in zip(yScale.ticks, yLabels) {
                tickRows[Layout.row(of: tick, scale: yScale, plotRows: plotRows)] = label
            }
            var lines: [TerminalLine] = []
            for row in 0..<plotRows {
                var line = TerminalLine()
                if let label = tickRows[row] {
                    let pad = String(repeating: " ", count: max(0, gutter - 2 - DisplayWidth.columns(label)))
                    line.append(pad + label + " ┤")
                } else {
                    line.append(String(repeating: " ", count: gutter - 1) + "│")
                }
                for column in 0..<plotColumns {
                    let cell = canvas.cell(column: column, row: row)
                    line.append(String(cell.character), series: cell.series)
                }
                lines.append(line)
            }
            if chart.hasNoFinitePoints {
                // Say so in the middle of the empty plot rather than leaving a bare frame.
                let note = DisplayWidth.truncated("(no data)", toColumns: plotColumns)
                let start = gutter + max(0, (plotColumns - DisplayWidth.columns(note)) / 2)
                var line = TerminalLine()
                let middle = plotRows / 2
                line.append(String(repeating: " ", count: gutter - 1) + "│")
                line.append(String(repeating: " ", count: start - gutter) + note)
                if tickRows[middle] == nil { lines[middle] = line }
            }
            return lines
        }

        /// The x axis with a "┬" under every x tick.
        func axisLine() -> TerminalLine {
            var characters = Array(repeating: "─" as Character, count: plotColumns)
            for label in xLabels {
                let offset = label.column - gutter
                if offset >= 0, offset < plotColumns { characters[offset] = "┬" }
            }
            return TerminalLine(String(repeating: " ", count: gutter - 1) + "└" + String(characters))
        }

        /// The x tick labels, each centred under its tick.
        func xTickLabelLine() -> TerminalLine {
            var text = ""
            var used = 0
            for label in xLabels where label.start >= used {
                text += String(repeating: " ", count: label.start - used) + label.text
                used = label.start + DisplayWidth.columns(label.text)
            }
            return TerminalLine(text)
        }

        /// Dot coordinates of a point, nil when it cannot be placed.
        private func dotPosition(x: Double, y: Double, canvas: BrailleCanvas) -> (x: Int, y: Int)? {
            guard x.isFinite, y.isFinite else { return nil }
            return (
                Layout.dot(fraction: xScale.fraction(of: x), count: canvas.dotColumns),
                Layout.dot(fraction: 1 - yScale.fraction(of: y), count: canvas.dotRows)
            )
        }

        /// Draws every series onto a fresh canvas.
        private func drawCanvas() -> BrailleCanvas {
            var canvas = BrailleCanvas(columns: plotColumns, rows: plotRows)
            switch chart.kind {
            case .lines: drawLines(on: &canvas)
            case .scatter: drawScatter(on: &canvas)
            }
            return canvas
        }

        /// Lines in braille dots, a whisker for ±spread at each point, the series marker
        /// on (a thinned subset of) the points so each line is identifiable without colour.
        private func drawLines(on canvas: inout BrailleCanvas) {
            for (index, series) in chart.series.enumerated() {
                var previous: (x: Int, y: Int)?
                for point in series.points {
                    guard let here = dotPosition(x: point.x, y: point.y, canvas: canvas) else {
                        // A missing value breaks the line instead of bridging the gap.
                        previous = nil
                        continue
                    }
                    if let spread = point.usableSpread,
                       let top = dotPosition(x: point.x, y: point.y + spread, canvas: canvas),
                       let bottom = dotPosition(x: point.x, y: point.y - spread, canvas: canvas) {
                        canvas.drawLine(from: top, to: bottom, series: index)
                    }
                    canvas.drawLine(from: previous ?? here, to: here, series: index)
                    previous = here
                }
            }
            // Markers last, so no later line hides them; thinned so a dense line still shows.
            let maxMarkers = max(2, plotColumns / 4)
            for (index, series) in chart.series.enumerated() {
                let placeable = series.points.compactMap { dotPosition(x: $0.x, y: $0.y, canvas: canvas) }
                let stride = max(1, (placeable.count + maxMarkers - 1) / maxMarkers)
                for (offset, position) in placeable.enumerated() where offset % stride == 0 || offset == placeable.count - 1 {
                    canvas.setMarker(ChartPalette.marker(index), atDotX: position.x, dotY: position.y, series: index)
                }
            }
        }

        /// One marker per occupied cell, naming the series with most points there; on a
        /// tie the smaller series wins so a small group is not buried by a large one.
        private func drawScatter(on canvas: inout BrailleCanvas) {
            let seriesCount = chart.series.count
            guard seriesCount > 0 else { return }
            // Sparse (cell, series) → count: memory grows with the points, not the grid.
            var tally: [Int: Int] = [:]
            let sizes = chart.series.map { $0.points.count }
            for (index, series) in chart.series.enumerated() {
                for point in series.points {
                    guard let position = dotPosition(x: point.x, y: point.y, canvas: canvas) else { continue }
                    let cell = (position.y / 4) * canvas.columns + position.x / 2
                    tally[cell * seriesCount + index, default: 0] += 1
                }
            }
            var best: [Int: Int] = [:]  // cell → series
            for (key, count) in tally {
                let cell = key / seriesCount, index = key % seriesCount
                guard let current = best[cell] else { best[cell] = index; continue }
                let bestCount = tally[cell * seriesCount + current] ?? 0
                // Ties go to the smaller series, then the earlier one, so the result does
                // not depend on dictionary order.
                if count > bestCount
                    || (count == bestCount && (sizes[index], index) < (sizes[current], current)) {
                    best[cell] = index
                }
            }
            for (cell, index) in best {
                canvas.setMarker(
                    ChartPalette.marker(index), column: cell % canvas.columns, row: cell / canvas.columns, series: index)
            }
        }
    }
}
