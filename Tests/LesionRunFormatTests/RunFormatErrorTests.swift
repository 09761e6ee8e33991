import XCTest

@testable import LesionRunFormat

final class RunFormatErrorTests: XCTestCase {
    func testDescriptionIsPathThenMessage() {
        let error = RunFormatError(path: "layers[1].units", message: "expected an integer, found null")
        XCTAssertEqual(error.description, "layers[1].units: expected an integer, found null")
        XCTAssertNil(error.line)
    }

    func testDescriptionAtTheRootIsTheMessageAlone() {
        let error = RunFormatError(path: "", message: "missing key model", line: nil)
        XCTAssertEqual(error.description, "missing key model")
    }

    func testSyntaxErrorsCarryTheirLine() {
        let error = RunFormatError(path: "classes", message: "unexpected end of input", line: 3)
        XCTAssertEqual(error.line, 3)
        XCTAssertEqual(error, RunFormatError(path: "classes", message: "unexpected end of input", line: 3))
    }
}
