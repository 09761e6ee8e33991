import Foundation

/// Draws a chart as a standalone SVG document: title, axes with nice ticks and light
/// gridlines, axis titles, a legend at the right, lines with translucent ±spread bands or
/// scatter circles, in the colour-blind-safe Okabe–Ito palette.
///
/// Text widths are estimated (no font metrics without a renderer), so long labels are cut
/// with "…" against generous estimates; the full text stays in a `<title>` tooltip.
public enum SVGChartRenderer {
    /// Renders `chart` as an SVG document of `width` × `height` pixels, each clamped to
    /// 240…100 000 × 180…100 000 (below that the layout has no room for a plot).
    public static func render(_ chart: Chart, width: Int = 720, height: Int = 450) -> String {
        let layout = Layout(
            chart: chart, width: Double(min(max(240, width), 100_000)), height: Double(min(max(180, height), 100_000)))
        var svg = SVGText()
        svg.line(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(layout.svgWidth)\" height=\"\(layout.svgHeight)\" "
                + "viewBox=\"0 0 \(layout.svgWidth) \(layout.svgHeight)\" font-family=\"sans-serif\" role=\"img\">")
        svg.line("<title>\(XMLEscaping.escape(chart.title))</title>")
        svg.line("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
        layout.drawTitles(into: &svg)
        layout.drawAxes(into: &svg)
        layout.drawSeries(into: &svg)
        layout.drawLegend(into: &svg)
        svg.line("</svg>")
        return svg.text
    }

    /// Accumulates the document text.
    private struct SVGText {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        mutating func line(_ content: String) { text += content + "\n" }
    }

    /// Sizes and scales of one SVG chart.
    private struct Layout {
        static let titleSize = 16.0, axisTitleSize = 13.0, tickSize = 11.0, legendSize = 12.0
        static let legendRowHeight = 20.0

        let chart: Chart
        let svgWidth: Int
        let svgHeight: Int
        let plotLeft: Double, plotRight: Double, plotTop: Double, plotBottom: Double
        let xScale: NiceScale, yScale: NiceScale
        let xFormatter: TickLabelFormatter, yFormatter: TickLabelFormatter
        let legendLeft: Double
        let legendTextWidth: Double

        init(chart: Chart, width: Double, height: Double) {
            self.chart = chart
            svgWidth = Int(width)
            svgHeight = Int(height)
            let bounds = DataBounds.of(chart)
            let hasTitle = !chart.title.isEmpty
            let hasXLabel = !chart.xLabel.isEmpty, hasYLabel = !chart.yLabel.isEmpty

            plotTop = hasTitle ? 44 : 16
            plotBottom = height - (hasXLabel ? 52 : 30)
            // About one y tick every 50 px.
            yScale = NiceScale(
                low: bounds.yMin, high: bounds.yMax,
                targetTickCount: max(2, Int((plotBottom - plotTop) / 50) + 1))
            let yFormatter = TickLabelFormatter(step: yScale.step, largest: max(abs(yScale.lower), abs(yScale.upper)))
            self.yFormatter = yFormatter
            let yLabelWidth = yScale.ticks.map { Layout.textWidth(yFormatter.string($0), size: Layout.tickSize) }.max() ?? 0
            let plotLeft = 12 + (hasYLabel ? 22 : 0) + yLabelWidth + 8
            self.plotLeft = plotLeft

            // The legend takes at most 30% of the width; longer labels are cut.
            let labelWidths = chart.series.map { Layout.textWidth($0.label, size: Layout.legendSize) }
            legendTextWidth = min(labelWidths.max() ?? 0, width * 0.3)
            let legendWidth = chart.series.isEmpty ? 0 : legendTextWidth + 40
            let plotRight = width - 16 - legendWidth
            self.plotRight = plotRight
            legendLeft = plotRight + 16

            // About one x tick every 70 px, fewer until the labels fit side by side.
            let plotWidth = plotRight - plotLeft
            var xScale = NiceScale(low: bounds.xMin, high: bounds.xMax, targetTickCount: 2)
            for target in stride(from: max(2, Int(plotWidth / 70) + 1), through: 2, by: -1) {
                let candidate = NiceScale(low: bounds.xMin, high: bounds.xMax, targetTickCount: target)
                let formatter = TickLabelFormatter(
                    step: candidate.step, largest: max(abs(candidate.lower), abs(candidate.upper)))
                let widest = candidate.ticks.map { Layout.textWidth(formatter.string($0), size: Layout.tickSize) }.max() ?? 0
                let spacing = plotWidth / Double(max(1, candidate.ticks.count - 1))
                xScale = candidate
                if widest + 8 < spacing { break }
            }
            self.xScale = xScale
            xFormatter = TickLabelFormatter(step: xScale.step, largest: max(abs(xScale.lower), abs(xScale.upper)))
        }

        /// Estimated rendered width of `text` in a sans-serif font of `size` px: about 0.6 em
        /// per column, which errs wide for most Latin text.
        static func textWidth(_ text: String, size: Double) -> Double {
            Double(DisplayWidth.columns(DisplayWidth.sanitized(text))) * size * 0.6
        }

        /// `text` cut with "…" to fit `maxWidth` px at font `size`.
        static func fitted(_ text: String, maxWidth: Double, size: Double) -> String {
            let columns = Int(maxWidth / (size * 0.6))
            return DisplayWidth.truncated(DisplayWidth.sanitized(text), toColumns: max(1, columns))
        }

        func px(x: Double) -> Double {
            plotLeft + min(max(xScale.fraction(of: x), 0), 1) * (plotRight - plotLeft)
        }

        func px(y: Double) -> Double {
            plotBottom - min(max(yScale.fraction(of: y), 0), 1) * (plotBottom - plotTop)
        }

        /// Chart title, axis titles, and a note when there is nothing to draw.
        func drawTitles(into svg: inout SVGText) {
            let centerX = num((plotLeft + plotRight) / 2)
            if !chart.title.isEmpty {
                let text = Layout.fitted(chart.title, maxWidth: Double(svgWidth) - 24, size: Layout.titleSize)
                svg.line("<text class=\"chart-title\" x=\"\(num(Double(svgWidth) / 2))\" y=\"26\" text-anchor=\"middle\" "
                    + "font-size=\"\(num(Layout.titleSize))\" font-weight=\"bold\" fill=\"#222\">\(XMLEscaping.escape(text))</text>")
            }
            if !chart.xLabel.isEmpty {
                let text = Layout.fitted(chart.xLabel, maxWidth: plotRight - plotLeft, size: Layout.axisTitleSize)
                svg.line("<text class=\"x-title\" x=\"\(centerX)\" y=\"\(num(plotBottom + 40))\" text-anchor=\"middle\" "
                    + "font-size=\"\(num(Layout.axisTitleSize))\" fill=\"#222\">\(XMLEscaping.escape(text))</text>")
            }
            if !chart.yLabel.isEmpty {
                let text = Layout.fitted(chart.yLabel, maxWidth: plotBottom - plotTop, size: Layout.axisTitleSize)
                let centerY = num((plotTop + plotBottom) / 2)
                svg.line("<text class=\"y-title\" transform=\"translate(20,\(centerY)) rotate(-90)\" text-anchor=\"middle\" "
                    + "font-size=\"\(num(Layout.axisTitleSize))\" fill=\"#222\">\(XMLEscaping.escape(text))</text>")
            }
            if chart.hasNoFinitePoints {
                svg.line("<text class=\"no-data\" x=\"\(centerX)\" y=\"\(num((plotTop + plotBottom) / 2))\" "
                    + "text-anchor=\"middle\" font-size=\"\(num(Layout.axisTitleSize))\" fill=\"#777\">No data</text>")
            }
        }

        /// Gridlines, axis lines, tick marks and tick labels.
        func drawAxes(into svg: inout SVGText) {
            let left = num(plotLeft), right = num(plotRight), top = num(plotTop), bottom = num(plotBottom)
            svg.line("<g class=\"grid\" stroke=\"#e6e6e6\" stroke-width=\"1\">")
            for tick in yScale.ticks {
                let y = num(px(y: tick))
                svg.line("<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(right)\" y2=\"\(y)\"/>")
            }
            for tick in xScale.ticks {
                let x = num(px(x: tick))
                svg.line("<line x1=\"\(x)\" y1=\"\(top)\" x2=\"\(x)\" y2=\"\(bottom)\"/>")
            }
            svg.line("</g>")
            // A zero line helps read signed values such as accuracy drops.
            if yScale.lower < 0, yScale.upper > 0 {
                let y = num(px(y: 0))
                svg.line("<line class=\"zero-line\" x1=\"\(left)\" y1=\"\(y)\" x2=\"\(right)\" y2=\"\(y)\" stroke=\"#aaaaaa\" stroke-width=\"1\"/>")
            }
            svg.line("<g class=\"axes\" stroke=\"#444\" stroke-width=\"1\" fill=\"none\">")
            svg.line("<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(right)\" y2=\"\(bottom)\"/>")
            svg.line("<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(bottom)\"/>")
            svg.line("</g>")

            svg.line("<g class=\"x-ticks\" font-size=\"\(num(Layout.tickSize))\" fill=\"#333\" text-anchor=\"middle\">")
            for tick in xScale.ticks {
                let x = num(px(x: tick))
                svg.line("<line class=\"tick\" x1=\"\(x)\" y1=\"\(bottom)\" x2=\"\(x)\" y2=\"\(num(plotBottom + 5))\" stroke=\"#444\"/>")
                svg.line("<text class=\"tick-label\" x=\"\(x)\" y=\"\(num(plotBottom + 18))\">\(XMLEscaping.escape(xFormatter.string(tick)))</text>")
            }
            svg.line("</g>")
            svg.line("<g class=\"y-ticks\" font-size=\"\(num(Layout.tickSize))\" fill=\"#333\" text-anchor=\"end\">")
            for tick in yScale.ticks {
                let y = px(y: tick)
                svg.line("<line class=\"tick\" x1=\"\(num(plotLeft - 5))\" y1=\"\(num(y))\" x2=\"\(left)\" y2=\"\(num(y))\" stroke=\"#444\"/>")
                svg.line("<text class=\"tick-label\" x=\"\(num(plotLeft - 8))\" y=\"\(num(y + 4))\">\(XMLEscaping.escape(yFormatter.string(tick)))</text>")
            }
            svg.line("</g>")
        }

        /// All bands first (so no band veils another series' line), then lines and points.
        func drawSeries(into svg: inout SVGText) {
            switch chart.kind {
            case .lines:
                svg.line("<g class=\"bands\" stroke=\"none\">")
                for (index, series) in chart.series.enumerated() {
                    for run in Layout.finiteRuns(series.points) where run.contains(where: { $0.usableSpread != nil }) {
                        drawBand(run, color: ChartPalette.color(index), into: &svg)
                    }
                }
                svg.line("</g>")
                for (index, series) in chart.series.enumerated() {
                    drawLine(series, index: index, into: &svg)
                }
            case .scatter:
                for (index, series) in chart.series.enumerated() {
                    drawScatter(series, index: index, into: &svg)
                }
            }
        }

        /// Consecutive finite points; a NaN or infinity splits a line rather than bridging it.
        static func finiteRuns(_ points: [ChartPoint]) -> [[ChartPoint]] {
            var runs: [[ChartPoint]] = []
            var current: [ChartPoint] = []
            for point in points {
                if point.isFinite {
                    current.append(point)
                } else if !current.isEmpty {
                    runs.append(current)
                    current = []
                }
            }
            if !current.isEmpty { runs.append(current) }
            return runs
        }

        /// The ±spread band of one run: upper edge left to right, lower edge back.
        private func drawBand(_ run: [ChartPoint], color: String, into svg: inout SVGText) {
            let upper = run.map { "\(num(px(x: $0.x))),\(num(px(y: $0.y + ($0.usableSpread ?? 0))))" }
            let lower = run.reversed().map { "\(num(px(x: $0.x))),\(num(px(y: $0.y - ($0.usableSpread ?? 0))))" }
            // A one-point run has no width: draw its band as a short error bar instead.
            if run.count == 1, let point = run.first {
                let x = px(x: point.x)
                let top = num(px(y: point.y + (point.usableSpread ?? 0)))
                let bottom = num(px(y: point.y - (point.usableSpread ?? 0)))
                svg.line("<polygon class=\"band\" points=\"\(num(x - 3)),\(top) \(num(x + 3)),\(top) \(num(x + 3)),\(bottom) \(num(x - 3)),\(bottom)\" "
                    + "fill=\"\(color)\" fill-opacity=\"0.18\"/>")
                return
            }
            svg.line("<polygon class=\"band\" points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.18\"/>")
        }

        /// The polyline(s) of one series and a dot on each point while points are few.
        private func drawLine(_ series: ChartSeries, index: Int, into svg: inout SVGText) {
            let color = ChartPalette.color(index)
            let dash = ChartPalette.dash(index).map { " stroke-dasharray=\"\($0)\"" } ?? ""
            svg.line("<g class=\"series\" data-label=\"\(XMLEscaping.escape(series.label))\">")
            let runs = Layout.finiteRuns(series.points)
            for run in runs where run.count > 1 {
                let points = run.map { "\(num(px(x: $0.x))),\(num(px(y: $0.y)))" }.joined(separator: " ")
                svg.line("<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" "
                    + "stroke-linejoin=\"round\" stroke-linecap=\"round\"\(dash)/>")
            }
            let pointCount = runs.reduce(0) { $0 + $1.count }
            // Point dots help tell overlapping lines apart; on dense curves they would be a smear.
            if pointCount <= 60 {
                for point in runs.joined() {
                    svg.line("<circle class=\"point\" cx=\"\(num(px(x: point.x)))\" cy=\"\(num(px(y: point.y)))\" r=\"2.5\" fill=\"\(color)\"/>")
                }
            }
            svg.line("</g>")
        }

        /// One small translucent circle per finite point; smaller and fainter as points
        /// multiply so dense regions read as density.
        private func drawScatter(_ series: ChartSeries, index: Int, into svg: inout SVGText) {
            let color = ChartPalette.color(index)
            let count = series.points.count
            let radius = count > 2000 ? "1.5" : (count > 300 ? "2" : "3")
            let opacity = count > 2000 ? "0.35" : (count > 300 ? "0.5" : "0.7")
            svg.line("<g class=\"series\" data-label=\"\(XMLEscaping.escape(series.label))\" fill=\"\(color)\" fill-opacity=\"\(opacity)\">")
            for point in series.points where point.isFinite {
                svg.line("<circle cx=\"\(num(px(x: point.x)))\" cy=\"\(num(px(y: point.y)))\" r=\"\(radius)\"/>")
            }
            svg.line("</g>")
        }

        /// One row per series at the right of the plot: a swatch and the label; rows that do
        /// not fit under the plot are summarised as "+N more".
        func drawLegend(into svg: inout SVGText) {
            guard !chart.series.isEmpty else { return }
            let rowsThatFit = max(1, Int((plotBottom - plotTop) / Layout.legendRowHeight))
            let shown = chart.series.count <= rowsThatFit ? chart.series.count : rowsThatFit - 1
            svg.line("<g class=\"legend\" font-size=\"\(num(Layout.legendSize))\" fill=\"#222\">")
            for (index, series) in chart.series.prefix(shown).enumerated() {
                let y = plotTop + 8 + Double(index) * Layout.legendRowHeight
                let color = ChartPalette.color(index)
                svg.line("<g class=\"legend-entry\">")
                svg.line("<title>\(XMLEscaping.escape(series.label))</title>")
                switch chart.kind {
                case .lines:
                    let dash = ChartPalette.dash(index).map { " stroke-dasharray=\"\($0)\"" } ?? ""
                    svg.line("<line x1=\"\(num(legendLeft))\" y1=\"\(num(y))\" x2=\"\(num(legendLeft + 22))\" y2=\"\(num(y))\" "
                        + "stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>")
                case .scatter:
                    svg.line("<circle cx=\"\(num(legendLeft + 11))\" cy=\"\(num(y))\" r=\"4\" fill=\"\(color)\"/>")
                }
                let text = Layout.fitted(series.label, maxWidth: legendTextWidth, size: Layout.legendSize)
                // Keep the caller's spacing ("fc1  ρ=-0.04"); SVG collapses runs of spaces otherwise.
                svg.line("<text x=\"\(num(legendLeft + 30))\" y=\"\(num(y + 4))\" style=\"white-space:pre\">\(XMLEscaping.escape(text))</text>")
                svg.line("</g>")
            }
            if shown < chart.series.count {
                let y = plotTop + 8 + Double(shown) * Layout.legendRowHeight
                svg.line("<text class=\"legend-more\" x=\"\(num(legendLeft + 30))\" y=\"\(num(y + 4))\" fill=\"#777\">+\(chart.series.count - shown) more</text>")
            }
            svg.line("</g>")
        }
    }
}

/// A coordinate with at most two decimals and no trailing zeros, to keep large scatters
/// small; non-finite values (never expected after clamping) print as 0. Integer
/// arithmetic instead of `String(format:)`, which dominated the time for big scatters.
private func num(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let hundredths = (value * 100).rounded()
    guard abs(hundredths) < 1e15 else { return String(value) }
    let scaled = Int(hundredths)
    let magnitude = abs(scaled)
    let sign = scaled < 0 ? "-" : ""
    let whole = magnitude / 100, fraction = magnitude % 100
    if fraction == 0 { return sign + String(whole) }
    if fraction % 10 == 0 { return sign + String(whole) + "." + String(fraction / 10) }
    return sign + String(whole) + (fraction < 10 ? ".0" : ".") + String(fraction)
}
