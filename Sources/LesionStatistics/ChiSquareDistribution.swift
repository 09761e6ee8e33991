import Foundation

/// The chi-square distribution's survival function, accurate far into the upper tail
/// (it gives the p-value of Kruskal–Wallis H).
public enum ChiSquareDistribution {
    /// P(X > x) for X chi-square distributed with `degreesOfFreedom` > 0 degrees of
    /// freedom: Q(df/2, x/2). Invalid parameters (df ≤ 0, NaN) give NaN, as scipy's
    /// `chi2.sf` does.
    public static func sf(_ x: Double, degreesOfFreedom: Double) -> Double {
        guard !x.isNaN, degreesOfFreedom > 0, degreesOfFreedom.isFinite else { return .nan }
        return IncompleteGamma.regularizedUpper(a: degreesOfFreedom / 2, x: x / 2)
    }
}
