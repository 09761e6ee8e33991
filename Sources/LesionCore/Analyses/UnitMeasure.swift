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
    /// The layer's row id: equal ids mean the same layer of the same model.
    var layerId: Int64 = 0
    var layer: String = ""
    var unit: Int = 0
    /// One value per requested measure; NaN where undefined or not stored.
    var values: [Double] = []
}

/// Reads units of the selected checkpoints with several measures each. Each measure
/// is one range scan in primary-key order (no index seek per unit) that returns only
/// (unit metric, unit, value); the second and later measures are held in memory by
/// (checkpoint, layer) while the first streams.
struct UnitObservationReader {
    let database: any Database

    /// Where a stored unit metric belongs: a layer of a checkpoint.
    struct LayerKey: Hashable {
        var checkpoint: Int64
        var layer: Int64
    }

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
            layerNames[try row.decode(Int64.self, at: 0)] = try row.decode(String.self, at: 1)
        }
        let checkpointMetricNames = Array(Set(measures.compactMap(\.sources.checkpointMetric)))
        let checkpointValues = try SelectionContext.checkpointMetrics(database: database, filter: filter, names: checkpointMetricNames)

        var others: [[LayerKey: [Double]]] = []
        for measure in measures.dropFirst() {
            others.append(try valuesByLayer(named: measure.sources.unitMetric, selection: selection))
        }

        let places = try unitMetrics(named: first.sources.unitMetric, selection: selection)
        var observation = UnitObservation()
        observation.values = [Double](repeating: .nan, count: measures.count)
        var metricId: Int64 = -1
        var metricSelected = false
        var currentOthers: [[Double]?] = Array(repeating: nil, count: others.count)
        // Per measure, the checkpoint metric it combines with (NaN where none is stored).
        var currentCheckpointValues = [Double](repeating: .nan, count: measures.count)
        try forEachValue(named: first.sources.unitMetric, selection: selection) { id, unit, firstValue in
            if id != metricId {
                metricId = id
                // Both queries join the same selection, so every id has its place.
                let place = places[id]
                metricSelected = place != nil
                guard let place else { return }
                currentOthers = others.map { $0[place.key] }
                let stored = checkpointValues[place.key.checkpoint] ?? [:]
                for (index, measure) in measures.enumerated() {
                    currentCheckpointValues[index] = measure.sources.checkpointMetric.flatMap { stored[$0] } ?? .nan
                }
                observation.layer = layerNames[place.key.layer] ?? ""
                observation.layerId = place.key.layer
                observation.modelId = place.model
                observation.checkpointId = place.key.checkpoint
            }
            guard metricSelected else { return }
            observation.unit = unit
            for (index, measure) in measures.enumerated() {
                let unitValue: Double
                if index == 0 {
                    unitValue = firstValue
                } else if let values = currentOthers[index - 1], unit >= 0, unit < values.count {
                    unitValue = values[unit]
                } else {
                    unitValue = .nan
                }
                observation.values[index] = measure.combine(unit: unitValue, checkpoint: currentCheckpointValues[index])
            }
            try body(observation)
        }
    }

    /// Every selected layer's values of the number unit metric `name`, one per unit
    /// (NaN where undefined or missing), held in memory.
    func valuesByLayer(named name: String, selection: SQL) throws -> [LayerKey: [Double]] {
        let places = try unitMetrics(named: name, selection: selection)
        var byLayer: [LayerKey: [Double]] = [:]
        // Rows arrive grouped by unit metric: fill one layer's array, then file it.
        var metricId: Int64 = -1
        var values: [Double] = []
        try forEachValue(named: name, selection: selection) { id, unit, value in
            if id != metricId {
                if let place = places[metricId] { byLayer[place.key] = values }
                metricId = id
                values = places[id].flatMap { byLayer[$0.key] } ?? []
            }
            guard unit >= 0 else { return }
            if values.count <= unit {
                values.append(contentsOf: repeatElement(.nan, count: unit - values.count + 1))
            }
            values[unit] = value
        }
        if let place = places[metricId] { byLayer[place.key] = values }
        return byLayer
    }

    /// The selected checkpoints' unit metrics named `name`: id → (model, checkpoint, layer).
    func unitMetrics(named name: String, selection: SQL) throws -> [Int64: (model: Int64, key: LayerKey)] {
        var places: [Int64: (model: Int64, key: LayerKey)] = [:]
        try database.forEachRow("""
            WITH sel AS (\(selection)) \
            SELECT um.id, sel.model_id, um.checkpoint_id, um.layer_id FROM sel \
            JOIN unit_metrics um ON um.checkpoint_id = sel.checkpoint_id AND um.name = \(name)
            """) { row in
            places[try row.decode(Int64.self, at: 0)] = (try row.decode(Int64.self, at: 1), LayerKey(checkpoint: try row.decode(Int64.self, at: 2), layer: try row.decode(Int64.self, at: 3)))
        }
        return places
    }

    /// Every value of the selected checkpoints' unit metrics named `name`, grouped by
    /// unit metric: three columns a row, since this loop runs once per unit.
    private func forEachValue(named name: String, selection: SQL, _ body: (Int64, Int, Double) throws -> Void) throws {
        try database.forEachRow("""
            WITH sel AS (\(selection)) \
            SELECT v.unit_metric_id, v.unit, v.value FROM sel \
            JOIN unit_metrics um ON um.checkpoint_id = sel.checkpoint_id AND um.name = \(name) \
            JOIN unit_values v ON v.unit_metric_id = um.id
            """) { row in
            try body(try row.decode(Int64.self, at: 0), try row.decode(Int.self, at: 1), row.number(2))
        }
    }
}
