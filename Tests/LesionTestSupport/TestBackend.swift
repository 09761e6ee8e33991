import Foundation
import LesionCore
import LesionStore

/// A database backend that the store, ingest and end-to-end tests run on.
///
///     try TestBackend.forEach { db in
///         try db.database.execute("INSERT INTO experiments (name) VALUES (\("e"))")
///         // run the binary on the same database: lesion --db "\(db.location)" …
///     }
///
/// SQLite always runs, on a fresh temporary file. PostgreSQL runs in a fresh schema
/// (the connection's search_path, so unqualified names land there) on the server
/// that `LESION_TEST_POSTGRES` names (a libpq connection string, e.g. from
/// `eval "$(bash .ci/postgres-dev.sh)"`); without it
/// the PostgreSQL cases are skipped with a printed notice, except under `CI=true`,
/// where they fail. Citus runs when `LESION_TEST_CITUS` names a Citus coordinator
/// (a libpq connection string): a fresh schema there, migrated and then
/// distributed (`lesion db distribute`) unless the test asks for an unmigrated one;
/// without it, even under CI (which has no
/// Citus), it is skipped with a printed notice.
public enum TestBackend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgresql
    case citus

    public var description: String { rawValue }

    /// The environment variable naming the PostgreSQL server for tests.
    public static let postgresVariable = "LESION_TEST_POSTGRES"

    /// The environment variable naming the Citus coordinator for tests.
    public static let citusVariable = "LESION_TEST_CITUS"

    /// The server's connection string, or nil when none is configured.
    public static var postgresConninfo: String? { environment(postgresVariable) }

    /// The Citus coordinator's connection string, or nil when none is configured.
    public static var citusConninfo: String? { environment(citusVariable) }

    private static func environment(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// The SQL dialect the backend speaks (a Citus coordinator is PostgreSQL).
    public var dialect: SQLDialect { self == .sqlite ? .sqlite : .postgresql }

    /// True under CI, which must run every backend.
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The backends to run here: SQLite, and PostgreSQL when a server is
    /// configured or CI requires one. Use it as a parameterized test's arguments,
    /// or through ``forEach(migrate:_:)``.
    public static var available: [TestBackend] {
        var backends: [TestBackend] = [.sqlite]
        if postgresConninfo != nil || isCI { backends.append(.postgresql) } else { _ = announceSkip }
        if citusConninfo != nil { backends.append(.citus) } else { _ = announceCitusSkip }
        return backends
    }

    /// Printed once per test process.
    private static let announceCitusSkip: Void = {
        print("Citus tests skipped: set \(citusVariable)=… (a libpq connection string of a Citus coordinator) to run them.")
    }()

    /// Printed once per test process.
    private static let announceSkip: Void = {
        print("""
            PostgreSQL tests skipped: set \(postgresVariable)=… (a libpq connection string, \
            e.g. from: eval "$(bash .ci/postgres-dev.sh)") to run them.
            """)
    }()

    /// Runs `body` once on each available backend, each time with a fresh database
    /// (migrated to the current schema unless `migrate` is false) that is deleted
    /// afterwards. An error thrown by `body` is rethrown naming the backend.
    public static func forEach(migrate: Bool = true, _ body: (TestDatabase) throws -> Void) throws {
        for backend in available {
            try backend.withFreshDatabase(migrate: migrate, body)
        }
    }

    /// Creates a fresh database on this backend, runs `body` with it, and deletes it.
    public func withFreshDatabase<T>(migrate: Bool = true, _ body: (TestDatabase) throws -> T) throws -> T {
        let scratch = try FreshDatabase.create(self, migrate: migrate)
        defer { scratch.destroy() }
        let database: any Database
        do {
            database = try DatabaseOpener.open(DatabaseLocation(scratch.location), migrate: migrate)
        } catch {
            throw TestBackendFailure(backend: self, underlying: error)
        }
        let testDatabase = TestDatabase(backend: self, database: database, location: scratch.location)
        do {
            return try body(testDatabase)
        } catch let error as TestBackendFailure {
            throw error
        } catch {
            throw TestBackendFailure(backend: self, underlying: error)
        }
    }
}

/// A fresh database for one test: the connection, and the `--db` text that reaches
/// the same database from the `lesion` binary.
public final class TestDatabase: CustomStringConvertible {
    /// Which backend this is.
    public let backend: TestBackend
    /// The open connection.
    public let database: any Database
    /// A `--db` / `LESION_DB` value for the same database: an SQLite file path, or
    /// a PostgreSQL `key='value'` connection string whose `options` set the
    /// search_path to the test's schema. (A role a test creates needs `GRANT USAGE
    /// ON SCHEMA` on `current_schema()` to see it.)
    public let location: String

    init(backend: TestBackend, database: any Database, location: String) {
        self.backend = backend
        self.database = database
        self.location = location
    }

    public var description: String { backend.rawValue }

    /// Another connection to the same database (for concurrency tests).
    public func openAnotherConnection(migrate: Bool = false) throws -> any Database {
        try DatabaseOpener.open(DatabaseLocation(location), migrate: migrate)
    }

    /// Runs `body` with the location of a new PostgreSQL login role that may read and
    /// write the rows of every table there now and of those a later migration adds (a
    /// team member's role, as `lesion grant` makes it), but neither create nor alter
    /// tables; the role is dropped afterwards.
    public func withRowWriterRole<T>(_ body: (_ location: String) throws -> T) throws -> T {
        let role = "lesion_member_\(UUID().uuidString.prefix(8).lowercased())"
        try database.executeScript("""
            CREATE ROLE \(role) LOGIN;
            DO $grant$ BEGIN
              EXECUTE format('GRANT USAGE ON SCHEMA %I TO \(role)', current_schema());
              EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO \(role)', current_schema());
              EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO \(role)', current_schema());
              EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO \(role)', current_schema());
              EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO \(role)', current_schema());
            END $grant$
            """)
        defer { try? database.executeScript("DROP OWNED BY \(role); DROP ROLE \(role)") }
        return try body(location + " user=\(role)")
    }
}

/// A test body's error, labelled with the backend it failed on.
public struct TestBackendFailure: Error, CustomStringConvertible {
    public let backend: TestBackend
    public let underlying: any Error

    public var description: String { "[\(backend)] \(underlying)" }
}

/// Creates and deletes the scratch databases.
struct FreshDatabase {
    let location: String
    let destroy: () -> Void

    /// On Citus, a database asked for migrated is also distributed; one asked for
    /// unmigrated is an empty schema on the coordinator, as on a single server, so
    /// that migration and upgrade tests start from nothing.
    static func create(_ backend: TestBackend, migrate: Bool) throws -> FreshDatabase {
        switch backend {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("lesion-test-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return FreshDatabase(location: folder.appendingPathComponent("test.db").path) {
                try? FileManager.default.removeItem(at: folder)
            }
        case .postgresql, .citus:
            guard let server = backend == .citus ? TestBackend.citusConninfo : TestBackend.postgresConninfo else {
                throw TestBackendFailure(backend: backend, underlying: MissingServer(variable: backend == .citus
                    ? TestBackend.citusVariable : TestBackend.postgresVariable))
            }
            // A schema of its own rather than a database: CREATE SCHEMA takes under a
            // millisecond, CREATE DATABASE 50 ms on an idle machine and over 500 ms
            // on a busy one. The name is made here, never from input: safe to splice.
            let name = "lesion_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let admin = try PostgresDatabase(conninfo: server)
            try admin.executeScript("CREATE SCHEMA \(name)")
            let given = try PostgresDatabase.parseConninfo(server).first(where: { $0.key == "options" })?.value
            let options = [given, "-csearch_path=\(name)"].compactMap { $0 }.joined(separator: " ")
            // application_name marks the test's connections, to end them at cleanup.
            let location = try PostgresDatabase.conninfo(server, replacing: ["options": options, "application_name": name])
            if backend == .citus && migrate {
                // Migrated and distributed here, so that every test sees the
                // distributed layout; four shards keep a test's fan-out small.
                let database = try DatabaseOpener.open(DatabaseLocation(location), migrate: true)
                try ClusterDistributor(database: database).distribute(shards: 4)
            }
            return FreshDatabase(location: location) {
                try? admin.executeScript("""
                    SET lock_timeout = '20s';
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                        WHERE application_name = '\(name)' AND pid <> pg_backend_pid();
                    DROP SCHEMA \(name) CASCADE
                    """)
            }
        }
    }

    struct MissingServer: Error, CustomStringConvertible {
        var variable: String
        var description: String {
            "\(variable) is not set, but CI=true requires the PostgreSQL tests to run: .ci/run starts a server and sets it"
        }
    }
}
