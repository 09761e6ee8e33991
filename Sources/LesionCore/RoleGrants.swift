import LesionStore

/// Team roles on a PostgreSQL database: a reader may query, export and run
/// `lesion sql`; a writer may also ingest, replace and remove.
public struct RoleGrants {
    /// What a role may do.
    public enum Access: String, Sendable {
        case reader
        case writer
    }

    let database: any Database

    /// Grants on `database`, which must be PostgreSQL.
    public init(database: any Database) throws {
        guard database.dialect == .postgresql else {
            throw UsageError("roles exist only on PostgreSQL; an SQLite database is shared through its file's permissions")
        }
        self.database = database
    }

    /// Gives `role` (an existing PostgreSQL role) `access` to every lesion table and
    /// view, now and after future migrations.
    public func grant(_ access: Access, to role: String) throws {
        let name = RoleGrants.quotedIdentifier(role)
        let privileges = access == .reader ? "SELECT" : "SELECT, INSERT, UPDATE, DELETE"
        try database.transaction {
            try database.executeScript("""
                DO $lesion$ BEGIN
                  EXECUTE format('GRANT CONNECT ON DATABASE %I TO \(name)', current_database());
                  EXECUTE format('GRANT USAGE ON SCHEMA %I TO \(name)', current_schema());
                  EXECUTE format('GRANT \(privileges) ON ALL TABLES IN SCHEMA %I TO \(name)', current_schema());
                  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT \(privileges) ON TABLES TO \(name)', current_schema());
                END $lesion$
                """)
            if access == .writer {
                try database.executeScript("""
                    DO $lesion$ BEGIN
                      EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO \(name)', current_schema());
                      EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO \(name)', current_schema());
                    END $lesion$
                    """)
            }
        }
    }

    /// `name` as a PostgreSQL identifier: in double quotes with inner quotes doubled;
    /// then, because it is spliced into a quoted `format` string, single quotes
    /// doubled and `%` written `%%`.
    static func quotedIdentifier(_ name: String) -> String {
        SQL.quotedIdentifier(name).replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "%", with: "%%")
    }
}
