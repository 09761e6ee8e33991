import LesionStore
import LesionTestSupport
import XCTest

/// What only the PostgreSQL backend has: connection strings, streaming in
/// single-row mode, statement reuse, the server's transaction rules.
final class PostgresDatabaseTests: XCTestCase {
    /// Runs `body` on a fresh PostgreSQL database, or says it skipped.
    func withPostgres(_ body: (TestDatabase) throws -> Void) throws {
        guard TestBackend.available.contains(.postgresql) else {
            print("\(name) skipped: needs PostgreSQL (\(TestBackend.postgresVariable))")
            return
        }
        try TestBackend.postgresql.withFreshDatabase(body)
    }

    func testConnectionFailureNamesTheServerButNotThePassword() {
        for conninfo in [
            "host=127.0.0.1 port=1 user=someone password=topsecret dbname=x connect_timeout=5",
            "postgresql://someone:topsecret@127.0.0.1:1/x?connect_timeout=5",
        ] {
            let error = assertDatabaseError(try PostgresDatabase(conninfo: conninfo))
            XCTAssertEqual(error?.code, .cannotOpen)
            let text = error?.description ?? ""
            XCTAssertFalse(text.contains("topsecret"), text)
            XCTAssertTrue(text.contains("***"), text)
            XCTAssertTrue(text.contains("127.0.0.1"), text)
            XCTAssertTrue(text.lowercased().contains("connect"), text)  // libpq's own words
        }
        let malformed = assertDatabaseError(try PostgresDatabase(conninfo: "host=h password=topsecret nonsense_keyword=1"))
        XCTAssertFalse(malformed?.description.contains("topsecret") ?? true)
        XCTAssertTrue(malformed?.description.contains("nonsense_keyword") ?? false, "\(String(describing: malformed))")
    }

    func testConninfoReplacingKeywords() throws {
        let fromPairs = try PostgresDatabase.conninfo("host=db.example port=5433 user=me dbname=main", replacing: ["dbname": "other"])
        XCTAssertEqual(fromPairs, "dbname='other' user='me' host='db.example' port='5433'")
        let fromURI = try PostgresDatabase.conninfo("postgresql://me:p%27w@db.example:5433/main?sslmode=disable", replacing: ["dbname": "other"])
        XCTAssertEqual(fromURI, "dbname='other' user='me' password='p\\'w' host='db.example' port='5433' sslmode='disable'")
        XCTAssertEqual(DatabaseLocation(fromURI), .postgresql(conninfo: fromURI))
        assertDatabaseError(try PostgresDatabase.conninfo("postgresql://[broken", replacing: [:]))
    }

    func testDisplayNameMasksThePassword() throws {
        try withPostgres { db in
            let withPassword = try PostgresDatabase.conninfo(db.location, replacing: ["password": "unused-by-trust"])
            let database = try PostgresDatabase(conninfo: withPassword)
            XCTAssertFalse(database.displayName.contains("unused-by-trust"))
        }
    }

    func testStreamingManyRowsAndStoppingEarly() throws {
        try withPostgres { db in
            var sum: Int64 = 0
            var rows = 0
            try db.database.forEachRow("SELECT x, x * 0.5 FROM generate_series(1, \(200_000)) AS x") { row in
                sum += row.int64(0) ?? 0
                rows += 1
            }
            XCTAssertEqual(rows, 200_000)
            XCTAssertEqual(sum, 200_000 * 200_001 / 2)
            // A body that throws stops the reading; the connection stays usable.
            var seen = 0
            XCTAssertThrowsError(try db.database.forEachRow("SELECT x FROM generate_series(1, 100000) AS x") { _ in
                seen += 1
                if seen == 10 { throw Planned() }
            }) { XCTAssertEqual($0 as? Planned, Planned()) }
            XCTAssertEqual(seen, 10)
            XCTAssertEqual(try db.database.fetchOne("SELECT 41 + \(1)") { $0.int(0) }, 42)
        }
    }

    func testServerErrorMidStreamIsThrown() throws {
        try withPostgres { db in
            var seen = 0
            let error = assertDatabaseError(try db.database.forEachRow("SELECT 1 / (50000 - x) FROM generate_series(1, 100000) AS x") { _ in seen += 1 })
            XCTAssertEqual(error?.code, .postgres("22012"))
            XCTAssertGreaterThan(seen, 0)
            XCTAssertEqual(try db.database.fetchOne("SELECT 1") { $0.int(0) }, 1)
        }
    }

    func testAStatementInsideARowLoopIsRefusedClearly() throws {
        try withPostgres { db in
            let error = assertDatabaseError(try db.database.forEachRow("SELECT x FROM generate_series(1, 3) AS x") { _ in
                try db.database.execute("SELECT 1")
            })
            XCTAssertEqual(error?.code, .misuse)
            XCTAssertTrue(error?.message.contains("rows of another") ?? false)
            XCTAssertEqual(try db.database.fetchOne("SELECT 2") { $0.int(0) }, 2)
        }
    }

    func testInsertReturningThroughForEachRow() throws {
        try withPostgres { db in
            let id = try db.database.fetchOne("INSERT INTO experiments (name) VALUES (\("e")) RETURNING id") { $0.int64(0) }
            XCTAssertNotNil(id)
            XCTAssertEqual(try db.database.fetchOne("SELECT id FROM experiments WHERE name = \("e")") { $0.int64(0) }, id)
        }
    }

    func testStatementsArePreparedOnceAndReused() throws {
        try withPostgres { db in
            try Scratch.createTable(db.database)
            for key in 0..<100 {
                try db.database.execute("INSERT INTO scratch (k, s) VALUES (\(key), \("v"))")
            }
            let prepared = try db.database.fetchOne(
                "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement = \("INSERT INTO scratch (k, s) VALUES ($1, $2)")"
            ) { $0.int(0) }
            XCTAssertEqual(prepared, 1)
        }
    }

    /// PostgreSQL aborts a transaction at its first failed statement: a body that
    /// swallows that failure cannot commit the rest.
    func testSwallowedFailureMakesCommitFail() throws {
        try withPostgres { db in
            try Scratch.createTable(db.database)
            let error = assertDatabaseError(try db.database.transaction {
                try db.database.execute("INSERT INTO scratch (k) VALUES (1)")
                _ = try? db.database.execute("INSERT INTO scratch (k) VALUES (1)")
            })
            XCTAssertEqual(error?.code, .postgres("25P02"))
            XCTAssertEqual(try Scratch.count(db.database), 0)
        }
    }

    func testRoleWithoutWritePrivilegeIsRecognised() throws {
        try withPostgres { db in
            try Scratch.createTable(db.database)
            let role = "lesion_reader_\(UInt32.random(in: 0...UInt32.max))"
            // The test's schema is not public: the role needs USAGE on it.
            let schema = (try db.database.fetchOne("SELECT current_schema()") { $0.string(0) ?? "public" }) ?? "public"
            try db.database.executeScript("CREATE ROLE \(role) LOGIN; GRANT USAGE ON SCHEMA \(schema) TO \(role); GRANT SELECT ON scratch TO \(role)")
            defer { try? db.database.executeScript("DROP OWNED BY \(role); DROP ROLE \(role)") }
            do {
                let reader = try PostgresDatabase(conninfo: try PostgresDatabase.conninfo(db.location, replacing: ["user": role]))
                XCTAssertEqual(try Scratch.count(reader), 0)
                let error = assertDatabaseError(try reader.execute("INSERT INTO scratch (k) VALUES (1)"))
                XCTAssertEqual(error?.isReadOnlyOrPermissionDenied, true, "\(String(describing: error))")
            }
        }
    }
}
