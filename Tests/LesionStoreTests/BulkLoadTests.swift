import LesionStore
import LesionTestSupport
import XCTest

/// `bulkLoad`: many rows fast (COPY on PostgreSQL), all or nothing.
final class BulkLoadTests: XCTestCase {
    static let awkwardTexts = ["plain", "tab\there", "new\nline", "cr\rlf\r\n", "back\\slash", "\\N", "\\.", "", "日本 🧠", "end\\"]

    func testManyRowsWithNullsAndEscapesComeBackExactly() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            let count = 20_000
            func real(_ k: Int) -> Double {
                switch k % 7 {
                case 0: return .nan
                case 1: return .infinity
                case 2: return -.infinity
                case 3: return 1.0 / Double(k)
                default: return Double(k) * 1e-300 + 0.1
                }
            }
            func text(_ k: Int) -> String? { k % 11 == 0 ? nil : Self.awkwardTexts[k % Self.awkwardTexts.count] + "\(k)" }
            try db.database.bulkLoad(table: "scratch", columns: ["k", "i", "r", "s"]) { rows in
                for k in 0..<count {
                    try rows.add(k)
                    if k % 13 == 0 { try rows.addNull() } else { try rows.add(Int64(k) * -1_000_000_007) }
                    try rows.add(real(k))
                    if let t = text(k) { try rows.add(t) } else { try rows.add(DatabaseValue.null) }
                    try rows.endRow()
                }
            }
            var seen = 0
            try db.database.forEachRow("SELECT k, i, r, s FROM scratch ORDER BY k") { row in
                let k = seen
                XCTAssertEqual(row.int(0), k)
                XCTAssertEqual(row.int64(1), k % 13 == 0 ? nil : Int64(k) * -1_000_000_007)
                let expected = real(k)
                if expected.isNaN {
                    XCTAssertTrue(row.isNull(2))
                } else {
                    XCTAssertEqual(row.double(2)?.bitPattern, expected.bitPattern, "\(db): row \(k)")
                }
                XCTAssertEqual(row.string(3), text(k), "\(db): row \(k)")
                seen += 1
            }
            XCTAssertEqual(seen, count, "\(db)")
        }
    }

    func testProducerErrorLeavesNothingAndIsRethrown() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            XCTAssertThrowsError(try db.database.bulkLoad(table: "scratch", columns: ["k", "s"]) { rows in
                for k in 0..<100_000 {
                    if k == 70_000 { throw Planned(tag: "midway") }
                    try rows.add(k)
                    try rows.add("row \(k)")
                    try rows.endRow()
                }
            }) { XCTAssertEqual($0 as? Planned, Planned(tag: "midway"), "\(db)") }
            XCTAssertEqual(try Scratch.count(db.database), 0, "\(db)")
            // The connection works normally afterwards.
            try db.database.bulkLoad(table: "scratch", columns: ["k"]) { rows in
                try rows.add(1)
                try rows.endRow()
            }
            XCTAssertEqual(try Scratch.count(db.database), 1, "\(db)")
        }
    }

    func testInsideACallersTransactionAFailedLoadKeepsTheRest() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            try db.database.transaction {
                try db.database.execute("INSERT INTO scratch (k) VALUES (-1)")
                XCTAssertThrowsError(try db.database.bulkLoad(table: "scratch", columns: ["k"]) { rows in
                    try rows.add(1)
                    try rows.endRow()
                    throw Planned()
                })
                try db.database.bulkLoad(table: "scratch", columns: ["k"]) { rows in
                    for k in 10..<20 {
                        try rows.add(k)
                        try rows.endRow()
                    }
                }
                try db.database.execute("INSERT INTO scratch (k) VALUES (-2)")
            }
            let keys = try db.database.fetchAll("SELECT k FROM scratch ORDER BY k") { $0.int(0) ?? 0 }
            XCTAssertEqual(keys, [-2, -1] + Array(10..<20), "\(db)")
        }
    }

    func testARowRefusedByTheDatabaseFailsTheLoad() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            let error = assertDatabaseError(try db.database.bulkLoad(table: "scratch", columns: ["k"]) { rows in
                for k in [1, 2, 1] {
                    try rows.add(k)
                    try rows.endRow()
                }
            }, "\(db)")
            XCTAssertEqual(error?.isUniqueViolation, true, "\(db): \(String(describing: error))")
            XCTAssertEqual(try Scratch.count(db.database), 0, "\(db)")
        }
    }

    func testMiscountedFieldsAreMisuse() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            let short = assertDatabaseError(try db.database.bulkLoad(table: "scratch", columns: ["k", "i"]) { rows in
                try rows.add(1)
                try rows.endRow()
            }, "\(db)")
            XCTAssertEqual(short?.code, .misuse, "\(db)")
            let long = assertDatabaseError(try db.database.bulkLoad(table: "scratch", columns: ["k"]) { rows in
                try rows.add(1)
                try rows.add(2)
            }, "\(db)")
            XCTAssertEqual(long?.code, .misuse, "\(db)")
            let unfinished = assertDatabaseError(try db.database.bulkLoad(table: "scratch", columns: ["k"]) { rows in
                try rows.add(1)
            }, "\(db)")
            XCTAssertEqual(unfinished?.code, .misuse, "\(db)")
            XCTAssertEqual(try Scratch.count(db.database), 0, "\(db)")
        }
    }
}
