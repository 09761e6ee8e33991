import Foundation
import LesionStore
import LesionTestSupport
import XCTest

/// Faults in the middle of a write: the PostgreSQL server stopped, the disk full, a
/// database lesion may not write, a signal. Each time lesion says so once, in plain
/// words, and the database holds only whole documents.
final class FaultEndToEndTests: TemporaryFolderTestCase {
    private let units = 500
    private let modelCount = 80

    /// Polls `count` until it reaches `atLeast` (errors count as 0); fails after a minute.
    private func waitFor(_ what: String, atLeast: Int, _ count: () throws -> Int) {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if ((try? count()) ?? 0) >= atLeast { return }
            usleep(20_000)
        }
        XCTFail("waited a minute for \(what)")
    }

    /// The models a PostgreSQL (or SQLite) database at `location` holds; a fresh
    /// connection each time, so none is left open when the server stops.
    private func storedModels(_ location: String) throws -> Int {
        let database = try DatabaseOpener.open(DatabaseLocation(location), migrate: false)
        return try database.fetchOne("SELECT COUNT(*) FROM models") { $0.int(0) ?? 0 } ?? 0
    }

    /// Asserts that lesion failed with exactly one line saying the connection was lost.
    private func assertLostConnectionOnce(_ outcome: LesionProcess.Outcome, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(outcome.status, 1, outcome.stderr, file: file, line: line)
        let lines = outcome.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one message, not one per document: \(outcome.stderr)", file: file, line: line)
        XCTAssertTrue(
            lines.first?.hasPrefix("Error: connection to the server was lost") == true, outcome.stderr, file: file, line: line)
        XCTAssertTrue(outcome.stderr.contains("run the same command again"), outcome.stderr, file: file, line: line)
    }

    // MARK: PostgreSQL stopped

    /// Runs `arguments` against `server`, stops the server once 3 models are in,
    /// checks the one message and the whole models after a restart, and that running
    /// the same command again completes the job.
    private func assertSurvivesStop(_ arguments: [String], _ server: ThrowawayPostgres) throws {
        let running = try LesionProcess.start(arguments)
        waitFor("3 stored models", atLeast: 3) { try storedModels(server.conninfo) }
        try server.stopImmediately()
        assertLostConnectionOnce(running.wait())
        try server.restart()
        let database = try PostgresDatabase(conninfo: server.conninfo)
        let stored = try RowCounts.assertWholeModels(in: database, units: units, "\(arguments[0]) after the stop")
        XCTAssertGreaterThanOrEqual(stored, 3, arguments[0])
        XCTAssertLessThan(stored, modelCount, arguments[0])
        let rerun = try LesionProcess.run(arguments)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(
            try RowCounts.assertWholeModels(in: database, units: units, "\(arguments[0]) after the rerun"), modelCount)
    }

    func testPostgresStoppedDuringIngest() throws {
        let server = try ThrowawayPostgres()
        let path = try SampleDocuments.manyDocuments(models: modelCount, units: units, in: folder)
        try assertSurvivesStop(["ingest", "--db", server.conninfo, path], server)
    }

    func testPostgresStoppedDuringPush() throws {
        let server = try ThrowawayPostgres()
        let path = try SampleDocuments.manyDocuments(models: modelCount, units: units, in: folder)
        let source = folder.appendingPathComponent("source.db").path
        let ingest = try LesionProcess.run(["ingest", "--db", source, path])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        try assertSurvivesStop(["push", "--db", source, "--to", server.conninfo], server)
    }

    /// The database is at migration 1; a reader holds a lock migration 2 needs, so
    /// `lesion migrate` is inside migration 2's transaction when the server stops.
    func testPostgresStoppedDuringMigrate() throws {
        let server = try ThrowawayPostgres()
        let latest: Int
        do {
            let database = try PostgresDatabase(conninfo: server.conninfo)
            _ = try Migrator(database).migrate(through: 1)
            latest = try XCTUnwrap(Migrator(database).status().pending.map(\.version).max())
        }
        let holder = try PostgresDatabase(conninfo: server.conninfo)
        try holder.executeScript("BEGIN; LOCK TABLE unit_values IN ACCESS SHARE MODE")
        let running = try LesionProcess.start(["migrate", "--db", server.conninfo])
        waitFor("migrate to wait for the lock", atLeast: 1) {
            let watcher = try PostgresDatabase(conninfo: server.conninfo)
            return try watcher.fetchOne(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            ) { $0.int(0) ?? 0 } ?? 0
        }
        try server.stopImmediately()
        assertLostConnectionOnce(running.wait())
        try server.restart()
        let database = try PostgresDatabase(conninfo: server.conninfo)
        XCTAssertEqual(try Migrator(database).status().applied.map(\.version), [1], "migration 2 was rolled back whole")
        let rerun = try LesionProcess.run(["migrate", "--db", server.conninfo])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(try Migrator(database).status().applied.map(\.version), Array(1...latest))
    }

    // MARK: Disk full

    /// SQLite on a 2 MB file system: the ingest stops at the first document that
    /// does not fit, with one clear message; the earlier documents are whole and
    /// the file passes integrity_check. Where mounting is not allowed, a file-size
    /// limit (`ulimit -f`, with SIGXFSZ ignored) stands in for the full disk.
    func testDiskFullDuringSQLiteIngest() throws {
        let path = try SampleDocuments.manyDocuments(models: modelCount, units: units, in: folder)
        let mount = folder.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: mount, withIntermediateDirectories: true)
        let mounted = shell("mount -t tmpfs -o size=2m tmpfs '\(mount.path)'") == 0
        defer { if mounted { _ = shell("umount '\(mount.path)'") } }
        let location = mount.appendingPathComponent("lesion.db").path
        let outcome: LesionProcess.Outcome
        if mounted {
            outcome = try LesionProcess.run(["ingest", "--db", location, path])
        } else {
            // bash's ulimit -f counts 1024-byte blocks.
            outcome = try LesionProcess.run(
                ["ingest", "--db", location, path],
                wrapper: ["/bin/bash", "-c", "trap '' XFSZ; ulimit -f 2048; exec \"$0\" \"$@\""])
        }
        XCTAssertEqual(outcome.status, 1, outcome.stderr)
        let lines = outcome.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one message, not one per document: \(outcome.stderr)")
        XCTAssertTrue(
            outcome.stderr.hasPrefix("Error: database or disk is full") || outcome.stderr.hasPrefix("Error: disk I/O error"),
            outcome.stderr)
        let database = try SQLiteDatabase(path: location)
        XCTAssertEqual(try database.fetchOne("PRAGMA integrity_check") { $0.string(0) }, "ok")
        let stored = try RowCounts.assertWholeModels(in: database, units: units, "disk full")
        XCTAssertGreaterThanOrEqual(stored, 1)
        XCTAssertLessThan(stored, modelCount)
    }

    // MARK: Read-only database

    /// As root, permissions do not bind: the commands then run as `nobody`, from a
    /// copy of the binary in the test's folder (the build folder may be private).
    private func unprivileged() throws -> [String] {
        guard getuid() == 0 else { return [] }
        let copy = folder.appendingPathComponent("lesion").path
        try FileManager.default.copyItem(atPath: LesionProcess.executable.path, toPath: copy)
        // sh drops the path of the built binary that LesionProcess passes first.
        return ["/bin/sh", "-c", "shift; exec /usr/sbin/runuser -u nobody -- '\(copy)' \"$@\"", "sh"]
    }

    func testReadOnlyDatabaseFileAndFolder() throws {
        let unprivileged = try unprivileged()
        let one = try SampleDocuments.write(SampleDocuments.document(), to: "one.json", in: folder)
        let location = folder.appendingPathComponent("lesion.db").path
        XCTAssertEqual(try LesionProcess.run(["ingest", "--db", location, one]).status, 0)
        XCTAssertEqual(try LesionProcess.run(["sql", "--db", location, "PRAGMA wal_checkpoint(TRUNCATE)"]).status, 1)
        // Close the log: a cleanly closed database has no -wal or -shm file.
        _ = try SQLiteDatabase(path: location).executeScript("PRAGMA journal_mode = DELETE")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: location)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
        let before = try Data(contentsOf: URL(fileURLWithPath: location))

        let other = SampleDocuments.document(model: "other")
        for arguments in [["ingest", "--db", location, "-"], ["models", "--db", location]] {
            let outcome = try LesionProcess.run(arguments, input: Data(other.utf8), wrapper: unprivileged)
            XCTAssertEqual(outcome.status, 1, "\(arguments[0]): \(outcome.stderr)")
            XCTAssertEqual(
                outcome.stderr,
                "Error: cannot open SQLite database \(location): the file is read-only for this user; hint: make the file "
                    + "and its folder writable (SQLite keeps its log files beside the database), or copy the file to a "
                    + "folder of your own\n")
        }
        let inFolder = folder.appendingPathComponent("new.db").path
        let created = try LesionProcess.run(["ingest", "--db", inFolder, "-"], input: Data(other.utf8), wrapper: unprivileged)
        XCTAssertEqual(created.status, 1, created.stderr)
        XCTAssertTrue(created.stderr.hasPrefix("Error: cannot open SQLite database \(inFolder): unable to open database file; hint: check that its folder exists and that you may write there"), created.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: location)), before, "the database changed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: inFolder))
    }

    // MARK: Signals

    /// SIGTERM and SIGINT (Ctrl-C) during an ingest: lesion ends within seconds, the
    /// database holds only whole documents, and running the ingest again completes it.
    func testSignalsDuringIngestLeaveOnlyWholeDocuments() throws {
        let path = try SampleDocuments.manyDocuments(models: modelCount, units: units, in: folder)
        try TestBackend.forEach { db in
            for signal in [SIGTERM, SIGINT] {
                let location: String
                if db.backend == .sqlite {
                    location = folder.appendingPathComponent("signal-\(signal).db").path
                } else {
                    location = db.location
                    _ = try db.database.execute("DELETE FROM models")
                }
                let running = try LesionProcess.start(["ingest", "--db", location, path])
                waitFor("3 stored models", atLeast: 3) { try storedModels(location) }
                let sent = Date()
                kill(running.process.processIdentifier, signal)
                let outcome = running.wait()
                XCTAssertLessThan(Date().timeIntervalSince(sent), 5, "\(db): slow to stop on signal \(signal)")
                // Killed by the signal (the shell shows 128 + signal), never a clean 0.
                XCTAssertEqual(running.process.terminationReason, .uncaughtSignal, "\(db): \(outcome.stderr)")
                XCTAssertEqual(outcome.status, signal, "\(db)")
                let database = try DatabaseOpener.open(DatabaseLocation(location), migrate: false)
                if db.backend == .sqlite {
                    XCTAssertEqual(try database.fetchOne("PRAGMA integrity_check") { $0.string(0) }, "ok")
                }
                let stored = try RowCounts.assertWholeModels(in: database, units: units, "\(db) signal \(signal)")
                XCTAssertGreaterThanOrEqual(stored, 3, "\(db)")
                XCTAssertLessThan(stored, modelCount, "\(db)")
                let rerun = try LesionProcess.run(["ingest", "--db", location, path])
                XCTAssertEqual(rerun.status, 0, rerun.stderr)
                XCTAssertEqual(try RowCounts.assertWholeModels(in: database, units: units, "\(db) rerun"), modelCount)
            }
        }
    }

    /// Runs `command` with /bin/sh; returns its exit status (output discarded).
    private func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " >/dev/null 2>&1"]
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
