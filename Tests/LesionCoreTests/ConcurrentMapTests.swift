@testable import LesionCore
import XCTest

final class ConcurrentMapTests: XCTestCase {
    func testResultsComeBackInInputOrder() {
        // Uneven work, so that the iterations finish out of order.
        let inputs = Array(0..<64)
        let results = inputs.concurrentMap { value -> Int in
            var sum = 0
            for step in 0..<((64 - value) * 2_000) { sum &+= step % 7 }
            return value * 10 + (sum >= 0 ? 1 : 2)
        }
        XCTAssertEqual(results, inputs.map { $0 * 10 + 1 })
    }

    func testEmptyAndSingle() {
        XCTAssertEqual([Int]().concurrentMap { $0 + 1 }, [])
        XCTAssertEqual([41].concurrentMap { $0 + 1 }, [42])
    }
}
