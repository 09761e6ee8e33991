import Foundation
import LesionCore
import LesionStore
import LesionTestSupport
import XCTest

/// `lesion db distribute`: a populated database becomes distributed over a Citus
/// cluster with every row and every export kept; without Citus it is refused,
/// naming what is missing, and nothing changes. The Citus cases need
/// LESION_TEST_CITUS (a coordinator's connection string) and are skipped without it.
final class DistributeEndToEndTests: XCTestCase {
    static let fixtures = [LesionProcess.fixture("runs/mlp.jsonl.gz"), LesionProcess.fixture("runs/example-cnn-lc0-seed0.json")]

    func testWithoutCitusDistributeIsRefusedNamingWhatIsMissing() throws {
        try TestBackend.forEach { db in
            guard db.backend != .citus else { return }
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location] + Self.fixtures).status, 0)
            let before = try RowCounts.of(db.database)
            let refused = try LesionProcess.run(["db", "distribute", "--db", db.location])
            XCTAssertNotEqual(refused.status, 0, "\(db)")
            XCTAssertEqual(refused.stdout, "", "\(db)")
            let expected: String = db.backend == .sqlite ? "this database is SQLite" : "this PostgreSQL database has no citus extension"
            XCTAssertTrue(refused.stderr.contains(expected), "\(db): \(refused.stderr)")
            XCTAssertEqual(try RowCounts.of(db.database), before, "\(db)")
        }
    }

    func testDistributingAPopulatedDatabaseKeepsEveryRowAndExport() throws {
        guard TestBackend.available.contains(.citus) else { return }
        // migrate: false: a plain schema on the coordinator, filled before distributing.
        try TestBackend.citus.withFreshDatabase(migrate: false) { db in
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location] + Self.fixtures).status, 0)
            let exportBefore = try LesionProcess.run(["export", "--db", db.location])
            XCTAssertEqual(exportBefore.status, 0, exportBefore.stderr)
            XCTAssertGreaterThan(exportBefore.stdout.count, 1000)
            let countsBefore = try RowCounts.of(db.database)
            let notYet = try LesionProcess.run(["migrate", "--status", "--db", db.location])
            XCTAssertTrue(notYet.stderr.contains("layout: not distributed; Citus 13."), notYet.stderr)

            let distributed = try LesionProcess.run(["db", "distribute", "--shards", "4", "--db", db.location])
            XCTAssertEqual(distributed.status, 0, distributed.stderr)
            let found: Int?? = try db.database.fetchOne(
                "SELECT COUNT(*) FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' AND isactive") { (row: any Row) -> Int? in row.int(0) }
            let workers: Int = (found ?? nil) ?? 0
            let plural: String = workers == 1 ? "" : "s"
            let nodes: String = "\(workers) worker node" + plural
            XCTAssertTrue(distributed.stdout.hasPrefix("distributed over \(nodes) (Citus 13."), distributed.stdout)
            let tables = try db.database.fetchAll("""
                SELECT logicalrelid::text, partmethod FROM pg_dist_partition \
                WHERE logicalrelid::regclass::text IN ('unit_values', 'unit_class_vectors', 'unit_text_values', 'curve_values', 'models') \
                ORDER BY 1
                """) { (row: any Row) -> String in
                let table: String = row.string(0) ?? ""
                let method: String = row.string(1) ?? ""
                return "\(table) \(method)"
            }
            XCTAssertEqual(tables, ["curve_values h", "models n", "unit_class_vectors h", "unit_text_values h", "unit_values h"])

            XCTAssertEqual(try RowCounts.of(db.database), countsBefore)
            let exportAfter = try LesionProcess.run(["export", "--db", db.location])
            XCTAssertEqual(exportAfter.status, 0, exportAfter.stderr)
            XCTAssertEqual(exportAfter.stdout, exportBefore.stdout)

            let status = try LesionProcess.run(["migrate", "--status", "--db", db.location])
            XCTAssertTrue(status.stderr.contains("layout: distributed over \(nodes)"), status.stderr)
            XCTAssertTrue(status.stdout.contains("0005_class_vectors,applied"), status.stdout)
            let show = try LesionProcess.run(["show", "digits-single-directions/cnn-lc0-seed0", "--db", db.location])
            XCTAssertTrue(show.stdout.contains("distributed over \(nodes)"), show.stdout + show.stderr)

            let again = try LesionProcess.run(["db", "distribute", "--db", db.location])
            XCTAssertNotEqual(again.status, 0)
            XCTAssertTrue(again.stderr.contains("already distributed"), again.stderr)
            let reingest = try LesionProcess.run(["ingest", "--db", db.location] + Self.fixtures)
            XCTAssertTrue(reingest.stdout.hasPrefix("stored 0, merged 0, unchanged"), reingest.stdout + reingest.stderr)
        }
    }

    /// A database distributed by the lesion of schema version 4 (per-class values one
    /// row per class, distributed) upgrades in place to version 5: the packed table is
    /// distributed and co-located like the rest, and every export is the same.
    func testAVersionFourDistributedDatabaseUpgradesInPlace() throws {
        guard TestBackend.available.contains(.citus) else { return }
        try TestBackend.citus.withFreshDatabase(migrate: false) { target in
            try Migrator(target.database).migrate(through: 4)
            let versionFourTables = ClusterDistributor.distributedTables.map {
                $0.table == "unit_class_vectors" ? ("unit_class_values", $0.column, $0.parent) : $0
            }
            try ClusterDistributor(database: target.database, valueTables: versionFourTables).distribute(shards: 4)
            try TestBackend.citus.withFreshDatabase(migrate: false) { source in
                XCTAssertEqual(try LesionProcess.run(["ingest", "--db", source.location] + Self.fixtures).status, 0)
                let exportBefore = try LesionProcess.run(["export", "--db", source.location])
                XCTAssertEqual(exportBefore.status, 0, exportBefore.stderr)
                try OlderSchemaCopy.copy(from: source, to: target, tables: RowCounts.versionTwoTables + [
                    "unit_metric_kinds", "unit_text_values", "checkpoint_class_values",
                ])
                let classValues = try RowCounts.of(source.database, tables: ["unit_class_values"])
                XCTAssertEqual(try RowCounts.of(target.database, tables: ["unit_class_values"]), classValues)

                let migrated = try LesionProcess.run(["migrate", "--db", target.location])
                XCTAssertEqual(migrated.status, 0, migrated.stderr)
                XCTAssertTrue(migrated.stdout.contains("0005_class_vectors"), migrated.stdout)
                let placement = try target.database.fetchAll("""
                    SELECT logicalrelid::regclass::text, partmethod, colocationid =                     (SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'unit_values'::regclass)                     FROM pg_dist_partition WHERE logicalrelid::regclass::text IN ('unit_class_vectors', 'unit_class_values')
                    """) { (row: any Row) -> String in "\(row.string(0) ?? "") \(row.string(1) ?? "") \(row.string(2) ?? "")" }
                XCTAssertEqual(placement, ["unit_class_vectors h t"])
                XCTAssertEqual(try RowCounts.of(target.database, tables: ["unit_class_values"]), classValues)
                let exportAfter = try LesionProcess.run(["export", "--db", target.location])
                XCTAssertEqual(exportAfter.status, 0, exportAfter.stderr)
                XCTAssertTrue(exportAfter.stdout == exportBefore.stdout, "the export changed in the upgrade")
                let status = try LesionProcess.run(["migrate", "--status", "--db", target.location])
                XCTAssertTrue(status.stderr.contains("layout: distributed over"), status.stderr)
            }
        }
    }

    /// `db grant` on the coordinator reaches the workers: a reader exports what the owner does.
    func testGrantedReaderReadsADistributedDatabase() throws {
        guard TestBackend.available.contains(.citus) else { return }
        try TestBackend.citus.withFreshDatabase { db in
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location] + Self.fixtures).status, 0)
            let role = "lesion_reader_\(UUID().uuidString.prefix(8).lowercased())"
            try db.database.executeScript("CREATE ROLE \(role) LOGIN")
            defer { try? db.database.executeScript("DROP OWNED BY \(role); DROP ROLE \(role)") }
            let granted = try LesionProcess.run(["db", "grant", "--reader", role, "--db", db.location])
            XCTAssertEqual(granted.status, 0, granted.stderr)
            let owner = try LesionProcess.run(["export", "--db", db.location])
            let readerLocation: String = db.location + " user=\(role)"
            let reader = try LesionProcess.run(["export", "--db", readerLocation])
            XCTAssertEqual(reader.status, 0, reader.stderr)
            XCTAssertEqual(reader.stdout, owner.stdout)
            let write = try LesionProcess.run(["rm", "digits-single-directions/cnn-lc0-seed0", "--yes", "--db", readerLocation])
            XCTAssertNotEqual(write.status, 0)
            XCTAssertTrue(write.stderr.contains("permission denied"), write.stderr)
        }
    }
}
