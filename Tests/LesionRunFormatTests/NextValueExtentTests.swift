import XCTest

@testable import LesionRunFormat

/// Splitting a stream of documents separated by white space.
final class NextValueExtentTests: XCTestCase {
    private func extents(_ text: String) throws -> [String] {
        let bytes = Array(text.utf8)
        var result: [String] = []
        var offset = 0
        while let extent = try RunDocumentReader.nextValueExtent(in: bytes, from: offset) {
            result.append(String(decoding: bytes[extent], as: UTF8.self))
            offset = extent.upperBound
        }
        return result
    }

    func testPrettyAndLineDocuments() throws {
        let text = "\n  {\"a\": [1, {\"b\": 2}],\n \"c\": \"}\"}\r\n{\"x\":\"\\\"{[\"}  \n\n[1,2]\n"
        XCTAssertEqual(try extents(text), [#"{"a": [1, {"b": 2}],"# + "\n" + #" "c": "}"}"#, #"{"x":"\"{["}"#, "[1,2]"])
    }

    func testOnlyWhitespace() throws {
        XCTAssertEqual(try extents(""), [])
        XCTAssertEqual(try extents(" \n\t\r\n"), [])
        XCTAssertNil(try RunDocumentReader.nextValueExtent(in: Array("{}  ".utf8), from: 2))
    }

    func testScalarsAndGarbageComeBackAsShortExtentsToParse() throws {
        XCTAssertEqual(try extents("abc {} 12 \"s\""), ["abc", "{}", "12", "\"s\""])
    }

    func testExtentsOfEachDocumentParse() throws {
        let document = TestDocument().json
        let stream = document + "\n\n" + document.replacingOccurrences(of: ",", with: ",\n  ") + "\n"
        let bytes = Array(stream.utf8)
        var offset = 0
        var models: [String] = []
        while let extent = try RunDocumentReader.nextValueExtent(in: bytes, from: offset) {
            models.append(try RunDocumentReader.parse(Array(bytes[extent])).document.model)
            offset = extent.upperBound
        }
        XCTAssertEqual(models, ["m", "m"])
    }

    func testTruncatedDocumentNamesItsStartLine() {
        let bytes = Array("{}\n\n{\"a\": [1,\n2".utf8)
        XCTAssertThrowsError(try RunDocumentReader.nextValueExtent(in: bytes, from: 2)) { error in
            let error = error as? RunFormatError
            XCTAssertEqual(error?.line, 3)
            XCTAssertEqual(error?.message, "the document starting here is not closed before the end of the input")
        }
    }

    func testMismatchedBracket() {
        XCTAssertThrowsError(try RunDocumentReader.nextValueExtent(in: Array("\n{\"a\": [1}\n".utf8), from: 0)) { error in
            let error = error as? RunFormatError
            XCTAssertEqual(error?.line, 2)
            XCTAssertEqual(error?.message, "the document starting here has an unmatched '}' on line 2")
        }
    }

    func testUnclosedStringStopsAtTheLineEnd() {
        XCTAssertThrowsError(try RunDocumentReader.nextValueExtent(in: Array("{\"a\": \"oops}\n{\"b\": 1}".utf8), from: 0)) { error in
            XCTAssertEqual((error as? RunFormatError)?.message, "the document starting here has a string that is not closed on line 1")
        }
    }

    func testDeepNestingIsRefusedNotRecursed() {
        let deep = Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        XCTAssertThrowsError(try RunDocumentReader.nextValueExtent(in: deep, from: 0)) { error in
            XCTAssertEqual((error as? RunFormatError)?.message, "the document starting here nests deeper than 64 levels")
        }
        let fine = Array((String(repeating: "[", count: 64) + String(repeating: "]", count: 64)).utf8)
        XCTAssertEqual(try RunDocumentReader.nextValueExtent(in: fine, from: 0), 0..<128)
    }

    func testGarbageNeverTraps() {
        var generator = SplitMix64(seed: 3)
        for _ in 0..<3_000 {
            let alphabet = Array("{}[]\" \\\na1,".utf8)
            let bytes = (0..<Int(generator.next() % 40)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            var offset = 0
            var steps = 0
            while steps < 100, let extent = try? RunDocumentReader.nextValueExtent(in: bytes, from: offset) {
                XCTAssertGreaterThan(extent.upperBound, offset)
                offset = extent.upperBound
                steps += 1
            }
            XCTAssertLessThan(steps, 100)
        }
    }
}
