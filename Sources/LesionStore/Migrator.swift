import Foundation

/// Brings a database's schema up to the version this binary knows, one migration
/// per transaction, each recorded in `lesion_migrations`.
public struct Migrator {
    /// Applied and pending migrations of one database.
    public struct Status: Sendable {
        /// Versions already applied, with the time each was applied.
        public var applied: [(version: Int, name: String, appliedAt: String)]
        /// Migrations this binary would apply.
        public var pending: [Migration]
    }

    let database: any Database

    /// A migrator for `database`.
    public init(_ database: any Database) {
        self.database = database
    }

    /// The migrations built into this binary.
    public var known: [Migration] { Migration.all(for: database.dialect) }

    /// What has been applied and what is pending. Throws when the database was
    /// migrated by a newer lesion.
    public func status() throws -> Status {
        // Read without writing, so that a read-only user can ask too.
        let applied = try ledgerExists()
            ? database.fetchAll("SELECT version, name, applied_at FROM lesion_migrations ORDER BY version") {
                (version: try $0.decode(Int.self, at: 0), name: try $0.decode(String.self, at: 1), appliedAt: try $0.decode(String.self, at: 2))
            }
            : []
        try refuseNewer(appliedVersions: applied.map(\.version))
        let done = Set(applied.map(\.version))
        return Status(applied: applied, pending: known.filter { !done.contains($0.version) })
    }

    /// Applies every pending migration; returns the ones applied. Safe when
    /// several processes find the same empty database at once: each migration is
    /// applied exactly once.
    @discardableResult
    public func migrate() throws -> [Migration] {
        try migrate(through: Int.max)
    }

    /// Applies the pending migrations up to and including `version` (an older schema,
    /// for testing an upgrade); returns the ones applied.
    @discardableResult
    public func migrate(through version: Int) throws -> [Migration] {
        let status = try status()
        guard let target = status.pending.last(where: { $0.version <= version }) else { return [] }
        do {
            return try apply(through: version)
        } catch let error as DatabaseError where error.isReadOnlyOrPermissionDenied {
            // A team member's role may read and write rows but not change tables: say
            // who can bring the schema up, rather than pass on "permission denied for
            // schema public" from the middle of a migration.
            let current = status.applied.last.map { "is at schema version \($0.version)" } ?? "has no lesion schema yet"
            throw DatabaseError(
                code: .migrationNotPermitted,
                message: "the database \(database.displayName) \(current) and this lesion needs version \(target.version), "
                    + "but this connection may not change its tables (\(error.message))",
                hint: database.dialect == .postgresql
                    ? "ask the database's owner to run `lesion migrate` against it once; then everyone can go on"
                    : "run `lesion migrate` once as a user who may write the file")
        }
    }

    private func apply(through version: Int) throws -> [Migration] {
        try ensureLedger()
        var applied: [Migration] = []
        for migration in known where migration.version <= version {
            let didApply = try withSQLiteForeignKeysOff { try database.transaction { () throws -> Bool in
                try database.lockForTransaction(key: Migrator.lockKey)
                // Re-read inside the lock: another process may have just applied it.
                let versions = try database.fetchAll("SELECT version FROM lesion_migrations") { try $0.decode(Int.self, at: 0) }
                try refuseNewer(appliedVersions: versions)
                if versions.contains(migration.version) { return false }
                try run(migration)
                try checkSQLiteForeignKeys(after: migration)
                try database.execute("""
                    INSERT INTO lesion_migrations (version, name, applied_at) \
                    VALUES (\(migration.version), \(migration.name), \(Migrator.timestamp()))
                    """)
                return true
            } }
            if didApply { applied.append(migration) }
        }
        return applied
    }

    /// Runs the migration's SQL, and the Swift steps its file names in between.
    private func run(_ migration: Migration) throws {
        var script = ""
        for line in migration.sql.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix(MigrationStep.marker) else {
                script += line + "\n"
                continue
            }
            let name = line.dropFirst(MigrationStep.marker.count).trimmingCharacters(in: .whitespaces)
            guard let step = MigrationStep(rawValue: name) else {
                throw DatabaseError(code: .misuse, message: "migration \(migration.name) names an unknown step \(name)")
            }
            try database.executeScript(script)
            script = ""
            try step.run(on: database)
        }
        try database.executeScript(script)
    }

    /// Runs `body` with SQLite's foreign keys off. SQLite changes a column's
    /// constraints by rebuilding its table, and dropping the old table with foreign
    /// keys on would cascade the delete to every row that refers to it (SQLite's own
    /// procedure, https://sqlite.org/lang_altertable.html#otheralter). The setting
    /// cannot change inside a transaction, hence around it.
    private func withSQLiteForeignKeysOff<T>(_ body: () throws -> T) throws -> T {
        guard database.dialect == .sqlite else { return try body() }
        try database.executeScript("PRAGMA foreign_keys = OFF")
        defer { try? database.executeScript("PRAGMA foreign_keys = ON") }
        return try body()
    }

    /// Refuses to commit a SQLite migration that left a row referring to nothing.
    private func checkSQLiteForeignKeys(after migration: Migration) throws {
        guard database.dialect == .sqlite else { return }
        let broken = try database.fetchAll("SELECT \"table\" FROM pragma_foreign_key_check") { try $0.decode(String.self, at: 0) }
        if let table = broken.first {
            throw DatabaseError(
                code: .misuse,
                message: "migration \(migration.name) left \(broken.count) rows whose references are broken (first in \(table))")
        }
    }

    /// The advisory-lock key that serializes migrations across processes.
    public static let lockKey: Int64 = 0x6c_6573_696f_6e01  // "lesion" + 1

    private func ensureLedger() throws {
        try database.transaction {
            try database.lockForTransaction(key: Migrator.lockKey)
            try database.executeScript("""
                CREATE TABLE IF NOT EXISTS lesion_migrations (
                    version     INTEGER PRIMARY KEY,
                    name        TEXT NOT NULL,
                    applied_at  TEXT NOT NULL
                )
                """)
        }
    }

    private func ledgerExists() throws -> Bool {
        let query: SQL
        switch database.dialect {
        case .sqlite:
            query = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'lesion_migrations'"
        case .postgresql:
            query = "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'lesion_migrations'"
        }
        return try database.fetchOne(query) { try $0.decode(Int.self, at: 0) } ?? 0 > 0
    }

    private func refuseNewer(appliedVersions: [Int]) throws {
        let newest = known.map(\.version).max() ?? 0
        if let found = appliedVersions.max(), found > newest {
            throw DatabaseError(
                code: .schemaTooNew,
                message: "the database \(database.displayName) has schema version \(found), but this lesion knows only up to version \(newest)",
                hint: "upgrade lesion to a version that knows this schema")
        }
    }

    static func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}
