import XCTest
@testable import LesionImport

final class CSVTableTests: XCTestCase {
    func testQuotedFieldsWithCommasQuotesAndLineBreaksAndCRLF() throws {
        let text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n2,\"two\r\nlines\",\r\n"
        let table = try CSVTable(bytes: Array(text.utf8))
        XCTAssertEqual(table.header, ["a", "b", "c"])
        XCTAssertEqual(table.records, [["1", "x, y", "say \"hi\""], ["2", "two\r\nlines", ""]])
        XCTAssertEqual(table.lines, [2, 3])
    }

    func testTabDelimiterAndNoFinalLineEnd() throws {
        let table = try CSVTable(bytes: Array("u\tv\n0\t1.5".utf8), delimiter: 9)
        XCTAssertEqual(table.records, [["0", "1.5"]])
    }

    func testMalformedFilesAreRefusedWithTheirLine() {
        let cases: [(String, String)] = [
            ("a,b\n1,2\n3\n", "line 3: 1 fields, but the header has 2"),
            ("a,b\n1,\"open\n2,3\n", "line 2: a quoted field is never closed (missing \")"),
            ("a,b\n1,x\"y\n", "line 2: a quote inside an unquoted field; quote the whole field and double the quote (\"\")"),
            ("a,b\n1,\"x\"y\n", "line 2: unexpected 'y' after a quoted field; expected the delimiter or a line end"),
            ("", "line 1: the file is empty; expected a header line"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try CSVTable(bytes: Array(text.utf8)), text) { error in
                XCTAssertEqual((error as? ParseError)?.description, expected)
            }
        }
        XCTAssertThrowsError(try CSVTable(bytes: [0x61, 0x0A, 0xFF, 0x0A]))
    }
}
