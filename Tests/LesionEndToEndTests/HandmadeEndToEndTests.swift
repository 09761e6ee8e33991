import Foundation
import LesionRunFormat
import LesionStore
import LesionTestSupport
import XCTest

/// Every rule of the run format through the binary: the hand-made documents of
/// `Fixtures/handmade/`, whose README lists the error each invalid file must give.
final class HandmadeEndToEndTests: XCTestCase {
    struct Refusal {
        var file: String
        var line: Int?
        var path: String
        var message: String
    }

    /// The table of `Fixtures/handmade/README.md`.
    static func refusals() throws -> [Refusal] {
        let text = try String(contentsOfFile: LesionProcess.fixture("handmade/README.md"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> Refusal? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 6, cells[1].hasPrefix("`"), cells[1].hasSuffix(".json`") || cells[1].hasSuffix(".jsonl`"),
                  cells[3].hasPrefix("`") else { return nil }
            let unquote = { (cell: String) in String(cell.dropFirst().dropLast()) }
            return Refusal(file: unquote(cells[1]), line: Int(cells[2]), path: unquote(cells[3]),
                           message: cells[4...].dropLast().joined(separator: "|"))
        }
    }

    func testEveryInvalidDocumentIsRefusedWithFileLinePathAndMessage() throws {
        let refusals = try HandmadeEndToEndTests.refusals()
        let files = try FileManager.default.contentsOfDirectory(atPath: LesionProcess.fixture("handmade/invalid"))
        XCTAssertEqual(Set(refusals.map(\.file)), Set(files.filter { $0.hasSuffix(".json") }), "README and folder disagree")
        XCTAssertGreaterThanOrEqual(refusals.count, 60)
        try TestBackend.forEach { db in
            let before = try RowCounts.of(db.database)
            let folder = LesionProcess.fixture("handmade/invalid")
            let outcome = try LesionProcess.run(["ingest", "--db", db.location, folder])
            XCTAssertEqual(outcome.status, 1)
            XCTAssertTrue(outcome.stdout.hasPrefix("stored 0, merged 0, unchanged 0, refused \(refusals.count) documents"), outcome.stdout)
            let lines = Set(outcome.stderr.split(separator: "\n").map(String.init))
            for refusal in refusals {
                let place = folder + "/" + refusal.file + (refusal.line.map { ":\($0)" } ?? "")
                let what = refusal.path == "(root)" ? refusal.message : "\(refusal.path): \(refusal.message)"
                let expected = "error: \(place): \(what)"
                XCTAssertTrue(lines.contains(expected), "\(db): missing «\(expected)»")
            }
            XCTAssertEqual(try RowCounts.of(db.database), before, "\(db): a refused document left rows behind")
        }
    }

    func testValidDocumentsAreStoredAndExportedVerbatim() throws {
        let handmade = LesionProcess.fixture("handmade")
        let valid = try FileManager.default.contentsOfDirectory(atPath: handmade)
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") }.sorted()
            .map { handmade + "/" + $0 }
        try TestBackend.forEach { db in
            let outcome = try LesionProcess.run(["ingest", "--db", db.location] + valid)
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertTrue(outcome.stdout.hasPrefix("stored 8, merged 0, unchanged 0, refused 0 documents; 7 models"), outcome.stdout)
            XCTAssertTrue(outcome.stderr.contains(
                "selectivity-mismatch.json: warning: checkpoints[0].units.fc1.class_selectivity[0]: given 0.5, class_means give 0.6"),
                outcome.stderr)
            let exported = try LesionProcess.run(["export", "--db", db.location])
            XCTAssertTrue(exported.stdout.contains("Infinity"), "±Infinity must survive the database")
            try db.backend.withFreshDatabase { second in
                let again = try LesionProcess.run(["ingest", "--db", second.location, "-"], input: Data(exported.stdout.utf8))
                XCTAssertEqual(again.status, 0, again.stderr)
                let reexported = try LesionProcess.run(["export", "--db", second.location])
                XCTAssertEqual(reexported.stdout, exported.stdout)
            }
            // Nothing lost: each exported model equals the parsed input, number for
            // number (NaN equal to NaN; the sign of a zero need not be kept).
            var exportedByName: [String: RunDocument] = [:]
            for line in exported.stdout.split(separator: "\n") {
                let document = try RunDocumentReader.parse(String(line)).document
                exportedByName[document.experiment + "/" + document.model] = document
            }
            var given: [RunDocument] = []
            for path in valid {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                let documents = path.hasSuffix(".jsonl") ? text.split(whereSeparator: \.isNewline).map(String.init) : [text]
                for document in documents where !document.trimmingCharacters(in: .whitespaces).isEmpty {
                    given.append(try RunDocumentReader.parse(document).document)
                }
            }
            var merged: [String: RunDocument] = [:]
            for document in given {
                let key = document.experiment + "/" + document.model
                if var existing = merged[key] {
                    existing.checkpoints = (existing.checkpoints + document.checkpoints).sorted { $0.step < $1.step }
                    merged[key] = existing
                } else {
                    var sorted = document
                    sorted.checkpoints.sort { $0.step < $1.step }
                    merged[key] = sorted
                }
            }
            XCTAssertEqual(Set(merged.keys), Set(exportedByName.keys))
            for (key, document) in merged {
                XCTAssertEqual(exportedByName[key], document, "\(db): \(key) changed on its way through the database")
            }
        }
    }
}
