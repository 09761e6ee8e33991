import Foundation
import LesionStore
import LesionTestSupport
import XCTest

/// `lesion sql` cannot change anything: each kind of write is refused with a plain
/// message, exit code 1, and no row or file changed. And what it prints cannot
/// rewrite the terminal.
final class SealedConsoleEndToEndTests: TemporaryFolderTestCase {
    /// Runs `statement` and asserts it is refused with `message`, leaving the rows and
    /// the folder as they were.
    private func assertRefused(
        _ statement: String, message: String, in db: TestDatabase, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let before = try RowCounts.of(db.database)
        let filesBefore = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let outcome = try LesionProcess.run(["sql", "--db", db.location, statement])
        XCTAssertEqual(outcome.status, 1, "\(db): \(statement) was not refused: \(outcome.stdout)", file: file, line: line)
        XCTAssertTrue(
            outcome.stderr.hasPrefix("Error: ") && outcome.stderr.contains(message),
            "\(db): \(statement): \(outcome.stderr)", file: file, line: line)
        XCTAssertFalse(outcome.stderr.contains("Fatal error"), outcome.stderr, file: file, line: line)
        XCTAssertEqual(outcome.stdout, "", "\(db): \(statement)", file: file, line: line)
        XCTAssertEqual(try RowCounts.of(db.database), before, "\(db): \(statement) changed rows", file: file, line: line)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), filesBefore,
            "\(db): \(statement) created a file", file: file, line: line)
    }

    private func ingestOne(_ db: TestDatabase) throws {
        let path = try SampleDocuments.write(SampleDocuments.document(), to: "one.json", in: folder)
        let outcome = try LesionProcess.run(["ingest", "--db", db.location, path])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
        try FileManager.default.removeItem(atPath: path)
    }

    func testEveryKindOfWriteIsRefusedOnBothBackends() throws {
        let readOnly = "only reading is allowed here"
        try TestBackend.forEach { db in
            try ingestOne(db)
            // DML and DDL.
            try assertRefused("DELETE FROM models", message: readOnly, in: db)
            try assertRefused("UPDATE models SET name = 'x'", message: readOnly, in: db)
            try assertRefused("INSERT INTO experiments (name) VALUES ('x') RETURNING id", message: readOnly, in: db)
            try assertRefused("CREATE TABLE intruder (a integer)", message: readOnly, in: db)
            try assertRefused("DROP TABLE curve_values", message: readOnly, in: db)
            try assertRefused(
                "WITH gone AS (DELETE FROM models RETURNING id) SELECT count(*) FROM gone",
                message: db.backend == .sqlite ? "syntax error" : "in a read-only transaction", in: db)
            // Ending the read-only transaction, alone or followed by a write.
            try assertRefused("COMMIT", message: readOnly, in: db)
            try assertRefused("COMMIT; DELETE FROM models", message: readOnly, in: db)
            try assertRefused("ROLLBACK", message: readOnly, in: db)
            try assertRefused("SAVEPOINT s", message: readOnly, in: db)
            let target = folder.appendingPathComponent("copy.db").path
            let wroteOrLocked = "it wrote to the database or took a lock"
            // Each backend's own ways to write, and the message that refuses each.
            let refusals: [(statement: String, message: String)]
            switch db.backend.dialect {
            case .sqlite:
                refusals = [
                    ("ATTACH DATABASE '\(target)' AS x", readOnly), ("DETACH DATABASE main", readOnly),
                    ("VACUUM INTO '\(target)'", readOnly), ("VACUUM", readOnly),
                    ("PRAGMA user_version = 7", readOnly), ("PRAGMA journal_mode = DELETE", readOnly),
                    ("PRAGMA optimize", readOnly), ("PRAGMA wal_checkpoint(TRUNCATE)", readOnly),
                    ("PRAGMA temp.table_info(models)", readOnly),
                    // Functions with side effects: load_extension (writefile exists only
                    // in the sqlite3 shell, never in the library).
                    ("SELECT load_extension('libz.so')", "not authorized to use function: load_extension"),
                    ("SELECT writefile('\(target)', 'x')", "no such function: writefile"),
                ]
            case .postgresql:
                refusals = [
                    ("COPY (SELECT 1) TO '\(target)'", readOnly), ("COPY models TO STDOUT", readOnly),
                    ("SET ROLE NONE", readOnly), ("SET SESSION AUTHORIZATION DEFAULT", readOnly),
                    ("RESET ALL", readOnly), ("VACUUM models", readOnly), ("/* a comment */ (TRUNCATE models)", readOnly),
                    ("SELECT nextval(pg_get_serial_sequence('models', 'id'))", "in a read-only transaction"),
                    ("SELECT lo_import('/etc/hostname')", wroteOrLocked), ("SELECT pg_advisory_lock(15)", wroteOrLocked),
                    ("SELECT set_config('transaction_read_only', 'off', false)", "read-write mode"),
                ]
            }
            for refusal in refusals {
                try assertRefused(refusal.statement, message: refusal.message, in: db)
            }
            if db.backend == .sqlite {
                XCTAssertEqual(try db.database.fetchOne("PRAGMA user_version") { $0.int(0) }, 0)
            } else {
                XCTAssertEqual(try db.database.fetchOne("SELECT count(*) FROM pg_largeobject_metadata") { $0.int(0) }, 0)
            }
            // Reading still works, reading PRAGMAs included.
            let read = try LesionProcess.run(["sql", "--db", db.location, "--format", "csv", "SELECT name FROM models"])
            XCTAssertEqual(read.status, 0, read.stderr)
            XCTAssertEqual(read.stdout, "name\nm\n")
            if db.backend == .sqlite {
                let pragma = try LesionProcess.run(["sql", "--db", db.location, "--format", "csv", "PRAGMA main.user_version"])
                XCTAssertEqual(pragma.stdout, "user_version\n0\n", pragma.stderr)
                let info = try LesionProcess.run(
                    ["sql", "--db", db.location, "--format", "csv", "SELECT name FROM pragma_table_info('experiments') LIMIT 1"])
                XCTAssertEqual(info.stdout, "name\nid\n", info.stderr)
            }
        }
    }

    /// A model, an attribute and a layer named with ESC, BEL, CR and the C1 CSI
    /// (U+009B): a table prints them as spaces; CSV and JSON keep the exact text.
    func testControlCharactersAreEscapedInTablesAndKeptInCSVAndJSON() throws {
        let nasty = "evil\u{1B}]0;pwned\u{07}\r\u{9B}31m"
        let document = SampleDocuments.document(model: nasty)
        try SampleDocuments.write(document, to: "nasty.json", in: folder)
        try TestBackend.forEach { db in
            let ingest = try LesionProcess.run(["ingest", "--db", db.location, folder.appendingPathComponent("nasty.json").path])
            XCTAssertEqual(ingest.status, 0, ingest.stderr)
            let query = "SELECT name AS \"n\u{1B}[2J\" FROM models"
            let table = try LesionProcess.run(["sql", "--db", db.location, "--format", "table", query])
            XCTAssertEqual(table.status, 0, table.stderr)
            XCTAssertEqual(table.stdout, "n [2J\n" + String(repeating: "-", count: 19) + "\nevil ]0;pwned   31m\n")
            let models = try LesionProcess.run(["models", "--db", db.location, "--format", "table"])
            XCTAssertEqual(models.status, 0, models.stderr)
            XCTAssertTrue(models.stdout.contains("evil ]0;pwned   31m"), models.stdout)
            let show = try LesionProcess.run(["show", "--db", db.location, "--format", "table", "exp/" + nasty])
            XCTAssertEqual(show.status, 0, show.stderr)
            for output in [table.stdout, models.stdout, show.stdout] {
                for control in ["\u{1B}", "\u{07}", "\r", "\u{9B}"] {
                    XCTAssertFalse(output.contains(control), "\(db): \(control.unicodeScalars.first!.value) in \(output)")
                }
            }
            let csv = try LesionProcess.run(["sql", "--db", db.location, "--format", "csv", query])
            XCTAssertEqual(csv.stdout, "n\u{1B}[2J\n\"\(nasty)\"\n")
            let json = try LesionProcess.run(["sql", "--db", db.location, "--format", "json", query])
            let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: String]]
            XCTAssertEqual(rows, [["n\u{1B}[2J": nasty]])
        }
    }
}
