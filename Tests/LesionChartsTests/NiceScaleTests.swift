import XCTest
@testable import LesionCharts

final class NiceScaleTests: XCTestCase {
    func testUnitRange() {
        let scale = NiceScale(low: 0, high: 1, targetTickCount: 6)
        XCTAssertEqual(scale.step, 0.2, accuracy: 1e-12)
        XCTAssertEqual(scale.ticks.count, 6)
        XCTAssertEqual(scale.lower, 0)
        XCTAssertEqual(scale.upper, 1, accuracy: 1e-12)
    }

    func testRangeWidensToTicks() {
        let scale = NiceScale(low: 0.03, high: 0.97, targetTickCount: 6)
        XCTAssertEqual(scale.lower, 0)
        XCTAssertEqual(scale.upper, 1, accuracy: 1e-12)
        let scale2 = NiceScale(low: -0.037, high: 0.041, targetTickCount: 5)
        XCTAssertEqual(scale2.step, 0.02, accuracy: 1e-15)
        XCTAssertEqual(scale2.lower, -0.04, accuracy: 1e-15)
        XCTAssertEqual(scale2.upper, 0.06, accuracy: 1e-15)
    }

    func testStepsAreOneTwoOrFive() {
        for (low, high) in [(0.0, 0.13), (-3.0, 7.0), (0.0, 4.0), (1e-9, 3e-9), (-0.04, 0.04), (12.0, 987.0)] {
            for target in 2...12 {
                let step = NiceScale(low: low, high: high, targetTickCount: target).step
                let mantissa = step / pow(10, log10(step).rounded(.down))
                XCTAssertTrue([1, 2, 5, 10].contains { abs(mantissa - $0) < 1e-9 }, "\(low)…\(high) → \(step)")
            }
        }
    }

    func testAvoidsDoublingTheAxis() {
        let scale = NiceScale(low: -0.03, high: 1.03, targetTickCount: 6)
        XCTAssertEqual(scale.step, 0.2, accuracy: 1e-12)
        XCTAssertEqual(scale.lower, -0.2, accuracy: 1e-12)
        XCTAssertEqual(scale.upper, 1.2, accuracy: 1e-12)
    }

    func testConstantValueGetsAnAxisAroundIt() {
        let scale = NiceScale(low: 0.97, high: 0.97, targetTickCount: 5)
        XCTAssertLessThan(scale.lower, 0.97)
        XCTAssertGreaterThan(scale.upper, 0.97)
        let zero = NiceScale(low: 0, high: 0, targetTickCount: 5)
        XCTAssertEqual(zero.lower, -1)
        XCTAssertEqual(zero.upper, 1)
    }

    func testNonFiniteInputFallsBackToUnit() {
        for (low, high) in [(Double.nan, 1.0), (0, Double.infinity), (2, 1)] {
            let scale = NiceScale(low: low, high: high, targetTickCount: 5)
            XCTAssertEqual(scale.lower, 0)
            XCTAssertEqual(scale.upper, 1, accuracy: 1e-12)
        }
    }

    func testOverflowingSpanTicksTheEnds() {
        let scale = NiceScale(low: -1e308, high: 1e308, targetTickCount: 5)
        XCTAssertEqual(scale.ticks, [-1e308, 1e308])
        XCTAssertEqual(scale.fraction(of: 0), 0.5, accuracy: 1e-12)
        XCTAssertEqual(scale.fraction(of: 1e308), 1, accuracy: 1e-12)
    }

    func testFraction() {
        let scale = NiceScale(low: 0, high: 4, targetTickCount: 5)
        XCTAssertEqual(scale.fraction(of: 1), 0.25, accuracy: 1e-12)
    }
}
