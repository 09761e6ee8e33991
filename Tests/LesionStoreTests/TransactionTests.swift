import LesionStore
import LesionTestSupport
import XCTest

/// `transaction { }`: committed on return, rolled back on throw with the first
/// error rethrown; nested calls are savepoints.
final class TransactionTests: XCTestCase {
    func testCommitKeepsTheWrites() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            let value = try db.database.transaction { () throws -> Int in
                try db.database.execute("INSERT INTO scratch (k) VALUES (1)")
                try db.database.execute("INSERT INTO scratch (k) VALUES (2)")
                return 42
            }
            XCTAssertEqual(value, 42)
            // Visible from another connection: committed.
            let other = try db.openAnotherConnection()
            XCTAssertEqual(try Scratch.count(other), 2, "\(db)")
        }
    }

    func testThrowRollsBackAndRethrowsTheSameError() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            XCTAssertThrowsError(try db.database.transaction {
                try db.database.execute("INSERT INTO scratch (k) VALUES (1)")
                throw Planned(tag: "first")
            }) { error in
                XCTAssertEqual(error as? Planned, Planned(tag: "first"), "\(db)")
            }
            XCTAssertEqual(try Scratch.count(db.database), 0, "\(db)")
            // The connection is usable again, outside any transaction.
            try db.database.transaction { _ = try db.database.execute("INSERT INTO scratch (k) VALUES (1)") }
            XCTAssertEqual(try Scratch.count(db.openAnotherConnection()), 1, "\(db)")
        }
    }

    func testAFailedStatementRollsBackTheWholeTransaction() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            let error = assertDatabaseError(try db.database.transaction {
                try db.database.execute("INSERT INTO scratch (k) VALUES (1)")
                try db.database.execute("INSERT INTO scratch (k) VALUES (1)")
            }, "\(db)")
            XCTAssertEqual(error?.isUniqueViolation, true, "\(db): \(String(describing: error))")
            XCTAssertEqual(try Scratch.count(db.database), 0, "\(db)")
        }
    }

    func testNestedTransactionRollsBackOnlyItsSavepoint() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            try db.database.transaction {
                try db.database.execute("INSERT INTO scratch (k) VALUES (1)")
                XCTAssertThrowsError(try db.database.transaction {
                    try db.database.execute("INSERT INTO scratch (k) VALUES (2)")
                    throw Planned(tag: "inner")
                }) { XCTAssertEqual($0 as? Planned, Planned(tag: "inner"), "\(db)") }
                // A failed statement inside a savepoint: only the savepoint is lost.
                let error = assertDatabaseError(try db.database.transaction {
                    try db.database.execute("INSERT INTO scratch (k) VALUES (3)")
                    try db.database.execute("INSERT INTO scratch (k) VALUES (1)")
                }, "\(db)")
                XCTAssertEqual(error?.isUniqueViolation, true, "\(db)")
                try db.database.transaction {
                    _ = try db.database.execute("INSERT INTO scratch (k) VALUES (4)")
                }
                try db.database.execute("INSERT INTO scratch (k) VALUES (5)")
            }
            let keys = try db.database.fetchAll("SELECT k FROM scratch ORDER BY k") { $0.int(0) ?? -1 }
            XCTAssertEqual(keys, [1, 4, 5], "\(db)")
        }
    }

    func testInnerErrorRethrownThroughOuterRollsBackAll() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            XCTAssertThrowsError(try db.database.transaction {
                try db.database.execute("INSERT INTO scratch (k) VALUES (1)")
                try db.database.transaction {
                    try db.database.execute("INSERT INTO scratch (k) VALUES (2)")
                    try db.database.transaction {
                        throw Planned(tag: "deepest")
                    }
                }
            }) { XCTAssertEqual($0 as? Planned, Planned(tag: "deepest"), "\(db)") }
            XCTAssertEqual(try Scratch.count(db.database), 0, "\(db)")
        }
    }

    func testLockForTransactionInsideATransaction() throws {
        try TestBackend.forEach(migrate: false) { db in
            try db.database.transaction {
                try db.database.lockForTransaction(key: 12345)
                try db.database.lockForTransaction(key: -1)
            }
        }
    }
}
