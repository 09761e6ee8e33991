/// Opens the database a location names, migrated to the schema this binary knows.
public enum DatabaseOpener {
    /// Opens `location` and applies pending migrations (unless `migrate` is false,
    /// as for `lesion migrate --status`).
    public static func open(_ location: DatabaseLocation, migrate: Bool = true) throws -> any Database {
        let database: any Database
        switch location {
        case .sqlite(let path):
            database = try SQLiteDatabase(path: path)
        case .postgresql(let conninfo):
            database = try PostgresDatabase(conninfo: conninfo)
        }
        if migrate {
            try Migrator(database).migrate()
        }
        return database
    }
}
