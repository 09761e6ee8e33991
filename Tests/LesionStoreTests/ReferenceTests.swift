import LesionStore
import LesionTestSupport
import XCTest

/// The three largest tables refer to their parents by FOREIGN KEY on SQLite and by
/// statement-level triggers on PostgreSQL (Schema/postgresql/0002); on both, a row
/// that names no parent is refused, deleting a parent deletes its rows, and a
/// parent's id cannot change.
final class ReferenceTests: XCTestCase {
    /// The children and the parent each names, as in the schema.
    static let references = [
        (child: "unit_values", column: "unit_metric_id", parent: "unit_metrics"),
        (child: "unit_class_vectors", column: "unit_metric_id", parent: "unit_metrics"),
        (child: "curve_values", column: "curve_metric_id", parent: "curve_metrics"),
    ]

    func testRowNamingNoParentIsRefusedByInsertBulkLoadAndUpdate() throws {
        try TestBackend.forEach { db in
            let database = db.database
            let ids = try Self.storeModel(database, checkpoints: 1)[0]
            for reference in Self.references {
                let parentId = reference.parent == "unit_metrics" ? ids.unitMetric : ids.curveMetric
                let missing = parentId + 1000
                let before = try Self.count(database, reference.child)

                // A single INSERT.
                let insert = assertDatabaseError(try database.execute(Self.insertRow(into: reference.child, parent: missing, index: 90, model: ids.model)), "\(db)")
                XCTAssertTrue(Self.isReferenceViolation(insert), "\(db) \(reference.child): \(String(describing: insert))")

                // A bulk load (COPY on PostgreSQL) whose last row names no parent stores none of its rows.
                let bulk = assertDatabaseError(try database.transaction {
                    try Self.bulkLoad(database, into: reference.child, model: ids.model, rows: [(parentId, 91), (parentId, 92), (missing, 93)])
                }, "\(db)")
                XCTAssertTrue(Self.isReferenceViolation(bulk), "\(db) \(reference.child): \(String(describing: bulk))")
                XCTAssertEqual(try Self.count(database, reference.child), before, "\(db) \(reference.child)")

                // An UPDATE that moves a stored row to a missing parent.
                let update = assertDatabaseError(try database.execute(
                    "UPDATE \(unsafeRaw: reference.child) SET \(unsafeRaw: reference.column) = \(missing)"), "\(db)")
                XCTAssertTrue(Self.isReferenceViolation(update), "\(db) \(reference.child): \(String(describing: update))")
                XCTAssertEqual(try database.fetchOne(
                    "SELECT COUNT(*) FROM \(unsafeRaw: reference.child) WHERE \(unsafeRaw: reference.column) = \(parentId)") { $0.int(0) },
                    before, "\(db) \(reference.child)")

                // Rows naming an existing parent are taken, in a bulk load as one by one.
                try database.transaction { try Self.bulkLoad(database, into: reference.child, model: ids.model, rows: [(parentId, 94), (parentId, 95)]) }
                try database.execute(Self.insertRow(into: reference.child, parent: parentId, index: 96, model: ids.model))
                XCTAssertEqual(try Self.count(database, reference.child), before + 3, "\(db) \(reference.child)")
            }
        }
    }

    func testDeletingACheckpointDeletesItsRowsAndOnlyThose() throws {
        try TestBackend.forEach { db in
            let database = db.database
            let checkpoints = try Self.storeModel(database, checkpoints: 2)
            for reference in Self.references {
                XCTAssertEqual(try Self.count(database, reference.child), 2 * Self.rowsPerParent, "\(db) \(reference.child)")
            }
            try database.execute("DELETE FROM checkpoints WHERE id = \(checkpoints[0].checkpoint)")
            for reference in Self.references {
                XCTAssertEqual(try Self.count(database, reference.child), Self.rowsPerParent, "\(db) \(reference.child)")
                let kept = reference.parent == "unit_metrics" ? checkpoints[1].unitMetric : checkpoints[1].curveMetric
                XCTAssertEqual(try database.fetchOne(
                    "SELECT COUNT(*) FROM \(unsafeRaw: reference.child) WHERE \(unsafeRaw: reference.column) <> \(kept)") { $0.int(0) },
                    0, "\(db) \(reference.child)")
            }
            try database.execute("DELETE FROM models")
            for reference in Self.references {
                XCTAssertEqual(try Self.count(database, reference.child), 0, "\(db) \(reference.child)")
            }
        }
    }

    func testParentIdCannotChangeWhileRowsReferToIt() throws {
        try TestBackend.forEach { db in
            let database = db.database
            let ids = try Self.storeModel(database, checkpoints: 1)[0]
            for (parent, id) in [("unit_metrics", ids.unitMetric), ("curve_metrics", ids.curveMetric)] {
                let error = assertDatabaseError(try database.execute("UPDATE \(unsafeRaw: parent) SET id = \(id + 500) WHERE id = \(id)"), "\(db)")
                XCTAssertTrue(Self.isReferenceViolation(error), "\(db) \(parent): \(String(describing: error))")
                XCTAssertEqual(try database.fetchOne("SELECT COUNT(*) FROM \(unsafeRaw: parent) WHERE id = \(id)") { $0.int(0) }, 1, "\(db)")
            }
        }
    }

    /// TRUNCATE exists on PostgreSQL only; there a foreign key would refuse it, and the
    /// triggers truncate the children along with the parent instead. (A distributed
    /// database has foreign keys in their place, which refuse it as PostgreSQL does.)
    func testTruncatingAParentTruncatesItsRowsOnPostgres() throws {
        try TestBackend.forEach { db in
            guard db.backend == .postgresql else { return }
            let database = db.database
            _ = try Self.storeModel(database, checkpoints: 2)
            try database.executeScript("TRUNCATE unit_metrics, curve_metrics")
            for reference in Self.references {
                XCTAssertEqual(try Self.count(database, reference.child), 0, "\(db) \(reference.child)")
            }
            XCTAssertEqual(try Self.count(database, "curves"), 2, "\(db): the curves themselves stay")
        }
    }

    // MARK: Helpers

    static let rowsPerParent = 3

    struct CheckpointIds {
        var model: Int64
        var checkpoint: Int64
        var unitMetric: Int64
        var curveMetric: Int64
    }

    /// One model with one layer and `checkpoints` checkpoints, each with one unit metric
    /// (scalar and per-class rows) and one curve metric, `rowsPerParent` rows in each child.
    static func storeModel(_ database: any Database, checkpoints: Int) throws -> [CheckpointIds] {
        try database.transaction {
            let ingest = try returningId(database, """
                INSERT INTO ingests (source, content_hash, ingested_at, user_name, host, tool_version) \
                VALUES (\("test"), \("hash"), \("2026-11-29T00:00:00Z"), \("u"), \("h"), \("v")) RETURNING id
                """)
            let experiment = try returningId(database, "INSERT INTO experiments (name) VALUES (\("e")) RETURNING id")
            let model = try returningId(database, """
                INSERT INTO models (experiment_id, name, classes, ingest_id) VALUES (\(experiment), \("m"), \(2), \(ingest)) RETURNING id
                """)
            let layer = try returningId(database, """
                INSERT INTO layers (model_id, name, depth, units) VALUES (\(model), \("fc1"), \(0), \(rowsPerParent)) RETURNING id
                """)
            return try (0..<checkpoints).map { step in
                let checkpoint = try returningId(database, """
                    INSERT INTO checkpoints (model_id, step, content_hash, ingest_id) \
                    VALUES (\(model), \(step), \("c\(step)"), \(ingest)) RETURNING id
                    """)
                let unitMetric = try returningId(database, """
                    INSERT INTO unit_metrics (checkpoint_id, layer_id, name, position, per_class) \
                    VALUES (\(checkpoint), \(layer), \("s"), \(0), \(0)) RETURNING id
                    """)
                let curve = try returningId(database, """
                    INSERT INTO curves (checkpoint_id, position, perturbation, scope, unit_order, seed) \
                    VALUES (\(checkpoint), \(0), \("ablation"), \("all"), \("random"), \(0)) RETURNING id
                    """)
                let curveMetric = try returningId(database, """
                    INSERT INTO curve_metrics (curve_id, name, position) VALUES (\(curve), \("test_accuracy"), \(0)) RETURNING id
                    """)
                for index in 0..<rowsPerParent {
                    try database.execute(insertRow(into: "unit_values", parent: unitMetric, index: index, model: model))
                    try database.execute(insertRow(into: "unit_class_vectors", parent: unitMetric, index: index, model: model))
                    try database.execute(insertRow(into: "curve_values", parent: curveMetric, index: index, model: model))
                }
                return CheckpointIds(model: model, checkpoint: checkpoint, unitMetric: unitMetric, curveMetric: curveMetric)
            }
        }
    }

    static func insertRow(into child: String, parent: Int64, index: Int, model: Int64) -> SQL {
        switch child {
        case "unit_class_vectors":
            return "INSERT INTO unit_class_vectors (unit_metric_id, unit, vector, model_id) VALUES (\(parent), \(index), \(DatabaseValue.blob(PackedDoubles.encode([0.5]))), \(model))"
        case "curve_values":
            return "INSERT INTO curve_values (curve_metric_id, point, value, model_id) VALUES (\(parent), \(index), \(0.5), \(model))"
        default:
            return "INSERT INTO unit_values (unit_metric_id, unit, value, model_id) VALUES (\(parent), \(index), \(0.5), \(model))"
        }
    }

    static func bulkLoad(_ database: any Database, into child: String, model: Int64, rows: [(parent: Int64, index: Int)]) throws {
        let columns: [String]
        switch child {
        case "unit_class_vectors": columns = ["unit_metric_id", "unit", "vector", "model_id"]
        case "curve_values": columns = ["curve_metric_id", "point", "value", "model_id"]
        default: columns = ["unit_metric_id", "unit", "value", "model_id"]
        }
        try database.bulkLoad(table: child, columns: columns) { writer in
            for row in rows {
                try writer.add(row.parent)
                try writer.add(row.index)
                if child == "unit_class_vectors" { try writer.add(PackedDoubles.encode([0.25, 0.75])) } else { try writer.add(0.25) }
                try writer.add(model)
                try writer.endRow()
            }
        }
    }

    static func returningId(_ database: any Database, _ sql: SQL) throws -> Int64 {
        guard let id = try database.fetchOne(sql, { $0.int64(0) }) ?? nil else {
            throw DatabaseError(code: .misuse, message: "no id returned", sql: sql.rendered(for: database.dialect).text)
        }
        return id
    }

    static func count(_ database: any Database, _ table: String) throws -> Int {
        try Scratch.count(database, table)
    }

    /// SQLite's SQLITE_CONSTRAINT_FOREIGNKEY, or PostgreSQL's foreign_key_violation.
    static func isReferenceViolation(_ error: DatabaseError?) -> Bool {
        guard let error else { return false }
        // Citus's COPY reports a worker's foreign key violation as XX000 (its
        // ReportCopyError keeps the message, not the SQLSTATE).
        let citusCopy = error.code == .postgres("XX000") && error.message.contains("violates foreign key constraint")
        return error.code == .sqlite(787) || error.code == .postgres("23503") || citusCopy
    }
}
