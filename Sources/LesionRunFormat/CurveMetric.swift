/// One metric of a curve: one value per `x`. NaN means undefined.
public struct CurveMetric: Sendable, Equatable {
    /// The metric's name, kept exactly as given.
    public var name: String
    /// One value per entry of the curve's `x`; NaN means undefined.
    public var values: [Double]

    /// Makes a curve metric.
    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }

    /// Equal names and values, NaN counting as equal to NaN.
    public static func == (lhs: CurveMetric, rhs: CurveMetric) -> Bool {
        lhs.name == rhs.name && UndefinedEquality.same(lhs.values, rhs.values)
    }
}
