/// Connections that all read the same snapshot of a database, so that an analysis
/// can read its large results on separate cores and still see one state of the data.
///
/// * SQLite (WAL): the caller's connection takes the write lock for a moment
///   (`BEGIN IMMEDIATE`, so no one can commit), each sibling opens a read transaction
///   and reads once, which fixes its snapshot at the last commit, and the lock is
///   released. Writers wait a few milliseconds at most.
/// * PostgreSQL: the caller's connection exports its snapshot
///   (`pg_export_snapshot`) from a read-only repeatable-read transaction, and each
///   sibling adopts it (`SET TRANSACTION SNAPSHOT`).
///
/// Where that cannot be done (a file this user may only read, a connection already
/// in a transaction, a Citus coordinator, whose workers keep snapshots of their own,
/// or any error on the way) the body gets the caller's connection alone, and the
/// caller reads one result after the other.
public enum SnapshotReaders {
    /// A connection handed to one thread at a time.
    public final class Reader: @unchecked Sendable {
        /// The connection; use it from one thread only.
        public let database: any Database
        init(_ database: any Database) { self.database = database }
    }

    /// Runs `body` with `count` readers of one snapshot, or with the caller's
    /// connection alone (see above); the siblings are closed afterwards.
    public static func with<T>(_ database: any Database, count: Int, _ body: ([Reader]) throws -> T) throws -> T {
        guard count > 1, let siblings = try? open(database, count: count) else {
            return try body([Reader(database)])
        }
        defer { siblings.finish() }
        return try body(siblings.readers)
    }

    private struct Siblings {
        var readers: [Reader]
        var finish: () -> Void
    }

    private static func open(_ database: any Database, count: Int) throws -> Siblings {
        if let sqlite = database as? SQLiteDatabase, sqlite.canShareSnapshot {
            try sqlite.executeScript("BEGIN IMMEDIATE")
            var readers: [Reader] = []
            do {
                for _ in 0..<count {
                    let sibling = try SQLiteDatabase(path: sqlite.path)
                    try sibling.executeScript("PRAGMA query_only = ON; BEGIN")
                    _ = try sibling.fetchOne("SELECT COUNT(*) FROM lesion_migrations") { $0.int(0) }
                    readers.append(Reader(sibling))
                }
            } catch {
                try? sqlite.executeScript("ROLLBACK")
                throw error
            }
            try sqlite.executeScript("ROLLBACK")
            return Siblings(readers: readers) {
                for reader in readers { try? reader.database.executeScript("COMMIT") }
            }
        }
        if let postgres = database as? PostgresDatabase, postgres.canShareSnapshot {
            let citus = try postgres.fetchOne("SELECT COUNT(*) FROM pg_extension WHERE extname = 'citus'") { $0.int(0) }
            guard citus == 0 else { throw DatabaseError(code: .misuse, message: "Citus keeps a snapshot per worker") }
            try postgres.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                // SET TRANSACTION SNAPSHOT takes no parameter: the server's id (hex
                // digits and dashes) is spliced, after checking that it is nothing else.
                guard let snapshot = try postgres.fetchOne("SELECT pg_export_snapshot()", { $0.string(0) }) ?? nil,
                    !snapshot.isEmpty, snapshot.allSatisfy({ $0.isHexDigit || $0 == "-" })
                else {
                    throw DatabaseError(code: .misuse, message: "no snapshot exported")
                }
                var readers: [Reader] = []
                for _ in 0..<count {
                    let sibling = try PostgresDatabase(conninfo: postgres.conninfo)
                    try sibling.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    try sibling.executeScript("SET TRANSACTION SNAPSHOT '\(snapshot)'")
                    readers.append(Reader(sibling))
                }
                // The exporting transaction must stay open while the snapshot is adopted
                // and read from; it ends with the siblings.
                return Siblings(readers: readers) {
                    for reader in readers { try? reader.database.executeScript("COMMIT") }
                    try? postgres.executeScript("COMMIT")
                }
            } catch {
                try? postgres.executeScript("ROLLBACK")
                throw error
            }
        }
        throw DatabaseError(code: .misuse, message: "no shared snapshot for this backend")
    }
}
