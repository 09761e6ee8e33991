import XCTest

@testable import LesionRunFormat

/// Class selectivity derived from class means, and the warning when both are given.
final class SelectivityTests: XCTestCase {
    let valid = TestDocument()

    func testFormula() {
        // μmax = 6, μ−max = (1 + 2) / 2 = 1.5: (6 − 1.5) / (6 + 1.5) = 0.6.
        XCTAssertEqual(Selectivity.fromClassMeans([1, 6, 2], classes: 3), [0.6])
        // Equal means: 0.
        XCTAssertEqual(Selectivity.fromClassMeans([2, 2, 2], classes: 3), [0])
        // Only one class active: 1.
        XCTAssertEqual(Selectivity.fromClassMeans([0, 0, 5], classes: 3), [1])
        // A tie at the maximum leaves the other maximum among the rest.
        XCTAssertEqual(Selectivity.fromClassMeans([4, 4, 1], classes: 3)[0], (4 - 2.5) / (4 + 2.5), accuracy: 1e-15)
    }

    func testUndefinedCases() {
        // Dead unit: 0/0.
        XCTAssertTrue(Selectivity.fromClassMeans([0, 0, 0], classes: 3)[0].isNaN)
        // μmax + μ−max = 0 with non-zero means.
        XCTAssertTrue(Selectivity.fromClassMeans([1, -1, -1], classes: 3)[0].isNaN)
        // A NaN class mean.
        XCTAssertTrue(Selectivity.fromClassMeans([1, .nan, 2], classes: 3)[0].isNaN)
    }

    func testDerivedWhenOnlyMeansGiven() throws {
        let json = valid.units(#""fc1":{"class_means":[[1,6,2],[0,0,0]],"mutual_information":[0.1,0.2]},"fc2":{"other":[1,2,3]}"#).json
        let parsed = try XCTUnwrap(parse(json))
        let units = parsed.document.checkpoints[0].units
        XCTAssertEqual(units.map(\.name), ["class_means", "mutual_information", "class_selectivity", "other"])
        XCTAssertEqual(units[2], UnitMetric(layer: "fc1", name: "class_selectivity", values: .scalars([0.6, .nan])))
        XCTAssertEqual(parsed.derived, ["checkpoints[0].units.fc1.class_selectivity"])
        XCTAssertEqual(parsed.warnings, [])
    }

    func testGivenSelectivityThatAgreesIsKeptSilently() throws {
        let json = valid.units(#""fc1":{"class_selectivity":[0.6000000001,NaN],"class_means":[[1,6,2],[0,0,0]]}"#).json
        let parsed = try XCTUnwrap(parse(json))
        XCTAssertEqual(parsed.warnings, [])
        XCTAssertEqual(parsed.derived, [])
        XCTAssertEqual(parsed.document.checkpoints[0].units[0].values, .scalars([0.6000000001, .nan]))
    }

    func testGivenSelectivityThatDisagreesWarnsAndIsStored() throws {
        let json = valid.with("checkpoints", #"[{"step":1},{"step":2,"units":{"fc1":{"class_selectivity":[0.5,0.7],"class_means":[[1,6,2],[1,1,1]]}}}]"#).json
        let parsed = try XCTUnwrap(parse(json))
        XCTAssertEqual(parsed.warnings, [
            "checkpoints[1].units.fc1.class_selectivity[0]: given 0.5, class_means give 0.6; differs by more than 1e-6 at 2 units (0, 1); the given values are stored",
        ])
        XCTAssertEqual(parsed.document.checkpoints[1].units[0].values, .scalars([0.5, 0.7]))
        XCTAssertEqual(parsed.document.checkpoints[1].units.count, 2)
    }

    func testComparedOnlyWhereBothAreNumbers() throws {
        // Given NaN where the means define a value, and a value where the means do not.
        let json = valid.units(#""fc1":{"class_selectivity":[null,0.3],"class_means":[[1,6,2],[0,0,0]]}"#).json
        XCTAssertEqual(try XCTUnwrap(parse(json)).warnings, [])
    }

    func testManyDisagreementsAreSummarized() throws {
        let units = 8
        let document = valid.with("layers", "[{\"name\":\"fc1\",\"units\":\(units)}]")
        let means = Array(repeating: "[1,6,2]", count: units).joined(separator: ",")
        let given = Array(repeating: "0", count: units).joined(separator: ",")
        let parsed = try XCTUnwrap(parse(document.units("\"fc1\":{\"class_means\":[\(means)],\"class_selectivity\":[\(given)]}").json))
        XCTAssertEqual(parsed.warnings.count, 1)
        XCTAssertTrue(parsed.warnings[0].contains("at 8 units (0, 1, 2, 3, 4 and 3 more)"), parsed.warnings[0])
    }
}
