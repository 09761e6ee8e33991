import LesionStore

/// The number of rows in every table: "nothing changed" means these are equal.
enum RowCounts {
    static let tables = versionTwoTables + ["unit_metric_kinds", "unit_text_values", "checkpoint_class_values"]

    /// The tables of schema version 2, parents before children.
    static let versionTwoTables = [
        "ingests", "experiments", "models", "model_attributes", "layers", "checkpoints", "checkpoint_metrics",
        "unit_metrics", "unit_values", "unit_class_values", "curves", "curve_layers", "curve_points",
        "curve_metrics", "curve_values",
    ]

    static func of(_ database: any Database, tables: [String] = tables) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = try database.fetchOne("SELECT COUNT(*) FROM \(unsafeRaw: table)") { $0.int(0) ?? -1 } ?? -1
        }
        return counts
    }
}
