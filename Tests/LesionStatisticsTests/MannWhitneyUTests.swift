import LesionStatistics
import XCTest

final class MannWhitneyUTests: XCTestCase {
    func testSeparatedSamplesByHand() throws {
        // U₁ = 6 − 6 = 0, U = max(0, 9) = 9, μ = 4.5, σ = √(9/12·7) = √5.25,
        // z = (9 − 4.5 − 0.5)/√5.25, p = 2·P(Z > z); r = 2·0/9 − 1 = −1.
        let result = try XCTUnwrap(MannWhitneyU(first: [1, 2, 3], second: [4, 5, 6]))
        XCTAssertEqual(result.n1, 3)
        XCTAssertEqual(result.n2, 3)
        XCTAssertEqual(result.u, 0)
        XCTAssertEqual(result.rankBiserial, -1)
        assertClose(result.p, 2 * NormalDistribution.sf(4 / 5.25.squareRoot()), "p")
    }

    func testTiesByHand() throws {
        // Combined [1, 2, 2 | 2, 3]: ranks 1, 3, 3 | 3, 5; R₁ = 7, U₁ = 7 − 6 = 1;
        // U = max(1, 5) = 5, μ = 3, tie term 3³ − 3 = 24,
        // σ = √(6/12·(6 − 24/20)) = √2.4, z = (5 − 3 − 0.5)/√2.4.
        let result = try XCTUnwrap(MannWhitneyU(first: [1, 2, 2], second: [2, 3]))
        XCTAssertEqual(result.u, 1)
        assertClose(result.rankBiserial, 2.0 / 6 - 1, "r")
        assertClose(result.p, 2 * NormalDistribution.sf(1.5 / 2.4.squareRoot()), "p")
    }

    func testAllTiedGivesPOne() throws {
        // σ = 0: z = −0.5/0 = −∞, 2·P(Z > −∞) = 2, clipped to 1 (scipy's answer).
        let result = try XCTUnwrap(MannWhitneyU(first: [2, 2, 2], second: [2, 2]))
        XCTAssertEqual(result.u, 3)
        XCTAssertEqual(result.p, 1)
        XCTAssertEqual(result.rankBiserial, 0)
    }

    func testEmptyOrNonFiniteSamplesAreRefused() {
        XCTAssertNil(MannWhitneyU(first: [], second: [1]))
        XCTAssertNil(MannWhitneyU(first: [1], second: []))
        XCTAssertNil(MannWhitneyU(first: [1, .nan], second: [2]))
        XCTAssertNil(MannWhitneyU(first: [1], second: [-.infinity]))
    }

    func testMatchesScipyAfterLeavingOutNonFiniteValues() throws {
        let fixture = try ReferenceFixture.load()
        for item in fixture.mann_whitney {
            let first = FiniteFilter.values(item.first)
            let second = FiniteFilter.values(item.second)
            XCTAssertEqual(first.leftOut, item.left_out_first, item.name)
            XCTAssertEqual(second.leftOut, item.left_out_second, item.name)
            let result = MannWhitneyU(first: first.values, second: second.values)
            guard let expectedU = item.u else {
                XCTAssertNil(result, item.name)
                continue
            }
            let computed = try XCTUnwrap(result, item.name)
            XCTAssertEqual(computed.n1, item.n1, item.name)
            XCTAssertEqual(computed.n2, item.n2, item.name)
            assertClose(computed.u, expectedU, "\(item.name) U")
            assertClose(computed.p, item.p, absolute: Tolerance.subnormalAbsolute, "\(item.name) p")
            assertClose(
                computed.rankBiserial, item.rank_biserial,
                absolute: Tolerance.boundedAbsolute, "\(item.name) r")
        }
    }
}
