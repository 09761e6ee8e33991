import Foundation
import XCTest

@testable import LesionRunFormat

/// The hand-made documents in `Fixtures/handmade/`: the valid ones parse and round
/// trip; each invalid one gives exactly the error its README row lists.
final class HandmadeFixturesTests: XCTestCase {
    /// `Fixtures/handmade/` of the package this test file sits in.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/handmade")

    private func data(_ name: String) throws -> Data {
        try Data(contentsOf: Self.directory.appendingPathComponent(name))
    }

    func testValidDocumentsParseAndRoundTrip() throws {
        for name in ["minimal.json", "every-feature.json", "adds-step.json", "nasty-names.json", "special-numbers.json", "selectivity-mismatch.json"] {
            let parsed = try RunDocumentReader.parse(try data(name))
            let written = RunDocumentWriter.json(parsed.document)
            let reread = try RunDocumentReader.parse(written)
            XCTAssertEqual(reread.document, parsed.document, name)
            XCTAssertEqual(RunDocumentWriter.json(reread.document), written, name)
        }
    }

    func testEveryFeature() throws {
        let parsed = try RunDocumentReader.parse(try data("every-feature.json"))
        let document = parsed.document
        XCTAssertEqual(document.attributes.count, 8)
        XCTAssertEqual(document.layers.map(\.name), ["fc1", "fc2", "out"])
        XCTAssertEqual(document.checkpoints.map(\.step), [1000, 3000])
        XCTAssertEqual(parsed.derived, ["checkpoints[0].units.fc2.class_selectivity"])
        let derived = try XCTUnwrap(document.checkpoints[0].units.first { $0.layer == "fc2" && $0.name == "class_selectivity" })
        guard case .scalars(let values) = derived.values else { return XCTFail("not scalars") }
        XCTAssertEqual(values[0], 0.35 / 0.65, accuracy: 1e-15)
        XCTAssertTrue(values[1].isNaN)
        let curves = document.checkpoints[0].curves
        XCTAssertEqual(curves.map(\.scope), [.layers(["fc1", "fc2"]), .layers(["fc1", "fc2"]), .all, .all])
        XCTAssertEqual(curves.map(\.order), ["random", "selectivity_desc", "random", nil])
        XCTAssertEqual(curves.map(\.seed), [0, 0, 1, 0])
    }

    func testAddsStepDescribesTheSameModel() throws {
        let first = try RunDocumentReader.parse(try data("every-feature.json")).document
        let second = try RunDocumentReader.parse(try data("adds-step.json")).document
        XCTAssertEqual(first.experiment, second.experiment)
        XCTAssertEqual(first.model, second.model)
        XCTAssertEqual(first.classes, second.classes)
        XCTAssertEqual(first.layers, second.layers)
        XCTAssertEqual(first.attributes, second.attributes)
        XCTAssertEqual(second.checkpoints.map(\.step), [5000])
    }

    func testNastyNamesVerbatim() throws {
        let document = try RunDocumentReader.parse(try data("nasty-names.json")).document
        XCTAssertEqual(document.experiment, "ex'; DROP TABLE models; --")
        XCTAssertEqual(document.model, "quote \" backslash \\ tab \t newline \n end")
        XCTAssertEqual(document.layers.map(\.name), ["слой.1", "layer\\2", "🧠 layer"])
        XCTAssertEqual(document.layers[0].kind, "conv \"3x3\"")
        XCTAssertTrue(document.attributes.contains(Attribute(name: "   ", value: .text("spaces"))))
        XCTAssertEqual(document.checkpoints[0].curves[0].order, "order with 'quotes'")
    }

    func testSpecialNumbers() throws {
        let document = try RunDocumentReader.parse(try data("special-numbers.json")).document
        XCTAssertEqual(document.attributes.map(\.value), [.null, .number(1.7976931348623157e308), .number(5e-324), .number(-.infinity)])
        let units = document.checkpoints[0].units
        XCTAssertEqual(units[0].values, .scalars([.nan, .infinity, -.infinity, .nan, -0.0, 1e-300, 5e-324, 1.7976931348623157e308]))
        XCTAssertEqual(units[1].values, .scalars([0, 1, -1, 9_007_199_254_740_991, 2, 3, 1e22, 0.1]))
    }

    func testTwoModelsJSONLines() throws {
        let lines = try data("two-models.jsonl").split(separator: 0x0A).map { Array($0) }.filter { $0 != [0x0D] }
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(try lines.map { try RunDocumentReader.parse($0).document.model }, ["jsonl-1", "jsonl-2"])
    }

    func testSelectivityMismatchWarns() throws {
        let parsed = try RunDocumentReader.parse(try data("selectivity-mismatch.json"))
        XCTAssertEqual(parsed.warnings, [
            "checkpoints[0].units.fc1.class_selectivity[0]: given 0.5, class_means give 0.6; differs by more than 1e-6 at 1 unit (0); the given values are stored",
        ])
    }

    /// Each row of the README's invalid table: `| `file` | line | `path` | message |`.
    func testInvalidDocumentsGiveTheErrorsTheReadmeLists() throws {
        let readme = try String(contentsOf: Self.directory.appendingPathComponent("README.md"), encoding: .utf8)
        let invalidSection = try XCTUnwrap(readme.components(separatedBy: "## Invalid").last)
        var listed: Set<String> = []
        for row in invalidSection.split(separator: "\n") where row.hasPrefix("| `") {
            let cells = row.dropFirst(2).dropLast(2).components(separatedBy: " | ")
            XCTAssertEqual(cells.count, 4, String(row))
            guard cells.count == 4 else { continue }
            let file = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let line = Int(cells[1])
            let pathCell = cells[2].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let path = pathCell == "(root)" ? "" : pathCell
            listed.insert(file)
            do {
                _ = try RunDocumentReader.parse(try data("invalid/" + file))
                XCTFail("\(file) parsed")
            } catch {
                XCTAssertEqual(error as? RunFormatError, RunFormatError(path: path, message: cells[3], line: line), file)
            }
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.appendingPathComponent("invalid").path)
        XCTAssertEqual(Set(files), listed)
        XCTAssertGreaterThan(listed.count, 60)
    }
}
