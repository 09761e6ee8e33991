/// One per-unit metric of one layer at one checkpoint.
public struct UnitMetric: Sendable, Equatable {
    /// The layer's name, spelled as in `RunDocument.layers`.
    public var layer: String
    /// The metric's name, kept exactly as given.
    public var name: String
    /// One value, or one per-class vector, per unit.
    public var values: UnitValues

    /// Makes a unit metric.
    public init(layer: String, name: String, values: UnitValues) {
        self.layer = layer
        self.name = name
        self.values = values
    }
}
