import LesionStore

/// A per-unit quantity an analysis reads: a stored unit metric, or one derived
/// from the single-unit ablation results.
public enum UnitMeasure: Sendable, Equatable, CustomStringConvertible {
    /// `test_accuracy` (checkpoint) − `ablated_test_accuracy` (unit).
    case accuracyDrop
    /// `ablated_test_loss` (unit) − `test_loss` (checkpoint).
    case lossIncrease
    /// A unit metric as stored.
    case stored(String)

    /// Reads a measure's name: `accuracy_drop`, `loss_increase`, or a unit metric.
    public init(_ name: String) {
        switch name {
        case "accuracy_drop": self = .accuracyDrop
        case "loss_increase": self = .lossIncrease
        default: self = .stored(name)
        }
    }

    public var description: String {
        switch self {
        case .accuracyDrop: return "accuracy_drop"
        case .lossIncrease: return "loss_increase"
        case .stored(let name): return name
        }
    }

    /// The unit metric read, and the checkpoint metric it is combined with.
    var sources: (unitMetric: String, checkpointMetric: String?) {
        switch self {
        case .accuracyDrop: return ("ablated_test_accuracy", "test_accuracy")
        case .lossIncrease: return ("ablated_test_loss", "test_loss")
        case .stored(let name): return (name, nil)
        }
    }

    /// The value from the stored unit value and checkpoint value: one IEEE-754
    /// subtraction, as the definitions require.
    func combine(unit: Double, checkpoint: Double) -> Double {
        switch self {
        case .accuracyDrop: return checkpoint - unit
        case .lossIncrease: return unit - checkpoint
        case .stored: return unit
        }
    }
}

/// One unit of a selected checkpoint with the measures an analysis asked for.
/// The reader hands out the same instance for every unit (read it, don't keep it).
struct UnitObservation {
    var modelId: Int64 = 0
    var checkpointId: Int64 = 0
    var layer: String = ""
    var unit: Int = 0
    /// One value per requested measure; NaN where undefined or not stored.
    var values: [Double] = []
}

/// Reads units of the selected checkpoints with several measures each. Each measure
/// is one range scan in primary-key order (no index seek per unit); the second and
/// later measures are held in memory by (checkpoint, layer) while the first streams.
struct UnitObservationReader {
    let database: any Database

    /// Units having the first measure's unit metric stored; the other measures
    /// joined where present (NaN where missing).
    func read(_ filter: ModelFilter, measures: [UnitMeasure], _ body: (UnitObservation) throws -> Void) throws {
        guard let first = measures.first else { return }
        let selection = filter.selectionSQL(ordered: false)

        var layerNames: [Int64: String] = [:]
        try database.forEachRow("""
            WITH sel AS (\(selection)) \
            SELECT l.id, l.name FROM layers l WHERE l.model_id IN (SELECT model_id FROM sel)
            """) { row in
            layerNames[row.int64(0) ?? 0] = row.string(1) ?? ""
        }
        let checkpointMetricNames = Array(Set(measures.compactMap(\.sources.checkpointMetric)))
        let checkpointValues = try SelectionContext.checkpointMetrics(database: database, filter: filter, names: checkpointMetricNames)

        struct LayerKey: Hashable {
            var checkpoint: Int64
            var layer: Int64
        }
        var others: [[LayerKey: [Double]]] = []
        for measure in measures.dropFirst() {
            var byLayer: [LayerKey: [Double]] = [:]
            // Rows arrive grouped by unit metric: fill one layer's array, then file it.
            var key = LayerKey(checkpoint: -1, layer: -1)
            var values: [Double] = []
            try database.forEachRow("""
                WITH sel AS (\(selection)) \
                SELECT um.checkpoint_id, um.layer_id, v.unit, v.value FROM sel \
                JOIN unit_metrics um ON um.checkpoint_id = sel.checkpoint_id AND um.name = \(measure.sources.unitMetric) \
                JOIN unit_values v ON v.unit_metric_id = um.id
                """) { row in
                let rowKey = LayerKey(checkpoint: row.int64(0) ?? 0, layer: row.int64(1) ?? 0)
                if rowKey != key {
                    if key.layer >= 0 { byLayer[key] = values }
                    key = rowKey
                    values = byLayer[rowKey] ?? []
                }
                let unit = row.int(2) ?? -1
                guard unit >= 0 else { return }
                if values.count <= unit {
                    values.append(contentsOf: repeatElement(.nan, count: unit - values.count + 1))
                }
                values[unit] = row.number(3)
            }
            if key.layer >= 0 { byLayer[key] = values }
            others.append(byLayer)
        }

        var observation = UnitObservation()
        observation.values = [Double](repeating: .nan, count: measures.count)
        var currentKey = LayerKey(checkpoint: -1, layer: -1)
        var currentOthers: [[Double]?] = Array(repeating: nil, count: others.count)
        var currentCheckpointValues: [String: Double] = [:]
        try database.forEachRow("""
            WITH sel AS (\(selection)) \
            SELECT sel.model_id, sel.checkpoint_id, um.layer_id, v.unit, v.value FROM sel \
            JOIN unit_metrics um ON um.checkpoint_id = sel.checkpoint_id AND um.name = \(first.sources.unitMetric) \
            JOIN unit_values v ON v.unit_metric_id = um.id
            """) { row in
            let key = LayerKey(checkpoint: row.int64(1) ?? 0, layer: row.int64(2) ?? 0)
            if key != currentKey {
                currentKey = key
                currentOthers = others.map { $0[key] }
                currentCheckpointValues = checkpointValues[key.checkpoint] ?? [:]
                observation.layer = layerNames[key.layer] ?? ""
                observation.modelId = row.int64(0) ?? 0
                observation.checkpointId = key.checkpoint
            }
            let unit = row.int(3) ?? 0
            observation.unit = unit
            for (index, measure) in measures.enumerated() {
                let unitValue: Double
                if index == 0 {
                    unitValue = row.number(4)
                } else if let values = currentOthers[index - 1], unit >= 0, unit < values.count {
                    unitValue = values[unit]
                } else {
                    unitValue = .nan
                }
                if let metric = measure.sources.checkpointMetric {
                    observation.values[index] = measure.combine(unit: unitValue, checkpoint: currentCheckpointValues[metric] ?? .nan)
                } else {
                    observation.values[index] = unitValue
                }
            }
            try body(observation)
        }
    }
}
