@testable import LesionCore
import XCTest

/// Cutting inputs into documents, with the lines errors will name.
final class DocumentSplitterTests: XCTestCase {
    /// A stream that hands out its bytes a few at a time, to cross chunk borders.
    final class TrickleStream: ByteStream {
        var bytes: [UInt8]
        let step: Int
        init(_ text: String, step: Int = 3) {
            bytes = Array(text.utf8)
            self.step = step
        }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let count = min(step, bytes.count, buffer.count)
            for index in 0..<count { buffer[index] = bytes[index] }
            bytes.removeFirst(count)
            return count
        }
    }

    private func split(_ text: String, _ layout: DocumentSplitter.Layout, step: Int = 3) throws -> [(Int, String)] {
        let splitter = DocumentSplitter(stream: TrickleStream(text, step: step), layout: layout, source: "x")
        var result: [(Int, String)] = []
        while let document = try splitter.next() {
            result.append((document.line, String(decoding: document.bytes, as: UTF8.self)))
        }
        return result
    }

    func testLinesSkipBlankLinesAndAcceptCRLF() throws {
        let documents = try split("{\"a\":1}\r\n\n   \n{\"b\":2}\n{\"c\":3}", .lines)
        XCTAssertEqual(documents.map(\.0), [1, 4, 5])
        XCTAssertEqual(documents.map(\.1), ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
    }

    func testStreamSplitsPrettyDocumentsAndNamesTheirFirstLine() throws {
        let text = "\n{\n  \"a\": \"}{\\\"\",\n  \"b\": [1, {\"c\": 2}]\n}\n\n{\"d\":4} {\"e\":5}\n"
        for step in [1, 2, 7, 1000] {
            let documents = try split(text, .stream, step: step)
            XCTAssertEqual(documents.map(\.0), [2, 7, 7], "step \(step)")
            XCTAssertEqual(documents.map(\.1), ["{\n  \"a\": \"}{\\\"\",\n  \"b\": [1, {\"c\": 2}]\n}", "{\"d\":4}", "{\"e\":5}"])
        }
    }

    func testStreamHandsOverATruncatedDocumentForTheParserToName() throws {
        let documents = try split("{\"a\": [1, 2", .stream)
        XCTAssertEqual(documents.map(\.1), ["{\"a\": [1, 2"])
    }

    func testWholeFileIsOneDocument() throws {
        let documents = try split("{\n\"a\":1\n}\n", .whole)
        XCTAssertEqual(documents.count, 1)
        XCTAssertEqual(documents[0].0, 1)
    }

    /// Found by `Fuzz/run splitter` (input "\n\u{0B}" read one byte at a time): the
    /// last, empty read moved the window under a scalar, and the splitter read past
    /// its buffer.
    func testStreamEndingInAScalarAfterALineBreakIsHandedOver() throws {
        for step in [1, 2, 1000] {
            let documents = try split("\n\u{0B}", .stream, step: step)
            XCTAssertEqual(documents.map(\.0), [2], "step \(step)")
            XCTAssertEqual(documents.map(\.1), ["\u{0B}"], "step \(step)")
        }
    }

    /// 100,000 nested arrays on standard input: cut as one value (the depth is a
    /// counter, not recursion), for the parser to refuse.
    func testDeepNestingIsOneValue() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let documents = try split(deep + "\n{}", .stream, step: 4096)
        XCTAssertEqual(documents.map(\.1.utf8.count), [200_000, 2])
    }
}
