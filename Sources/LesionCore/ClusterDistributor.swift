import LesionStore

/// `lesion db distribute`: turns a lesion database on a Citus coordinator into the
/// distributed layout, keeping every row.
///
/// * The four value tables (unit_values, unit_class_vectors, unit_text_values,
///   curve_values) become distributed tables, hashed and co-located on model_id
///   (schema v4), so one model's values live on one worker and analyses over many
///   models scan all workers at once.
/// * Every other lesion table becomes a reference table (a copy on every node):
///   they are small, and the value tables join them on every node.
/// * PostgreSQL v2's statement-level reference triggers (Citus distributes no table
///   with triggers) become plain foreign keys to the reference tables, which Citus
///   enforces on each worker, ON DELETE CASCADE as before. No distributed table has
///   an identity column (their parents, with the ids, are reference tables).
///
/// All of it is one transaction under the migrations' advisory lock: a step Citus
/// refuses rolls everything back, and the error says nothing changed.
public struct ClusterDistributor {
    /// The tables distributed by model; every other lesion table is a reference table.
    public static let distributedTables: [(table: String, column: String, parent: String)] = [
        ("unit_values", "unit_metric_id", "unit_metrics"),
        ("unit_class_vectors", "unit_metric_id", "unit_metrics"),
        ("unit_text_values", "unit_metric_id", "unit_metrics"),
        ("curve_values", "curve_metric_id", "curve_metrics"),
    ]
    /// The distribution column, the model's id (schema v4).
    public static let distributionColumn = "model_id"
    /// The v2 trigger functions that stand for foreign keys on one server.
    static let referenceTriggerFunctions = [
        "lesion_require_parents", "lesion_delete_children", "lesion_truncate_children", "lesion_refuse_id_change",
    ]

    let database: any Database
    /// The tables to distribute: ``distributedTables``, or an older schema's (a test
    /// distributes a version 4 database as the lesion of that version did).
    let valueTables: [(table: String, column: String, parent: String)]

    /// A distributor for `database`, which must be PostgreSQL (checked by ``distribute(shards:)``).
    public init(database: any Database, valueTables: [(table: String, column: String, parent: String)] = distributedTables) {
        self.database = database
        self.valueTables = valueTables
    }

    /// Distributes the database over the cluster's workers, with `shards` shards for
    /// each distributed table, and returns the new layout. Throws a `UsageError`
    /// naming what is missing (Citus, a worker, ownership) before changing anything.
    @discardableResult
    public func distribute(shards: Int = 32) throws -> ClusterLayout {
        guard database.dialect == .postgresql else {
            throw UsageError("distributing needs PostgreSQL with the Citus extension; this database is SQLite")
        }
        guard (1...10_000).contains(shards) else {
            throw UsageError("--shards must be between 1 and 10000, not \(shards)")
        }
        guard let layout = try ClusterLayout.read(database) else {
            throw UsageError("""
                this PostgreSQL database has no citus extension: lesion distributes over a Citus cluster. \
                Point --db at the Citus coordinator, where the owner has run CREATE EXTENSION citus (README: Scaling out)
                """)
        }
        guard layout.workers >= 1 else {
            throw UsageError("""
                the Citus coordinator has no worker nodes: add one first with \
                SELECT citus_add_node('worker-host', 5432) (README: Scaling out)
                """)
        }
        guard !layout.isDistributed else {
            throw UsageError("the database is already \(layout.summary)")
        }
        let owner = try database.fetchOne("""
            SELECT CASE WHEN pg_get_userbyid(relowner) = current_user THEN 1 ELSE 0 END, pg_get_userbyid(relowner) FROM pg_class \
            WHERE oid = to_regclass('unit_values')
            """, { ($0.int(0) == 1, $0.string(1) ?? "") })
        guard let owner else { throw UsageError("this database has no lesion tables in its schema (search_path)") }
        guard owner.0 else {
            throw UsageError("only the owner of the lesion tables (\(owner.1)) can distribute them; connect as that role")
        }

        do {
            try database.transaction {
                try database.lockForTransaction(key: Migrator.lockKey)
                let before = try rowCounts()
                try dropReferenceTriggers()
                for table in try referenceTablesParentsFirst() {
                    try database.execute("SELECT create_reference_table(\(table)::regclass)")
                }
                var first: String?
                for entry in valueTables {
                    if let first {
                        try database.execute("""
                            SELECT create_distributed_table(\(entry.table)::regclass, \(Self.distributionColumn)::text, colocate_with => \(first)::text)
                            """)
                    } else {
                        try database.execute("""
                            SELECT create_distributed_table(\(entry.table)::regclass, \(Self.distributionColumn)::text, shard_count => \(shards)::integer)
                            """)
                        first = entry.table
                    }
                    try database.executeScript("""
                        ALTER TABLE \(entry.table) ADD CONSTRAINT \(entry.table)_\(entry.column)_fkey \
                        FOREIGN KEY (\(entry.column)) REFERENCES \(entry.parent) (id) ON DELETE CASCADE
                        """)
                }
                let after = try rowCounts()
                guard before == after else {
                    throw DistributionFailure(message: "the row counts changed while distributing (\(before) before, \(after) after)")
                }
            }
        } catch let error as DatabaseError {
            throw DistributionFailure(message: error.message)
        }
        return try ClusterLayout.read(database) ?? layout
    }

    /// Rows per lesion table, to check that distributing kept every one.
    private func rowCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in try lesionTables() {
            counts[table] = try ClusterLayout.count(database, "SELECT COUNT(*) FROM \(unsafeRaw: SQL.quotedIdentifier(table))")
        }
        return counts
    }

    /// The base tables of the current schema that lesion's migrations made (the
    /// migration ledger stays a local table of the coordinator).
    private func lesionTables() throws -> [String] {
        try database.fetchAll("""
            SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace \
            AND c.relkind IN ('r', 'p') AND c.relname <> 'lesion_migrations' ORDER BY c.relname
            """) { $0.string(0) ?? "" }
    }

    /// Drops the v2 triggers (Citus distributes no table that has triggers).
    private func dropReferenceTriggers() throws {
        let triggers = try database.fetchAll("""
            SELECT t.tgname, c.relname FROM pg_trigger t \
            JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid \
            WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace \
            AND p.proname IN (\(unsafeRaw: Self.referenceTriggerFunctions.map { "'\($0)'" }.joined(separator: ", ")))
            """) { ($0.string(0) ?? "", $0.string(1) ?? "") }
        for (trigger, table) in triggers {
            try database.executeScript("DROP TRIGGER \(SQL.quotedIdentifier(trigger)) ON \(SQL.quotedIdentifier(table))")
        }
    }

    /// Every lesion table except the distributed ones, each after the tables it refers
    /// to (Citus makes a reference table only of one whose parents already are).
    private func referenceTablesParentsFirst() throws -> [String] {
        let distributed = Set(valueTables.map(\.table))
        var remaining = try lesionTables().filter { !distributed.contains($0) }
        let edges = try database.fetchAll("""
            SELECT c.relname, p.relname FROM pg_constraint k \
            JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid \
            WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace
            """) { ($0.string(0) ?? "", $0.string(1) ?? "") }
        var parents: [String: Set<String>] = [:]
        for (child, parent) in edges where child != parent { parents[child, default: []].insert(parent) }
        var ordered: [String] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { (parents[$0] ?? []).isSubset(of: Set(ordered)) }
            guard !ready.isEmpty else {
                throw DistributionFailure(message: "the foreign keys between \(remaining.joined(separator: ", ")) form a cycle")
            }
            ordered += ready
            remaining.removeAll { ready.contains($0) }
        }
        return ordered
    }

}

/// Citus refused a step of `lesion db distribute`; the transaction was rolled back.
public struct DistributionFailure: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    public var description: String {
        "could not distribute the database, nothing was changed: \(message)"
    }
}
