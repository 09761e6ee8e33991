import LesionStore

/// The number of rows in every table: "nothing changed" means these are equal.
enum RowCounts {
    static let tables = [
        "ingests", "experiments", "models", "model_attributes", "layers", "checkpoints", "checkpoint_metrics",
        "unit_metrics", "unit_values", "unit_class_values", "curves", "curve_layers", "curve_points",
        "curve_metrics", "curve_values",
    ]

    static func of(_ database: any Database) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = try database.fetchOne("SELECT COUNT(*) FROM \(unsafeRaw: table)") { $0.int(0) ?? -1 } ?? -1
        }
        return counts
    }
}
