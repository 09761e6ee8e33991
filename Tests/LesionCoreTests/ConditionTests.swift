@testable import LesionCore
import XCTest

/// Reading `--where` and `--step`.
final class ConditionTests: XCTestCase {
    func testParsesOperatorsAndTypedValues() throws {
        let equal = try Condition(parsing: "label_corruption=0.4")
        XCTAssertEqual(equal.name, "label_corruption")
        XCTAssertEqual(equal.comparison, .equal)
        XCTAssertEqual(equal.value, .number(0.4))
        XCTAssertEqual(try Condition(parsing: "batch_norm=true").value, .bool(true))
        XCTAssertEqual(try Condition(parsing: "architecture=mlp-2x128").value, .text("mlp-2x128"))
        XCTAssertEqual(try Condition(parsing: "seed=null").value, .null)
        let less = try Condition(parsing: "test_accuracy<0.5")
        XCTAssertEqual(less.comparison, .less)
        XCTAssertEqual(less.description, "test_accuracy<0.5")
    }

    func testRefusesMalformedConditions() {
        XCTAssertThrowsError(try Condition(parsing: "nonsense"))
        XCTAssertThrowsError(try Condition(parsing: "=3"))
        XCTAssertThrowsError(try Condition(parsing: "x="))
        XCTAssertThrowsError(try Condition(parsing: "x<abc")) { error in
            XCTAssertTrue("\(error)".contains("compare numbers"))
        }
    }

    func testStepChoice() throws {
        XCTAssertEqual(try StepChoice(parsing: "last"), .last)
        XCTAssertEqual(try StepChoice(parsing: "all"), .all)
        XCTAssertEqual(try StepChoice(parsing: "3000"), .step(3000))
        XCTAssertThrowsError(try StepChoice(parsing: "-1"))
        XCTAssertThrowsError(try StepChoice(parsing: "latest"))
    }
}
