@testable import LesionCore
import XCTest

/// The four output formats.
final class TableRendererTests: XCTestCase {
    let table = ResultTable(
        columns: ["name", "value"],
        rows: [[.text("a,\"b\""), .real(0.1 + 0.2)], [.text("短い"), .null], [.text("x"), .integer(3)]],
        notes: ["Left out: 1 (x undefined)."])

    func testCSVQuotesAndKeepsFullPrecision() {
        XCTAssertEqual(TableRenderer.render(table, as: .csv), "name,value\n\"a,\"\"b\"\"\",0.30000000000000004\n短い,\nx,3\n")
    }

    func testJSONIsAnArrayOfObjects() throws {
        let text = TableRenderer.render(table, as: .json)
        let rows = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]
        XCTAssertEqual(rows?.count, 3)
        // Checked on the text: Foundation's JSON reader on Linux rounds the last digit.
        XCTAssertTrue(text.contains("\"value\": 0.30000000000000004"), text)
        XCTAssertEqual(rows?[0]["name"] as? String, "a,\"b\"")
        XCTAssertTrue(rows?[1]["value"] is NSNull)
    }

    func testTableAlignsAndRoundsForReading() {
        XCTAssertEqual(TableRenderer.render(table, as: .table), """
            name    value
            -----  ------
            a,"b"  0.3000
            短い
            x           3
            Left out: 1 (x undefined).

            """)
    }

    func testMarkdownEscapesPipes() {
        let piped = ResultTable(columns: ["a|b"], rows: [[.text("x|y")]])
        XCTAssertEqual(TableRenderer.render(piped, as: .markdown), "| a\\|b |\n| --- |\n| x\\|y |\n")
    }

    func testExactNumbersRoundTrip() {
        for value in [0.1, 1e-300, 5e-324, 1.7976931348623157e308, -2.5, 123456789.0] {
            XCTAssertEqual(Double(NumberFormatting.exact(value)), value)
        }
        XCTAssertEqual(NumberFormatting.exact(.infinity), "Infinity")
        XCTAssertEqual(NumberFormatting.exact(3), "3")
    }
}
