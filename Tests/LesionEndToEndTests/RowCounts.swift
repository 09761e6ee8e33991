import LesionStore
import XCTest

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

    /// Asserts that every stored model of `SampleDocuments.manyDocuments(units:)` is
    /// whole (both checkpoints, every unit value) and returns how many there are.
    @discardableResult
    static func assertWholeModels(
        in database: any Database, units: Int, _ context: String, file: StaticString = #filePath, line: UInt = #line
    ) throws -> Int {
        let perModel = try database.fetchAll("""
            SELECT m.name, (SELECT COUNT(*) FROM checkpoints c WHERE c.model_id = m.id), \
            (SELECT COUNT(*) FROM unit_values v JOIN unit_metrics um ON um.id = v.unit_metric_id \
             JOIN checkpoints c ON c.id = um.checkpoint_id WHERE c.model_id = m.id) FROM models m
            """) { (name: $0.string(0) ?? "", checkpoints: $0.int(1) ?? 0, values: $0.int(2) ?? 0) }
        for model in perModel {
            XCTAssertEqual(model.checkpoints, 2, "\(context): \(model.name)", file: file, line: line)
            XCTAssertEqual(model.values, 2 * 2 * units * 2, "\(context): \(model.name)", file: file, line: line)
        }
        return perModel.count
    }
}
