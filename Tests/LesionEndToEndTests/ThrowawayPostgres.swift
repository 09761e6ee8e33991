import Foundation
import LesionStore
import XCTest

/// A PostgreSQL server of one test's own, started with `.ci/postgres-dev.sh`, that the
/// test may stop abruptly (`pg_ctl stop -m immediate`) and start again: never the
/// shared server named by LESION_TEST_POSTGRES. As root it runs as the `postgres`
/// (or `lesionci`) user, as the script arranges.
final class ThrowawayPostgres {
    /// The server's folder (data, log, socket).
    let folder: String
    /// A libpq connection string to its `postgres` database.
    let conninfo: String

    /// Starts a server; skips the test where no PostgreSQL server binaries exist.
    init() throws {
        let started = try ThrowawayPostgres.script("lesion_pg_start && echo \"$LESION_PG_DIR\" && echo \"$LESION_TEST_POSTGRES\"")
        let lines = started.split(separator: "\n").map(String.init)
        guard started.isEmpty == false, lines.count >= 2 else {
            throw XCTSkip("no PostgreSQL server could be started (apt-get install postgresql)")
        }
        folder = lines[lines.count - 2]
        conninfo = lines[lines.count - 1]
        // The script turns synchronous_commit off for speed; a stop -m immediate would
        // then lose the last commits the client was told of. These tests need them kept.
        let admin = try PostgresDatabase(conninfo: conninfo)
        try admin.executeScript("ALTER SYSTEM SET synchronous_commit = on")
        try admin.executeScript("SELECT pg_reload_conf()")
    }

    deinit {
        _ = try? ThrowawayPostgres.script("lesion_pg_stop \(ThrowawayPostgres.quoted(folder))")
    }

    /// Stops the server the hard way: every backend is killed, nothing is flushed.
    func stopImmediately() throws {
        _ = try ThrowawayPostgres.script(
            "LESION_PG_OWNER=$(stat -c %U \(ThrowawayPostgres.quoted(folder))/data) && "
                + "lesion_pg_as_owner \"$(lesion_pg_bindir)/pg_ctl\" -D \(ThrowawayPostgres.quoted(folder))/data -m immediate -w stop")
    }

    /// Starts the stopped server again; it recovers from its write-ahead log.
    func restart() throws {
        _ = try ThrowawayPostgres.script("lesion_pg_restart \(ThrowawayPostgres.quoted(folder))")
    }

    /// Runs `command` in bash with the functions of `.ci/postgres-dev.sh`; returns its
    /// standard output, or "" when it failed. Through `system()`, not `Process`: the
    /// server it starts keeps the descriptors `Process` watches to see its child end,
    /// and waiting for that would never end.
    private static func script(_ command: String) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("lesion-pg-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let setup = LesionProcess.packageRoot.appendingPathComponent(".ci/postgres-dev.sh").path
        let script = "source \(quoted(setup)) && { \(command); } >\(quoted(output.path)) 2>/dev/null </dev/null"
        let status = system("/bin/bash -c \(quoted(script))")
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return status == 0 ? text : ""
    }

    private static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
