import Foundation
import LesionRunFormat
import LesionStore
import LesionTestSupport
import XCTest

/// Labels, models without classes, per-class checkpoint metrics and merging
/// (run-format.md, "Additions (turn 2)") through the built binary, on every backend.
final class LabelsEndToEndTests: TemporaryFolderTestCase {
    /// A document of experiment `lab`: one layer fc1 of 3 units, `classes` (nil: none),
    /// and the given raw checkpoint objects.
    static func document(model: String = "m", classes: Int? = 3, _ checkpoints: String...) -> String {
        let classesMember = classes.map { #""classes":\#($0),"# } ?? ""
        return #"{"format":"lesion.run/1","experiment":"lab","model":"\#(model)",\#(classesMember)"layers":[{"name":"fc1","units":3}],"checkpoints":[\#(checkpoints.joined(separator: ","))]}"#
    }

    static let curve = #"{"perturbation":"ablation","layers":"all","x":[0,0.5,1],"metrics":{"train_accuracy":[0.9,0.6,0.2]}}"#
    static let base = #"{"step":1,"metrics":{"test_accuracy":0.9},"curves":[\#(curve)]}"#
    static let annotation = #"{"step":1,"metrics":{"class_accuracy":[0.5,1,null]},"units":{"fc1":{"concept":["dog",null,"dog"],"explanation_score":[0.5,-0.25,null]}}}"#

    private func ingest(_ db: TestDatabase, _ text: String, _ name: String, replace: Bool = false) throws -> LesionProcess.Outcome {
        let path = try SampleDocuments.write(text, to: name, in: folder)
        return try LesionProcess.run(["ingest", "--db", db.location] + (replace ? ["--replace"] : []) + [path])
    }

    func testLabelsClasslessModelsAndClassMetricsAreStoredShownAndExportedLosslessly() throws {
        let documents = [
            Self.document(Self.base.replacingOccurrences(of: #""metrics":{"#, with: #""metrics":{"class_accuracy":[0.25,0.5,0.75],"#)
                .replacingOccurrences(of: #","curves""#, with: #","units":{"fc1":{"concept":["dog","cat","dog"],"concept_iou":[0.1,0.2,null]}},"curves""#)),
            Self.document(model: "sae", classes: nil, #"{"step":0,"units":{"fc1":{"activation_frequency":[0.01,0.5,1],"explanation":["years in a date",null,"😀 \" quotes"]}}}"#),
        ]
        let text = documents.joined(separator: "\n") + "\n"
        try TestBackend.forEach { db in
            let stored = try ingest(db, text, "labels.jsonl")
            XCTAssertEqual(stored.status, 0, "\(db): \(stored.stderr)")
            XCTAssertTrue(stored.stdout.hasPrefix("stored 2, merged 0, unchanged 0, refused 0 documents; 2 models, 2 checkpoints"), stored.stdout)

            let labels = try db.database.fetchAll(
                "SELECT model, step, layer, depth, unit, metric, value FROM unit_labels ORDER BY model, metric, unit"
            ) { row in (0..<7).map { row.string($0) ?? "NULL" }.joined(separator: "|") }
            XCTAssertEqual(labels, [
                "m|1|fc1|0|0|concept|dog", "m|1|fc1|0|1|concept|cat", "m|1|fc1|0|2|concept|dog",
                "sae|0|fc1|0|0|explanation|years in a date", "sae|0|fc1|0|1|explanation|NULL", "sae|0|fc1|0|2|explanation|😀 \" quotes",
            ], "\(db)")
            let perClass = try db.database.fetchAll(
                "SELECT metric, class, value FROM checkpoint_measurements WHERE model = 'm' ORDER BY metric, class"
            ) { "\($0.string(0) ?? "")|\($0.int(1).map(String.init) ?? "NULL")|\($0.double(2).map { String($0) } ?? "NULL")" }
            XCTAssertEqual(perClass, ["class_accuracy|0|0.25", "class_accuracy|1|0.5", "class_accuracy|2|0.75", "test_accuracy|NULL|0.9"], "\(db)")
            let overview = try db.database.fetchAll("SELECT model, classes FROM model_overview ORDER BY model") {
                "\($0.string(0) ?? "")|\($0.int(1).map(String.init) ?? "NULL")"
            }
            XCTAssertEqual(overview, ["m|3", "sae|NULL"], "\(db)")

            let shown = try LesionProcess.run(["show", "--db", db.location, "lab/m"])
            XCTAssertEqual(shown.status, 0, shown.stderr)
            XCTAssertTrue(shown.stdout.contains("Labels"), shown.stdout)
            XCTAssertTrue(shown.stdout.contains("dog ×2, cat ×1"), shown.stdout)

            let exported = try LesionProcess.run(["export", "--db", db.location])
            XCTAssertEqual(exported.status, 0, exported.stderr)
            let lines = exported.stdout.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.count, 2)
            XCTAssertFalse(lines[1].contains("\"classes\""), lines[1])
            for (line, original) in zip(lines, documents) {
                XCTAssertEqual(try RunDocumentReader.parse(line).document, try RunDocumentReader.parse(original).document, "\(db)")
            }
            let again = try ingest(db, exported.stdout, "exported.jsonl")
            XCTAssertTrue(again.stdout.hasPrefix("stored 0, merged 0, unchanged 2, refused 0 documents"), again.stdout)
        }
    }

    /// Each refusal names the file, the line and the JSON path, and leaves the database as it was.
    func testRefusalsNameFileLineAndPathAndChangeNothing() throws {
        let tooLong = String(repeating: "é", count: 10_001)
        let cases: [(document: String, expected: String)] = [
            (Self.document(#"{"step":2,"units":{"fc1":{"concept":["\#(tooLong)",null,null]}}}"#),
             "bad.jsonl:2: checkpoints[0].units.fc1.concept[0]: the label has 10001 characters; at most 10000 are allowed"),
            (Self.document(#"{"step":2,"units":{"fc1":{"concept":["a\u0000b",null,null]}}}"#),
             "bad.jsonl:2: checkpoints[0].units.fc1.concept[0]: U+0000 is not allowed in a string"),
            (Self.document(#"{"step":2,"units":{"fc1":{"tag":["a",1,null]}}}"#),
             "bad.jsonl:2: checkpoints[0].units.fc1.tag[1]: expected a string or null like the first entry (one metric holds one kind of value), found the number 1"),
            (Self.document(#"{"step":2,"units":{"fc1":{"tag":[1,2,3]}}}"#),
             "bad.jsonl:2: checkpoints[0].units.fc1.tag: tag of layer fc1 is stored in lab/m as a text metric (one label per unit), found a number metric (one number per unit)"),
            (Self.document(model: "c", classes: nil, #"{"step":0,"units":{"fc1":{"class_means":[[1,2],[3,4],[5,6]]}}}"#),
             "bad.jsonl:2: checkpoints[0].units.fc1.class_means: class_means, one vector per class and unit, needs `classes`"),
            (Self.document(#"{"step":1,"curves":[\#(Self.curve.replacingOccurrences(of: "0.6", with: "0.61"))]}"#),
             "bad.jsonl:2: checkpoints[0].curves[0]: step 1 of lab/m is already stored with a different curve (ablation of all layers, order random, seed 0)"),
        ]
        try TestBackend.forEach { db in
            let seed = Self.document(Self.base.replacingOccurrences(of: #","curves""#, with: #","units":{"fc1":{"tag":["x",null,"y"]}},"curves""#))
            XCTAssertEqual(try ingest(db, seed, "seed.json").status, 0)
            let before = try RowCounts.of(db.database)
            let exportBefore = try LesionProcess.run(["export", "--db", db.location]).stdout
            for (document, expected) in cases {
                let outcome = try ingest(db, "\n" + document + "\n", "bad.jsonl")
                XCTAssertEqual(outcome.status, 1, "\(db): \(expected)")
                XCTAssertTrue(outcome.stderr.contains(expected), "\(db): \(outcome.stderr)")
                XCTAssertTrue(outcome.stdout.hasPrefix("stored 0, merged 0, unchanged 0, refused 1 documents"), outcome.stdout)
                XCTAssertEqual(try RowCounts.of(db.database), before, "\(db): \(expected)")
            }
            XCTAssertEqual(try LesionProcess.run(["export", "--db", db.location]).stdout, exportBefore, "\(db)")
        }
    }

    func testMergeAddsItemsOnceRefusesADifferenceAndReplaceReplacesWhole() throws {
        try TestBackend.forEach { db in
            XCTAssertEqual(try ingest(db, Self.document(Self.base), "base.json").status, 0)
            let merged = try ingest(db, Self.document(Self.annotation), "dissection.json")
            XCTAssertEqual(merged.status, 0, merged.stderr)
            XCTAssertTrue(merged.stdout.hasPrefix("stored 0, merged 1, unchanged 0, refused 0 documents; 0 models, 0 checkpoints, 6 unit values"), merged.stdout)
            let union = try RunDocumentReader.parse(try LesionProcess.run(["export", "--db", db.location]).stdout).document
            let checkpoint = try XCTUnwrap(union.checkpoints.first)
            XCTAssertEqual(checkpoint.metrics, [NamedValue(name: "test_accuracy", value: 0.9)])
            XCTAssertEqual(checkpoint.classMetrics, [ClassMetric(name: "class_accuracy", values: [0.5, 1, .nan])])
            XCTAssertEqual(checkpoint.units.map(\.name), ["concept", "explanation_score"])
            XCTAssertEqual(checkpoint.curves.count, 1)

            let twice = try ingest(db, Self.document(Self.annotation), "dissection.json")
            XCTAssertTrue(twice.stdout.hasPrefix("stored 0, merged 0, unchanged 1, refused 0 documents"), twice.stdout)
            let exported = try LesionProcess.run(["export", "--db", db.location]).stdout
            let roundTrip = try ingest(db, exported, "export.jsonl")
            XCTAssertTrue(roundTrip.stdout.hasPrefix("stored 0, merged 0, unchanged 1, refused 0 documents"), roundTrip.stdout)

            // class_means merged into a layer without class_selectivity derives it: (6 − 1.5) / (6 + 1.5).
            let means = #"{"step":1,"units":{"fc1":{"class_means":[[1,6,2],[2,2,2],[0,0,0]]}}}"#
            let withMeans = try ingest(db, Self.document(means), "means.json")
            XCTAssertTrue(withMeans.stdout.hasPrefix("stored 0, merged 1, unchanged 0, refused 0 documents"), withMeans.stdout)
            let selectivity = try db.database.fetchAll(
                "SELECT value FROM unit_measurements WHERE metric = 'class_selectivity' ORDER BY unit") { $0.double(0) }
            XCTAssertEqual(selectivity.count, 3)
            XCTAssertEqual(selectivity[0] ?? .nan, 0.6, accuracy: 1e-15)
            XCTAssertEqual(selectivity[1], 0)
            XCTAssertNil(selectivity[2] ?? nil)

            let before = try RowCounts.of(db.database)
            let differing = Self.annotation.replacingOccurrences(of: #"["dog",null,"dog"]"#, with: #"["dog",null,"cat"]"#)
            let refused = try ingest(db, Self.document(differing), "other.json")
            XCTAssertEqual(refused.status, 1)
            XCTAssertTrue(refused.stderr.contains(
                "other.json: checkpoints[0].units.fc1.concept: step 1 of lab/m is already stored with a different unit metric concept of layer fc1"),
                refused.stderr)
            XCTAssertEqual(try RowCounts.of(db.database), before, "\(db)")

            let replaced = try ingest(db, Self.document(differing), "other.json", replace: true)
            XCTAssertEqual(replaced.status, 0, replaced.stderr)
            XCTAssertTrue(replaced.stdout.hasPrefix("stored 1, merged 0, unchanged 0, refused 0 documents"), replaced.stdout)
            let after = try RunDocumentReader.parse(try LesionProcess.run(["export", "--db", db.location]).stdout).document
            XCTAssertEqual(after.checkpoints, try RunDocumentReader.parse(Self.document(differing)).document.checkpoints)
        }
    }

    /// push and pull carry labels, per-class checkpoint metrics, models without classes
    /// and merged checkpoints: the export of the copy is the export of the original.
    func testPushAndPullCarryLabelsClassMetricsAndClasslessModels() throws {
        let text = [
            Self.document(Self.base), Self.document(Self.annotation),
            Self.document(model: "sae", classes: nil, #"{"step":0,"units":{"fc1":{"explanation":["a",null,"b"]}}}"#),
        ].joined(separator: "\n") + "\n"
        try TestBackend.sqlite.withFreshDatabase { local in
            XCTAssertEqual(try ingest(local, text, "runs.jsonl").status, 0)
            let original = try LesionProcess.run(["export", "--db", local.location]).stdout
            XCTAssertTrue(original.contains(#""concept":["dog",null,"dog"]"#), original)
            for backend in TestBackend.available {
                try backend.withFreshDatabase { shared in
                    let push = try LesionProcess.run(["push", "--db", local.location, "--to", shared.location])
                    XCTAssertEqual(push.status, 0, "\(shared): \(push.stderr)")
                    XCTAssertEqual(try LesionProcess.run(["export", "--db", shared.location]).stdout, original, "\(shared)")
                    let back = folder.appendingPathComponent("back-\(backend).db").path
                    XCTAssertEqual(try LesionProcess.run(["pull", "--db", back, "--from", shared.location]).status, 0)
                    XCTAssertEqual(try LesionProcess.run(["export", "--db", back]).stdout, original, "\(shared)")
                }
            }
        }
    }

    /// An all-null metric takes the kind the model already has for that layer and name.
    func testAnAllNullMetricTakesTheStoredKind() throws {
        try TestBackend.forEach { db in
            let first = #"{"step":1,"units":{"fc1":{"tag":["x",null,"y"]}}}"#
            let second = #"{"step":2,"units":{"fc1":{"tag":[null,null,null]}}}"#
            let stored = try ingest(db, Self.document(first, second), "tags.json")
            XCTAssertEqual(stored.status, 0, stored.stderr)
            let later = #"{"step":3,"units":{"fc1":{"tag":[null,null,null]}}}"#
            XCTAssertEqual(try ingest(db, Self.document(later), "later.json").status, 0)
            let rows = try db.database.fetchAll("SELECT step, COUNT(*), COUNT(value) FROM unit_labels GROUP BY step ORDER BY step") {
                "\($0.int(0) ?? -1):\($0.int(1) ?? -1):\($0.int(2) ?? -1)"
            }
            XCTAssertEqual(rows, ["1:3:2", "2:3:0", "3:3:0"], "\(db)")
            XCTAssertEqual(try db.database.fetchOne("SELECT COUNT(*) FROM unit_values") { $0.int(0) }, 0)
        }
    }

    /// Means merged into a layer whose selectivity is stored keep the stored selectivity:
    /// the document did not carry one (the reader derived it), as at first ingest.
    func testMergedMeansKeepAStoredSelectivity() throws {
        try TestBackend.forEach { db in
            let given = #"{"step":1,"units":{"fc1":{"class_selectivity":[0.5,0.5,0.5]}}}"#
            XCTAssertEqual(try ingest(db, Self.document(given), "given.json").status, 0)
            let means = #"{"step":1,"units":{"fc1":{"class_means":[[1,6,2],[2,2,2],[0,0,0]]}}}"#
            let merged = try ingest(db, Self.document(means), "means.json")
            XCTAssertTrue(merged.stdout.hasPrefix("stored 0, merged 1, unchanged 0, refused 0 documents"), "\(db): \(merged.stdout) \(merged.stderr)")
            let selectivity = try db.database.fetchAll(
                "SELECT value FROM unit_measurements WHERE metric = 'class_selectivity' ORDER BY unit") { $0.double(0) }
            XCTAssertEqual(selectivity, [0.5, 0.5, 0.5], "\(db)")
            let carried = #"{"step":1,"units":{"fc1":{"class_selectivity":[0.5,0.5,0.25]}}}"#
            let refused = try ingest(db, Self.document(carried), "carried.json")
            XCTAssertTrue(refused.stderr.contains("carried.json: checkpoints[0].units.fc1.class_selectivity: step 1 of lab/m is already stored with a different unit metric class_selectivity"), refused.stderr)
        }
    }

    /// The bundled fixtures as a v2 lesion could store them: their per-class checkpoint
    /// metrics and labels (schema v3) removed by storing them, deleting those rows and
    /// exporting, so that the documents' fingerprints match what they hold.
    private func versionTwoShaped(on backend: TestBackend) throws -> String {
        let fixtures = [LesionProcess.fixture("runs/mlp.jsonl.gz"), LesionProcess.fixture("runs/example-cnn-lc0-seed0.json")]
        let text = try backend.withFreshDatabase { scratch -> String in
            let stored = try LesionProcess.run(["ingest", "--db", scratch.location] + fixtures)
            XCTAssertEqual(stored.status, 0, stored.stderr)
            try scratch.database.transaction {
                try scratch.database.execute("DELETE FROM checkpoint_class_values")
                try scratch.database.execute("DELETE FROM unit_metrics WHERE id IN (SELECT unit_metric_id FROM unit_text_values)")
                try scratch.database.execute("DELETE FROM unit_metric_kinds WHERE kind = 'text'")
            }
            let exported = try LesionProcess.run(["export", "--db", scratch.location])
            XCTAssertEqual(exported.status, 0, exported.stderr)
            XCTAssertFalse(exported.stdout.contains("\"class_accuracy\""))
            XCTAssertFalse(exported.stdout.contains("\"concept\""))
            return exported.stdout
        }
        return try SampleDocuments.write(text, to: "v2-shaped-\(backend).jsonl", in: folder)
    }

    /// A populated v2 database upgrades in place: every export is the same before and after.
    func testAVersionTwoDatabaseUpgradesWithEveryExportIdentical() throws {
        try TestBackend.forEach(migrate: false) { target in
            let fixtures = [try versionTwoShaped(on: target.backend)]
            try Migrator(target.database).migrate(through: 2)
            try target.backend.withFreshDatabase { source in
                let stored = try LesionProcess.run(["ingest", "--db", source.location] + fixtures)
                XCTAssertEqual(stored.status, 0, stored.stderr)
                let exportBefore = try LesionProcess.run(["export", "--db", source.location])
                XCTAssertEqual(exportBefore.status, 0)
                try VersionTwoCopy.copy(from: source, to: target)
                XCTAssertEqual(try Migrator(target.database).status().applied.map(\.version), [1, 2])
                let v2Counts = try RowCounts.of(target.database, tables: RowCounts.versionTwoTables)

                let migrated = try LesionProcess.run(["migrate", "--db", target.location])
                XCTAssertEqual(migrated.status, 0, migrated.stderr)
                XCTAssertEqual(try Migrator(target.database).status().applied.map(\.version), [1, 2, 3])
                XCTAssertEqual(try RowCounts.of(target.database, tables: RowCounts.versionTwoTables), v2Counts, "\(target)")
                let exportAfter = try LesionProcess.run(["export", "--db", target.location])
                XCTAssertEqual(exportAfter.status, 0, exportAfter.stderr)
                XCTAssertEqual(exportAfter.stdout, exportBefore.stdout, "\(target)")
                XCTAssertGreaterThan(exportAfter.stdout.count, 1000)
                let kinds = try target.database.fetchOne("SELECT COUNT(*) FROM unit_metric_kinds") { $0.int(0) } ?? nil
                let distinct = try target.database.fetchOne(
                    "SELECT COUNT(*) FROM (SELECT DISTINCT layer_id, name FROM unit_metrics) d") { $0.int(0) } ?? nil
                XCTAssertEqual(kinds, distinct)
                XCTAssertGreaterThan(kinds ?? 0, 0)
                let again = try LesionProcess.run(["ingest", "--db", target.location] + fixtures)
                XCTAssertTrue(again.stdout.hasPrefix("stored 0, merged 0, unchanged"), again.stdout)
            }
        }
    }

    /// Real curves from a replication of the paper ingest and answer robustness-generalization.
    /// Reference (numpy/scipy): R = trapezoid(y / y[0], x) / (x[-1] − x[0]) of the mean of the ten
    /// random-order train_accuracy curves; spearmanr(R, label_corruption) = −1.
    func testLeavittReplicationIngestsAndAnswersRobustnessGeneralization() throws {
        let path = SharedSamples.path("single-directions/leavitt-replication.jsonl")
        let reference: [String: Double] = [
            "mlp-lc0": 0.7352427367492055, "mlp-lc0.2": 0.3431642492676473, "mlp-lc0.4": 0.30457652197728746,
            "mlp-lc0.6": 0.2685576621810469, "mlp-lc0.8": 0.24016941760346527, "mlp-lc1": 0.2379783568219864,
        ]
        try TestBackend.forEach { db in
            let stored = try LesionProcess.run(["ingest", "--db", db.location, path])
            XCTAssertEqual(stored.status, 0, stored.stderr)
            XCTAssertTrue(stored.stdout.hasPrefix("stored 6, merged 0, unchanged 0, refused 0 documents; 6 models"), stored.stdout)
            let answer = try LesionProcess.run(["query", "robustness-generalization", "--db", db.location])
            XCTAssertEqual(answer.status, 0, answer.stderr)
            let blocks = answer.stdout.components(separatedBy: "\n\n")
            var seen = 0
            for row in blocks[0].split(separator: "\n").dropFirst() {
                let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard let expected = reference[cells[1]], let robustness = Double(cells[7]) else { continue }
                XCTAssertEqual(robustness, expected, accuracy: 1e-12, cells[1])
                seen += 1
            }
            XCTAssertEqual(seen, 6, answer.stdout)
            XCTAssertTrue(blocks[1].contains("label_corruption,6,-1,"), blocks[1])
        }
    }
}

/// Fills a database at schema version 2 with the rows of one at version 3 that holds
/// only documents a v2 lesion could store: the rows that lesion's writer wrote, since
/// storing them is unchanged in v3 for those documents.
enum VersionTwoCopy {
    static func copy(from source: TestDatabase, to target: TestDatabase) throws {
        switch target.backend {
        case .sqlite:
            try target.database.execute("ATTACH DATABASE \(source.location) AS source")
            for table in RowCounts.versionTwoTables {
                try target.database.execute("INSERT INTO main.\(unsafeRaw: table) SELECT * FROM source.\(unsafeRaw: table)")
            }
            try target.database.execute("DETACH DATABASE source")
        case .postgresql:
            let schema = try source.database.fetchOne("SELECT current_schema()") { $0.string(0) } ?? nil
            let quoted = "\"" + (schema ?? "").replacingOccurrences(of: "\"", with: "\"\"") + "\""
            for table in RowCounts.versionTwoTables {
                try target.database.execute("INSERT INTO \(unsafeRaw: table) SELECT * FROM \(unsafeRaw: quoted).\(unsafeRaw: table)")
            }
        }
    }
}
