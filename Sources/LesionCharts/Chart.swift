/// Everything a renderer needs to draw one chart: texts, series and how to draw them.
public struct Chart: Sendable, Equatable {
    /// How the points of each series are drawn.
    public enum Kind: String, Sendable, CaseIterable {
        /// Consecutive points joined by a line, with a ±spread band where given.
        case lines
        /// Each point drawn on its own.
        case scatter
    }

    /// Heading shown above the plot.
    public var title: String
    /// Name of the horizontal axis.
    public var xLabel: String
    /// Name of the vertical axis.
    public var yLabel: String
    /// The groups to draw, in legend order.
    public var series: [ChartSeries]
    /// Lines or scatter.
    public var kind: Kind

    /// Creates a chart.
    public init(title: String, xLabel: String, yLabel: String, series: [ChartSeries], kind: Kind) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.kind = kind
    }

    /// True when no series holds a point that can be placed on the axes.
    var hasNoFinitePoints: Bool {
        !series.contains { $0.points.contains { $0.isFinite } }
    }
}
