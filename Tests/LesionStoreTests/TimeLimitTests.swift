import Foundation
import LesionStore
import LesionTestSupport
import XCTest

/// `withTimeLimit` stops a statement that runs too long, inside and outside a
/// read-only transaction, and leaves the connection usable without the limit.
final class TimeLimitTests: XCTestCase {
    static let endless: SQL = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT COUNT(*) FROM r"

    func testAnEndlessStatementIsStoppedAndTheConnectionStaysUsable() throws {
        try TestBackend.forEach(migrate: false) { db in
            for inTransaction in [false, true] {
                let started = Date()
                let error = assertDatabaseError(try {
                    if inTransaction {
                        try db.database.readOnlyTransaction {
                            try db.database.withTimeLimit(milliseconds: 300) { try db.database.fetchOne(Self.endless) { $0.int(0) } }
                        }
                    } else {
                        try db.database.withTimeLimit(milliseconds: 300) { try db.database.fetchOne(Self.endless) { $0.int(0) } }
                    }
                }(), "\(db)")
                let elapsed = Date().timeIntervalSince(started)
                XCTAssertEqual(error?.isTimeout, true, "\(db): \(String(describing: error))")
                XCTAssertGreaterThanOrEqual(elapsed, 0.29, "\(db): stopped before the limit")
                XCTAssertLessThan(elapsed, 10, "\(db): not stopped")
                // The limit is gone afterwards: a statement of a second runs through.
                let slow: SQL = db.backend == .sqlite
                    ? "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 3000000) SELECT COUNT(*) FROM r"
                    : "SELECT COUNT(*) FROM (SELECT pg_sleep(0.5)) s"
                XCTAssertNotNil(try db.database.fetchOne(slow) { $0.int(0) }, "\(db)")
            }
            // Within the limit, the body's result comes back.
            XCTAssertEqual(try db.database.withTimeLimit(milliseconds: 5_000) { try db.database.fetchOne("SELECT 41 + 1") { $0.int(0) } }, 42)
        }
    }
}
