/// The smallest box holding every finite point of a chart, bands included.
///
/// Non-finite coordinates are skipped rather than clamped, because there is no honest
/// place to draw them; a chart with nothing finite gets the unit box so axes still show.
struct DataBounds: Equatable {
    var xMin: Double
    var xMax: Double
    var yMin: Double
    var yMax: Double

    /// The unit box, used when there is nothing to measure.
    static let unit = DataBounds(xMin: 0, xMax: 1, yMin: 0, yMax: 1)

    /// Bounds of all finite points (and their finite ±spread) in `chart`.
    static func of(_ chart: Chart) -> DataBounds {
        var xMin = Double.infinity, xMax = -Double.infinity
        var yMin = Double.infinity, yMax = -Double.infinity
        for series in chart.series {
            for point in series.points where point.isFinite {
                xMin = min(xMin, point.x)
                xMax = max(xMax, point.x)
                var low = point.y, high = point.y
                // Bands only exist on line charts; a scatter ignores spread entirely.
                if chart.kind == .lines, let spread = point.usableSpread {
                    let bandLow = point.y - spread, bandHigh = point.y + spread
                    if bandLow.isFinite { low = bandLow }
                    if bandHigh.isFinite { high = bandHigh }
                }
                yMin = min(yMin, low)
                yMax = max(yMax, high)
            }
        }
        guard xMin <= xMax, yMin <= yMax else { return .unit }
        return DataBounds(xMin: xMin, xMax: xMax, yMin: yMin, yMax: yMax)
    }
}
