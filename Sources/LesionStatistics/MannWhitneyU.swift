import Foundation

/// The Mann–Whitney U test of two independent samples, with the two-sided p-value of
/// `scipy.stats.mannwhitneyu(first, second, alternative="two-sided",
/// method="asymptotic", use_continuity=True)` and the rank-biserial correlation.
///
/// - U is the first sample's: U₁ = R₁ − n₁(n₁ + 1)/2, R₁ its sum of average ranks in
///   the combined sample.
/// - p: with U = max(U₁, n₁n₂ − U₁), μ = n₁n₂/2 and
///   σ = √(n₁n₂/12 · ((n + 1) − Σ(t³ − t)/(n(n − 1)))) over the tie groups t,
///   z = (U − μ − ½)/σ and p = 2·P(Z > z), at most 1.
/// - When every value is tied σ = 0, z = −∞ and p = 1, exactly as scipy.
/// - Rank-biserial r = 2U₁/(n₁n₂) − 1: positive when the first sample tends larger.
public struct MannWhitneyU: Sendable, Equatable {
    /// The size of the first sample.
    public let n1: Int
    /// The size of the second sample.
    public let n2: Int
    /// U of the first sample.
    public let u: Double
    /// The two-sided p-value (normal approximation, tie and continuity corrections).
    public let p: Double
    /// The rank-biserial correlation 2U/(n₁n₂) − 1.
    public let rankBiserial: Double

    /// Compares `first` with `second`.
    ///
    /// Returns nil when either sample is empty (scipy returns NaN) or holds a value
    /// that is not finite (filter with `FiniteFilter.values` and count what it drops).
    public init?(first: [Double], second: [Double]) {
        guard !first.isEmpty, !second.isEmpty,
            first.allSatisfy(\.isFinite), second.allSatisfy(\.isFinite)
        else { return nil }
        let ranked = AverageRanks(first + second)
        // Ranks are whole or half numbers, so twice their sum is an exact integer.
        var doubledRankSum = 0
        for rank in ranked.ranks[..<first.count] {
            doubledRankSum += Int(2 * rank)
        }
        let n1 = Double(first.count)
        let n2 = Double(second.count)
        let n = n1 + n2
        let u1 = Double(doubledRankSum) / 2 - n1 * (n1 + 1) / 2
        let u = max(u1, n1 * n2 - u1)

        // Same operations, in the same order, as scipy's `_get_mwu_z`.
        var tieTerm = 0.0
        for size in ranked.tieGroupSizes where size > 1 {
            let t = Double(size)
            tieTerm += t * t * t - t
        }
        let variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        let z = (u - n1 * n2 / 2 - 0.5) / max(0, variance).squareRoot()
        let p = 2 * NormalDistribution.cdf(-z)

        self.n1 = first.count
        self.n2 = second.count
        self.u = u1
        self.p = min(1, max(0, p))
        self.rankBiserial = 2 * u1 / (n1 * n2) - 1
    }
}
