import XCTest
@testable import LesionCharts

final class TerminalChartRendererTests: XCTestCase {
    private func lines(_ text: String) -> [String] { text.components(separatedBy: "\n") }

    func testEveryLineFitsTheWidth() {
        let charts = [ChartFixtures.curves, ChartFixtures.scatter, ChartFixtures.awkwardText]
            + ChartFixtures.degenerate.map(\.chart)
        for chart in charts {
            for width in [80, 60, 40, 100] {
                for color in [false, true] {
                    let text = TerminalChartRenderer.render(chart, width: width, height: 12, color: color)
                    for line in lines(text) {
                        XCTAssertLessThanOrEqual(
                            DisplayWidth.columns(line), width, "\(chart.title) at \(width): \(line)")
                    }
                }
            }
        }
    }

    func testNarrowWidthsStillFit() {
        for width in [1, 5, 12, 20] {
            let text = TerminalChartRenderer.render(ChartFixtures.curves, width: width, height: 3, color: false)
            XCTAssertTrue(lines(text).allSatisfy { DisplayWidth.columns($0) <= width }, "width \(width)")
        }
    }

    func testHeightIsThePlotRows() {
        let text = TerminalChartRenderer.render(ChartFixtures.curves, width: 80, height: 20, color: false)
        let axisRows = lines(text).filter { $0.contains("┤") || $0.contains("│") }
        XCTAssertEqual(axisRows.count, 20)
    }

    func testLegendNamesEverySeriesWithItsMarker() {
        let text = TerminalChartRenderer.render(ChartFixtures.scatter, width: 80, height: 16, color: false)
        let legend = lines(text).drop { !$0.isEmpty }.joined(separator: "\n")
        for (index, series) in ChartFixtures.scatter.series.enumerated() {
            XCTAssertTrue(legend.contains("\(ChartPalette.marker(index)) \(series.label)"), series.label)
        }
        XCTAssertTrue(legend.contains("● fc1  ρ=-0.04"))
    }

    func testLegendPacksEntriesIntoColumns() {
        let text = TerminalChartRenderer.render(ChartFixtures.curves, width: 80, height: 10, color: false)
        let legend = Array(lines(text).drop { !$0.isEmpty }.dropFirst())
        XCTAssertEqual(legend.count, 2, legend.joined(separator: "\n"))
        XCTAssertTrue(legend[0].hasPrefix("● label_corruption = 0.0   ■ label_corruption = 0.2"))
    }

    func testMarkersDrawnOnTheLines() {
        let text = TerminalChartRenderer.render(ChartFixtures.curves, width: 80, height: 20, color: false)
        let plot = lines(text).filter { $0.contains("┤") || $0.contains("│") }.joined()
        for index in 1..<ChartFixtures.curves.series.count {
            XCTAssertTrue(plot.contains(ChartPalette.marker(index)), "marker of series \(index)")
        }
        XCTAssertTrue(plot.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "braille line dots")
    }

    func testTitleAxisNamesAndNiceTicks() {
        let text = TerminalChartRenderer.render(ChartFixtures.curves, width: 80, height: 20, color: false)
        let all = lines(text)
        XCTAssertEqual(all[0].trimmingCharacters(in: .whitespaces), "Ablation curves")
        XCTAssertEqual(all[1], "test accuracy")
        XCTAssertTrue(all.contains { $0.trimmingCharacters(in: .whitespaces) == "fraction of units ablated" })
        let axis = all.firstIndex { $0.contains("└") }
        let xTicks = axis.map { all[$0 + 1] }
        XCTAssertEqual(
            xTicks?.split(separator: " ").map(String.init), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let yTicks = all.filter { $0.contains("┤") }.map { $0.split(separator: " ")[0] }
        XCTAssertEqual(yTicks, ["1.2", "1.0", "0.8", "0.6", "0.4", "0.2", "0.0", "-0.2"])
    }

    func testColorOnlyWhenAsked() {
        let plain = TerminalChartRenderer.render(ChartFixtures.scatter, width: 80, height: 10, color: false)
        let colored = TerminalChartRenderer.render(ChartFixtures.scatter, width: 80, height: 10, color: true)
        XCTAssertFalse(plain.contains("\u{1B}"))
        XCTAssertTrue(colored.contains("\u{1B}[38;5;"))
        let stripped = colored.replacingOccurrences(
            of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        XCTAssertEqual(stripped, plain)
    }

    func testUserTextCannotInjectEscapes() {
        let chart = Chart(title: "a\u{1B}[2Jb", xLabel: "x\ny", yLabel: "y", series: [
            ChartSeries(label: "s\u{1B}]0;evil\u{7}", points: [ChartPoint(x: 0, y: 0)]),
        ], kind: .scatter)
        let text = TerminalChartRenderer.render(chart, color: false)
        XCTAssertFalse(text.contains("\u{1B}"))
        XCTAssertFalse(text.contains("\u{7}"))
        XCTAssertTrue(text.contains("x y"))
    }

    func testDegenerateChartsRenderSomething() {
        for (name, chart) in ChartFixtures.degenerate {
            let text = TerminalChartRenderer.render(chart, color: false)
            XCTAssertTrue(text.contains("└"), name)
            XCTAssertGreaterThanOrEqual(lines(text).count, 22, name)
        }
    }

    func testEmptyChartSaysNoData() {
        let chart = Chart(title: "t", xLabel: "x", yLabel: "y", series: [], kind: .lines)
        XCTAssertTrue(TerminalChartRenderer.render(chart, color: false).contains("(no data)"))
        XCTAssertFalse(TerminalChartRenderer.render(ChartFixtures.curves, color: false).contains("(no data)"))
    }

    func testSinglePointShowsItsMarker() {
        let chart = Chart(title: "", xLabel: "", yLabel: "", series: [
            ChartSeries(label: "only", points: [ChartPoint(x: 3, y: 3)]),
        ], kind: .lines)
        let text = TerminalChartRenderer.render(chart, width: 40, height: 8, color: false)
        XCTAssertEqual(text.filter { $0 == "●" }.count, 2)  // plot and legend
    }

    func testNaNBreaksTheLine() {
        let joined = Chart(title: "", xLabel: "", yLabel: "", series: [
            ChartSeries(label: "s", points: [ChartPoint(x: 0, y: 0), ChartPoint(x: 1, y: 1)]),
        ], kind: .lines)
        var broken = joined
        broken.series[0].points.insert(ChartPoint(x: 0.5, y: .nan), at: 1)
        let braille: (String) -> Int = { $0.unicodeScalars.filter { (0x2801...0x28FF).contains($0.value) }.count }
        XCTAssertGreaterThan(braille(TerminalChartRenderer.render(joined, width: 40, height: 8, color: false)), 10)
        XCTAssertEqual(braille(TerminalChartRenderer.render(broken, width: 40, height: 8, color: false)), 0)
    }

    func testWideCharactersCountTwoColumns() {
        let chart = Chart(title: String(repeating: "选", count: 60), xLabel: "x", yLabel: "y", series: [
            ChartSeries(label: String(repeating: "層", count: 50), points: [ChartPoint(x: 0, y: 0)]),
        ], kind: .scatter)
        let text = TerminalChartRenderer.render(chart, width: 80, color: false)
        XCTAssertTrue(lines(text).allSatisfy { DisplayWidth.columns($0) <= 80 })
        XCTAssertTrue(lines(text)[0].hasSuffix("…"))
    }

    func testAbsurdSizesAreClamped() {
        let text = TerminalChartRenderer.render(ChartFixtures.scatter, width: Int.max, height: Int.max, color: false)
        XCTAssertTrue(lines(text).allSatisfy { DisplayWidth.columns($0) <= 1000 })
        let tiny = TerminalChartRenderer.render(ChartFixtures.scatter, width: Int.min, height: Int.min, color: false)
        XCTAssertTrue(lines(tiny).allSatisfy { DisplayWidth.columns($0) <= 1 })
    }

    func testScatterCellShowsTheDominantSeries() {
        let many = ChartSeries(label: "many", points: Array(repeating: ChartPoint(x: 0, y: 0), count: 5)
            + [ChartPoint(x: 1, y: 1)])
        let few = ChartSeries(label: "few", points: [ChartPoint(x: 0, y: 0), ChartPoint(x: 1, y: 1)])
        let chart = Chart(title: "", xLabel: "", yLabel: "", series: [many, few], kind: .scatter)
        let plot = lines(TerminalChartRenderer.render(chart, width: 40, height: 6, color: false))
            .filter { $0.contains("┤") || $0.contains("│") }
        // Bottom-left cell: five "many" points beat one "few"; top-right: a tie goes to the smaller series.
        XCTAssertEqual(plot.last?.last, "●")
        XCTAssertEqual(plot.first?.last, "■")
    }
}
