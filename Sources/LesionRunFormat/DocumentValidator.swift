/// The rules that need the whole document: unit metrics against their layer's size
/// and `classes`, curve layers against the document's layers, unique curves, and the
/// derived selectivity. Turns a `RawDocument` into the final `RunDocument`.
struct DocumentValidator {
    private let raw: RawDocument
    private var layerIndex: [String: Int] = [:]
    private var warnings: [String] = []
    private var derived: [String] = []

    /// Validates `raw` and builds the document.
    static func validate(_ raw: RawDocument) throws(RunFormatError) -> ParsedDocument {
        var validator = DocumentValidator(raw: raw)
        return try validator.run()
    }

    private init(raw: RawDocument) {
        self.raw = raw
        for (index, layer) in raw.layers.enumerated() where layerIndex[layer.name] == nil {
            layerIndex[layer.name] = index
        }
    }

    private mutating func run() throws(RunFormatError) -> ParsedDocument {
        var checkpoints: [Checkpoint] = []
        checkpoints.reserveCapacity(raw.checkpoints.count)
        for checkpoint in raw.checkpoints {
            var units: [UnitMetric] = []
            units.reserveCapacity(checkpoint.units.count)
            for metric in checkpoint.units {
                units.append(try unitMetric(metric))
            }
            units = deriveSelectivity(units, in: checkpoint.path)
            var classMetrics: [ClassMetric] = []
            for metric in checkpoint.classMetrics {
                classMetrics.append(try classMetric(metric))
            }
            checkpoints.append(
                Checkpoint(
                    step: checkpoint.step, metrics: checkpoint.metrics, classMetrics: classMetrics, units: units,
                    curves: try curves(checkpoint.curves)))
        }
        let document = RunDocument(
            experiment: raw.experiment, model: raw.model, attributes: raw.attributes, classes: raw.classes,
            layers: raw.layers, checkpoints: checkpoints)
        return ParsedDocument(document: document, warnings: warnings, derived: derived)
    }

    /// The layer named `name`, or an error at `path` listing the document's layers.
    private func layer(_ name: String, at path: String) throws(RunFormatError) -> Int {
        guard let index = layerIndex[name] else {
            throw RunFormatError(
                path: path,
                message: "unknown layer \(PathText.name(name)); the document's layers are \(PathText.list(raw.layers.map(\.name)))"
            )
        }
        return index
    }

    /// The refusal of a per-class value in a document without `classes`.
    private static func needsClasses(_ what: String, at path: String) -> RunFormatError {
        RunFormatError(
            path: path,
            message: "\(what) needs `classes`, and the document gives none; add \"classes\": N for a classifier, "
                + "or leave per-class values out")
    }

    /// Checks a per-class checkpoint metric against `classes`.
    private func classMetric(_ metric: RawClassMetric) throws(RunFormatError) -> ClassMetric {
        guard let classes = raw.classes else {
            throw Self.needsClasses("\(PathText.name(metric.name)), one number per class,", at: metric.path)
        }
        guard metric.values.count == classes else {
            throw RunFormatError(
                path: metric.path,
                message: "\(Plural.count(metric.values.count, "value")), the document has \(classes) classes")
        }
        return ClassMetric(name: metric.name, values: metric.values)
    }

    // MARK: Unit metrics

    /// Checks one unit metric against its layer and `classes`, and the well-known
    /// kind and range of its name; an all-null metric takes the kind of its
    /// well-known name, else number (the ingest may change it to the stored kind).
    private func unitMetric(_ metric: RawUnitMetric) throws(RunFormatError) -> UnitMetric {
        let layer = raw.layers[try self.layer(metric.layer, at: metric.layerPath)]
        let values = metric.values
        let known = WellKnownNames.unitMetric(metric.name)
        let name = PathText.name(metric.name)
        guard values.count == layer.units else {
            let noun = values.labels != nil ? "label" : values.rowLength == nil ? "value" : "vector"
            throw RunFormatError(
                path: metric.path,
                message: "\(Plural.count(values.count, noun)), layer \(PathText.name(layer.name)) has \(Plural.count(layer.units, "unit"))"
            )
        }
        if let labels = values.labels {
            switch known.shape {
            case .scalar:
                throw RunFormatError(path: metric.path, message: "\(name) takes one number per unit, found labels")
            case .perClass:
                throw RunFormatError(
                    path: metric.path, message: "\(name) takes one vector of numbers per unit, found labels")
            case .text, nil:
                return UnitMetric(layer: layer.name, name: metric.name, values: .labels(labels))
            }
        }
        if values.allNull {
            switch known.shape {
            case .text:
                return UnitMetric(
                    layer: layer.name, name: metric.name, values: .labels(Array(repeating: nil, count: values.count)))
            case .perClass:
                guard let classes = raw.classes else {
                    throw Self.needsClasses("\(name), one vector per class and unit,", at: metric.path)
                }
                return UnitMetric(
                    layer: layer.name, name: metric.name,
                    values: .perClass(Array(repeating: .nan, count: values.count * classes), classes: classes))
            case .scalar, nil:
                return UnitMetric(layer: layer.name, name: metric.name, values: .scalars(values.values))
            }
        }
        if known.shape == .text {
            throw RunFormatError(
                path: metric.path,
                message: "\(name) takes one label (a string or null) per unit, found \(values.rowLength == nil ? "numbers" : "vectors")")
        }
        let shaped: UnitValues
        if let rowLength = values.rowLength {
            guard let classes = raw.classes else {
                throw Self.needsClasses("\(name), one vector per class and unit,", at: metric.path)
            }
            if rowLength != classes {
                throw RunFormatError(
                    path: PathText.element(metric.path, values.firstRow),
                    message: "\(Plural.count(rowLength, "value")), the document has \(classes) classes")
            }
            if let irregular = values.irregularRow {
                throw RunFormatError(
                    path: PathText.element(metric.path, irregular.index),
                    message: "\(Plural.count(irregular.length, "value")), the document has \(classes) classes")
            }
            if known.shape == .scalar {
                throw RunFormatError(
                    path: metric.path,
                    message: "\(name) takes one number per unit, found one vector per unit")
            }
            shaped = .perClass(values.values, classes: classes)
        } else {
            if known.shape == .perClass {
                guard let classes = raw.classes else {
                    throw Self.needsClasses("\(name), one vector per class and unit,", at: metric.path)
                }
                throw RunFormatError(
                    path: metric.path,
                    message: "\(name) takes one vector of \(classes) numbers per unit, found one number per unit"
                )
            }
            shaped = .scalars(values.values)
        }
        if let range = known.range, let bad = range.firstViolation(in: values.values) {
            let badPath =
                values.rowLength == nil
                ? PathText.element(metric.path, bad)
                : PathText.element(PathText.element(metric.path, bad / (values.rowLength ?? 1)), bad % (values.rowLength ?? 1))
            throw RunFormatError(path: badPath, message: range.violation(metric.name, values.values[bad]))
        }
        return UnitMetric(layer: layer.name, name: metric.name, values: shaped)
    }

    // MARK: Derived selectivity

    /// Adds `class_selectivity` computed from `class_means` to each layer that has
    /// means but no selectivity (right after that layer's last metric), and warns
    /// where a given selectivity disagrees with the means.
    private mutating func deriveSelectivity(_ units: [UnitMetric], in checkpointPath: String) -> [UnitMetric] {
        var result = units
        var layersInOrder: [String] = []
        var seenLayers: Set<String> = []
        for metric in units where seenLayers.insert(metric.layer).inserted {
            layersInOrder.append(metric.layer)
        }
        for layer in layersInOrder {
            guard
                let meansMetric = result.first(where: { $0.layer == layer && $0.name == "class_means" }),
                case .perClass(let means, let classes) = meansMetric.values
            else { continue }
            let computed = Selectivity.fromClassMeans(means, classes: classes)
            let path = PathText.member(PathText.member(PathText.member(checkpointPath, "units"), layer), "class_selectivity")
            if let given = result.first(where: { $0.layer == layer && $0.name == "class_selectivity" }) {
                guard case .scalars(let givenValues) = given.values else { continue }
                let differing = Selectivity.disagreements(given: givenValues, derived: computed)
                if let firstUnit = differing.first {
                    warnings.append(
                        mismatchWarning(
                            path: path, unit: firstUnit, given: givenValues[firstUnit],
                            computed: computed[firstUnit], differing: differing))
                }
            } else if let last = result.lastIndex(where: { $0.layer == layer }) {
                result.insert(
                    UnitMetric(layer: layer, name: "class_selectivity", values: .scalars(computed)), at: last + 1)
                derived.append(path)
            }
        }
        return result
    }

    private func mismatchWarning(path: String, unit: Int, given: Double, computed: Double, differing: [Int]) -> String {
        let shown = differing.prefix(5).map(String.init).joined(separator: ", ")
        let more = differing.count > 5 ? " and \(differing.count - 5) more" : ""
        return "\(PathText.element(path, unit)): given \(JSONText.documentNumber(given)), class_means give "
            + "\(JSONText.documentNumber(computed)); differs by more than 1e-6 at \(Plural.count(differing.count, "unit")) "
            + "(\(shown)\(more)); the given values are stored"
    }

    // MARK: Curves

    /// The identity of a curve within a checkpoint.
    private struct CurveIdentity: Hashable {
        var perturbation: Perturbation
        var scope: CurveScope
        var order: String?
        var seed: Int
    }

    /// Resolves each curve's layers to a normalized scope and refuses repeated
    /// `(perturbation, layers, order, seed)`.
    private func curves(_ rawCurves: [RawCurve]) throws(RunFormatError) -> [Curve] {
        var curves: [Curve] = []
        var indexByIdentity: [CurveIdentity: Int] = [:]
        for (position, curve) in rawCurves.enumerated() {
            let scope = try scope(of: curve)
            let identity = CurveIdentity(
                perturbation: curve.perturbation, scope: scope, order: curve.order, seed: curve.seed)
            if let earlier = indexByIdentity[identity] {
                throw RunFormatError(
                    path: curve.path,
                    message: "curves[\(earlier)] already has the same perturbation, layers, order and seed")
            }
            indexByIdentity[identity] = position
            curves.append(
                Curve(
                    perturbation: curve.perturbation, scope: scope, order: curve.order, seed: curve.seed, x: curve.x,
                    metrics: curve.metrics))
        }
        return curves
    }

    /// `.all`, or the listed layers in depth order (`.all` when they are every layer).
    private func scope(of curve: RawCurve) throws(RunFormatError) -> CurveScope {
        guard let names = curve.layerList else { return .all }
        let layersPath = PathText.member(curve.path, "layers")
        var indices: [Int] = []
        for (position, name) in names.enumerated() {
            indices.append(try layer(name, at: PathText.element(layersPath, position)))
        }
        if Set(indices).count == raw.layers.count { return .all }
        return .layers(indices.sorted().map { raw.layers[$0].name })
    }
}
