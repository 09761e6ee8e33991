import LesionRunFormat
import LesionStore

/// The kind (number, vector, text) of every metric name of every layer of one stored
/// model: a name keeps its kind in every checkpoint. A document's all-null metric
/// takes the stored kind; any other change of kind is refused.
struct UnitMetricKinds {
    private struct Key: Hashable {
        var layer: String
        var name: String
    }

    private var known: [Key: UnitMetricKind] = [:]
    private var added: [Key: UnitMetricKind] = [:]
    private let layerIds: [String: Int64]
    private let modelName: String

    /// The kinds stored for the model whose layers are `layerIds` (none for a new model).
    init(database: any Database, modelId: Int64, layerIds: [String: Int64], modelName: String) throws {
        self.layerIds = layerIds
        self.modelName = modelName
        let names = Dictionary(layerIds.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        try database.forEachRow("""
            SELECT k.layer_id, k.name, k.kind FROM unit_metric_kinds k JOIN layers l ON l.id = k.layer_id \
            WHERE l.model_id = \(modelId)
            """) { row in
            let kind = try row.decode(UnitMetricKind.self, at: 2)
            guard let layer = names[try row.decode(Int64.self, at: 0)] else { return }
            known[Key(layer: layer, name: try row.decode(String.self, at: 1))] = kind
        }
    }

    /// `checkpoint` with every all-null metric given its stored kind; refuses, at
    /// `path`, a metric whose kind differs from the stored one (or from an earlier
    /// checkpoint of the same document).
    mutating func resolve(_ checkpoint: Checkpoint, at path: String, layers: [Layer], classes: Int?) throws -> Checkpoint {
        var resolved = checkpoint
        for (index, metric) in checkpoint.units.enumerated() {
            let key = Key(layer: metric.layer, name: metric.name)
            let kind = metric.values.kind
            guard let stored = known[key] else {
                known[key] = kind
                added[key] = kind
                continue
            }
            if stored == kind { continue }
            let units = layers.first { $0.name == metric.layer }?.units ?? 0
            if metric.values.isAllUndefined, let values = UnitValues.undefined(stored, units: units, classes: classes) {
                resolved.units[index].values = values
                continue
            }
            throw IngestRefusal(
                path: "\(path).units.\(metric.layer).\(metric.name)",
                message: "\(metric.name) of layer \(metric.layer) is stored in \(modelName) as \(Self.describe(stored)), "
                    + "found \(Self.describe(kind)); a metric keeps its kind in every checkpoint "
                    + "(give it another name, or remove the model first with `lesion rm \(modelName)`)")
        }
        return resolved
    }

    /// Writes the kinds first seen in this document.
    func record(in database: any Database) throws {
        for (key, kind) in added {
            guard let layerId = layerIds[key.layer] else { continue }
            try database.execute("""
                INSERT INTO unit_metric_kinds (layer_id, name, kind) VALUES (\(layerId), \(key.name), \(kind.rawValue))
                """)
        }
    }

    private static func describe(_ kind: UnitMetricKind) -> String {
        switch kind {
        case .number: "a number metric (one number per unit)"
        case .vector: "a vector metric (one vector per unit)"
        case .text: "a text metric (one label per unit)"
        }
    }
}
