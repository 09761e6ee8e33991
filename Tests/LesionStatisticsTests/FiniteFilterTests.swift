import LesionStatistics
import XCTest

final class FiniteFilterTests: XCTestCase {
    func testValuesDropsNaNAndInfinitiesAndCountsThem() {
        let filtered = FiniteFilter.values([1, .nan, -2, .infinity, -.infinity, 0])
        XCTAssertEqual(filtered.values, [1, -2, 0])
        XCTAssertEqual(filtered.leftOut, 3)
    }

    func testPairsDropAPairWhenEitherHalfIsNotFinite() throws {
        let filtered = try XCTUnwrap(
            FiniteFilter.pairs(x: [1, .nan, 3, 4], y: [5, 6, .infinity, 8]))
        XCTAssertEqual(filtered.x, [1, 4])
        XCTAssertEqual(filtered.y, [5, 8])
        XCTAssertEqual(filtered.leftOut, 2)
    }

    func testPairsOfDifferentLengthsAreRefused() {
        XCTAssertNil(FiniteFilter.pairs(x: [1, 2], y: [1]))
    }

    func testMatchesReference() throws {
        let fixture = try ReferenceFixture.load()
        for item in fixture.finite_values {
            let filtered = FiniteFilter.values(item.values)
            XCTAssertEqual(filtered.values, item.kept, item.name)
            XCTAssertEqual(filtered.leftOut, item.left_out, item.name)
        }
        for item in fixture.finite_pairs {
            let filtered = try XCTUnwrap(FiniteFilter.pairs(x: item.x, y: item.y), item.name)
            XCTAssertEqual(filtered.x, item.kept_x, item.name)
            XCTAssertEqual(filtered.y, item.kept_y, item.name)
            XCTAssertEqual(filtered.leftOut, item.left_out, item.name)
        }
    }
}
