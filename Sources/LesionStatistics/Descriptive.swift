/// Mean, sample standard deviation, minimum and maximum of a sample.
///
/// Sums are compensated, so results stay within a few ulps of the exact value even
/// over a million observations. Values should be finite (see `FiniteFilter`); an
/// empty sample has none of these statistics (nil), never a made-up number.
public enum Descriptive {
    /// The arithmetic mean; nil for an empty sample.
    public static func mean(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        var sum = CompensatedSum()
        for value in values {
            sum.add(value)
        }
        return sum.value / Double(values.count)
    }

    /// The sample standard deviation, with n − 1 in the denominator (numpy's
    /// `std(ddof=1)`); nil for fewer than two values.
    public static func sampleStandardDeviation(_ values: [Double]) -> Double? {
        guard values.count >= 2, let mean = mean(values) else { return nil }
        // Two passes: squaring deviations from the mean avoids the cancellation of the
        // one-pass Σx² − n·x̄² formula.
        var squares = CompensatedSum()
        for value in values {
            let deviation = value - mean
            squares.add(deviation * deviation)
        }
        return (squares.value / Double(values.count - 1)).squareRoot()
    }

    /// The smallest value; nil for an empty sample.
    public static func min(_ values: [Double]) -> Double? {
        values.min()
    }

    /// The largest value; nil for an empty sample.
    public static func max(_ values: [Double]) -> Double? {
        values.max()
    }
}
