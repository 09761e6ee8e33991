import Foundation
import LesionStatistics
import XCTest

final class NormalDistributionTests: XCTestCase {
    func testKnownValues() {
        XCTAssertEqual(NormalDistribution.cdf(0), 0.5)
        XCTAssertEqual(NormalDistribution.sf(0), 0.5)
        assertClose(NormalDistribution.cdf(1.959963984540054), 0.975, relative: 1e-15, "97.5%")
        XCTAssertEqual(NormalDistribution.cdf(.infinity), 1)
        XCTAssertEqual(NormalDistribution.sf(.infinity), 0)
        XCTAssertTrue(NormalDistribution.cdf(.nan).isNaN)
    }

    func testFarTailKeepsRelativePrecision() {
        // sf(z) ≈ φ(z)/z·(1 − 1/z² + 3/z⁴ − 15/z⁶) at z = 30, to ~1e-10.
        let z = 30.0
        let density = exp(-z * z / 2) / (2 * Double.pi).squareRoot()
        let asymptotic = density / z * (1 - 1 / (z * z) + 3 / pow(z, 4) - 15 / pow(z, 6))
        assertClose(NormalDistribution.sf(z), asymptotic, relative: 1e-9, "sf(30)")
    }

    func testMatchesScipyAndMpmath() throws {
        let fixture = try ReferenceFixture.load()
        for item in fixture.normal {
            let tiny = Tolerance.subnormalAbsolute
            assertClose(NormalDistribution.cdf(item.z), item.mp_cdf, absolute: tiny, "mp cdf(\(item.z))")
            assertClose(NormalDistribution.sf(item.z), item.mp_sf, absolute: tiny, "mp sf(\(item.z))")
            assertClose(NormalDistribution.cdf(item.z), item.cdf, absolute: tiny, "scipy cdf(\(item.z))")
            assertClose(NormalDistribution.sf(item.z), item.sf, absolute: tiny, "scipy sf(\(item.z))")
        }
    }
}
