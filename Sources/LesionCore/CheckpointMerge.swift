import LesionRunFormat

/// Annotating a stored checkpoint: compares a document's checkpoint with the stored
/// one item by item (a checkpoint metric by name, a unit metric by layer and name, a
/// curve by perturbation, layers, order and seed, with its whole content) and gives
/// the items that are new. An item that differs from its stored counterpart refuses
/// the document, naming the first such item.
enum CheckpointMerge {
    /// The items of `incoming` that `stored` lacks (in `incoming`'s order); empty
    /// when every item is already stored. `path` is the checkpoint's JSON path and
    /// `name` the model, for the refusal. A `class_selectivity` that the reader derived
    /// (`derivedSelectivity(layer)`) was not carried by the document: where the layer
    /// has one stored, the stored one stays, as when both are given at first ingest.
    static func additions(
        of incoming: Checkpoint, to stored: Checkpoint, path: String, name: String,
        derivedSelectivity: (String) -> Bool = { _ in false }
    ) throws -> Checkpoint {
        func differs(_ itemPath: String, _ item: String) -> IngestRefusal {
            IngestRefusal(
                path: itemPath,
                message: "step \(incoming.step) of \(name) is already stored with a different \(item); "
                    + "leave it out to add the other items, or give --replace to replace the checkpoint whole")
        }
        var additions = Checkpoint(step: incoming.step)
        let numbers = Dictionary(stored.metrics.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let vectors = Dictionary(stored.classMetrics.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for metric in incoming.metrics {
            if let same = numbers[metric.name], same == metric { continue }
            if numbers[metric.name] != nil || vectors[metric.name] != nil {
                throw differs("\(path).metrics.\(metric.name)", "checkpoint metric \(metric.name)")
            }
            additions.metrics.append(metric)
        }
        for metric in incoming.classMetrics {
            if let same = vectors[metric.name], same == metric { continue }
            if numbers[metric.name] != nil || vectors[metric.name] != nil {
                throw differs("\(path).metrics.\(metric.name)", "checkpoint metric \(metric.name)")
            }
            additions.classMetrics.append(metric)
        }
        struct UnitKey: Hashable { var layer: String; var name: String }
        let units = Dictionary(
            stored.units.map { (UnitKey(layer: $0.layer, name: $0.name), $0.values) }, uniquingKeysWith: { first, _ in first })
        for metric in incoming.units {
            guard let values = units[UnitKey(layer: metric.layer, name: metric.name)] else {
                additions.units.append(metric)
                continue
            }
            if metric.name == "class_selectivity" && derivedSelectivity(metric.layer) { continue }
            if values != metric.values {
                throw differs("\(path).units.\(metric.layer).\(metric.name)", "unit metric \(metric.name) of layer \(metric.layer)")
            }
        }
        for (index, curve) in incoming.curves.enumerated() {
            guard let same = stored.curves.first(where: { sameIdentity($0, curve) }) else {
                additions.curves.append(curve)
                continue
            }
            if same != curve {
                throw differs("\(path).curves[\(index)]", "curve (\(describe(curve)))")
            }
        }
        return additions
    }

    /// Whether two curves have the same perturbation, layers, order and seed.
    static func sameIdentity(_ a: Curve, _ b: Curve) -> Bool {
        a.perturbation == b.perturbation && a.scope == b.scope && a.order == b.order && a.seed == b.seed
    }

    private static func describe(_ curve: Curve) -> String {
        let layers: String
        switch curve.scope {
        case .all: layers = "all layers"
        case .layers(let names): layers = "layers " + names.joined(separator: ", ")
        }
        let order = curve.order.map { ", order \($0)" } ?? ""
        return "\(curve.perturbation.rawValue) of \(layers)\(order), seed \(curve.seed)"
    }

    /// `stored` followed by `additions`, as the database holds it after the merge.
    static func union(_ stored: Checkpoint, _ additions: Checkpoint) -> Checkpoint {
        Checkpoint(
            step: stored.step, metrics: stored.metrics + additions.metrics,
            classMetrics: stored.classMetrics + additions.classMetrics,
            units: stored.units + additions.units, curves: stored.curves + additions.curves)
    }

    /// Whether `checkpoint` holds no item.
    static func isEmpty(_ checkpoint: Checkpoint) -> Bool {
        checkpoint.metrics.isEmpty && checkpoint.classMetrics.isEmpty && checkpoint.units.isEmpty && checkpoint.curves.isEmpty
    }
}
