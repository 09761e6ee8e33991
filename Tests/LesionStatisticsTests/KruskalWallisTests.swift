import Foundation
import LesionStatistics
import XCTest

final class KruskalWallisTests: XCTestCase {
    func testSeparatedGroupsByHand() throws {
        // Ranks 1–3, 4–6, 7–9: mean ranks 2, 5, 8 around 5, Σnᵢ(R̄ᵢ − 5)² = 54,
        // H = 12/(9·10)·54 = 7.2, df = 2, p = e^(−3.6), ε² = 7.2/8.
        let result = try XCTUnwrap(KruskalWallis(groups: [[1, 2, 3], [4, 5, 6], [7, 8, 9]]))
        XCTAssertEqual(result.counts, [3, 3, 3])
        XCTAssertEqual(result.degreesOfFreedom, 2)
        assertClose(result.h, 7.2, relative: 1e-15, "h")
        assertClose(result.p, exp(-3.6), relative: 1e-14, "p")
        assertClose(result.epsilonSquared, 0.9, relative: 1e-15, "ε²")
    }

    func testAllTiedHasNoStatistic() throws {
        let result = try XCTUnwrap(KruskalWallis(groups: [[2, 2], [2], [2, 2, 2]]))
        XCTAssertEqual(result.degreesOfFreedom, 2)
        XCTAssertNil(result.h)
        XCTAssertNil(result.p)
        XCTAssertNil(result.epsilonSquared)
    }

    func testEmptyOrNonFiniteGroupsAreRefused() {
        XCTAssertNil(KruskalWallis(groups: [[1, 2]]))
        XCTAssertNil(KruskalWallis(groups: [[1, 2], [], [3]]))
        XCTAssertNil(KruskalWallis(groups: [[1, .nan], [2], [3]]))
    }

    func testMatchesExactHAndMpmathP() throws {
        let fixture = try ReferenceFixture.load()
        XCTAssertGreaterThanOrEqual(fixture.kruskal_wallis.count, 10)
        for item in fixture.kruskal_wallis {
            let groups = item.samples
            let result = try XCTUnwrap(KruskalWallis(groups: groups), item.name)
            XCTAssertEqual(result.degreesOfFreedom, item.df, item.name)
            XCTAssertEqual(result.counts, groups.map(\.count), item.name)
            assertClose(result.h, item.h, "\(item.name) h")
            assertClose(result.epsilonSquared, item.epsilon_squared, "\(item.name) ε²")
            // scipy's p carries scipy's cancellation in H (1e-13 here); mpmath's is
            // the p of the exact H.
            assertClose(result.p, item.mp_p, relative: 1e-11, absolute: Tolerance.subnormalAbsolute, "\(item.name) mpmath p")
            assertClose(result.p, item.p, relative: 1e-6, absolute: Tolerance.subnormalAbsolute, "\(item.name) scipy p")
        }
    }
}
