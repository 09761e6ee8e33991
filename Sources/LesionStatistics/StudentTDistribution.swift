import Foundation

/// Student's t distribution with real degrees of freedom: cumulative and survival
/// functions, accurate in the far tails (they give the p-values of Spearman's ρ).
///
/// Invalid parameters (df ≤ 0, NaN) give NaN, as scipy does; df = +∞ is the standard
/// normal distribution.
public enum StudentTDistribution {
    /// P(T ≤ t) for T with `degreesOfFreedom` degrees of freedom.
    public static func cdf(_ t: Double, degreesOfFreedom: Double) -> Double {
        guard let tail = upperTail(abs(t), degreesOfFreedom) else { return .nan }
        return t < 0 ? tail : 1 - tail
    }

    /// P(T > t) for T with `degreesOfFreedom` degrees of freedom.
    public static func sf(_ t: Double, degreesOfFreedom: Double) -> Double {
        guard let tail = upperTail(abs(t), degreesOfFreedom) else { return .nan }
        return t > 0 ? tail : 1 - tail
    }

    /// P(T > t) for t ≥ 0: ½·I_x(df/2, ½) with x = df/(df + t²); nil when a parameter
    /// is invalid.
    private static func upperTail(_ t: Double, _ df: Double) -> Double? {
        guard !t.isNaN, !df.isNaN, df > 0 else { return nil }
        if df == .infinity { return NormalDistribution.sf(t) }
        if t == .infinity { return 0 }
        if t == 0 { return 0.5 }
        // r = df/t² in a form that neither overflows for huge t nor loses 1 − x to
        // cancellation for small t: x = r/(1 + r), 1 − x = 1/(1 + r).
        let r = (df / t) / t
        if r == .infinity { return 0.5 }
        let x = r / (1 + r)
        let y = 1 / (1 + r)
        let logY = -log1p(r)
        // ln x = −ln(1 + 1/r); once r underflows, ln df − 2·ln t is still exact enough
        // and keeps the tail from collapsing to zero early (df = 1, t = 1e200).
        let logX = r >= Double.leastNormalMagnitude
            ? -log1p(1 / r)
            : log(df) - 2 * log(t) - log1p(r)
        return 0.5 * IncompleteBeta.regularized(
            a: df / 2, b: 0.5, x: x, y: y, logX: logX, logY: logY)
    }
}
