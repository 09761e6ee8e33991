import XCTest
@testable import LesionCharts

final class SVGChartRendererTests: XCTestCase {
    func testDocumentIsWellFormedWithSizeAndNamespace() {
        let probe = SVGDocumentProbe(svg: SVGChartRenderer.render(ChartFixtures.curves, width: 720, height: 450))
        XCTAssertTrue(probe.isWellFormed)
        XCTAssertEqual(probe.elements.first?.name, "svg")
        XCTAssertEqual(probe.rootAttributes["xmlns"], "http://www.w3.org/2000/svg")
        XCTAssertEqual(probe.rootAttributes["width"], "720")
        XCTAssertEqual(probe.rootAttributes["height"], "450")
        XCTAssertEqual(probe.rootAttributes["viewBox"], "0 0 720 450")
        XCTAssertEqual(probe.rootAttributes["font-family"], "sans-serif")
    }

    func testLinesHaveOnePolylineAndOneBandPerSeries() {
        let probe = SVGDocumentProbe(svg: SVGChartRenderer.render(ChartFixtures.curves))
        let seriesCount = ChartFixtures.curves.series.count
        XCTAssertEqual(probe.elementCounts["polyline"], seriesCount)
        XCTAssertEqual(probe.count("polygon", inGroup: "bands"), seriesCount)
        XCTAssertEqual(probe.count("circle", inGroup: "series"), seriesCount * 11)
    }

    func testScatterHasOneCirclePerFinitePoint() {
        var chart = ChartFixtures.scatter
        chart.series[0].points.append(ChartPoint(x: .nan, y: 1))
        chart.series[1].points.append(ChartPoint(x: 1, y: .infinity))
        let probe = SVGDocumentProbe(svg: SVGChartRenderer.render(chart))
        XCTAssertTrue(probe.isWellFormed)
        XCTAssertEqual(probe.count("circle", inGroup: "series"), 1000)
        XCTAssertEqual(probe.count("circle", inGroup: "legend-entry"), 3)
        XCTAssertNil(probe.elementCounts["polyline"])
    }

    func testTicksAreNiceAndLabelled() {
        let probe = SVGDocumentProbe(svg: SVGChartRenderer.render(ChartFixtures.curves))
        XCTAssertEqual(probe.count("line", inGroup: "x-ticks"), 6)
        XCTAssertEqual(probe.count("text", inGroup: "x-ticks"), 6)
        XCTAssertEqual(probe.count("line", inGroup: "y-ticks"), probe.count("text", inGroup: "y-ticks"))
        XCTAssertTrue(probe.texts.starts(with: ["Ablation curves", "fraction of units ablated", "test accuracy"]))
        XCTAssertTrue(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"].allSatisfy(probe.texts.contains))
    }

    func testLegendNamesEverySeries() {
        let probe = SVGDocumentProbe(svg: SVGChartRenderer.render(ChartFixtures.scatter))
        for series in ChartFixtures.scatter.series {
            XCTAssertTrue(probe.texts.contains(series.label), series.label)
        }
        XCTAssertEqual(probe.count("g", inGroup: "legend"), 3)
    }

    func testTextIsEscaped() {
        let svg = SVGChartRenderer.render(ChartFixtures.awkwardText)
        XCTAssertFalse(svg.contains("<fc1>"))
        XCTAssertFalse(svg.contains("<b>"))
        XCTAssertTrue(svg.contains("&lt;fc1&gt; &amp; &quot;fc2&quot;"))
        let probe = SVGDocumentProbe(svg: svg)
        XCTAssertTrue(probe.isWellFormed)
        XCTAssertTrue(probe.texts.contains("A <b> & \"quoted\" 'title' 选择性"))
        XCTAssertTrue(probe.texts.contains("<fc1> & \"fc2\""))
        XCTAssertTrue(probe.texts.contains("層 conv1 ✓"))
        XCTAssertTrue(probe.elements.contains { $0.attributes["data-label"] == "<fc1> & \"fc2\"" })
    }

    func testNaNSplitsAPolyline() {
        let chart = Chart(title: "t", xLabel: "x", yLabel: "y", series: [
            ChartSeries(label: "s", points: [
                ChartPoint(x: 0, y: 0), ChartPoint(x: 1, y: 1), ChartPoint(x: 2, y: .nan),
                ChartPoint(x: 3, y: 1), ChartPoint(x: 4, y: 0),
            ]),
        ], kind: .lines)
        let probe = SVGDocumentProbe(svg: SVGChartRenderer.render(chart))
        XCTAssertEqual(probe.elementCounts["polyline"], 2)
        XCTAssertNil(probe.elementCounts["polygon"])
    }

    func testDegenerateChartsAreWellFormed() {
        for (name, chart) in ChartFixtures.degenerate {
            let svg = SVGChartRenderer.render(chart)
            let probe = SVGDocumentProbe(svg: svg)
            XCTAssertTrue(probe.isWellFormed, name)
            XCTAssertFalse(svg.contains("nan"), name)
            XCTAssertFalse(svg.contains("inf"), name)
            XCTAssertGreaterThanOrEqual(probe.count("text", inGroup: "x-ticks"), 2, name)
            XCTAssertGreaterThanOrEqual(probe.count("text", inGroup: "y-ticks"), 2, name)
        }
    }

    func testEmptyChartSaysNoData() {
        let chart = Chart(title: "t", xLabel: "x", yLabel: "y", series: [], kind: .scatter)
        let probe = SVGDocumentProbe(svg: SVGChartRenderer.render(chart))
        XCTAssertTrue(probe.texts.contains("No data"))
        XCTAssertNil(probe.elementCounts["circle"])
    }

    func testSinglePointIsDrawn() {
        let chart = Chart(title: "t", xLabel: "x", yLabel: "y", series: [
            ChartSeries(label: "one", points: [ChartPoint(x: 2, y: 2, spread: 0.5)]),
        ], kind: .lines)
        let probe = SVGDocumentProbe(svg: SVGChartRenderer.render(chart))
        XCTAssertEqual(probe.count("circle", inGroup: "series"), 1)
        XCTAssertEqual(probe.count("polygon", inGroup: "bands"), 1)
        XCTAssertNil(probe.elementCounts["polyline"])
    }

    func testTooManySeriesForTheLegendAreSummarised() {
        let series = (0..<40).map { ChartSeries(label: "s\($0)", points: [ChartPoint(x: Double($0), y: 1)]) }
        let chart = Chart(title: "t", xLabel: "x", yLabel: "y", series: series, kind: .scatter)
        let probe = SVGDocumentProbe(svg: SVGChartRenderer.render(chart))
        XCTAssertLessThan(probe.count("g", inGroup: "legend"), 40)
        XCTAssertTrue(probe.texts.contains { $0.hasSuffix(" more") })
    }

    func testSmallSizesAreClampedToAUsableMinimum() {
        let probe = SVGDocumentProbe(svg: SVGChartRenderer.render(ChartFixtures.curves, width: 10, height: -5))
        XCTAssertTrue(probe.isWellFormed)
        XCTAssertEqual(probe.rootAttributes["width"], "240")
        XCTAssertEqual(probe.rootAttributes["height"], "180")
    }

    func testHugeSizesAreClamped() {
        let probe = SVGDocumentProbe(svg: SVGChartRenderer.render(ChartFixtures.scatter, width: Int.max, height: Int.max))
        XCTAssertTrue(probe.isWellFormed)
        XCTAssertEqual(probe.rootAttributes["width"], "100000")
    }
}
