import LesionStore
import LesionTestSupport
import XCTest

/// `SnapshotReaders`: two connections that read one snapshot, taken on an idle
/// connection, unaffected by a later commit; the caller's connection alone inside a
/// transaction, under a time limit and on Citus.
final class SnapshotReadersTests: XCTestCase {
    private static func models(_ database: any Database) throws -> Int {
        try database.fetchOne("SELECT COUNT(*) FROM experiments") { try $0.decode(Int.self, at: 0) } ?? -1
    }

    func testSiblingsShareOneSnapshotThatALaterCommitDoesNotChange() throws {
        try TestBackend.forEach { db in
            try db.database.execute("INSERT INTO experiments (name) VALUES (\("before"))")
            let writer = try db.openAnotherConnection()
            try SnapshotReaders.with(db.database, count: 2) { readers in
                // A commit after the snapshot was taken: the writer is not blocked,
                // and neither reader sees it.
                try writer.execute("INSERT INTO experiments (name) VALUES (\("after"))")
                guard db.backend != .citus else {
                    XCTAssertEqual(readers.count, 1, "Citus keeps a snapshot per worker: the caller's connection alone")
                    XCTAssertTrue(readers[0].database === db.database)
                    return
                }
                XCTAssertEqual(readers.count, 2, "\(db)")
                XCTAssertFalse(readers.contains { $0.database === db.database }, "\(db)")
                for reader in readers {
                    XCTAssertEqual(try Self.models(reader.database), 1, "\(db)")
                }
                XCTAssertEqual(try Self.models(writer), 2, "\(db)")
            }
            XCTAssertEqual(try Self.models(db.database), 2, "\(db): the caller's connection is left outside any transaction")
        }
    }

    func testInsideATransactionOrATimeLimitTheCallersConnectionReadsAlone() throws {
        try TestBackend.forEach { db in
            try db.database.transaction {
                try SnapshotReaders.with(db.database, count: 2) { readers in
                    XCTAssertEqual(readers.count, 1, "\(db)")
                    XCTAssertTrue(readers[0].database === db.database, "\(db)")
                }
            }
            try db.database.withTimeLimit(milliseconds: 60_000) {
                try SnapshotReaders.with(db.database, count: 2) { readers in
                    XCTAssertEqual(readers.count, 1, "\(db): siblings would escape the time limit")
                }
            }
        }
    }
}
