import Foundation
import LesionStatistics
import XCTest

final class BinomialTestTests: XCTestCase {
    func testSymmetricCaseByHand() throws {
        // n = 10, p = ½, k = 3: outcomes at most as likely as 3 are 0…3 and 7…10,
        // (1 + 10 + 45 + 120)·2/1024 = 352/1024.
        let p = try XCTUnwrap(BinomialTest.twoSidedP(successes: 3, trials: 10, probability: 0.5))
        assertClose(p, 352.0 / 1024, relative: 1e-14, "p")
    }

    func testExpectedOutcomeAndSingleTrial() throws {
        XCTAssertEqual(BinomialTest.twoSidedP(successes: 5, trials: 10, probability: 0.5), 1)
        // n = 1, p = 0.1, k = 1: only the outcome 1 is as unlikely (0.1 < 0.9).
        assertClose(BinomialTest.twoSidedP(successes: 1, trials: 1, probability: 0.1), 0.1, "n = 1, k = 1")
        XCTAssertEqual(BinomialTest.twoSidedP(successes: 0, trials: 1, probability: 0.1), 1)
    }

    func testEveryTrialASuccessIsPToTheN() throws {
        // k = n = 300 at p = 0.1: nothing else is as unlikely, p = 1e-300.
        assertClose(BinomialTest.twoSidedP(successes: 300, trials: 300, probability: 0.1),
                    BinomialDistribution.pmf(300, trials: 300, probability: 0.1), relative: 1e-12, "k = n")
        assertClose(BinomialDistribution.pmf(300, trials: 300, probability: 0.1), 1e-300, relative: 1e-12, "0.1³⁰⁰")
    }

    func testInvalidArgumentsAreRefused() {
        XCTAssertNil(BinomialTest.twoSidedP(successes: 0, trials: 0, probability: 0.5))
        XCTAssertNil(BinomialTest.twoSidedP(successes: 4, trials: 3, probability: 0.5))
        XCTAssertNil(BinomialTest.twoSidedP(successes: -1, trials: 3, probability: 0.5))
        XCTAssertNil(BinomialTest.twoSidedP(successes: 1, trials: 3, probability: 1.5))
        XCTAssertNil(BinomialTest.twoSidedP(successes: 1, trials: 3, probability: .nan))
    }

    func testMatchesScipyAndMpmath() throws {
        let fixture = try ReferenceFixture.load()
        XCTAssertGreaterThan(fixture.binomial_test.count, 30)
        for item in fixture.binomial_test {
            let label = "k=\(item.k) n=\(item.n) p=\(item.p)"
            let p = try XCTUnwrap(BinomialTest.twoSidedP(successes: item.k, trials: item.n, probability: item.p), label)
            assertClose(p, item.mp_pvalue, relative: 1e-11, absolute: Tolerance.subnormalAbsolute, "mpmath \(label)")
            assertClose(p, item.pvalue, relative: 1e-11, absolute: Tolerance.subnormalAbsolute, "scipy \(label)")
            assertClose(BinomialDistribution.pmf(item.k, trials: item.n, probability: item.p), item.mp_pmf,
                        relative: 1e-12, absolute: Tolerance.subnormalAbsolute, "pmf \(label)")
        }
    }
}
