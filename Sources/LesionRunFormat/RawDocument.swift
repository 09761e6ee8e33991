/// A document as read, before the rules that need the whole document (layer names,
/// unit counts, `classes`) are checked: JSON keys may come in any order, so units
/// can be read before the layers they refer to.
struct RawDocument {
    var experiment = ""
    var model = ""
    var attributes: [Attribute] = []
    /// nil when the document gives no `classes`.
    var classes: Int?
    var layers: [Layer] = []
    var checkpoints: [RawCheckpoint] = []
}

/// A checkpoint as read; its path is `checkpoints[i]`.
struct RawCheckpoint {
    var path: String
    var step = 0
    var metrics: [NamedValue] = []
    var classMetrics: [RawClassMetric] = []
    var units: [RawUnitMetric] = []
    var curves: [RawCurve] = []
}

/// A unit metric as read, before its layer and shape are checked.
struct RawUnitMetric {
    /// The layer name as written in `units`.
    var layer: String
    /// The path of the layer's object, `checkpoints[i].units.fc1`.
    var layerPath: String
    var name: String
    /// The path of the metric's array.
    var path: String
    var values: RawUnitValues
}

/// A per-class checkpoint metric as read, before its length is checked against
/// `classes`.
struct RawClassMetric {
    var name: String
    /// The path of the metric's array.
    var path: String
    var values: [Double]
}

/// The entries of one unit metric as read: numbers flattened, or labels, with the
/// shape that was written.
struct RawUnitValues {
    /// Every number in order (row-major for vectors); an undefined vector entry
    /// (`null`) is a row of NaN.
    var values: [Double] = []
    /// The labels of a text metric (nil for `null`); set only for text.
    var labels: [String?]? = nil
    /// Every entry was `null` (or there were none), so the values do not tell the
    /// kind: the validator or the ingest chooses it.
    var allNull = false
    /// How many entries the outer array has.
    var count = 0
    /// nil for one number per unit; otherwise the length of the first vector.
    var rowLength: Int?
    /// The index of the first vector that is not `null`.
    var firstRow = 0
    /// The first vector whose length differs from the first vector's, if any.
    var irregularRow: (index: Int, length: Int)?
}

/// A curve as read: everything but the scope, which needs the document's layers.
struct RawCurve {
    var path: String
    var perturbation: Perturbation
    /// nil for `all`, otherwise the names as listed (already checked to be a set).
    var layerList: [String]?
    var order: String?
    var seed: Int
    var x: [Double]
    var metrics: [CurveMetric]
}
