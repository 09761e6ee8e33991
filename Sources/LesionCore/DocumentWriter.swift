import LesionRunFormat
import LesionStore

/// A document that the database refuses as it stands: it disagrees with what is
/// stored. Carries the JSON path of the disagreement, like a format error.
public struct IngestRefusal: Error, Sendable, CustomStringConvertible {
    /// Where in the document, e.g. `checkpoints[1].step`.
    public var path: String
    /// What disagrees, in plain words, with a hint at the fix.
    public var message: String

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// What storing one document did.
public struct StoreOutcome: Sendable, Equatable {
    /// True when a model row was created.
    public var newModel = false
    /// Checkpoints written (new or replaced).
    public var checkpointsStored = 0
    /// Stored checkpoints that gained items (a merge).
    public var checkpointsMerged = 0
    /// Checkpoints already stored with the same content.
    public var checkpointsUnchanged = 0
    /// Unit values written (a per-class vector counts each class).
    public var unitValues = 0
    /// Curve points written (x values times metrics).
    public var curvePoints = 0

    /// True when nothing new was written.
    public var isUnchanged: Bool { checkpointsStored == 0 && checkpointsMerged == 0 && !newModel }

    /// True when the document only added items to stored checkpoints.
    public var isMergeOnly: Bool { checkpointsStored == 0 && checkpointsMerged > 0 && !newModel }
}

/// Writes validated run documents into the database, one transaction each.
///
/// Identity follows the run format: a model is `(experiment, model)`, a checkpoint
/// `(experiment, model, step)`. A checkpoint already stored gains the document's new
/// items (a merge) when every item it shares with the stored one is equal, is left
/// alone when all are, and is refused when one differs unless `replace` is set,
/// which replaces it whole.
public struct DocumentWriter {
    let database: any Database

    /// A writer over `database`.
    public init(database: any Database) {
        self.database = database
    }

    /// Stores `document` whole or not at all, every row traced to `provenance`.
    ///
    /// - Parameter dryRun: do every check and write, then roll back.
    /// - Parameter derivedSelectivity: whether the reader derived the
    ///   `class_selectivity` of (checkpoint index, layer); a merge keeps a stored one.
    public func store(
        _ document: RunDocument, provenance: Provenance, replace: Bool, dryRun: Bool = false,
        derivedSelectivity: @escaping (Int, String) -> Bool = { _, _ in false }
    ) throws -> StoreOutcome {
        try store(
            document, provenance: { _ in provenance }, replace: replace, dryRun: dryRun,
            derivedSelectivity: derivedSelectivity)
    }

    /// Stores `document` whole or not at all; `provenance(step)` tells where the
    /// rows of checkpoint `step` (nil: the model's own rows) came from, so that a
    /// copy between databases keeps the original provenance.
    public func store(
        _ document: RunDocument, provenance: (Int?) -> Provenance, replace: Bool, dryRun: Bool = false,
        derivedSelectivity: (Int, String) -> Bool = { _, _ in false }
    ) throws -> StoreOutcome {
        do {
            return try database.transaction {
                try database.lockForTransaction(key: DocumentWriter.identityKey(document.experiment, document.model))
                let outcome = try storeInTransaction(
                    document, provenance: provenance, replace: replace, derivedSelectivity: derivedSelectivity)
                if dryRun { throw DryRunRollback(outcome: outcome) }
                return outcome
            }
        } catch let rollback as DryRunRollback {
            return rollback.outcome
        }
    }

    private struct DryRunRollback: Error {
        let outcome: StoreOutcome
    }

    /// A 64-bit key for a model's identity, for the PostgreSQL advisory lock that
    /// keeps two processes from creating the same model at once.
    static func identityKey(_ experiment: String, _ model: String) -> Int64 {
        let digest = SHA256.hex(Array(experiment.utf8) + [0] + Array(model.utf8))
        let value = UInt64(digest.prefix(16), radix: 16) ?? 0
        return Int64(bitPattern: value)
    }

    private func storeInTransaction(
        _ document: RunDocument, provenance: (Int?) -> Provenance, replace: Bool,
        derivedSelectivity: (Int, String) -> Bool
    ) throws -> StoreOutcome {
        var outcome = StoreOutcome()
        // One ingests row per distinct provenance, written only when a row needs it.
        var ingestIds: [Provenance: Int64] = [:]
        func ingest(step: Int? = nil) throws -> Int64 {
            let source = provenance(step)
            if let id = ingestIds[source] { return id }
            let id = try insertIngest(source)
            ingestIds[source] = id
            return id
        }

        try database.execute("INSERT INTO experiments (name) VALUES (\(document.experiment)) ON CONFLICT (name) DO NOTHING")
        guard let experimentId = try database.fetchOne("SELECT id FROM experiments WHERE name = \(document.experiment)", { try $0.decode(Int64.self, at: 0) }) else {
            throw DatabaseError(code: .misuse, message: "experiment row vanished during ingest")
        }

        let modelId: Int64
        var layerIds: [String: Int64] = [:]
        if let existing = try database.fetchOne(
            "SELECT id, classes FROM models WHERE experiment_id = \(experimentId) AND name = \(document.model)",
            { (id: try $0.decode(Int64.self, at: 0), classes: try $0.decodeIfPresent(Int.self, at: 1)) }) {
            modelId = existing.id
            layerIds = try checkAgreement(document, modelId: modelId, storedClasses: existing.classes)
        } else {
            let id = try ingest()
            modelId = try insertReturningId("""
                INSERT INTO models (experiment_id, name, classes, ingest_id) \
                VALUES (\(experimentId), \(document.model), \(document.classes), \(id)) RETURNING id
                """)
            outcome.newModel = true
            try insertAttributes(document.attributes, modelId: modelId)
            for (depth, layer) in document.layers.enumerated() {
                let layerId = try insertReturningId("""
                    INSERT INTO layers (model_id, name, depth, units, kind) \
                    VALUES (\(modelId), \(layer.name), \(depth), \(layer.units), \(layer.kind)) RETURNING id
                    """)
                layerIds[layer.name] = layerId
            }
        }

        let name = "\(document.experiment)/\(document.model)"
        var kinds = try UnitMetricKinds(database: database, modelId: modelId, layerIds: layerIds, modelName: name)
        let layerNames = Dictionary(layerIds.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        for (index, given) in document.checkpoints.enumerated() {
            let path = "checkpoints[\(index)]"
            let checkpoint = try kinds.resolve(given, at: path, layers: document.layers, classes: document.classes)
            let hash = CheckpointFingerprint.hex(checkpoint)
            if let stored = try database.fetchOne(
                "SELECT id, content_hash FROM checkpoints WHERE model_id = \(modelId) AND step = \(checkpoint.step)",
                { (id: try $0.decode(Int64.self, at: 0), hash: try $0.decode(String.self, at: 1)) }) {
                if stored.hash == hash {
                    outcome.checkpointsUnchanged += 1
                    continue
                }
                if replace {
                    try database.execute("DELETE FROM checkpoints WHERE id = \(stored.id)")
                } else {
                    let existing = try DocumentLoader(database: database).checkpoint(
                        id: stored.id, step: checkpoint.step, layerNames: layerNames, classes: document.classes)
                    let additions = try CheckpointMerge.additions(
                        of: checkpoint, to: existing, path: path, name: name,
                        derivedSelectivity: { derivedSelectivity(index, $0) })
                    if CheckpointMerge.isEmpty(additions) {
                        outcome.checkpointsUnchanged += 1
                        continue
                    }
                    let counts = try insertItems(
                        additions, modelId: modelId, checkpointId: stored.id, layerIds: layerIds, after: existing)
                    let union = CheckpointFingerprint.hex(CheckpointMerge.union(existing, additions))
                    try database.execute("UPDATE checkpoints SET content_hash = \(union) WHERE id = \(stored.id)")
                    outcome.checkpointsMerged += 1
                    outcome.unitValues += counts.unitValues
                    outcome.curvePoints += counts.curvePoints
                    continue
                }
            }
            let counts = try insertCheckpoint(checkpoint, modelId: modelId, layerIds: layerIds, hash: hash, ingestId: try ingest(step: checkpoint.step))
            outcome.checkpointsStored += 1
            outcome.unitValues += counts.unitValues
            outcome.curvePoints += counts.curvePoints
        }
        try kinds.record(in: database)
        if replace {
            // A replaced checkpoint may have held the last values of a metric name.
            try database.execute("""
                DELETE FROM unit_metric_kinds WHERE layer_id IN (SELECT id FROM layers WHERE model_id = \(modelId)) \
                AND NOT EXISTS (SELECT 1 FROM unit_metrics um WHERE um.layer_id = unit_metric_kinds.layer_id \
                AND um.name = unit_metric_kinds.name)
                """)
        }
        return outcome
    }

    private func insertIngest(_ provenance: Provenance) throws -> Int64 {
        try insertReturningId("""
            INSERT INTO ingests (source, source_line, content_hash, ingested_at, user_name, host, tool_version) \
            VALUES (\(provenance.source), \(provenance.line), \(provenance.contentHash), \(provenance.time), \
            \(provenance.user), \(provenance.host), \(provenance.toolVersion)) RETURNING id
            """)
    }

    /// Runs an `INSERT … RETURNING id` and gives the new row's id.
    private func insertReturningId(_ sql: SQL) throws -> Int64 {
        guard let id = try database.fetchOne(sql, { try $0.decode(Int64.self, at: 0) }) else {
            throw DatabaseError(code: .misuse, message: "INSERT … RETURNING gave no id", sql: sql.rendered(for: database.dialect).text)
        }
        return id
    }

    private func insertAttributes(_ attributes: [Attribute], modelId: Int64) throws {
        for (position, attribute) in attributes.enumerated() {
            let stored = StoredAttribute(attribute.value)
            try database.execute("""
                INSERT INTO model_attributes (model_id, name, position, kind, number_value, text_value) \
                VALUES (\(modelId), \(attribute.name), \(position), \(stored.kind), \(stored.number), \(stored.text))
                """)
        }
    }

    /// Checks that a document adding steps to a stored model agrees with it;
    /// returns the stored layers' ids by name.
    private func checkAgreement(_ document: RunDocument, modelId: Int64, storedClasses: Int?) throws -> [String: Int64] {
        let name = "\(document.experiment)/\(document.model)"
        let hint = "a document that adds steps or items to a stored model must repeat its classes, layers and attributes exactly (or remove the model first with `lesion rm \(name)`)"
        if storedClasses != document.classes {
            func classes(_ count: Int?) -> String { count.map { "\($0) classes" } ?? "no classes" }
            throw IngestRefusal(
                path: "classes",
                message: "\(classes(document.classes)), but \(name) is stored with \(classes(storedClasses)); \(hint)")
        }
        let layers = try database.fetchAll(
            "SELECT id, name, units, kind FROM layers WHERE model_id = \(modelId) ORDER BY depth",
            { (id: try $0.decode(Int64.self, at: 0), layer: Layer(name: try $0.decode(String.self, at: 1), units: try $0.decode(Int.self, at: 2), kind: try $0.decodeIfPresent(String.self, at: 3))) })
        if layers.map(\.layer) != document.layers {
            throw IngestRefusal(path: "layers", message: "the layers differ from those stored for \(name); \(hint)")
        }
        let attributes = try AttributeReader(database: database).attributes(modelId: modelId)
        if attributes.sorted(by: { $0.name < $1.name }) != document.attributes.sorted(by: { $0.name < $1.name }) {
            throw IngestRefusal(path: "attributes", message: "the attributes differ from those stored for \(name); \(hint)")
        }
        return Dictionary(layers.map { ($0.layer.name, $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    private func insertCheckpoint(
        _ checkpoint: Checkpoint, modelId: Int64, layerIds: [String: Int64], hash: String, ingestId: Int64
    ) throws -> (unitValues: Int, curvePoints: Int) {
        let checkpointId = try insertReturningId("""
            INSERT INTO checkpoints (model_id, step, content_hash, ingest_id) \
            VALUES (\(modelId), \(checkpoint.step), \(hash), \(ingestId)) RETURNING id
            """)
        return try insertItems(
            checkpoint, modelId: modelId, checkpointId: checkpointId, layerIds: layerIds, after: Checkpoint(step: checkpoint.step))
    }

    /// Writes the items of `checkpoint` into the stored checkpoint `checkpointId`,
    /// after the items of `stored` (positions continue where they end). The value
    /// rows carry `modelId`, the distribution column of a Citus cluster (schema v4).
    private func insertItems(
        _ checkpoint: Checkpoint, modelId: Int64, checkpointId: Int64, layerIds: [String: Int64], after stored: Checkpoint
    ) throws -> (unitValues: Int, curvePoints: Int) {
        for (offset, metric) in checkpoint.metrics.enumerated() {
            try database.execute("""
                INSERT INTO checkpoint_metrics (checkpoint_id, name, position, value) \
                VALUES (\(checkpointId), \(metric.name), \(stored.metrics.count + offset), \(metric.value))
                """)
        }
        for (offset, metric) in checkpoint.classMetrics.enumerated() {
            for (index, value) in metric.values.enumerated() {
                try database.execute("""
                    INSERT INTO checkpoint_class_values (checkpoint_id, name, position, class, value) \
                    VALUES (\(checkpointId), \(metric.name), \(stored.classMetrics.count + offset), \(index), \(value))
                    """)
            }
        }
        let unitValues = try insertUnitMetrics(
            checkpoint.units, modelId: modelId, checkpointId: checkpointId, layerIds: layerIds, firstPosition: stored.units.count)
        let curvePoints = try insertCurves(
            checkpoint.curves, modelId: modelId, checkpointId: checkpointId, layerIds: layerIds, firstPosition: stored.curves.count)
        return (unitValues, curvePoints)
    }

    private func insertUnitMetrics(
        _ metrics: [UnitMetric], modelId: Int64, checkpointId: Int64, layerIds: [String: Int64], firstPosition: Int
    ) throws -> Int {
        var metricIds: [Int64] = []
        for (offset, metric) in metrics.enumerated() {
            let position = firstPosition + offset
            guard let layerId = layerIds[metric.layer] else {
                throw IngestRefusal(path: "checkpoints.units.\(metric.layer)", message: "layer \(metric.layer) is not a layer of this model")
            }
            let perClass: Bool
            if case .perClass = metric.values { perClass = true } else { perClass = false }
            let id = try insertReturningId("""
                INSERT INTO unit_metrics (checkpoint_id, layer_id, name, position, per_class) \
                VALUES (\(checkpointId), \(layerId), \(metric.name), \(position), \(perClass)) RETURNING id
                """)
            metricIds.append(id)
        }
        var count = 0
        let scalar = zip(metricIds, metrics).filter { if case .scalars = $0.1.values { return true } else { return false } }
        if !scalar.isEmpty {
            try database.bulkLoad(table: "unit_values", columns: ["unit_metric_id", "unit", "value", "model_id"]) { writer in
                for (id, metric) in scalar {
                    guard case .scalars(let values) = metric.values else { continue }
                    for (unit, value) in values.enumerated() {
                        try writer.add(id)
                        try writer.add(unit)
                        try writer.add(value)
                        try writer.add(modelId)
                        try writer.endRow()
                    }
                    count += values.count
                }
            }
        }
        let vectors = zip(metricIds, metrics).filter { if case .perClass = $0.1.values { return true } else { return false } }
        if !vectors.isEmpty {
            // One row per unit, its classes packed (schema v5, PackedDoubles).
            try database.bulkLoad(table: "unit_class_vectors", columns: ["unit_metric_id", "unit", "model_id", "vector"]) { writer in
                for (id, metric) in vectors {
                    guard case .perClass(let values, let classes) = metric.values, classes > 0 else { continue }
                    for unit in 0..<(values.count / classes) {
                        try writer.add(id)
                        try writer.add(unit)
                        try writer.add(modelId)
                        try writer.add(PackedDoubles.encode(values[(unit * classes)..<((unit + 1) * classes)]))
                        try writer.endRow()
                    }
                    count += values.count
                }
            }
        }
        let texts = zip(metricIds, metrics).filter { if case .labels = $0.1.values { return true } else { return false } }
        if !texts.isEmpty {
            try database.bulkLoad(table: "unit_text_values", columns: ["unit_metric_id", "unit", "value", "model_id"]) { writer in
                for (id, metric) in texts {
                    guard case .labels(let labels) = metric.values else { continue }
                    for (unit, label) in labels.enumerated() {
                        try writer.add(id)
                        try writer.add(unit)
                        if let label { try writer.add(label) } else { try writer.addNull() }
                        try writer.add(modelId)
                        try writer.endRow()
                    }
                    count += labels.count
                }
            }
        }
        return count
    }

    private func insertCurves(
        _ curves: [Curve], modelId: Int64, checkpointId: Int64, layerIds: [String: Int64], firstPosition: Int
    ) throws -> Int {
        guard !curves.isEmpty else { return 0 }
        var curveIds: [Int64] = []
        var metricIds: [[Int64]] = []
        for (offset, curve) in curves.enumerated() {
            let position = firstPosition + offset
            let curveId = try insertReturningId("""
                INSERT INTO curves (checkpoint_id, position, perturbation, scope, unit_order, seed) \
                VALUES (\(checkpointId), \(position), \(curve.perturbation.rawValue), \(CurveScopeText.encode(curve.scope)), \
                \(curve.order), \(curve.seed)) RETURNING id
                """)
            curveIds.append(curveId)
            if case .layers(let names) = curve.scope {
                for name in names {
                    guard let layerId = layerIds[name] else { continue }
                    try database.execute("INSERT INTO curve_layers (curve_id, layer_id) VALUES (\(curveId), \(layerId))")
                }
            }
            var ids: [Int64] = []
            for (metricPosition, metric) in curve.metrics.enumerated() {
                let id = try insertReturningId("""
                    INSERT INTO curve_metrics (curve_id, name, position) \
                    VALUES (\(curveId), \(metric.name), \(metricPosition)) RETURNING id
                    """)
                ids.append(id)
            }
            metricIds.append(ids)
        }
        try database.bulkLoad(table: "curve_points", columns: ["curve_id", "point", "x"]) { writer in
            for (curveId, curve) in zip(curveIds, curves) {
                for (point, x) in curve.x.enumerated() {
                    try writer.add(curveId)
                    try writer.add(point)
                    try writer.add(x)
                    try writer.endRow()
                }
            }
        }
        var count = 0
        try database.bulkLoad(table: "curve_values", columns: ["curve_metric_id", "point", "value", "model_id"]) { writer in
            for (ids, curve) in zip(metricIds, curves) {
                for (id, metric) in zip(ids, curve.metrics) {
                    for (point, value) in metric.values.enumerated() {
                        try writer.add(id)
                        try writer.add(point)
                        try writer.add(value)
                        try writer.add(modelId)
                        try writer.endRow()
                    }
                    count += metric.values.count
                }
            }
        }
        return count
    }
}
