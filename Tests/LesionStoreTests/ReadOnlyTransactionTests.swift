import LesionStore
import LesionTestSupport
import XCTest

/// `readOnlyTransaction { }` lets reading through and makes the database refuse
/// every write, leaving it unchanged.
final class ReadOnlyTransactionTests: XCTestCase {
    static let writes: [String] = [
        "INSERT INTO scratch (k) VALUES (9)",
        "UPDATE scratch SET i = 5",
        "DELETE FROM scratch",
        "DROP TABLE scratch",
        "CREATE TABLE intruder (x INTEGER)",
        "CREATE INDEX scratch_by_i ON scratch (i)",
        "ALTER TABLE scratch ADD COLUMN extra INTEGER",
    ]

    func testWritesAreRefusedAndNothingChanges() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            try db.database.execute("INSERT INTO scratch (k, i) VALUES (1, 10)")
            for statement in Self.writes {
                let error = assertDatabaseError(try db.database.readOnlyTransaction {
                    try db.database.execute(SQL(stringLiteral: statement))
                }, "\(db): \(statement)")
                XCTAssertEqual(error?.isReadOnlyOrPermissionDenied, true, "\(db): \(statement): \(String(describing: error))")
                XCTAssertEqual(error?.sql, statement, "\(db)")
                XCTAssertFalse(error?.message.isEmpty ?? true, "\(db)")
            }
            XCTAssertEqual(try db.database.fetchAll("SELECT k, i FROM scratch") { [$0.int(0), $0.int(1)] }, [[1, 10]], "\(db)")
            XCTAssertFalse(try Scratch.tableExists(db.database, "intruder"), "\(db)")
            XCTAssertEqual(try db.database.fetchAll("SELECT * FROM scratch") { $0.columnCount }, [5], "\(db)")
        }
    }

    func testReadingWorksAndWritingWorksAgainAfterwards() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            try db.database.execute("INSERT INTO scratch (k, i) VALUES (1, 10)")
            let total = try db.database.readOnlyTransaction {
                try db.database.fetchOne("SELECT SUM(i) FROM scratch WHERE k > \(0)") { $0.int(0) }
            }
            XCTAssertEqual(total, 10, "\(db)")
            XCTAssertThrowsError(try db.database.readOnlyTransaction { throw Planned() }) {
                XCTAssertEqual($0 as? Planned, Planned(), "\(db)")
            }
            try db.database.execute("INSERT INTO scratch (k, i) VALUES (2, 20)")
            try db.database.transaction { _ = try db.database.execute("INSERT INTO scratch (k, i) VALUES (3, 30)") }
            XCTAssertEqual(try Scratch.count(db.openAnotherConnection()), 3, "\(db)")
        }
    }

    /// Ending the transaction from inside does not open the way to writes.
    func testCommitInsideDoesNotAllowLaterWrites() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            _ = try? db.database.readOnlyTransaction {
                _ = try? db.database.execute("COMMIT")
                let error = assertDatabaseError(try db.database.execute("INSERT INTO scratch (k) VALUES (1)"), "\(db)")
                XCTAssertEqual(error?.isReadOnlyOrPermissionDenied, true, "\(db): \(String(describing: error))")
            }
            XCTAssertEqual(try Scratch.count(db.database), 0, "\(db)")
            try db.database.execute("INSERT INTO scratch (k) VALUES (1)")
            XCTAssertEqual(try Scratch.count(db.database), 1, "\(db)")
        }
    }
}
