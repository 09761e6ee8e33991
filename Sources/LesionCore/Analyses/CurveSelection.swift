import LesionRunFormat
import LesionStore

/// Which perturbation curves an analysis reads: `--perturbation`, `--scope`,
/// `--order` and `--metric`.
public struct CurveSelection: Sendable, Equatable {
    public var perturbation = Perturbation.ablation
    /// nil = `all`; otherwise the set of perturbed layer names.
    public var scopeLayers: Set<String>?
    /// For ablation only; noise curves have no order.
    public var order = "random"
    public var metric = "train_accuracy"

    public init() {}

    /// Reads `--scope`: `all`, one layer name, or a comma-separated list.
    public static func scope(parsing text: String) -> Set<String>? {
        text == "all" ? nil : Set(text.split(separator: ",", omittingEmptySubsequences: true).map(String.init))
    }

    /// `--scope` as given back in reports.
    public var scopeDescription: String {
        scopeLayers.map { $0.sorted().joined(separator: ",") } ?? "all"
    }
}

/// One stored curve of a selected checkpoint.
struct CurveObservation {
    var modelId: Int64
    var checkpointId: Int64
    var seed: Int
    var x: [Double]
    var y: [Double]
}

/// Reads the curves an analysis selected, with the database doing the joins.
struct CurveReader {
    let database: any Database

    /// Curves of the selected checkpoints matching `selection`, by checkpoint id,
    /// in seed order.
    func read(_ filter: ModelFilter, _ selection: CurveSelection) throws -> [Int64: [CurveObservation]] {
        let orderClause: SQL = selection.perturbation == .noise
            ? "cv.unit_order IS NULL" : "cv.unit_order = \(selection.order)"
        // The model's layer names decide whether a listed scope means `all`.
        var layersByModel: [Int64: [String]] = [:]
        if selection.scopeLayers != nil {
            try database.forEachRow("""
                WITH sel AS (\(filter.selectionSQL(ordered: false))) \
                SELECT l.model_id, l.name FROM layers l WHERE l.model_id IN (SELECT model_id FROM sel) ORDER BY l.model_id, l.depth
                """) { row in
                layersByModel[try row.decode(Int64.self, at: 0), default: []].append(try row.decode(String.self, at: 1))
            }
        }
        var curves: [Int64: CurveObservation] = [:]
        var order: [Int64] = []
        var skipped = Set<Int64>()
        try database.forEachRow("""
            WITH sel AS (\(filter.selectionSQL(ordered: false))) \
            SELECT sel.model_id, sel.checkpoint_id, cv.id, cv.seed, cv.scope, p.x, v.value \
            FROM sel JOIN curves cv ON cv.checkpoint_id = sel.checkpoint_id \
            JOIN curve_metrics cm ON cm.curve_id = cv.id AND cm.name = \(selection.metric) \
            JOIN curve_points p ON p.curve_id = cv.id \
            LEFT JOIN curve_values v ON v.curve_metric_id = cm.id AND v.point = p.point \
            WHERE cv.perturbation = \(selection.perturbation.rawValue) AND \(orderClause) \
            ORDER BY cv.id, p.point
            """) { row in
            let curveId = try row.decode(Int64.self, at: 2)
            if skipped.contains(curveId) { return }
            if curves[curveId] == nil {
                let modelId = try row.decode(Int64.self, at: 0)
                let scope = try CurveScopeText.decode(try row.decode(String.self, at: 4))
                guard CurveReader.matches(scope, wanted: selection.scopeLayers, modelLayers: layersByModel[modelId] ?? []) else {
                    skipped.insert(curveId)
                    return
                }
                curves[curveId] = CurveObservation(
                    modelId: modelId, checkpointId: try row.decode(Int64.self, at: 1), seed: try row.decode(Int.self, at: 3), x: [], y: [])
                order.append(curveId)
            }
            curves[curveId]?.x.append(row.number(5))
            curves[curveId]?.y.append(row.number(6))
        }
        var result: [Int64: [CurveObservation]] = [:]
        for id in order {
            guard let curve = curves[id] else { continue }
            result[curve.checkpointId, default: []].append(curve)
        }
        for key in result.keys {
            result[key]?.sort { $0.seed < $1.seed }
        }
        return result
    }

    static func matches(_ scope: CurveScope, wanted: Set<String>?, modelLayers: [String]) -> Bool {
        switch (scope, wanted) {
        case (.all, nil): return true
        case (.all, .some(let names)): return names == Set(modelLayers)
        case (.layers, nil): return false
        case (.layers(let names), .some(let wantedNames)): return Set(names) == wantedNames
        }
    }
}
