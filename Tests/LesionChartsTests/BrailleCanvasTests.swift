import XCTest
@testable import LesionCharts

final class BrailleCanvasTests: XCTestCase {
    func testDotBits() {
        var canvas = BrailleCanvas(columns: 1, rows: 1)
        canvas.setDot(x: 0, y: 0, series: 0)
        XCTAssertEqual(canvas.cell(column: 0, row: 0).character, "⠁")
        canvas.setDot(x: 1, y: 3, series: 2)
        XCTAssertEqual(canvas.cell(column: 0, row: 0), .init(character: "⢁", series: 2))
    }

    func testLineCoversBothEnds() {
        var canvas = BrailleCanvas(columns: 2, rows: 1)
        canvas.drawLine(from: (0, 3), to: (3, 0), series: 0)
        XCTAssertEqual(canvas.cell(column: 0, row: 0).character, "⡠")
        XCTAssertEqual(canvas.cell(column: 1, row: 0).character, "⠊")
    }

    func testOutOfRangeIsIgnored() {
        var canvas = BrailleCanvas(columns: 0, rows: -3)
        canvas.setDot(x: -1, y: 99, series: 0)
        canvas.drawLine(from: (-5, -5), to: (50, 50), series: 0)
        canvas.setMarker("●", atDotX: -1, dotY: 0, series: 0)
        XCTAssertEqual(canvas.columns, 1)
        XCTAssertEqual(canvas.cell(column: 5, row: 5).character, " ")
    }

    func testMarkerHidesDots() {
        var canvas = BrailleCanvas(columns: 1, rows: 1)
        canvas.setDot(x: 0, y: 0, series: 0)
        canvas.setMarker("■", column: 0, row: 0, series: 1)
        XCTAssertEqual(canvas.cell(column: 0, row: 0), .init(character: "■", series: 1))
    }
}
