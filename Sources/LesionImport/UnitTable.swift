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
/// Stored by column, so that a million rows cost a few arrays, not a million.
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
    /// The number of units the file says the layer has (an SAE's `d_sae`), checked
    /// against the model's layer; nil when the file does not say.
    public var declaredUnits: (count: Int, source: String)?
    /// Spells out a row's place for a message: `line 12` unless the importer says otherwise.
    public var placeName: @Sendable (Int) -> String = { "line \($0)" }

    /// Each row's unit number, 0-based (already converted from the file's base).
    public private(set) var units: [Int] = []
    /// Each row's place in the file, as a number `placeName` spells out (a line, a
    /// record, an element): no strings unless a row is refused.
    public private(set) var places: [Int] = []
    /// One column per metric, each with one value per row.
    public private(set) var columns: [[ImportedValue]]

    public init(fileLayer: String?, metrics: [String], textMetrics: Set<String> = []) {
        self.fileLayer = fileLayer
        self.metrics = metrics
        self.textMetrics = textMetrics
        self.columns = Array(repeating: [], count: metrics.count)
    }

    /// The number of rows.
    public var rowCount: Int { units.count }

    /// Adds one row: `values` in the order of `metrics`.
    public mutating func append(unit: Int, place: Int, values: [ImportedValue]) {
        units.append(unit)
        places.append(place)
        for index in columns.indices {
            columns[index].append(values[index])
        }
    }

    /// Sets every row at once, column by column (each column as long as `units`).
    public mutating func setRows(units: [Int], places: [Int], columns: [[ImportedValue]]) {
        precondition(places.count == units.count && columns.count == metrics.count && columns.allSatisfy { $0.count == units.count })
        self.units = units
        self.places = places
        self.columns = columns
    }

    /// Rows 0..<count numbered by themselves (unit i at place i), one column: the
    /// shape of an array with one value per unit.
    public mutating func setSequence(_ column: [ImportedValue]) {
        setRows(units: Array(column.indices), places: Array(column.indices), columns: [column])
    }

    /// The column of `metric`: one value per row.
    public func column(_ metric: String) -> [ImportedValue]? {
        metrics.firstIndex(of: metric).map { columns[$0] }
    }
}

/// An empty text cell means "no value": run documents refuse empty labels.
func textOrNull(_ text: String) -> ImportedValue {
    text.isEmpty ? .null : .text(text)
}
