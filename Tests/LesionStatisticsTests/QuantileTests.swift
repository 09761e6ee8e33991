import LesionStatistics
import XCTest

final class QuantileTests: XCTestCase {
    func testInterpolatesBetweenOrderStatistics() {
        // n = 4: h = 3q. q = 0.25 → h = 0.75 → 1 + 0.75·(2 − 1); q = 0.5 → 2.5.
        XCTAssertEqual(Quantile.linear([4, 1, 3, 2], q: 0.25), 1.75)
        XCTAssertEqual(Quantile.linear([4, 1, 3, 2], q: 0.5), 2.5)
        XCTAssertEqual(Quantile.linear([4, 1, 3, 2], q: 0), 1)
        XCTAssertEqual(Quantile.linear([4, 1, 3, 2], q: 1), 4)
    }

    func testPositionOneUlpOffAnIntegerGivesThatOrderStatisticExactly() throws {
        // 1 − 0.8 = 0.19999999999999996, so with n = 6, h = 0.9999999999999998:
        // numpy returns 0 − 1e6·2.2e-16 ≈ −2.2e-10; the fine print asks for exactly 0.
        let q = 1 - 0.8
        XCTAssertNotEqual(5 * q, 1)
        XCTAssertEqual(Quantile.linear([3, -1e6, 1e6, 0, 2, 1], q: q), 0)
        // 1 − 0.7 = 0.30000000000000004; with n = 11, h = 3.0000000000000004.
        let sorted = (0..<11).map { Double($0 - 3) * 1e6 }
        XCTAssertEqual(Quantile.linear(sorted: sorted, q: 1 - 0.7), 0)
    }

    func testNoQuantileOfNothingOrOutsideTheUnitInterval() {
        XCTAssertNil(Quantile.linear([], q: 0.5))
        XCTAssertNil(Quantile.linear([1, 2], q: -0.1))
        XCTAssertNil(Quantile.linear([1, 2], q: 1.5))
        XCTAssertNil(Quantile.linear([1, 2], q: .nan))
        XCTAssertEqual(Quantile.linear([7], q: 0.3), 7)
    }

    func testMatchesNumpyWithSnapping() throws {
        let fixture = try ReferenceFixture.load()
        for item in fixture.quantiles {
            let sorted = item.values.sorted()
            for (q, expected) in zip(item.q, item.expected) {
                assertClose(Quantile.linear(item.values, q: q), expected, "\(item.name) q=\(q)")
                // Snapped positions must agree bit for bit, not merely to 1e-12.
                if sorted.contains(expected) {
                    XCTAssertEqual(Quantile.linear(sorted: sorted, q: q), expected, "\(item.name) q=\(q)")
                }
            }
        }
    }
}
