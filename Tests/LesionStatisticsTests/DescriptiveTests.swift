import LesionStatistics
import XCTest

final class DescriptiveTests: XCTestCase {
    func testByHand() {
        // Mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32, sd = √(32/7).
        let values: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        XCTAssertEqual(Descriptive.mean(values), 5)
        assertClose(Descriptive.sampleStandardDeviation(values), (32.0 / 7).squareRoot(), "sd")
        XCTAssertEqual(Descriptive.min(values), 2)
        XCTAssertEqual(Descriptive.max(values), 9)
    }

    func testTooFewValues() {
        XCTAssertNil(Descriptive.mean([]))
        XCTAssertNil(Descriptive.min([]))
        XCTAssertNil(Descriptive.max([]))
        XCTAssertNil(Descriptive.sampleStandardDeviation([]))
        XCTAssertNil(Descriptive.sampleStandardDeviation([3]))
        XCTAssertEqual(Descriptive.sampleStandardDeviation([3, 3]), 0)
    }

    func testCompensatedSumKeepsSmallTerms() {
        // Naively 1e16 + 1 + … + 1 − 1e16 loses every 1.
        let values = [1e16] + [Double](repeating: 1, count: 1000) + [-1e16]
        assertClose(Descriptive.mean(values), 1000.0 / 1002, "mean")
    }

    func testMatchesExactReference() throws {
        let fixture = try ReferenceFixture.load()
        for item in fixture.descriptive {
            // The reference is the exactly rounded value (rational arithmetic); numpy's
            // pairwise sums are within 1e-12 of it too.
            assertClose(Descriptive.mean(item.values), item.mean, "\(item.name) mean")
            assertClose(Descriptive.mean(item.values), item.numpy_mean, "\(item.name) numpy mean")
            assertClose(Descriptive.sampleStandardDeviation(item.values), item.sd, "\(item.name) sd")
            assertClose(
                Descriptive.sampleStandardDeviation(item.values), item.numpy_sd,
                "\(item.name) numpy sd")
            XCTAssertEqual(Descriptive.min(item.values), item.min, item.name)
            XCTAssertEqual(Descriptive.max(item.values), item.max, item.name)
        }
    }
}
