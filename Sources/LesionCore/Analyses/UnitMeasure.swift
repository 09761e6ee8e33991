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
struct UnitObservation {
    var modelId: Int64
    var checkpointId: Int64
    var layer: String
    var depth: Int
    var unit: Int
    /// One value per requested measure; NaN where undefined or not stored.
    var values: [Double]
}

/// Reads units of the selected checkpoints with several measures each, joining in
/// the database so that only the numbers reach Swift, streamed row by row.
struct UnitObservationReader {
    let database: any Database

    /// Units having the first measure's unit metric stored; the other measures
    /// joined where present (NaN where missing).
    func read(_ filter: ModelFilter, measures: [UnitMeasure], _ body: (UnitObservation) throws -> Void) throws {
        guard let first = measures.first else { return }
        var select: [SQL] = ["sel.model_id", "sel.checkpoint_id", "l.name", "l.depth", "v0.unit", "v0.value"]
        var joins: [SQL] = []
        if let metric = first.sources.checkpointMetric {
            select.append("k0.value")
            joins.append("LEFT JOIN checkpoint_metrics k0 ON k0.checkpoint_id = sel.checkpoint_id AND k0.name = \(metric)")
        }
        for (offset, measure) in measures.enumerated().dropFirst() {
            let um = "um\(offset)", v = "v\(offset)", k = "k\(offset)"
            select.append("\(unsafeRaw: v).value")
            joins.append("""
                LEFT JOIN unit_metrics \(unsafeRaw: um) ON \(unsafeRaw: um).checkpoint_id = sel.checkpoint_id \
                AND \(unsafeRaw: um).layer_id = um0.layer_id AND \(unsafeRaw: um).name = \(measure.sources.unitMetric) \
                LEFT JOIN unit_values \(unsafeRaw: v) ON \(unsafeRaw: v).unit_metric_id = \(unsafeRaw: um).id AND \(unsafeRaw: v).unit = v0.unit
                """)
            if let metric = measure.sources.checkpointMetric {
                select.append("\(unsafeRaw: k).value")
                joins.append("LEFT JOIN checkpoint_metrics \(unsafeRaw: k) ON \(unsafeRaw: k).checkpoint_id = sel.checkpoint_id AND \(unsafeRaw: k).name = \(metric)")
            }
        }
        let sql: SQL = """
            WITH sel AS (\(filter.selectionSQL(ordered: false))) \
            SELECT \(SQL.joined(select, separator: ", ")) FROM sel \
            JOIN unit_metrics um0 ON um0.checkpoint_id = sel.checkpoint_id AND um0.name = \(first.sources.unitMetric) \
            JOIN layers l ON l.id = um0.layer_id \
            JOIN unit_values v0 ON v0.unit_metric_id = um0.id \
            \(SQL.joined(joins, separator: " "))
            """
        try database.forEachRow(sql) { row in
            var column = 5
            var values: [Double] = []
            values.reserveCapacity(measures.count)
            for measure in measures {
                let unitValue = row.number(column)
                column += 1
                if measure.sources.checkpointMetric != nil {
                    let checkpointValue = row.number(column)
                    column += 1
                    values.append(measure.combine(unit: unitValue, checkpoint: checkpointValue))
                } else {
                    values.append(unitValue)
                }
            }
            try body(UnitObservation(
                modelId: row.int64(0) ?? 0, checkpointId: row.int64(1) ?? 0, layer: row.string(2) ?? "",
                depth: row.int(3) ?? 0, unit: row.int(4) ?? 0, values: values))
        }
    }
}
