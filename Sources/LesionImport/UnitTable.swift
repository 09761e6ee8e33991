/// One imported value of one unit.
public enum ImportedValue: Sendable, Equatable {
    case null
    case number(Double)
    case text(String)
    /// A per-class vector.
    case vector([Double])
}

/// What an importer read from a file about one layer, before it meets a model: one
/// row per unit the file mentions, one column per metric. Neutral about where the
/// values go; `ImportDocument` turns it into a run document for a target model.
public struct UnitTable: Sendable {
    /// The layer as the file names it (mapped with `--layer-name`), or nil when the
    /// file does not name it and `--layer` must.
    public var fileLayer: String?
    /// Where the file names that layer (`line 2`), for a refusal of the name.
    public var layerPlace: String?
    /// The metric names, in the order they are written.
    public var metrics: [String]
    /// Each metric's kind: `.text` columns are label arrays, the others numbers.
    public var textMetrics: Set<String>
    /// The rows, in file order.
    public var rows: [Row]
    /// The number of units the file says the layer has (an SAE's `d_sae`), checked
    /// against the model's layer; nil when the file does not say.
    public var declaredUnits: (count: Int, source: String)?

    /// One unit's values, in the order of `metrics`.
    public struct Row: Sendable {
        /// The unit number, 0-based (already converted from the file's base).
        public var unit: Int
        /// Where the row is in the file: `line 12`, `record 3`.
        public var place: String
        public var values: [ImportedValue]
        public init(unit: Int, place: String, values: [ImportedValue]) {
            self.unit = unit
            self.place = place
            self.values = values
        }
    }

    public init(fileLayer: String?, metrics: [String], textMetrics: Set<String> = [], rows: [Row] = []) {
        self.fileLayer = fileLayer
        self.metrics = metrics
        self.textMetrics = textMetrics
        self.rows = rows
    }

    /// The column of `metric`: one value per row.
    public func column(_ metric: String) -> [ImportedValue]? {
        guard let index = metrics.firstIndex(of: metric) else { return nil }
        return rows.map { $0.values[index] }
    }
}

/// An empty text cell means "no value": run documents refuse empty labels.
func textOrNull(_ text: String) -> ImportedValue {
    text.isEmpty ? .null : .text(text)
}
