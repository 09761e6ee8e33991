import LesionStore

/// How observations are grouped: `--by layer`, `--by model`, `--by none`, a model
/// attribute, or a unit's label (a text unit metric), resolved in that order.
public enum Grouping: Sendable, Equatable, CustomStringConvertible {
    case layer
    case model
    case none
    case attribute(String)
    /// Each unit in the group of its own label; null labels form one group.
    case label(String)

    /// Reads a `--by` value without a database: a name that is not `layer`, `model`
    /// or `none` is taken as an attribute until `resolved(in:)` looks it up.
    public init(_ text: String) {
        switch text {
        case "layer": self = .layer
        case "model": self = .model
        case "none": self = .none
        default: self = .attribute(text)
        }
    }

    public var description: String {
        switch self {
        case .layer: return "layer"
        case .model: return "model"
        case .none: return "none"
        case .attribute(let name), .label(let name): return name
        }
    }

    /// What the name resolved to: `parameters.by_kind`.
    public var kind: String {
        switch self {
        case .layer: return "layer"
        case .model: return "model"
        case .none: return "none"
        case .attribute: return "attribute"
        case .label: return "label"
        }
    }

    var attributeName: String? {
        if case .attribute(let name) = self { return name }
        return nil
    }

    /// The grouping a `--by` name means in `database`: a model attribute of that name
    /// if one is stored, else a text unit metric (label); a name that is neither is a
    /// usage error listing the names that exist.
    func resolved(in database: any Database) throws -> Grouping {
        guard case .attribute(let name) = self else { return self }
        let attributes = try database.fetchAll("SELECT DISTINCT name FROM model_attributes ORDER BY name") { try $0.decode(String.self, at: 0) }
        if attributes.contains(name) { return self }
        let labels = try database.fetchAll(
            "SELECT DISTINCT name FROM unit_metric_kinds WHERE kind = \("text") ORDER BY name") { try $0.decode(String.self, at: 0) }
        if labels.contains(name) { return .label(name) }
        func list(_ names: [String]) -> String { names.isEmpty ? "none stored" : names.joined(separator: ", ") }
        throw UsageError("""
            --by \(name): not layer, model, none, a model attribute or a label. \
            Attributes: \(list(attributes)). Labels: \(list(labels)).
            """)
    }
}

/// The group of each unit under a resolved grouping. A label grouping reads the
/// label of every selected unit once, in one range scan, and keeps it as a small
/// code per unit; units are then looked up by (checkpoint, layer) and unit.
struct UnitGroups {
    let grouping: Grouping
    private let context: SelectionContext
    /// Per (checkpoint, layer): the code of each unit's label (index into `values`).
    private var codes: [UnitObservationReader.LayerKey: [Int32]] = [:]
    private var values: [GroupValue] = []

    /// Why a unit without a group is left out.
    var missingReason: String {
        switch grouping {
        case .label(let name): return "no label \(name)"
        default: return "\(grouping) unknown"
        }
    }

    /// The groups of `grouping` (a `--by` name, resolved here) over the selection.
    init(resolving grouping: Grouping, database: any Database, filter: ModelFilter) throws {
        let resolved = try grouping.resolved(in: database)
        let context = try SelectionContext(
            database: database, filter: filter, attributeNames: resolved.attributeName.map { [$0] } ?? [])
        try self.init(resolved, database: database, filter: filter, context: context)
    }

    private init(_ grouping: Grouping, database: any Database, filter: ModelFilter, context: SelectionContext) throws {
        self.grouping = grouping
        self.context = context
        guard case .label(let name) = grouping else { return }
        var index: [String?: Int32] = [:]
        // Rows arrive grouped by unit metric: fill one layer's codes, then file them.
        var current = UnitObservationReader.LayerKey(checkpoint: -1, layer: -1)
        var layerCodes: [Int32] = []
        try database.forEachRow("""
            WITH sel AS (\(filter.selectionSQL(ordered: false))) \
            SELECT um.checkpoint_id, um.layer_id, v.unit, v.value FROM sel \
            JOIN unit_metrics um ON um.checkpoint_id = sel.checkpoint_id AND um.name = \(name) \
            JOIN unit_text_values v ON v.unit_metric_id = um.id
            """) { row in
            let key = UnitObservationReader.LayerKey(checkpoint: try row.decode(Int64.self, at: 0), layer: try row.decode(Int64.self, at: 1))
            if key != current {
                if current.layer >= 0 { codes[current] = layerCodes }
                current = key
                layerCodes = codes[key] ?? []
            }
            let unit = try row.decode(Int.self, at: 2)
            guard unit >= 0 else { return }
            let label = try row.decodeIfPresent(String.self, at: 3)
            let code: Int32
            if let known = index[label] {
                code = known
            } else {
                code = Int32(values.count)
                index[label] = code
                values.append(label.map(GroupValue.text) ?? .noLabel)
            }
            if layerCodes.count <= unit { layerCodes.append(contentsOf: repeatElement(-1, count: unit - layerCodes.count + 1)) }
            layerCodes[unit] = code
        }
        if current.layer >= 0 { codes[current] = layerCodes }
    }

    /// The group of one unit; nil when it has none (left out for `missingReason`).
    func group(model: Int64, checkpoint: Int64, layerId: Int64, layer: String, unit: Int) -> GroupValue? {
        switch grouping {
        case .layer:
            return .text(layer)
        case .model:
            return .text(context.models[model].map(\.description) ?? "")
        case .none:
            return .text("")
        case .attribute(let name):
            return context.attributes[model]?[name].flatMap(GroupValue.init)
        case .label:
            guard let layerCodes = codes[UnitObservationReader.LayerKey(checkpoint: checkpoint, layer: layerId)], unit >= 0, unit < layerCodes.count,
                layerCodes[unit] >= 0
            else { return nil }
            return values[Int(layerCodes[unit])]
        }
    }

    /// Whether every unit of a layer shares its group (all but labels).
    var isPerLayer: Bool {
        if case .label = grouping { return false }
        return true
    }
}
