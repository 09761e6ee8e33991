import Foundation
import LesionStore
import LesionTestSupport
import XCTest

/// Migrations run in order, once each, recorded in `lesion_migrations`; a newer
/// schema is refused; concurrent migrators apply each migration exactly once.
final class MigratorTests: XCTestCase {
    func testFreshDatabaseIsMigratedOnceAndRecorded() throws {
        try TestBackend.forEach(migrate: false) { db in
            let migrator = Migrator(db.database)
            let known = migrator.known
            XCTAssertFalse(known.isEmpty, "\(db)")
            XCTAssertEqual(known.map(\.version), known.map(\.version).sorted(), "\(db)")

            let before = try migrator.status()
            XCTAssertTrue(before.applied.isEmpty, "\(db)")
            XCTAssertEqual(before.pending, known, "\(db)")

            XCTAssertEqual(try migrator.migrate(), known, "\(db)")
            let after = try migrator.status()
            XCTAssertEqual(after.applied.map(\.version), known.map(\.version), "\(db)")
            XCTAssertEqual(after.applied.map(\.name), known.map(\.name), "\(db)")
            XCTAssertTrue(after.applied.allSatisfy { $0.appliedAt.hasSuffix("Z") }, "\(db)")
            XCTAssertTrue(after.pending.isEmpty, "\(db)")

            XCTAssertEqual(try migrator.migrate(), [], "\(db)")
            XCTAssertEqual(try Scratch.count(db.database, "lesion_migrations"), known.count, "\(db)")
            XCTAssertTrue(try Scratch.tableExists(db.database, "unit_values"), "\(db)")
        }
    }

    func testOpenerMigrates() throws {
        try TestBackend.forEach(migrate: true) { db in
            XCTAssertTrue(try Migrator(db.database).status().pending.isEmpty, "\(db)")
            let again = try DatabaseOpener.open(DatabaseLocation(db.location))
            XCTAssertEqual(try Scratch.count(again, "lesion_migrations"), Migrator(again).known.count, "\(db)")
        }
    }

    func testNewerSchemaIsRefused() throws {
        try TestBackend.forEach { db in
            try db.database.execute("INSERT INTO lesion_migrations (version, name, applied_at) VALUES (\(999), \("0999_future"), \("2030-01-01T00:00:00Z"))")
            let status = assertDatabaseError(try Migrator(db.database).status(), "\(db)")
            XCTAssertEqual(status?.code, .schemaTooNew, "\(db)")
            XCTAssertTrue(status?.message.contains("999") ?? false, "\(db): \(String(describing: status))")
            XCTAssertEqual(assertDatabaseError(try Migrator(db.database).migrate())?.code, .schemaTooNew, "\(db)")
            XCTAssertEqual(assertDatabaseError(try DatabaseOpener.open(DatabaseLocation(db.location)))?.code, .schemaTooNew, "\(db)")
        }
    }

    func testMigrateThroughAVersionStopsThere() throws {
        try TestBackend.forEach(migrate: false) { db in
            let migrator = Migrator(db.database)
            XCTAssertEqual(try migrator.migrate(through: 1).map(\.version), [1], "\(db)")
            XCTAssertEqual(try migrator.status().applied.map(\.version), [1], "\(db)")
            XCTAssertEqual(try migrator.status().pending.map(\.version), Array(migrator.known.map(\.version).dropFirst()), "\(db)")
            XCTAssertEqual(try migrator.migrate().map(\.version), Array(migrator.known.map(\.version).dropFirst()), "\(db)")
            XCTAssertTrue(try migrator.status().pending.isEmpty, "\(db)")
        }
    }

    /// A team member's role may write rows but not change tables: a pending migration
    /// says who can apply it instead of failing half-way with "permission denied".
    /// PostgreSQL only: SQLite's permissions are the file's, and the tests run as root.
    func testPendingMigrationWithoutPrivilegeNamesTheOwner() throws {
        guard TestBackend.available.contains(.postgresql) else { return }
        try TestBackend.postgresql.withFreshDatabase(migrate: false) { db in
            try Migrator(db.database).migrate(through: 1)
            try db.withRowWriterRole { asMember in
                let member = try DatabaseOpener.open(DatabaseLocation(asMember), migrate: false)
                let error = assertDatabaseError(try Migrator(member).migrate())
                XCTAssertEqual(error?.code, .migrationNotPermitted)
                XCTAssertTrue(error?.message.contains("is at schema version 1 and this lesion needs version 5") ?? false, "\(String(describing: error))")
                XCTAssertTrue(error?.hint?.contains("owner to run `lesion migrate`") ?? false, "\(String(describing: error))")
                XCTAssertEqual(try Migrator(db.database).status().applied.map(\.version), [1], "nothing applied")

                XCTAssertEqual(try Migrator(db.database).migrate().map(\.version), [2, 3, 4, 5], "the owner can")
                XCTAssertTrue(try Migrator(member).migrate().isEmpty, "and then the member has nothing to do")
            }
        }
    }

    /// Several connections find the same empty database at once.
    func testConcurrentMigratorsApplyEachMigrationOnce() throws {
        try TestBackend.forEach(migrate: false) { db in
            let location = db.location
            let workers = 4
            let outcome = Outcome()
            let start = DispatchSemaphore(value: 0)
            let done = DispatchGroup()
            for _ in 0..<workers {
                done.enter()
                Thread {
                    defer { done.leave() }
                    do {
                        let connection = try DatabaseOpener.open(DatabaseLocation(location), migrate: false)
                        start.wait()
                        outcome.record(.success(try Migrator(connection).migrate().map(\.version)))
                    } catch {
                        start.wait()
                        outcome.record(.failure(error))
                    }
                }.start()
            }
            for _ in 0..<workers { start.signal() }
            XCTAssertEqual(done.wait(timeout: .now() + 120), .success, "\(db)")
            let results = outcome.results
            XCTAssertEqual(results.count, workers, "\(db)")
            var applied: [Int] = []
            for result in results {
                switch result {
                case .success(let versions): applied += versions
                case .failure(let error): XCTFail("\(db): \(error)")
                }
            }
            let known = Migrator(db.database).known.map(\.version)
            XCTAssertEqual(applied.sorted(), known, "\(db)")
            XCTAssertEqual(try Scratch.count(db.database, "lesion_migrations"), known.count, "\(db)")
        }
    }

    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [Result<[Int], any Error>] = []
        func record(_ result: Result<[Int], any Error>) { lock.withLock { stored.append(result) } }
        var results: [Result<[Int], any Error>] { lock.withLock { stored } }
    }
}
