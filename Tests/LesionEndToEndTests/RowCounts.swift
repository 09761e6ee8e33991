import LesionStore
import XCTest

/// The number of rows in every table: "nothing changed" means these are equal.
enum RowCounts {
    /// unit_class_values is a view over unit_class_vectors from v5 on: its count is
    /// still every (unit, class), so the counts compare across the upgrade.
    static let tables = versionTwoTables + ["unit_metric_kinds", "unit_text_values", "checkpoint_class_values", "unit_class_vectors"]

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

    /// Asserts that every stored model of `SampleDocuments.manyDocuments(units:)` is
    /// whole (both checkpoints, every unit value) and returns how many there are.
    @discardableResult
    static func assertWholeModels(
        in database: any Database, units: Int, _ context: String, file: StaticString = #filePath, line: UInt = #line
    ) throws -> Int {
        // Grouped joins rather than correlated subqueries, which Citus does not run
        // over a distributed table.
        let perModel = try database.fetchAll("""
            SELECT m.name, COALESCE(c.n, 0), COALESCE(v.n, 0) FROM models m \
            LEFT JOIN (SELECT model_id, COUNT(*) AS n FROM checkpoints GROUP BY model_id) c ON c.model_id = m.id \
            LEFT JOIN (SELECT c.model_id, COUNT(*) AS n FROM unit_values v JOIN unit_metrics um ON um.id = v.unit_metric_id \
             JOIN checkpoints c ON c.id = um.checkpoint_id GROUP BY c.model_id) v ON v.model_id = m.id
            """) { (name: $0.string(0) ?? "", checkpoints: $0.int(1) ?? 0, values: $0.int(2) ?? 0) }
        for model in perModel {
            XCTAssertEqual(model.checkpoints, 2, "\(context): \(model.name)", file: file, line: line)
            XCTAssertEqual(model.values, 2 * 2 * units * 2, "\(context): \(model.name)", file: file, line: line)
        }
        return perModel.count
    }
}
