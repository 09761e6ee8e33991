/// A per-class model-level metric of a checkpoint, such as `class_accuracy`: one
/// number per class (index = class). NaN means undefined; equality treats NaN as
/// equal to NaN.
public struct ClassMetric: Sendable, Equatable {
    /// The metric's name, kept exactly as given; unique among the checkpoint's
    /// metrics of either shape.
    public var name: String
    /// One value per class of the document.
    public var values: [Double]

    /// Makes a per-class metric.
    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }

    /// Equal names and values, NaN counting as equal to NaN.
    public static func == (lhs: ClassMetric, rhs: ClassMetric) -> Bool {
        lhs.name == rhs.name && UndefinedEquality.same(lhs.values, rhs.values)
    }
}
