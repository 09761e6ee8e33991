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

/// The radix sort behind the ranks, against the standard library's sort.
final class DoubleSortTests: XCTestCase {
    func testAgreesWithTheStandardSortIncludingSignedZerosAndInfinities() {
        var values: [Double] = [0.0, -0.0, .infinity, -.infinity, 1e-300, -1e-300, 5e-324, -5e-324,
                                1.7976931348623157e308, -1.7976931348623157e308, 1, -1, 0.5, 0.5]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Double(Int64(bitPattern: state >> 11) % 2_000) / 7 - 140)
        }
        let sorted = DoubleSort.ascending(values)
        XCTAssertEqual(sorted, values.sorted())
        XCTAssertEqual(DoubleSort.ascending([]), [])
        XCTAssertEqual(DoubleSort.ascending([3]), [3])
    }

    func testRankingGivesTheSortedValuesToo() {
        var values: [Double] = [0.25, -0.0, .infinity, -3, 1e-300, 0.25, -.infinity, 7]
        var state: UInt64 = 42
        for _ in 0..<3_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Double(Int64(bitPattern: state >> 11) % 500) / 3)
        }
        XCTAssertEqual(AverageRanks(values).sorted, values.sorted())
        XCTAssertEqual(AverageRanks(values).sorted, DoubleSort.ascending(values))
        let withNaN = AverageRanks([2, .nan, 1]).sorted
        XCTAssertEqual(Array(withNaN.prefix(2)), [1, 2])
        XCTAssertTrue(withNaN[2].isNaN)
    }

    func testNaNSortsLast() {
        let sorted = DoubleSort.ascending([2, .nan, 1])
        XCTAssertEqual(Array(sorted.prefix(2)), [1, 2])
        XCTAssertTrue(sorted[2].isNaN)
    }
}
