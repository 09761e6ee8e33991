@testable import LesionCore
import LesionStatistics
import XCTest

/// The one-sentence answers never claim more than the interval allows.
final class AnswerWordingTests: XCTestCase {
    private func result(_ points: [(s: Double, i: Double)]) -> SelectivityImportance.Result {
        let pooled = SelectivityImportance.statistics(group: nil, points: points, split: .fraction(0.2))
        let group = SelectivityImportance.statistics(group: .text("fc1"), points: points, split: .fraction(0.2))
        return SelectivityImportance.Result(options: .init(), groups: [group], pooled: pooled, leftOut: LeftOut())
    }

    /// A fixed, well-mixed sequence in [0, 1) (no randomness in tests).
    private func scrambled(_ index: Int) -> Double {
        Double((index * 7_919 + 13) % 1_000) / 1_000
    }

    func testAPositiveIntervalAnswersYesWithItsStrength() {
        let answer = result((0..<100).map { (Double($0), Double($0) + scrambled($0) * 10) }).answer
        XCTAssertTrue(answer.hasPrefix("Yes, strongly: across 1 layer"), answer)
        XCTAssertTrue(answer.contains("95% CI ["), answer)
    }

    func testAnIntervalAroundZeroAnswersNo() {
        let points = (0..<200).map { (scrambled($0), scrambled($0 * 31 + 5)) }
        let pooled = result(points).pooled.spearman
        XCTAssertLessThan(pooled?.ciLow ?? 1, 0)
        XCTAssertGreaterThan(pooled?.ciHigh ?? -1, 0)
        XCTAssertTrue(result(points).answer.hasPrefix("No: across 1 layer, highly selective units are not more important"))
    }

    func testANegativeIntervalSaysLessImportant() {
        let answer = result((0..<100).map { (Double($0), -Double($0)) }).answer
        XCTAssertTrue(answer.contains("if anything, less important"), answer)
    }

    func testTooFewUnitsGiveNoClaim() {
        XCTAssertTrue(result([(0, 1), (1, 2), (2, 2.5)]).answer.hasPrefix("Cannot say with confidence: only 3 units"))
        XCTAssertTrue(result([(0, 1), (1, 2)]).answer.hasPrefix("Cannot say: too few units"))
    }
}
