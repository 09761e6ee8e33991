import XCTest
@testable import LesionCharts

final class TickLabelFormatterTests: XCTestCase {
    private func labels(_ low: Double, _ high: Double, _ target: Int) -> [String] {
        let scale = NiceScale(low: low, high: high, targetTickCount: target)
        let formatter = TickLabelFormatter(step: scale.step, largest: max(abs(scale.lower), abs(scale.upper)))
        return scale.ticks.map(formatter.string)
    }

    func testDecimalsFollowTheStep() {
        XCTAssertEqual(labels(0, 1, 6), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        XCTAssertEqual(labels(0, 4, 5), ["0", "1", "2", "3", "4"])
        XCTAssertEqual(labels(-0.04, 0.04, 5), ["-0.04", "-0.02", "0.00", "0.02", "0.04"])
    }

    func testNoNegativeZero() {
        let formatter = TickLabelFormatter(step: 0.1, largest: 1)
        XCTAssertEqual(formatter.string(-0.0), "0.0")
        XCTAssertEqual(formatter.string(-1e-17), "0.0")
    }

    func testScientificForTinyAndHuge() {
        XCTAssertEqual(labels(1e-9, 3e-9, 5), ["1e-9", "1.5e-9", "2e-9", "2.5e-9", "3e-9"])
        XCTAssertEqual(labels(0, 4e7, 5), ["0", "1e7", "2e7", "3e7", "4e7"])
    }

    func testNeighbouringTicksNeverPrintAlike() {
        let texts = labels(1.000001, 1.000003, 5)
        XCTAssertEqual(Set(texts).count, texts.count, "\(texts)")
    }
}
