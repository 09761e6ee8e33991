import LesionRunFormat
import LesionStore

/// What the analyses need to know about the selected models: names, attributes
/// and checkpoint metrics, read in a few set-wise queries rather than per model.
struct SelectionContext {
    /// The selected checkpoints.
    var checkpoints: [(model: ModelName, checkpointId: Int64, step: Int)]
    /// Models by id.
    var models: [Int64: ModelName]
    /// Attribute values by model id and name (only the names asked for).
    var attributes: [Int64: [String: AttributeValue]]

    init(database: any Database, filter: ModelFilter, attributeNames: [String]) throws {
        checkpoints = try ModelCatalog(database: database).selection(filter)
        models = Dictionary(checkpoints.map { ($0.model.id, $0.model) }, uniquingKeysWith: { a, _ in a })
        attributes = [:]
        for name in Set(attributeNames) {
            try database.forEachRow("""
                WITH sel AS (\(filter.selectionSQL(ordered: false))) \
                SELECT a.model_id, a.kind, a.number_value, a.text_value FROM model_attributes a \
                WHERE a.name = \(name) AND a.model_id IN (SELECT model_id FROM sel)
                """) { row in
                attributes[try row.decode(Int64.self, at: 0), default: [:]][name] =
                    StoredAttribute.value(kind: try row.decode(String.self, at: 1), number: row.double(2), text: row.string(3))
            }
        }
    }

    /// Checkpoint metric values of the selected checkpoints, by checkpoint id.
    static func checkpointMetrics(database: any Database, filter: ModelFilter, names: [String]) throws -> [Int64: [String: Double]] {
        var result: [Int64: [String: Double]] = [:]
        for name in names {
            try database.forEachRow("""
                WITH sel AS (\(filter.selectionSQL(ordered: false))) \
                SELECT cm.checkpoint_id, cm.value FROM checkpoint_metrics cm \
                WHERE cm.name = \(name) AND cm.checkpoint_id IN (SELECT checkpoint_id FROM sel)
                """) { row in
                result[try row.decode(Int64.self, at: 0), default: [:]][name] = row.number(1)
            }
        }
        return result
    }
}
