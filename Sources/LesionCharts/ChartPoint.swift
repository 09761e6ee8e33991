/// One observation of a chart: a position and, optionally, the standard deviation around `y`.
public struct ChartPoint: Sendable, Equatable {
    /// Horizontal position (e.g. the fraction of units ablated).
    public var x: Double
    /// Vertical position (e.g. mean accuracy).
    public var y: Double
    /// Half-width of the band drawn around `y` (usually one standard deviation); `nil` for none.
    /// Negative values are read as their magnitude, non-finite ones as absent.
    public var spread: Double?

    /// Creates a point, with an optional spread for error bands.
    public init(x: Double, y: Double, spread: Double? = nil) {
        self.x = x
        self.y = y
        self.spread = spread
    }

    /// True when both coordinates can be placed on an axis.
    var isFinite: Bool { x.isFinite && y.isFinite }

    /// The usable spread: finite, non-negative, or nil.
    var usableSpread: Double? {
        guard let spread, spread.isFinite else { return nil }
        return abs(spread)
    }
}
