import LesionStatistics
import XCTest

final class AverageRanksTests: XCTestCase {
    func testTiedValuesShareTheMeanOfTheirRanks() {
        // Sorted: 10 10 | 20 20 20 | 30 → ranks 1.5, 4, 6.
        let ranked = AverageRanks([10, 20, 10, 30, 20, 20])
        XCTAssertEqual(ranked.ranks, [1.5, 4, 1.5, 6, 4, 4])
        XCTAssertEqual(ranked.tieGroupSizes, [2, 3, 1])
    }

    func testEmptyAndSingle() {
        XCTAssertEqual(AverageRanks([]).ranks, [])
        XCTAssertEqual(AverageRanks([7]).ranks, [1])
    }

    func testNegativeZeroTiesWithZero() {
        XCTAssertEqual(AverageRanks([0, -0.0, 1, -1]).ranks, [2.5, 2.5, 4, 1])
    }

    func testNaNRanksLastAndNeverTraps() {
        XCTAssertEqual(AverageRanks([.nan, 2, .nan, 1]).ranks, [3.5, 2, 3.5, 1])
    }

    func testMatchesScipyRankdata() throws {
        let fixture = try ReferenceFixture.load()
        for item in fixture.ranks {
            let ranked = AverageRanks(item.values)
            // Ranks are whole or half numbers: they must agree exactly.
            XCTAssertEqual(ranked.ranks, item.ranks, item.name)
            XCTAssertEqual(ranked.tieGroupSizes, item.tie_group_sizes, item.name)
        }
    }

    func testHundredThousandValuesRankInOrder() {
        // Reversed input with pairs of ties: the ranks are known in closed form.
        let count = 100_000
        let values = (0..<count).map { Double((count - 1 - $0) / 2) }
        let ranks = AverageRanks(values).ranks
        for index in stride(from: 0, to: count, by: 997) {
            let pair = (count - 1 - index) / 2
            XCTAssertEqual(ranks[index], Double(2 * pair) + 1.5)
        }
    }
}
