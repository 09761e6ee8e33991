import LesionStore
import LesionTestSupport
import XCTest

/// The throwing decoders read what a query promises and name the column otherwise,
/// on both backends.
final class RowDecodingTests: XCTestCase {
    private let query: SQL = "SELECT 7 AS id, 2.5 AS score, 'fc1' AS layer, NULL AS missing, 1 AS flag, 'noise' AS perturbation"

    private enum Perturbation: String { case ablation, noise }

    func testDecodesEachTypeAsStored() throws {
        try TestBackend.forEach { db in
            let row = try XCTUnwrap(db.database.fetchOne(query) { row in
                (try row.decode(Int64.self, at: 0), try row.decode(Int.self, at: 0), try row.decode(Double.self, at: 1),
                 try row.decode(String.self, at: 2), try row.decodeIfPresent(String.self, at: 3),
                 try row.decode(Double.self, at: 0), try row.decode(Bool.self, at: 4),
                 try row.decode(Perturbation.self, at: 5))
            }, "\(db.backend)")
            XCTAssertEqual(row.0, 7)
            XCTAssertEqual(row.1, 7)
            XCTAssertEqual(row.2, 2.5)
            XCTAssertEqual(row.3, "fc1")
            XCTAssertNil(row.4)
            XCTAssertEqual(row.5, 7.0)
            XCTAssertEqual(row.6, true)
            XCTAssertEqual(row.7, .noise)
        }
    }

    func testNullWhereAValueIsNeededNamesTheColumnAndTheStatement() throws {
        try TestBackend.forEach { db in
            XCTAssertThrowsError(try db.database.fetchOne(query) { try $0.decode(Int64.self, at: 3) }) { error in
                let failure = error as? DatabaseError
                XCTAssertEqual(failure?.code, .rowDecoding, "\(db.backend)")
                XCTAssertEqual(failure?.message, "column 3 (missing) is NULL where an integer was expected", "\(db.backend)")
                XCTAssertEqual(failure?.sql?.hasPrefix("SELECT 7 AS id"), true, "\(db.backend)")
            }
        }
    }

    func testAnotherTypeIsRefusedNotConverted() throws {
        try TestBackend.forEach { db in
            let cases: [(Int, (any Row) throws -> Any, String)] = [
                (2, { try $0.decode(Int64.self, at: 2) }, "column 2 (layer) holds text where an integer was expected"),
                (1, { try $0.decode(Int64.self, at: 1) }, "column 1 (score) holds a number where an integer was expected"),
                (0, { try $0.decode(String.self, at: 0) }, "column 0 (id) holds an integer where text was expected"),
                (2, { try $0.decodeIfPresent(Double.self, at: 2) as Any }, "column 2 (layer) holds text where a number or NULL was expected"),
                (2, { try $0.decode(Perturbation.self, at: 2) }, "column 2 (layer) holds \"fc1\", which is not a known Perturbation"),
                (9, { try $0.decode(Int64.self, at: 9) }, "column 9 (no such column) is NULL where an integer was expected"),
            ]
            for (column, decode, message) in cases {
                XCTAssertThrowsError(try db.database.fetchOne(query, decode), "\(db.backend) column \(column)") { error in
                    XCTAssertEqual((error as? DatabaseError)?.message, message, "\(db.backend)")
                }
            }
        }
    }
}
