import Foundation
import LesionStore
import LesionTestSupport
import XCTest

/// `models`, `show`, `rm`, `sql` and `migrate` through the binary.
final class CommandsEndToEndTests: TemporaryFolderTestCase {
    private func ingestSamples(_ db: TestDatabase) throws {
        let text = [
            SampleDocuments.document(model: "a", steps: [1, 2], seed: 0),
            SampleDocuments.document(model: "b", seed: 1),
            SampleDocuments.document(experiment: "other", model: "c", seed: 2),
        ].joined(separator: "\n") + "\n"
        let path = try SampleDocuments.write(text, to: "s.jsonl", in: folder)
        XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location, path]).status, 0)
    }

    func testModelsListsAndFilters() throws {
        try TestBackend.forEach { db in
            try ingestSamples(db)
            let csv = try LesionProcess.run(["models", "--db", db.location, "--format", "csv"])
            XCTAssertEqual(csv.stdout, """
                experiment,model,label_corruption,batch_norm,seed,last_step,train_accuracy,test_accuracy
                exp,a,0.2,false,0,2,0.95,0.9
                exp,b,0.2,false,1,100,0.95,0.9
                other,c,0.2,false,2,100,0.95,0.9

                """, "\(db)")
            let filtered = try LesionProcess.run(["models", "--db", db.location, "--format", "csv", "--where", "seed>0", "--experiment", "exp"])
            XCTAssertEqual(filtered.stdout.split(separator: "\n").count, 2, filtered.stdout)
            XCTAssertTrue(filtered.stdout.contains("exp,b,"), filtered.stdout)
            let metric = try LesionProcess.run(["models", "--db", db.location, "--format", "csv", "--where", "test_accuracy>0.95"])
            XCTAssertEqual(metric.stdout.split(separator: "\n").count, 1, metric.stdout)
            let markdown = try LesionProcess.run(["models", "--db", db.location, "--format", "markdown", "--model", "c"])
            XCTAssertTrue(markdown.stdout.hasPrefix("| experiment | model |"), markdown.stdout)
        }
    }

    func testShowDescribesAModel() throws {
        try TestBackend.forEach { db in
            try ingestSamples(db)
            let shown = try LesionProcess.run(["show", "--db", db.location, "exp/a", "--format", "json"])
            XCTAssertEqual(shown.status, 0, shown.stderr)
            let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
            let checkpoints = object?["checkpoints"] as? [[String: Any]]
            XCTAssertEqual(checkpoints?.map { $0["step"] as? Int }, [1, 2])
            let layers = object?["layers"] as? [[String: Any]]
            XCTAssertEqual(layers?.map { $0["layer"] as? String }, ["fc1", "fc2"])
            let missing = try LesionProcess.run(["show", "--db", db.location, "exp/nope"])
            XCTAssertEqual(missing.status, 1)
            XCTAssertTrue(missing.stderr.contains("no stored model is named exp/nope"), missing.stderr)
        }
    }

    /// `show` counts per-class values from the packed vectors (schema v5); the
    /// reference is the `unit_class_values` view, which unpacks them in SQL.
    func testShowCountsPerClassValuesAndTheUndefinedOnes() throws {
        try TestBackend.forEach { db in
            try ingestSamples(db)
            let metric = try db.database.fetchOne("""
                SELECT um.id FROM unit_metrics um JOIN checkpoints c ON c.id = um.checkpoint_id JOIN models m ON m.id = c.model_id \
                WHERE m.name = \("a") AND um.per_class = \(true) ORDER BY um.id
                """) { try $0.decode(Int64.self, at: 0) } ?? nil
            let unit = try XCTUnwrap(metric, "\(db)")
            try db.database.execute("""
                UPDATE unit_class_vectors SET vector = \(DatabaseValue.blob(PackedDoubles.encode([0.5, .nan, .nan]))) \
                WHERE unit_metric_id = \(unit) AND unit = \(0)
                """)
            let expected = try db.database.fetchAll("""
                SELECT l.name, um.name, COUNT(*), SUM(CASE WHEN v.value IS NULL THEN 1 ELSE 0 END) \
                FROM unit_class_values v JOIN unit_metrics um ON um.id = v.unit_metric_id JOIN layers l ON l.id = um.layer_id \
                JOIN models m ON m.id = l.model_id WHERE m.name = \("a") GROUP BY l.name, um.name ORDER BY l.name, um.name
                """) { "\(try $0.decode(String.self, at: 0)) \(try $0.decode(String.self, at: 1)) \(try $0.decode(Int.self, at: 2)) \(try $0.decode(Int.self, at: 3))" }
            XCTAssertTrue(expected.contains { $0.hasSuffix(" 2") }, "\(db): the two undefined values are in the reference: \(expected)")

            let shown = try LesionProcess.run(["show", "--db", db.location, "exp/a", "--format", "json"])
            XCTAssertEqual(shown.status, 0, shown.stderr)
            let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
            let rows = (object?["unit_metrics"] as? [[String: Any]] ?? []).filter { $0["per_class"] as? String == "yes" }
            let actual = rows.map { "\($0["layer"] ?? "") \($0["metric"] ?? "") \($0["values"] ?? "") \($0["undefined"] ?? "")" }
            XCTAssertEqual(actual.sorted(), expected, "\(db)")
        }
    }

    func testRemoveDeletesEveryRowOfTheModel() throws {
        try TestBackend.forEach { db in
            try ingestSamples(db)
            let refusedWithoutYes = try LesionProcess.run(["rm", "--db", db.location, "exp/a"])
            XCTAssertEqual(refusedWithoutYes.status, 2)
            XCTAssertTrue(refusedWithoutYes.stderr.contains("--yes"), refusedWithoutYes.stderr)
            let removed = try LesionProcess.run(["rm", "--yes", "--db", db.location, "exp/a"])
            XCTAssertEqual(removed.status, 0, removed.stderr)
            XCTAssertEqual(removed.stdout, "removed exp/a (2 checkpoints)\n")
            let counts = try RowCounts.of(db.database)
            XCTAssertEqual(counts["models"], 2)
            XCTAssertEqual(counts["checkpoints"], 2)
            XCTAssertEqual(counts["unit_values"], 2 * 2 * 4 * 2)
            XCTAssertEqual(counts["curve_values"], 2 * 3)
        }
    }

    func testSqlIsReadOnlyAndBindsParameters() throws {
        try TestBackend.forEach { db in
            try ingestSamples(db)
            let placeholder = db.backend == .sqlite ? "?1" : "$1"
            let query = try LesionProcess.run([
                "sql", "--db", db.location, "--format", "csv", "--param", "exp",
                "SELECT model, last_step FROM model_overview WHERE experiment = \(placeholder) ORDER BY model",
            ])
            XCTAssertEqual(query.status, 0, query.stderr)
            XCTAssertEqual(query.stdout, "model,last_step\na,2\nb,100\n")
            let empty = try LesionProcess.run([
                "sql", "--db", db.location, "--format", "csv", "SELECT experiment, model FROM model_overview WHERE experiment = 'none'",
            ])
            XCTAssertEqual(empty.stdout, "experiment,model\n", "\(db): an empty result still has its header")
            let before = try RowCounts.of(db.database)
            for statement in ["DELETE FROM models", "DROP TABLE models", "INSERT INTO experiments (name) VALUES ('x')",
                              "UPDATE checkpoints SET step = 5"] {
                let write = try LesionProcess.run(["sql", "--db", db.location, statement])
                XCTAssertEqual(write.status, 1, "\(db): \(statement)")
                XCTAssertTrue(write.stderr.lowercased().contains("read-only") || write.stderr.contains("only reading is allowed"),
                              "\(db): \(write.stderr)")
            }
            XCTAssertEqual(try RowCounts.of(db.database), before)
        }
    }

    func testMigrateStatusListsTheAppliedSchema() throws {
        try TestBackend.forEach { db in
            let status = try LesionProcess.run(["migrate", "--status", "--db", db.location])
            XCTAssertEqual(status.status, 0, status.stderr)
            let lines = status.stdout.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.first, "version,name,state,applied_at", status.stdout)
            XCTAssertEqual(lines.dropFirst().map { $0.split(separator: ",").prefix(3).joined(separator: ",") },
                           ["1,0001_initial,applied", "2,0002_set_based_references,applied", "3,0003_labels_and_classless_models,applied",
                            "4,0004_model_id_on_values,applied", "5,0005_class_vectors,applied"],
                           status.stdout)
            try db.database.execute("INSERT INTO lesion_migrations (version, name, applied_at) VALUES (999, 'future', 'x')")
            let newer = try LesionProcess.run(["models", "--db", db.location])
            XCTAssertEqual(newer.status, 1)
            XCTAssertTrue(newer.stderr.contains("schema version 999, but this lesion knows only up to version 5"), newer.stderr)
        }
    }
}
