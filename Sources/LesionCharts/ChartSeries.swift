/// A named group of points drawn with one colour and one marker (e.g. a layer or a
/// label-corruption level).
public struct ChartSeries: Sendable, Equatable {
    /// Legend text; may carry extra information such as "fc1  ρ=-0.04".
    public var label: String
    /// Points in drawing order; line charts connect consecutive finite points.
    public var points: [ChartPoint]

    /// Creates a series.
    public init(label: String, points: [ChartPoint]) {
        self.label = label
        self.points = points
    }
}
