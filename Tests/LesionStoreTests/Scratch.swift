import LesionStore
import LesionTestSupport
import XCTest

/// A table for tests that need one of each column type, created in the dialect's
/// own words.
enum Scratch {
    static func createTable(_ database: any Database, name: String = "scratch") throws {
        switch database.dialect {
        case .sqlite:
            try database.executeScript("CREATE TABLE \(name) (k INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB)")
        case .postgresql:
            try database.executeScript("CREATE TABLE \(name) (k bigint PRIMARY KEY, i bigint, r double precision, s text, b bytea)")
        }
    }

    static func count(_ database: any Database, _ table: String = "scratch") throws -> Int {
        (try database.fetchOne("SELECT COUNT(*) FROM \(unsafeRaw: table)") { $0.int(0) ?? -1 }) ?? -1
    }

    static func tableExists(_ database: any Database, _ table: String) throws -> Bool {
        let query: SQL
        switch database.dialect {
        case .sqlite: query = "SELECT COUNT(*) FROM sqlite_master WHERE name = \(table)"
        case .postgresql: query = "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = \(table)"
        }
        return (try database.fetchOne(query) { $0.int(0) ?? 0 } ?? 0) > 0
    }
}

/// An error thrown on purpose by a test body.
struct Planned: Error, Equatable {
    var tag = "planned"
}

/// Asserts that `body` throws a ``DatabaseError`` and returns it.
@discardableResult
func assertDatabaseError<T>(
    _ body: @autoclosure () throws -> T, _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) -> DatabaseError? {
    do {
        _ = try body()
        XCTFail("expected a DatabaseError \(message)", file: file, line: line)
    } catch let error as DatabaseError {
        return error
    } catch {
        XCTFail("expected a DatabaseError, got \(error) \(message)", file: file, line: line)
    }
    return nil
}
