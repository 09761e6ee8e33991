import Foundation
import LesionStore
import LesionTestSupport
import XCTest

/// Schema version 5's packed per-class values meeting bad data: an older database
/// whose per-class rows have a gap is refused at the upgrade, naming the unit, with
/// nothing changed; a vector that is not a blob is refused when read, naming the column.
final class ClassVectorsEndToEndTests: XCTestCase {
    static let fixtures = [LesionProcess.fixture("runs/example-cnn-lc0-seed0.json")]

    func testAnUpgradeRefusesAUnitWhoseClassesHaveAGap() throws {
        try TestBackend.forEach(migrate: false) { target in
            guard target.backend != .citus else { return }  // the same migration; distributed upgrades: DistributeEndToEndTests
            try Migrator(target.database).migrate(through: 4)
            try target.backend.withFreshDatabase { source in
                XCTAssertEqual(try LesionProcess.run(["ingest", "--db", source.location] + Self.fixtures).status, 0)
                try OlderSchemaCopy.copy(from: source, to: target, tables: RowCounts.versionTwoTables + [
                    "unit_metric_kinds", "unit_text_values", "checkpoint_class_values",
                ])
            }
            let metric = try XCTUnwrap(try target.database.fetchOne(
                "SELECT MIN(unit_metric_id) FROM unit_class_values") { try $0.decode(Int64.self, at: 0) })
            try target.database.execute("DELETE FROM unit_class_values WHERE unit_metric_id = \(metric) AND unit = \(3) AND class = \(4)")
            let before = try RowCounts.of(target.database, tables: RowCounts.versionTwoTables)

            let refused = try LesionProcess.run(["migrate", "--db", target.location])
            XCTAssertEqual(refused.status, 1, "\(target): \(refused.stdout)")
            XCTAssertTrue(refused.stderr.contains("unit 3 of unit metric \(metric)"), "\(target): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("cannot be packed into a vector"), "\(target): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("or delete the unit's rows, then run `lesion migrate` again"), "\(target): \(refused.stderr)")
            XCTAssertEqual(try Migrator(target.database).status().applied.map(\.version), [1, 2, 3, 4], "\(target)")
            XCTAssertEqual(try RowCounts.of(target.database, tables: RowCounts.versionTwoTables), before, "\(target)")
        }
    }

    /// SQLite only: its BLOB column takes any type; PostgreSQL's bytea and the length
    /// check refuse such a value when it is written.
    func testAVectorThatIsNotABlobIsRefusedNamingTheColumn() throws {
        try TestBackend.sqlite.withFreshDatabase { db in
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location] + Self.fixtures).status, 0)
            try db.database.execute("UPDATE unit_class_vectors SET vector = \("8 bytes!") WHERE unit = \(0)")
            let exported = try LesionProcess.run(["export", "--db", db.location])
            XCTAssertEqual(exported.status, 1, exported.stderr)
            XCTAssertEqual(exported.stdout, "")
            XCTAssertTrue(exported.stderr.contains("(vector) holds text where packed class values were expected"), exported.stderr)
        }
    }
}
