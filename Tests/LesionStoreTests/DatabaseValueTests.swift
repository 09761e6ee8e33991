import LesionStore
import LesionTestSupport
import XCTest

/// Every kind of value goes in bound and comes back unchanged, on every backend.
final class DatabaseValueTests: XCTestCase {
    static let integers: [Int64] = [0, 1, -1, 42, Int64.max, Int64.min, 9_007_199_254_740_993]
    static let reals: [Double] = [
        0, -0.5, 0.1, 1.0 / 3.0, .pi, 1e-300, .leastNonzeroMagnitude, 2.2250738585072014e-308, 1.7976931348623157e308,
        -123_456.789_012_345_67, 1e22, 123_456_789_012_345_680, .infinity, -.infinity,
    ]
    static let texts: [String] = [
        "", "plain", "it's", "\"double\"", "back\\slash", "\\N", "\\.", "end\\", "tab\there", "new\nline",
        "carriage\rreturn", "naïve café", "日本語のテキスト", "emoji 🧠🔬", "Ελληνικά и кириллица", "\u{1}\u{7f}",
        String(repeating: "long ", count: 2000),
    ]

    func testIntegersRoundTrip() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            for (key, value) in Self.integers.enumerated() {
                try db.database.execute("INSERT INTO scratch (k, i) VALUES (\(key), \(value))")
            }
            let read = try db.database.fetchAll("SELECT i FROM scratch ORDER BY k") { row in
                (row.int64(0), row.value(0), row.double(0), row.string(0))
            }
            XCTAssertEqual(read.map(\.0), Self.integers, "\(db)")
            XCTAssertEqual(read.map(\.1), Self.integers.map(DatabaseValue.integer), "\(db)")
            XCTAssertEqual(read.map(\.2), Self.integers.map { Double($0) }, "\(db)")
            XCTAssertEqual(read.map(\.3), Self.integers.map { String($0) }, "\(db)")
            // Bound in a WHERE clause too.
            let found = try db.database.fetchOne("SELECT k FROM scratch WHERE i = \(Int64.min)") { $0.int(0) }
            XCTAssertEqual(found, 5, "\(db)")
        }
    }

    func testRealsRoundTripExactly() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            for (key, value) in Self.reals.enumerated() {
                try db.database.execute("INSERT INTO scratch (k, r) VALUES (\(key), \(value))")
            }
            let read = try db.database.fetchAll("SELECT r FROM scratch ORDER BY k") { ($0.double(0), $0.value(0)) }
            XCTAssertEqual(read.count, Self.reals.count, "\(db)")
            for (expected, (double, value)) in zip(Self.reals, read) {
                XCTAssertEqual(double?.bitPattern, expected.bitPattern, "\(db): \(expected) came back as \(String(describing: double))")
                XCTAssertEqual(value, .real(expected), "\(db)")
            }
            XCTAssertEqual(try db.database.fetchOne("SELECT COUNT(*) FROM scratch WHERE r = \(Double.infinity)") { $0.int(0) }, 1)
            XCTAssertEqual(try db.database.fetchOne("SELECT COUNT(*) FROM scratch WHERE r = \(-Double.infinity)") { $0.int(0) }, 1)
        }
    }

    func testNaNIsStoredAsNull() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            try db.database.execute("INSERT INTO scratch (k, r) VALUES (1, \(Double.nan))")
            try db.database.execute("INSERT INTO scratch (k, r) VALUES (2, \(DatabaseValue.real(.nan)))")
            let rows = try db.database.fetchAll("SELECT r, r IS NULL FROM scratch ORDER BY k") { row in
                (row.isNull(0), row.value(0), row.double(0), row.int(1), row.number(0).isNaN)
            }
            for row in rows {
                XCTAssertTrue(row.0, "\(db)")
                XCTAssertEqual(row.1, .null, "\(db)")
                XCTAssertNil(row.2, "\(db)")
                XCTAssertEqual(row.3, 1, "\(db)")
                XCTAssertTrue(row.4, "\(db)")
            }
        }
    }

    func testTextRoundTrips() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            for (key, value) in Self.texts.enumerated() {
                try db.database.execute("INSERT INTO scratch (k, s) VALUES (\(key), \(value))")
            }
            let read = try db.database.fetchAll("SELECT s FROM scratch ORDER BY k") { ($0.string(0), $0.value(0)) }
            XCTAssertEqual(read.map(\.0), Self.texts, "\(db)")
            XCTAssertEqual(read.map(\.1), Self.texts.map(DatabaseValue.text), "\(db)")
            for (key, value) in Self.texts.enumerated() {
                let found = try db.database.fetchOne("SELECT k FROM scratch WHERE s = \(value)") { $0.int(0) }
                XCTAssertEqual(found, key, "\(db): \(value.debugDescription)")
            }
        }
    }

    func testTextWithNULIsNeverTruncated() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            let text = "before\u{0}after"
            do {
                try db.database.execute("INSERT INTO scratch (k, s) VALUES (1, \(text))")
                // A backend that stores it must give back all of it.
                XCTAssertEqual(try db.database.fetchOne("SELECT s FROM scratch") { $0.string(0) }, text, "\(db)")
            } catch let error as DatabaseError {
                XCTAssertTrue(error.message.contains("U+0000"), "\(db): \(error)")
                XCTAssertEqual(try Scratch.count(db.database), 0, "\(db)")
            }
            if db.backend.dialect == .postgresql {
                let error = assertDatabaseError(try db.database.execute("INSERT INTO scratch (k, s) VALUES (2, \(text))"))
                XCTAssertEqual(error?.code, .postgres("22021"))
                XCTAssertEqual(error?.sql, "INSERT INTO scratch (k, s) VALUES (2, $1)")
                assertDatabaseError(try db.database.bulkLoad(table: "scratch", columns: ["k", "s"]) { rows in
                    try rows.add(3)
                    try rows.add(text)
                    try rows.endRow()
                })
                assertDatabaseError(try db.database.executeScript("SELECT '\u{0}'"))
                XCTAssertEqual(try Scratch.count(db.database), 0)
            }
        }
    }

    func testBlobsAndNullsRoundTrip() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            let bytes: [UInt8] = [0, 1, 2, 0x5c, 0x27, 0x7f, 0x80, 0xff, 0]
            try db.database.execute("INSERT INTO scratch (k, b) VALUES (1, \(DatabaseValue.blob(bytes)))")
            try db.database.execute("INSERT INTO scratch (k, b) VALUES (2, \(DatabaseValue.blob([])))")
            try db.database.execute("INSERT INTO scratch (k, i, r, s, b) VALUES (3, \((nil as Int?).databaseValue), \((nil as Double?).databaseValue), \((nil as String?).databaseValue), \(DatabaseValue.null))")
            let blobs = try db.database.fetchAll("SELECT b FROM scratch ORDER BY k") { $0.value(0) }
            XCTAssertEqual(blobs, [.blob(bytes), .blob([]), .null], "\(db)")
            let nulls = try db.database.fetchOne("SELECT i, r, s, b FROM scratch WHERE k = 3") { row in
                (0..<4).map { (row.isNull($0), row.value($0), row.int64($0), row.double($0), row.string($0)) }
            }
            for column in nulls ?? [] {
                XCTAssertTrue(column.0, "\(db)")
                XCTAssertEqual(column.1, .null, "\(db)")
                XCTAssertNil(column.2, "\(db)")
                XCTAssertNil(column.3, "\(db)")
                XCTAssertNil(column.4, "\(db)")
            }
        }
    }

    /// Values bound straight into a SELECT come back with their own types.
    func testBoundValuesEchoWithTheirTypes() throws {
        try TestBackend.forEach(migrate: false) { db in
            let values: [DatabaseValue] = [.integer(7), .real(2.5), .real(.infinity), .text("x'y"), .blob([1, 0, 2]), .null]
            for value in values {
                let echoed = try db.database.fetchOne("SELECT \(value) AS v") { row in (row.value(0), row.columnName(0), row.columnCount) }
                XCTAssertEqual(echoed?.0, value, "\(db)")
                XCTAssertEqual(echoed?.1, "v", "\(db)")
                XCTAssertEqual(echoed?.2, 1, "\(db)")
            }
            let booleans = try db.database.fetchOne("SELECT \(true) = 1, 2 > 1") { row in (row.int(0), row.value(1)) }
            XCTAssertEqual(booleans?.0, 1, "\(db)")
            XCTAssertEqual(booleans?.1, .integer(1), "\(db)")
        }
    }

    func testExecuteReportsChangedRows() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            for key in 1...5 { try db.database.execute("INSERT INTO scratch (k, i) VALUES (\(key), \(key % 2))") }
            XCTAssertEqual(try db.database.execute("UPDATE scratch SET s = \("odd") WHERE i = \(1)"), 3, "\(db)")
            XCTAssertEqual(try db.database.execute("DELETE FROM scratch WHERE i = \(0)"), 2, "\(db)")
            XCTAssertEqual(try db.database.execute("DELETE FROM scratch WHERE i = \(9)"), 0, "\(db)")
        }
    }

    /// The same statement runs many times, with changing arguments and NULLs.
    func testReusedStatementsWithChangingArguments() throws {
        try TestBackend.forEach(migrate: false) { db in
            try Scratch.createTable(db.database)
            try db.database.transaction {
                for key in 0..<2000 {
                    let real: Double? = key % 3 == 0 ? nil : Double(key) / 7
                    let text: String? = key % 5 == 0 ? nil : "t\(key)"
                    try db.database.execute("INSERT INTO scratch (k, i, r, s) VALUES (\(key), \(key * 2), \(real.databaseValue), \(text.databaseValue))")
                }
            }
            var seen = 0
            try db.database.forEachRow("SELECT k, i, r, s FROM scratch ORDER BY k") { row in
                let key = row.int(0) ?? -1
                XCTAssertEqual(row.int(1), key * 2)
                XCTAssertEqual(row.double(2), key % 3 == 0 ? nil : Double(key) / 7)
                XCTAssertEqual(row.string(3), key % 5 == 0 ? nil : "t\(key)")
                seen += 1
            }
            XCTAssertEqual(seen, 2000, "\(db)")
        }
    }
}
