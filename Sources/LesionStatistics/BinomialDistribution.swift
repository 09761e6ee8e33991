import Foundation

/// The binomial distribution of the number of successes in n trials of probability p:
/// probability mass, cumulative and survival functions, accurate far into the tails.
///
/// The mass follows Loader's saddle-point form (`SaddlePointTerms`), which keeps full
/// relative precision where the logarithms of three huge factorials would cancel. The
/// tails are regularized incomplete beta functions.
public enum BinomialDistribution {
    /// P(X = k) for 0 ≤ p ≤ 1; 0 outside 0…n.
    public static func pmf(_ k: Int, trials n: Int, probability p: Double) -> Double {
        guard n >= 0, p >= 0, p <= 1 else { return .nan }
        guard k >= 0, k <= n else { return 0 }
        let q = 1 - p
        if p == 0 { return k == 0 ? 1 : 0 }
        if q == 0 { return k == n ? 1 : 0 }
        if k == 0 { return exp(Double(n) * log1p(-p)) }
        if k == n { return exp(Double(n) * log(p)) }
        let kk = Double(k), nn = Double(n), rest = Double(n - k)
        let logCore = SaddlePointTerms.stirlingError(nn) - SaddlePointTerms.stirlingError(kk)
            - SaddlePointTerms.stirlingError(rest)
            - SaddlePointTerms.deviance(kk, nn * p) - SaddlePointTerms.deviance(rest, nn * q)
        // 2π·k·(n − k)/n, in logarithms.
        let logFactor = log(2 * Double.pi) + log(kk) + log1p(-kk / nn)
        return exp(logCore - 0.5 * logFactor)
    }

    /// P(X ≤ k) = I_{1−p}(n − k, k + 1).
    public static func cdf(_ k: Int, trials n: Int, probability p: Double) -> Double {
        guard n >= 0, p >= 0, p <= 1 else { return .nan }
        if k < 0 { return 0 }
        if k >= n { return 1 }
        return IncompleteBeta.regularized(
            a: Double(n - k), b: Double(k + 1), x: 1 - p, y: p, logX: log1p(-p), logY: log(p))
    }

    /// P(X > k) = I_p(k + 1, n − k).
    public static func sf(_ k: Int, trials n: Int, probability p: Double) -> Double {
        guard n >= 0, p >= 0, p <= 1 else { return .nan }
        if k < 0 { return 1 }
        if k >= n { return 0 }
        return IncompleteBeta.regularized(
            a: Double(k + 1), b: Double(n - k), x: p, y: 1 - p, logX: log(p), logY: log1p(-p))
    }
}
