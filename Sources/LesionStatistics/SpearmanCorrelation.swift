import Foundation

/// Spearman's rank correlation ρ between two paired samples, with its two-sided
/// p-value and Fisher's 95% interval, as `scipy.stats.spearmanr` reports them.
///
/// - ρ is the Pearson correlation of the average ranks. It is `nil` for n < 3, and
///   when either sample is constant (the ranks have no variance), where scipy returns
///   NaN; the analyses print such a statistic as empty, never as a made-up number.
/// - p is two-sided from Student's t with n − 2 degrees of freedom,
///   t = ρ·√((n − 2)/((1 + ρ)(1 − ρ))) (scipy's form of ρ·√((n − 2)/(1 − ρ²))); ρ = ±1
///   gives t = ±∞ and p = 0.
/// - The interval is tanh(atanh(ρ) ± 1.959963984540054·√(1.06/(n − 3))), only for
///   n ≥ 4; at ρ = ±1 both bounds are ±1.
public struct SpearmanCorrelation: Sendable, Equatable {
    /// The 0.975 quantile of the standard normal distribution.
    public static let normalQuantile975 = 1.959963984540054

    /// The number of pairs.
    public let n: Int
    /// Spearman's ρ, or nil when it is undefined (n < 3 or a constant sample).
    public let rho: Double?
    /// The two-sided p-value, or nil when ρ is undefined.
    public let p: Double?
    /// The lower bound of Fisher's 95% interval, or nil when n < 4 or ρ is undefined.
    public let ciLow: Double?
    /// The upper bound of Fisher's 95% interval, or nil when n < 4 or ρ is undefined.
    public let ciHigh: Double?

    /// Correlates `x[i]` with `y[i]`.
    ///
    /// Returns nil when the samples differ in length or hold a value that is not
    /// finite: the analyses leave such pairs out and count them (`FiniteFilter.pairs`),
    /// and a statistic should not silently do it for them.
    public init?(x: [Double], y: [Double]) {
        guard x.count == y.count else { return nil }
        self.init(ranksOfX: AverageRanks(x), ranksOfY: AverageRanks(y))
    }

    /// Correlates two samples already ranked, for a caller that needs the ranks (or
    /// the sorted values) for more than this statistic. Returns nil under the same
    /// conditions as ``init(x:y:)``.
    public init?(ranksOfX: AverageRanks, ranksOfY: AverageRanks) {
        guard ranksOfX.ranks.count == ranksOfY.ranks.count,
            Self.allFinite(ranksOfX), Self.allFinite(ranksOfY)
        else { return nil }
        n = ranksOfX.ranks.count
        guard n >= 3, let rho = Self.rankCorrelation(rankX: ranksOfX.ranks, rankY: ranksOfY.ranks) else {
            (rho, p, ciLow, ciHigh) = (nil, nil, nil, nil)
            return
        }
        self.rho = rho
        p = Self.pValue(rho: rho, n: n)
        if n >= 4 {
            let z = atanh(rho)
            let halfWidth = Self.normalQuantile975 * (1.06 / Double(n - 3)).squareRoot()
            ciLow = tanh(z - halfWidth)
            ciHigh = tanh(z + halfWidth)
        } else {
            (ciLow, ciHigh) = (nil, nil)
        }
    }

    /// The sorted values run from −∞ to NaN, so their two ends tell whether all are finite.
    private static func allFinite(_ ranked: AverageRanks) -> Bool {
        guard let first = ranked.sorted.first, let last = ranked.sorted.last else { return true }
        return first.isFinite && last.isFinite
    }

    /// The Pearson correlation of the average ranks, or nil when either has no variance.
    ///
    /// Twice an average rank is an integer, so the centred sums of squares and products
    /// are computed exactly in integers; ρ then carries only the roundings of the
    /// conversion, one division and two square roots, however many units there are.
    static func rankCorrelation(rankX: [Double], rankY: [Double]) -> Double? {
        let centre = rankX.count + 1
        var sxx = WideIntegerSum(), syy = WideIntegerSum(), sxy = WideIntegerSum()
        for index in rankX.indices {
            // |2r − (n + 1)| ≤ n − 1, so each product fits in an Int; only the sums
            // need the wider accumulator.
            let cx = Int(2 * rankX[index]) - centre
            let cy = Int(2 * rankY[index]) - centre
            sxx.add(cx * cx)
            syy.add(cy * cy)
            sxy.add(cx * cy)
        }
        guard sxx.isPositive, syy.isPositive else { return nil }
        // Cauchy–Schwarz holds with equality only for identical ranks (or exactly
        // reversed ones); say so exactly instead of trusting the roundings.
        if sxx == syy && sxy == sxx { return 1 }
        if sxx == syy && sxy.negated == sxx { return -1 }
        return clamp(sxy.value / sxx.value.squareRoot() / syy.value.squareRoot())
    }

    /// Two-sided p-value of ρ from Student's t with n − 2 degrees of freedom.
    static func pValue(rho: Double, n: Int) -> Double {
        if abs(rho) == 1 { return 0 }
        let df = Double(n - 2)
        let t = rho * (df / ((rho + 1) * (1 - rho))).squareRoot()
        return min(1, 2 * StudentTDistribution.sf(abs(t), degreesOfFreedom: df))
    }

    /// Keeps a rounded correlation inside [−1, 1], as numpy's `corrcoef` does.
    private static func clamp(_ value: Double) -> Double {
        min(1, max(-1, value))
    }
}
