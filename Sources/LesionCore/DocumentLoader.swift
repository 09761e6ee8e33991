import LesionRunFormat
import LesionStore

/// Reads stored models back as run documents, for `lesion export` and the round
/// trip: what ingest stored, in the order it was given.
public struct DocumentLoader {
    let database: any Database

    /// A loader over `database`.
    public init(database: any Database) {
        self.database = database
    }

    /// The stored model with id `modelId`, with all its checkpoints.
    public func document(modelId: Int64) throws -> RunDocument {
        guard let header = try database.fetchOne("""
            SELECT e.name, m.name, m.classes FROM models m JOIN experiments e ON e.id = m.experiment_id \
            WHERE m.id = \(modelId)
            """, { (experiment: try $0.decode(String.self, at: 0), model: try $0.decode(String.self, at: 1), classes: try $0.decodeIfPresent(Int.self, at: 2)) }) else {
            throw DatabaseError(code: .misuse, message: "model \(modelId) is not stored")
        }
        let layerRows = try database.fetchAll(
            "SELECT id, name, units, kind FROM layers WHERE model_id = \(modelId) ORDER BY depth",
            { (id: try $0.decode(Int64.self, at: 0), layer: Layer(name: try $0.decode(String.self, at: 1), units: try $0.decode(Int.self, at: 2), kind: try $0.decodeIfPresent(String.self, at: 3))) })
        let layerNames = Dictionary(layerRows.map { ($0.id, $0.layer.name) }, uniquingKeysWith: { first, _ in first })
        let checkpointRows = try database.fetchAll(
            "SELECT id, step FROM checkpoints WHERE model_id = \(modelId) ORDER BY step",
            { (id: try $0.decode(Int64.self, at: 0), step: try $0.decode(Int.self, at: 1)) })
        var checkpoints: [Checkpoint] = []
        for row in checkpointRows {
            checkpoints.append(try checkpoint(id: row.id, step: row.step, layerNames: layerNames, classes: header.classes))
        }
        return RunDocument(
            experiment: header.experiment, model: header.model,
            attributes: try AttributeReader(database: database).attributes(modelId: modelId),
            classes: header.classes, layers: layerRows.map(\.layer), checkpoints: checkpoints)
    }

    /// The stored checkpoint with id `id`; `layerNames` maps the model's layer ids to
    /// names. Also what a merge compares a document's checkpoint with.
    func checkpoint(id: Int64, step: Int, layerNames: [Int64: String], classes: Int?) throws -> Checkpoint {
        Checkpoint(
            step: step,
            metrics: try metrics(checkpointId: id),
            classMetrics: try classMetrics(checkpointId: id),
            units: try unitMetrics(checkpointId: id, layerNames: layerNames, classes: classes),
            curves: try curves(checkpointId: id))
    }

    private func metrics(checkpointId: Int64) throws -> [NamedValue] {
        try database.fetchAll(
            "SELECT name, value FROM checkpoint_metrics WHERE checkpoint_id = \(checkpointId) ORDER BY position",
            { NamedValue(name: try $0.decode(String.self, at: 0), value: $0.number(1)) })
    }

    private func classMetrics(checkpointId: Int64) throws -> [ClassMetric] {
        var metrics: [ClassMetric] = []
        try database.forEachRow("""
            SELECT name, value FROM checkpoint_class_values WHERE checkpoint_id = \(checkpointId) \
            ORDER BY position, class
            """) { row in
            let name = try row.decode(String.self, at: 0)
            if metrics.last?.name != name { metrics.append(ClassMetric(name: name, values: [])) }
            metrics[metrics.count - 1].values.append(row.number(1))
        }
        return metrics
    }

    private func unitMetrics(checkpointId: Int64, layerNames: [Int64: String], classes: Int?) throws -> [UnitMetric] {
        let metricRows = try database.fetchAll("""
            SELECT um.id, um.layer_id, um.name, um.per_class, k.kind FROM unit_metrics um \
            LEFT JOIN unit_metric_kinds k ON k.layer_id = um.layer_id AND k.name = um.name \
            WHERE um.checkpoint_id = \(checkpointId) ORDER BY um.position
            """, { (id: try $0.decode(Int64.self, at: 0), layer: try $0.decode(Int64.self, at: 1), name: try $0.decode(String.self, at: 2), perClass: try $0.decode(Bool.self, at: 3),
                    isText: try $0.decodeIfPresent(String.self, at: 4) == UnitMetricKind.text.rawValue) })
        var scalars: [Int64: [Double]] = [:]
        try database.forEachRow("""
            SELECT v.unit_metric_id, v.value FROM unit_values v JOIN unit_metrics um ON um.id = v.unit_metric_id \
            WHERE um.checkpoint_id = \(checkpointId) ORDER BY v.unit_metric_id, v.unit
            """) { row in
            scalars[try row.decode(Int64.self, at: 0), default: []].append(row.number(1))
        }
        var vectors: [Int64: [Double]] = [:]
        if metricRows.contains(where: \.perClass) {
            try database.forEachRow("""
                SELECT v.unit_metric_id, v.vector FROM unit_class_vectors v JOIN unit_metrics um ON um.id = v.unit_metric_id \
                WHERE um.checkpoint_id = \(checkpointId) ORDER BY v.unit_metric_id, v.unit
                """) { row in
                let id = try row.decode(Int64.self, at: 0)
                try PackedDoubles.append(row, column: 1, to: &vectors[id, default: []])
            }
        }
        var labels: [Int64: [String?]] = [:]
        if metricRows.contains(where: \.isText) {
            try database.forEachRow("""
                SELECT v.unit_metric_id, v.value FROM unit_text_values v JOIN unit_metrics um ON um.id = v.unit_metric_id \
                WHERE um.checkpoint_id = \(checkpointId) ORDER BY v.unit_metric_id, v.unit
                """) { row in
                labels[try row.decode(Int64.self, at: 0), default: []].append(try row.decodeIfPresent(String.self, at: 1))
            }
        }
        return metricRows.map { metric in
            let values: UnitValues = metric.isText
                ? .labels(labels[metric.id] ?? [])
                : metric.perClass
                ? .perClass(vectors[metric.id] ?? [], classes: classes ?? 0)
                : .scalars(scalars[metric.id] ?? [])
            return UnitMetric(layer: layerNames[metric.layer] ?? "", name: metric.name, values: values)
        }
    }

    private func curves(checkpointId: Int64) throws -> [Curve] {
        let curveRows = try database.fetchAll("""
            SELECT id, perturbation, scope, unit_order, seed FROM curves \
            WHERE checkpoint_id = \(checkpointId) ORDER BY position
            """, { (id: try $0.decode(Int64.self, at: 0), perturbation: try $0.decode(Perturbation.self, at: 1), scope: try $0.decode(String.self, at: 2),
                    order: try $0.decodeIfPresent(String.self, at: 3), seed: try $0.decode(Int.self, at: 4)) })
        guard !curveRows.isEmpty else { return [] }
        var xs: [Int64: [Double]] = [:]
        try database.forEachRow("""
            SELECT p.curve_id, p.x FROM curve_points p JOIN curves cv ON cv.id = p.curve_id \
            WHERE cv.checkpoint_id = \(checkpointId) ORDER BY p.curve_id, p.point
            """) { row in
            xs[try row.decode(Int64.self, at: 0), default: []].append(row.number(1))
        }
        var metricNames: [Int64: [(id: Int64, name: String)]] = [:]
        try database.forEachRow("""
            SELECT cm.curve_id, cm.id, cm.name FROM curve_metrics cm JOIN curves cv ON cv.id = cm.curve_id \
            WHERE cv.checkpoint_id = \(checkpointId) ORDER BY cm.curve_id, cm.position
            """) { row in
            metricNames[try row.decode(Int64.self, at: 0), default: []].append((try row.decode(Int64.self, at: 1), try row.decode(String.self, at: 2)))
        }
        var values: [Int64: [Double]] = [:]
        try database.forEachRow("""
            SELECT v.curve_metric_id, v.value FROM curve_values v JOIN curve_metrics cm ON cm.id = v.curve_metric_id \
            JOIN curves cv ON cv.id = cm.curve_id WHERE cv.checkpoint_id = \(checkpointId) \
            ORDER BY v.curve_metric_id, v.point
            """) { row in
            values[try row.decode(Int64.self, at: 0), default: []].append(row.number(1))
        }
        return try curveRows.map { row in
            Curve(
                perturbation: row.perturbation,
                scope: try CurveScopeText.decode(row.scope),
                order: row.order, seed: row.seed, x: xs[row.id] ?? [],
                metrics: (metricNames[row.id] ?? []).map { CurveMetric(name: $0.name, values: values[$0.id] ?? []) })
        }
    }
}
