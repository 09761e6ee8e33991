/// One layer of the model, in depth order within `RunDocument.layers`.
public struct Layer: Sendable, Hashable {
    /// Unique within the document; 1–200 code points.
    public var name: String
    /// Number of units, at least 1.
    public var units: Int
    /// Free-form description such as `dense` or `conv`; nil when not given.
    public var kind: String?

    /// Makes a layer.
    public init(name: String, units: Int, kind: String? = nil) {
        self.name = name
        self.units = units
        self.kind = kind
    }
}
