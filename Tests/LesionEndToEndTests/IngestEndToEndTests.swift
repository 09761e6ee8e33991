import Foundation
import LesionStore
import LesionTestSupport
import XCTest

/// `lesion ingest` through the built binary, on every backend.
final class IngestEndToEndTests: TemporaryFolderTestCase {
    func testIngestTwiceStoresNothingNewAndSaysSo() throws {
        let path = try SampleDocuments.write(
            SampleDocuments.document(model: "a") + "\n" + SampleDocuments.document(model: "b", steps: [1, 2]) + "\n",
            to: "runs.jsonl", in: folder)
        try TestBackend.forEach { db in
            let first = try LesionProcess.run(["ingest", "--db", db.location, path])
            XCTAssertEqual(first.status, 0, "\(db): \(first.stderr)")
            XCTAssertTrue(first.stdout.hasPrefix("stored 2, merged 0, unchanged 0, refused 0 documents; 2 models, 3 checkpoints, 120 unit values, 9 curve points"), "\(db): \(first.stdout)")
            let counts = try RowCounts.of(db.database)
            XCTAssertEqual(counts["models"], 2)
            XCTAssertEqual(counts["checkpoints"], 3)
            XCTAssertEqual(counts["unit_values"], 3 * 2 * 4 * 2)
            XCTAssertEqual(counts["unit_class_values"], 3 * 2 * 4 * 3)
            XCTAssertEqual(counts["unit_class_vectors"], 3 * 2 * 4)
            XCTAssertEqual(counts["ingests"], 2)

            let second = try LesionProcess.run(["ingest", "--db", db.location, path])
            XCTAssertEqual(second.status, 0, "\(db): \(second.stderr)")
            XCTAssertTrue(second.stdout.hasPrefix("stored 0, merged 0, unchanged 2, refused 0 documents; 0 models, 0 checkpoints"), "\(db): \(second.stdout)")
            XCTAssertEqual(try RowCounts.of(db.database), counts, "\(db)")

            let verbose = try LesionProcess.run(["ingest", "--verbose", "--db", db.location, path])
            XCTAssertTrue(verbose.stderr.contains("runs.jsonl:1: exp/a is already stored (1 checkpoints unchanged)"), "\(db): \(verbose.stderr)")
        }
    }

    func testRefusedLineNamesFileLineAndPathAndTheOthersAreStored() throws {
        let good = SampleDocuments.document(model: "good")
        let bad = SampleDocuments.document(model: "bad").replacingOccurrences(
            of: #""class_selectivity":[0.0,"#, with: #""class_selectivity":["#)
        let path = try SampleDocuments.write(good + "\r\n\n" + bad + "\n" + SampleDocuments.document(model: "third") + "\n", to: "runs.jsonl", in: folder)
        try TestBackend.forEach { db in
            let outcome = try LesionProcess.run(["ingest", "--db", db.location, path])
            XCTAssertEqual(outcome.status, 1, "\(db)")
            XCTAssertTrue(outcome.stdout.hasPrefix("stored 2, merged 0, unchanged 0, refused 1 documents"), "\(db): \(outcome.stdout)")
            XCTAssertTrue(
                outcome.stderr.contains("runs.jsonl:3: checkpoints[0].units.fc1.class_selectivity: 3 values, layer fc1 has 4 units"),
                "\(db): \(outcome.stderr)")
            let models = try db.database.fetchAll("SELECT name FROM models ORDER BY name") { $0.string(0) ?? "" }
            XCTAssertEqual(models, ["good", "third"])
        }
    }

    func testRefusalLeavesTheDatabaseUnchanged() throws {
        try TestBackend.forEach { db in
            let seed = try SampleDocuments.write(SampleDocuments.document(model: "m", steps: [1]), to: "seed.json", in: folder)
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location, seed]).status, 0)
            let before = try RowCounts.of(db.database)
            // A new step first, then step 1 with other content: the refusal comes after
            // rows were written, and the whole document must roll back.
            let conflicting = SampleDocuments.document(model: "m", steps: [2, 1], offset: 0.01)
            let path = try SampleDocuments.write(conflicting, to: "conflict.json", in: folder)
            let outcome = try LesionProcess.run(["ingest", "--db", db.location, path])
            XCTAssertEqual(outcome.status, 1)
            XCTAssertTrue(outcome.stderr.contains(
                "conflict.json: checkpoints[1].units.fc1.class_selectivity: step 1 of exp/m is already stored with a different unit metric class_selectivity of layer fc1; leave it out to add the other items, or give --replace to replace the checkpoint whole"),
                "\(db): \(outcome.stderr)")
            XCTAssertEqual(try RowCounts.of(db.database), before, "\(db)")

            let replaced = try LesionProcess.run(["ingest", "--replace", "--db", db.location, path])
            XCTAssertEqual(replaced.status, 0, "\(db): \(replaced.stderr)")
            XCTAssertTrue(replaced.stdout.hasPrefix("stored 1, merged 0, unchanged 0, refused 0 documents; 0 models, 2 checkpoints"), replaced.stdout)
            let selectivity = try db.database.fetchOne("""
                SELECT value FROM unit_measurements WHERE model = 'm' AND step = 1 AND layer = 'fc1' AND unit = 0 AND metric = 'class_selectivity'
                """) { $0.double(0) }
            XCTAssertEqual(selectivity ?? nil, 0.1 + 0.01)
        }
    }

    func testAddingStepsMustAgreeWithTheStoredModel() throws {
        try TestBackend.forEach { db in
            let first = try SampleDocuments.write(SampleDocuments.document(model: "m", steps: [1]), to: "a.json", in: folder)
            let more = try SampleDocuments.write(SampleDocuments.document(model: "m", steps: [2]), to: "b.json", in: folder)
            let otherLayers = try SampleDocuments.write(SampleDocuments.document(model: "m", steps: [3], layers: 1), to: "c.json", in: folder)
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location, first]).status, 0)
            let added = try LesionProcess.run(["ingest", "--db", db.location, more])
            XCTAssertEqual(added.status, 0, added.stderr)
            XCTAssertTrue(added.stdout.hasPrefix("stored 1, merged 0, unchanged 0, refused 0 documents; 0 models, 1 checkpoints"), added.stdout)
            let refused = try LesionProcess.run(["ingest", "--db", db.location, otherLayers])
            XCTAssertEqual(refused.status, 1)
            XCTAssertTrue(refused.stderr.contains("c.json: layers: the layers differ from those stored for exp/m"), refused.stderr)
            XCTAssertEqual(try db.database.fetchOne("SELECT COUNT(*) FROM checkpoints") { $0.int(0) }, 2)
        }
    }

    func testStandardInputTakesPrettyDocumentsAndLinesAndNamesTheStartLine() throws {
        let pretty = SampleDocuments.document(model: "p").replacingOccurrences(of: #""classes":"#, with: "\n  \"classes\":")
        let input = pretty + "\n\n" + SampleDocuments.document(model: "q") + "\n" + #"{"format":"lesion.run/2"}"# + "\n"
        try TestBackend.forEach { db in
            let outcome = try LesionProcess.run(["ingest", "--db", db.location, "-"], input: Data(input.utf8))
            XCTAssertEqual(outcome.status, 1)
            XCTAssertTrue(outcome.stdout.hasPrefix("stored 2, merged 0, unchanged 0, refused 1 documents"), outcome.stdout)
            XCTAssertTrue(outcome.stderr.contains("-:5: format:"), outcome.stderr)
        }
    }

    func testGzipFilesInFoldersAreFoundRecursively() throws {
        let nested = folder.appendingPathComponent("deep/er")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        let plain = try SampleDocuments.write(
            SampleDocuments.document(model: "z1") + "\n" + SampleDocuments.document(model: "z2") + "\n", to: "z.jsonl", in: nested)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", plain]
        try gzip.run()
        gzip.waitUntilExit()
        try FileManager.default.removeItem(atPath: plain)
        try SampleDocuments.write(SampleDocuments.document(model: "top"), to: "top.json", in: folder)
        try SampleDocuments.write("not a run document", to: "notes.txt", in: folder)
        try TestBackend.forEach { db in
            let outcome = try LesionProcess.run(["ingest", "--db", db.location, folder.path])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertTrue(outcome.stdout.hasPrefix("stored 3, merged 0, unchanged 0, refused 0 documents"), outcome.stdout)
        }
    }

    func testDryRunChecksEverythingAndStoresNothing() throws {
        let path = try SampleDocuments.write(SampleDocuments.document(model: "dry"), to: "dry.json", in: folder)
        try TestBackend.forEach { db in
            let before = try RowCounts.of(db.database)
            let outcome = try LesionProcess.run(["ingest", "--dry-run", "--db", db.location, path])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            XCTAssertTrue(outcome.stdout.hasPrefix("would store 1, merged 0, unchanged 0, refused 0 documents; 1 models"), outcome.stdout)
            XCTAssertEqual(try RowCounts.of(db.database), before)
        }
    }

    func testNamesFullOfQuotesAndScriptsAreKeptVerbatim() throws {
        let names = [
            ("exp'; DROP TABLE models; --", #"mo"del\back;slash"#),
            ("実験 — données", "модель-α/β"),
            ("tab\there", "%_wild*cards?"),
        ]
        let text = names.map { SampleDocuments.document(experiment: $0.0, model: $0.1) }.joined(separator: "\n") + "\n"
        let path = try SampleDocuments.write(text, to: "names.jsonl", in: folder)
        try TestBackend.forEach { db in
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location, path]).status, 0)
            let listed = try LesionProcess.run(["models", "--db", db.location, "--format", "json"])
            let rows = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
            let stored = Set(rows.map { "\($0["experiment"] ?? "")|\($0["model"] ?? "")" })
            XCTAssertEqual(stored, Set(names.map { "\($0.0)|\($0.1)" }))
            let exported = try LesionProcess.run(["export", "--db", db.location])
            let documents = exported.stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            XCTAssertEqual(Set(documents.map { "\($0["experiment"] ?? "")|\($0["model"] ?? "")" }), Set(names.map { "\($0.0)|\($0.1)" }))
            let shown = try LesionProcess.run(["show", "--db", db.location, "実験 — données/модель-α/β"])
            XCTAssertEqual(shown.status, 0, shown.stderr)
            XCTAssertTrue(shown.stdout.contains("модель-α/β"))
            XCTAssertEqual(try db.database.fetchOne("SELECT COUNT(*) FROM models") { $0.int(0) }, 3)
        }
    }

    func testUsageErrorsExitWithTwoAndMissingFilesWithOne() throws {
        let noPaths = try LesionProcess.run(["ingest"])
        XCTAssertEqual(noPaths.status, 2, noPaths.stderr)
        let badOption = try LesionProcess.run(["models", "--format", "yaml"])
        XCTAssertEqual(badOption.status, 2, badOption.stderr)
        let badWhere = try LesionProcess.run(["models", "--db", folder.appendingPathComponent("x.db").path, "--where", "nonsense"])
        XCTAssertEqual(badWhere.status, 2)
        XCTAssertTrue(badWhere.stderr.contains("expected NAME=VALUE"), badWhere.stderr)
        let unopenable = try LesionProcess.run(["models", "--db", "/no/such/folder/x.db"])
        XCTAssertEqual(unopenable.status, 1)
        XCTAssertTrue(unopenable.stderr.contains("cannot open SQLite database /no/such/folder/x.db"), unopenable.stderr)
        XCTAssertTrue(unopenable.stderr.contains("hint: check that its folder exists"), unopenable.stderr)
        let missing = try LesionProcess.run(["ingest", "--db", folder.appendingPathComponent("y.db").path, "/no/such/file.json"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("/no/such/file.json: no such file or folder"), missing.stderr)
    }
}
