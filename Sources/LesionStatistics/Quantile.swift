/// Sample quantiles by linear interpolation between order statistics: numpy's default
/// `np.quantile(values, q)` (method "linear", Hyndman & Fan type 7).
///
/// With the sorted values v₀ ≤ … ≤ vₙ₋₁, the position is h = (n − 1)·q; the quantile
/// interpolates between v⌊h⌋ and v⌊h⌋₊₁. Where h lies within `snapTolerance` of an
/// integer k, the result is exactly vₖ: (n − 1)·q can miss an integer by an ulp
/// (n = 6, q = 0.2 gives h = 1.0000000000000002), and the interpolation drift that
/// follows could move a unit sitting on a threshold across it.
public enum Quantile {
    /// How close h must be to an integer to be taken as that integer.
    public static let snapTolerance = 1e-9

    /// The q-quantile of `values` (sorted here); nil when `values` is empty or q is not
    /// within [0, 1]. Values should be finite (see `FiniteFilter`).
    public static func linear(_ values: [Double], q: Double) -> Double? {
        linear(sorted: values.sorted(), q: q)
    }

    /// The q-quantile of values already in ascending order, for taking several
    /// quantiles of one sample with one sort; nil when `sorted` is empty or q is not
    /// within [0, 1].
    public static func linear(sorted: [Double], q: Double) -> Double? {
        guard !sorted.isEmpty, q >= 0, q <= 1 else { return nil }
        let h = Double(sorted.count - 1) * q
        let nearest = h.rounded()
        if abs(h - nearest) <= snapTolerance {
            return sorted[Int(nearest)]
        }
        let lowerIndex = Int(h.rounded(.down))
        let upperIndex = min(lowerIndex + 1, sorted.count - 1)
        let weight = h - Double(lowerIndex)
        return interpolate(sorted[lowerIndex], sorted[upperIndex], weight)
    }

    /// numpy's `_lerp`: measures from whichever end is nearer, which keeps the result
    /// monotone in the weight and exact at both ends.
    private static func interpolate(_ a: Double, _ b: Double, _ weight: Double) -> Double {
        let difference = b - a
        return weight >= 0.5 ? b - difference * (1 - weight) : a + difference * weight
    }
}
