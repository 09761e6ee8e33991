import Foundation
import LesionStatistics
import XCTest

final class ChiSquareDistributionTests: XCTestCase {
    func testTwoDegreesOfFreedomIsExponential() {
        // χ²₂ is exponential with mean 2: P(X > x) = e^(−x/2), exact far out.
        for x in [0.0, 1e-9, 0.3, 2, 17, 100, 700, 1380] {
            assertClose(ChiSquareDistribution.sf(x, degreesOfFreedom: 2), exp(-x / 2), relative: 1e-13, "sf(\(x))")
        }
    }

    func testOneDegreeOfFreedomIsTheSquaredNormal() {
        // P(χ²₁ > x) = P(|Z| > √x) = erfc(√(x/2)).
        for x in [0.01, 1, 3.84, 25, 400, 1300] {
            assertClose(ChiSquareDistribution.sf(x, degreesOfFreedom: 1), erfc((x / 2).squareRoot()),
                        relative: 1e-13, "sf(\(x))")
        }
    }

    func testEdgesAndInvalidParameters() {
        XCTAssertEqual(ChiSquareDistribution.sf(0, degreesOfFreedom: 3), 1)
        XCTAssertEqual(ChiSquareDistribution.sf(-4, degreesOfFreedom: 3), 1)
        XCTAssertEqual(ChiSquareDistribution.sf(.infinity, degreesOfFreedom: 3), 0)
        XCTAssertTrue(ChiSquareDistribution.sf(1, degreesOfFreedom: 0).isNaN)
        XCTAssertTrue(ChiSquareDistribution.sf(1, degreesOfFreedom: -1).isNaN)
        XCTAssertTrue(ChiSquareDistribution.sf(.nan, degreesOfFreedom: 2).isNaN)
    }

    func testMatchesMpmathToTheTailsAndScipyRelatively() throws {
        let fixture = try ReferenceFixture.load()
        XCTAssertGreaterThan(fixture.chi_square.count, 200)
        for item in fixture.chi_square {
            let label = "x=\(item.x) df=\(item.df)"
            let sf = ChiSquareDistribution.sf(item.x, degreesOfFreedom: item.df)
            assertClose(sf, item.mp_sf, absolute: Tolerance.subnormalAbsolute, "mpmath \(label)")
            // scipy's own far tails are good to about 1e-11 (cephes' igamc); the
            // contract asks for 1e-6 relative down to 1e-300.
            assertClose(sf, item.sf, relative: 1e-6, absolute: Tolerance.subnormalAbsolute, "scipy \(label)")
        }
    }
}
