import Foundation
import LesionStatistics
import XCTest

final class SpearmanCorrelationTests: XCTestCase {
    func testThreePointsByHand() throws {
        // d = (0, 1, 1): ρ = 1 − 6·2/(3·8) = 0.5; t = 0.5·√(1/(1.5·0.5)) = 1/√3 with
        // 1 df, so p = 2·(½ − atan(1/√3)/π) = 2·(½ − 1/6) = 2/3. No interval at n = 3.
        let result = try XCTUnwrap(SpearmanCorrelation(x: [1, 2, 3], y: [1, 3, 2]))
        XCTAssertEqual(result.n, 3)
        assertClose(result.rho, 0.5, "rho")
        assertClose(result.p, 2.0 / 3, "p")
        XCTAssertNil(result.ciLow)
        XCTAssertNil(result.ciHigh)
    }

    func testFourPointsByHand() throws {
        // Σd² = 4: ρ = 1 − 24/60 = 0.6; t = 0.6·√(2/(1.6·0.4)) = 0.6·√3.125, and with
        // 2 df sf(t) = ½·(1 − t/√(2 + t²)) = ½·(1 − 0.6) = 0.2, so p = 0.4.
        // atanh(0.6) = ½·ln(1.6/0.4) = ln 2; se = √1.06.
        let result = try XCTUnwrap(SpearmanCorrelation(x: [1, 2, 3, 4], y: [2, 1, 4, 3]))
        assertClose(result.rho, 0.6, "rho")
        assertClose(result.p, 0.4, "p")
        let halfWidth = 1.959963984540054 * 1.06.squareRoot()
        assertClose(result.ciLow, tanh(log(2) - halfWidth), "ciLow")
        assertClose(result.ciHigh, tanh(log(2) + halfWidth), "ciHigh")
    }

    func testPerfectCorrelationHasPValueZeroAndDegenerateInterval() throws {
        let result = try XCTUnwrap(
            SpearmanCorrelation(x: [1, 2, 2, 3, 5], y: [-1, -4, -4, -9, -25]))
        XCTAssertEqual(result.rho, -1)
        XCTAssertEqual(result.p, 0)
        XCTAssertEqual(result.ciLow, -1)
        XCTAssertEqual(result.ciHigh, -1)
    }

    func testTooFewPairsGiveNoRho() throws {
        for count in 0..<3 {
            let values = (0..<count).map(Double.init)
            let result = try XCTUnwrap(SpearmanCorrelation(x: values, y: values))
            XCTAssertEqual(result.n, count)
            XCTAssertNil(result.rho)
            XCTAssertNil(result.p)
            XCTAssertNil(result.ciLow)
        }
    }

    func testConstantSampleGivesNoRho() throws {
        let result = try XCTUnwrap(SpearmanCorrelation(x: [3, 3, 3, 3], y: [1, 2, 3, 4]))
        XCTAssertEqual(result.n, 4)
        XCTAssertNil(result.rho)
        XCTAssertNil(result.p)
        XCTAssertNil(result.ciHigh)
    }

    func testNonFiniteOrMismatchedInputIsRefused() {
        XCTAssertNil(SpearmanCorrelation(x: [1, 2, .nan], y: [1, 2, 3]))
        XCTAssertNil(SpearmanCorrelation(x: [1, 2, 3], y: [1, .infinity, 3]))
        XCTAssertNil(SpearmanCorrelation(x: [1, 2, 3], y: [1, 2]))
        XCTAssertNil(SpearmanCorrelation(ranksOfX: AverageRanks([-.infinity, 2, 3]), ranksOfY: AverageRanks([1, 2, 3])))
        XCTAssertNil(SpearmanCorrelation(ranksOfX: AverageRanks([1, 2, 3]), ranksOfY: AverageRanks([1, 2])))
    }

    func testFromRanksEqualsFromValues() throws {
        let fixture = try ReferenceFixture.load()
        for item in fixture.spearman {
            let kept = try XCTUnwrap(FiniteFilter.pairs(x: item.x, y: item.y), item.name)
            XCTAssertEqual(SpearmanCorrelation(ranksOfX: AverageRanks(kept.x), ranksOfY: AverageRanks(kept.y)),
                           SpearmanCorrelation(x: kept.x, y: kept.y), item.name)
        }
    }

    func testMatchesScipyAfterLeavingOutNonFinitePairs() throws {
        let fixture = try ReferenceFixture.load()
        for item in fixture.spearman {
            let kept = try XCTUnwrap(FiniteFilter.pairs(x: item.x, y: item.y), item.name)
            XCTAssertEqual(kept.leftOut, item.left_out, item.name)
            let result = try XCTUnwrap(SpearmanCorrelation(x: kept.x, y: kept.y), item.name)
            XCTAssertEqual(result.n, item.n, item.name)
            let bounded = Tolerance.boundedAbsolute
            assertClose(result.rho, item.rho, absolute: bounded, "\(item.name) rho")
            assertClose(result.rho, item.exact_rho, absolute: bounded, "\(item.name) exact rho")
            assertClose(result.p, item.p, absolute: Tolerance.subnormalAbsolute, "\(item.name) p")
            assertClose(result.ciLow, item.ci_low, absolute: bounded, "\(item.name) ciLow")
            assertClose(result.ciHigh, item.ci_high, absolute: bounded, "\(item.name) ciHigh")
        }
    }
}
