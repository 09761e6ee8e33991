import LesionStatistics
import XCTest

final class TrapezoidTests: XCTestCase {
    func testTriangleByHand() {
        XCTAssertEqual(Trapezoid.area(x: [0, 1, 2], y: [0, 1, 0]), 1)
        // Uneven steps: 0.5·(1 + 3)/2 + 1.5·(3 + 1)/2 = 1 + 3.
        XCTAssertEqual(Trapezoid.area(x: [0, 0.5, 2], y: [1, 3, 1]), 4)
    }

    func testDegenerateInputs() {
        XCTAssertEqual(Trapezoid.area(x: [], y: []), 0)
        XCTAssertEqual(Trapezoid.area(x: [1], y: [5]), 0)
        XCTAssertNil(Trapezoid.area(x: [1, 2], y: [5]))
    }

    func testMatchesNumpy() throws {
        let fixture = try ReferenceFixture.load()
        for item in fixture.trapezoid {
            assertClose(Trapezoid.area(x: item.x, y: item.y), item.area, item.name)
            assertClose(Trapezoid.area(x: item.x, y: item.y), item.exact_area, "\(item.name) exact")
        }
    }
}
