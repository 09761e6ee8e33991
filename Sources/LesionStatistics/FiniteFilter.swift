/// Separates finite values from NaN and ±Infinity, counting what it leaves out.
///
/// The analyses leave out any value that is NULL, NaN or ±Infinity and report how
/// many they left out; the statistics in this module expect finite input, so callers
/// pass their data through here first.
public enum FiniteFilter {
    /// The finite values of `values`, in their order, and how many were left out.
    public static func values(_ values: [Double]) -> (values: [Double], leftOut: Int) {
        var kept: [Double] = []
        kept.reserveCapacity(values.count)
        for value in values where value.isFinite {
            kept.append(value)
        }
        return (kept, values.count - kept.count)
    }

    /// The pairs `(x[i], y[i])` where both values are finite, in their order, and how
    /// many pairs were left out.
    ///
    /// A pair is one observation (a unit's selectivity and importance), so it goes
    /// whole when either half is undefined. Returns `nil` when the arrays differ in
    /// length, which is a caller's mistake rather than missing data.
    public static func pairs(
        x: [Double], y: [Double]
    ) -> (x: [Double], y: [Double], leftOut: Int)? {
        guard x.count == y.count else { return nil }
        var keptX: [Double] = []
        var keptY: [Double] = []
        keptX.reserveCapacity(x.count)
        keptY.reserveCapacity(y.count)
        for index in x.indices where x[index].isFinite && y[index].isFinite {
            keptX.append(x[index])
            keptY.append(y[index])
        }
        return (keptX, keptY, x.count - keptX.count)
    }
}
