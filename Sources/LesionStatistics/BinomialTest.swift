/// The exact two-sided binomial test of k successes in n trials against probability p,
/// with the p-value of `scipy.stats.binomtest(k, n, p).pvalue`.
///
/// The p-value is the probability of every outcome no more likely than the one seen:
/// P(X = i) ≤ P(X = k)·(1 + 10⁻⁷), summed over i on both sides of the mode. The
/// relative tolerance is scipy's, so that outcomes exactly as likely as k (a symmetric
/// p = ½) count although their computed masses differ by rounding. On the far side of
/// the mode the masses are monotone, and the last one within the tolerance is found
/// by the same bisection scipy uses; both tails are then summed from incomplete beta
/// functions, at most 1.
public enum BinomialTest {
    /// scipy's relative tolerance on comparing two masses.
    public static let relativeTolerance = 1 + 1e-7

    /// The two-sided p-value; nil when n < 1, k is outside 0…n or p is outside [0, 1]
    /// (scipy raises).
    public static func twoSidedP(successes k: Int, trials n: Int, probability p: Double) -> Double? {
        guard n >= 1, k >= 0, k <= n, p >= 0, p <= 1 else { return nil }
        let expected = p * Double(n)
        if Double(k) == expected { return 1 }
        let bound = BinomialDistribution.pmf(k, trials: n, probability: p) * relativeTolerance
        let mass = { (i: Int) in BinomialDistribution.pmf(i, trials: n, probability: p) }
        let total: Double
        if Double(k) < expected {
            // The upper side, mode to n, where the masses fall: the first i whose mass
            // is within the bound starts the counted tail.
            let index = lastIndex(from: Int(expected.rounded(.up)), to: n, { -mass($0) }, atMost: -bound)
            let upperCount = n - index + (mass(index) == bound ? 1 : 0)
            total = BinomialDistribution.cdf(k, trials: n, probability: p)
                + BinomialDistribution.sf(n - upperCount, trials: n, probability: p)
        } else {
            // The lower side, 0 to the mode, where the masses rise.
            let index = lastIndex(from: 0, to: Int(expected.rounded(.down)), mass, atMost: bound)
            let lowerCount = index + 1
            total = BinomialDistribution.cdf(lowerCount - 1, trials: n, probability: p)
                + BinomialDistribution.sf(k - 1, trials: n, probability: p)
        }
        return min(1, total)
    }

    /// For `value` ascending on low…high: the index i with value(i) ≤ target <
    /// value(i + 1), which may be low − 1 (scipy's `_binary_search_for_binom_tst`).
    static func lastIndex(
        from low: Int, to high: Int, _ value: (Int) -> Double, atMost target: Double
    ) -> Int {
        var low = low, high = high
        while low < high {
            let middle = low + (high - low) / 2
            let current = value(middle)
            if current < target {
                low = middle + 1
            } else if current > target {
                high = middle - 1
            } else {
                return middle
            }
        }
        return value(low) <= target ? low : low - 1
    }
}
