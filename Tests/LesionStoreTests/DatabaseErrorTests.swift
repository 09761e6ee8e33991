import LesionStore
import LesionTestSupport
import XCTest

/// Errors carry the backend's code, the server's message and the SQL, but not the
/// bound values.
final class DatabaseErrorTests: XCTestCase {
    func testUniqueViolationIsRecognised() throws {
        try TestBackend.forEach { db in
            try db.database.execute("INSERT INTO experiments (name) VALUES (\("secret-name"))")
            let error = assertDatabaseError(try db.database.execute("INSERT INTO experiments (name) VALUES (\("secret-name"))"), "\(db)")
            XCTAssertEqual(error?.isUniqueViolation, true, "\(db): \(String(describing: error))")
            XCTAssertFalse(error?.message.isEmpty ?? true, "\(db)")
            XCTAssertTrue(error?.sql?.hasPrefix("INSERT INTO experiments (name) VALUES (") ?? false, "\(db)")
            XCTAssertFalse(error?.message.contains("secret-name") ?? true, "\(db): bound value in the message")
            switch db.backend.dialect {
            case .sqlite:
                XCTAssertEqual(error?.code, .sqlite(2067))
            case .postgresql:
                XCTAssertEqual(error?.code, .postgres("23505"))
                XCTAssertEqual(error?.sql, "INSERT INTO experiments (name) VALUES ($1)")
                XCTAssertNotNil(error?.detail)  // the server's DETAIL names the key
            }
        }
    }

    func testPrimaryKeyViolationIsAUniqueViolation() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            try db.database.execute("INSERT INTO scratch (k) VALUES (\(1))")
            let error = assertDatabaseError(try db.database.execute("INSERT INTO scratch (k) VALUES (\(1))"), "\(db)")
            XCTAssertEqual(error?.isUniqueViolation, true, "\(db): \(String(describing: error))")
        }
    }

    func testOtherErrorsCarryCodeMessageAndSQL() throws {
        try TestBackend.forEach { db in
            let syntax = assertDatabaseError(try db.database.execute("SELEC 1"), "\(db)")
            XCTAssertEqual(syntax?.sql, "SELEC 1", "\(db)")
            XCTAssertTrue(syntax?.message.contains("syntax error") ?? false, "\(db): \(String(describing: syntax))")
            XCTAssertFalse(syntax?.isUniqueViolation ?? true)
            let missing = assertDatabaseError(try db.database.fetchAll("SELECT * FROM no_such_table") { $0.columnCount }, "\(db)")
            XCTAssertTrue(missing?.message.contains("no_such_table") ?? false, "\(db)")
            XCTAssertTrue(missing?.description.contains("while running: SELECT * FROM no_such_table") ?? false, "\(db)")
            let check = assertDatabaseError(try db.database.execute("INSERT INTO experiments (id, name) VALUES (\(1), \(nil as String?))"), "\(db)")
            XCTAssertNotNil(check?.code, "\(db)")
            let script = assertDatabaseError(try db.database.executeScript("CREATE TABLE t1 (x INTEGER); CREATE TABLE t1 (x INTEGER)"), "\(db)")
            XCTAssertEqual(script?.sql, "CREATE TABLE t1 (x INTEGER); CREATE TABLE t1 (x INTEGER)")
            if db.backend.dialect == .postgresql {
                XCTAssertEqual(syntax?.code, .postgres("42601"))
                XCTAssertEqual(missing?.code, .postgres("42P01"))
                XCTAssertEqual(check?.code, .postgres("23502"))
                XCTAssertEqual(script?.code, .postgres("42P07"))
            }
        }
    }

    func testOnlyOneStatementAtATimeWithArguments() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            assertDatabaseError(try db.database.execute("INSERT INTO scratch (k) VALUES (\(1)); DELETE FROM scratch"), "\(db)")
            XCTAssertEqual(try Scratch.count(db.database), 0, "\(db)")
        }
    }
}
