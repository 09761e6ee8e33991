import LesionStore

/// How a PostgreSQL lesion database sits on a Citus cluster: which Citus, how many
/// worker nodes, and whether its tables are distributed (`lesion db distribute`).
/// `migrate --status` and `show` print it; it is nil off Citus (SQLite, or a
/// PostgreSQL server without the extension).
public struct ClusterLayout: Sendable, Equatable {
    /// The citus extension's version in this database, e.g. "13.2-1".
    public var citusVersion: String
    /// Active primary worker nodes (the coordinator not counted).
    public var workers: Int
    /// True when the value tables are distributed tables.
    public var isDistributed: Bool

    /// One line for people: "distributed over 2 worker nodes (Citus 13.2-1)".
    public var summary: String {
        let nodes = "\(workers) worker node\(workers == 1 ? "" : "s")"
        return isDistributed
            ? "distributed over \(nodes) (Citus \(citusVersion))"
            : "not distributed; Citus \(citusVersion) with \(nodes) (run `lesion db distribute`)"
    }

    /// Reads the layout of `database`, or nil when it is not on Citus.
    public static func read(_ database: any Database) throws -> ClusterLayout? {
        guard database.dialect == .postgresql else { return nil }
        guard let version = try database.fetchOne(
            "SELECT extversion FROM pg_extension WHERE extname = 'citus'", { $0.string(0) }) ?? nil
        else { return nil }
        let workers = try count(database, """
            SELECT COUNT(*) FROM pg_dist_node \
            WHERE groupid <> 0 AND noderole = 'primary' AND isactive AND shouldhaveshards
            """)
        let distributed = try count(database, """
            SELECT COUNT(*) FROM pg_dist_partition WHERE logicalrelid = to_regclass('unit_values') AND partmethod = 'h'
            """)
        return ClusterLayout(citusVersion: version, workers: workers, isDistributed: distributed > 0)
    }

    static func count(_ database: any Database, _ sql: SQL) throws -> Int {
        (try database.fetchOne(sql, { $0.int(0) }) ?? nil) ?? 0
    }
}
