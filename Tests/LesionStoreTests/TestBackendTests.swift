import Foundation
import LesionStore
import LesionTestSupport
import XCTest

/// The test support itself: each backend's fresh database is reachable through
/// its `--db` text, isolated from the others, and gone afterwards.
final class TestBackendTests: XCTestCase {
    func testLocationReachesTheSameDatabaseAndIsRemovedAfterwards() throws {
        var locations: [(TestBackend, String)] = []
        try TestBackend.forEach { db in
            switch (db.backend, DatabaseLocation(db.location)) {
            case (.sqlite, .sqlite), (.postgresql, .postgresql), (.citus, .postgresql): break
            default: XCTFail("\(db): --db \(db.location) reads as \(DatabaseLocation(db.location))")
            }
            try db.database.execute("INSERT INTO experiments (name) VALUES (\("shared"))")
            let other = try DatabaseOpener.open(DatabaseLocation(db.location))
            XCTAssertEqual(try Scratch.count(other, "experiments"), 1, "\(db)")
            locations.append((db.backend, db.location))
        }
        // A second fresh database starts empty.
        try TestBackend.forEach { db in
            XCTAssertEqual(try Scratch.count(db.database, "experiments"), 0, "\(db)")
        }
        for (backend, location) in locations {
            switch backend {
            case .sqlite:
                XCTAssertFalse(FileManager.default.fileExists(atPath: location))
            case .postgresql, .citus:
                // The schema is dropped: a new connection finds no tables there.
                let database = try PostgresDatabase(conninfo: location)
                XCTAssertEqual(try database.fetchOne("SELECT COUNT(*) FROM pg_catalog.pg_namespace WHERE nspname = current_schema()") { $0.int(0) }, 0)
            }
        }
    }

    func testFailuresNameTheBackend() {
        XCTAssertThrowsError(try TestBackend.sqlite.withFreshDatabase { _ in throw Planned() }) { error in
            XCTAssertEqual("\(error)", "[sqlite] \(Planned())")
            XCTAssertEqual((error as? TestBackendFailure)?.underlying as? Planned, Planned())
        }
    }
}
