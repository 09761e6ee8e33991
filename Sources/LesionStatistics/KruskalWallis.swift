/// The Kruskal–Wallis H test of k ≥ 2 independent samples, as
/// `scipy.stats.kruskal(*groups)` reports it, with the effect size ε² = H/(N − 1).
///
/// - H = 12/(N(N + 1))·Σᵢ nᵢ·(R̄ᵢ − (N + 1)/2)² over the groups' average ranks in the
///   combined sample, divided by the tie correction 1 − Σ(t³ − t)/(N³ − N) over the tie
///   groups t. (scipy writes the same sum as 12/(N(N + 1))·ΣRᵢ²/nᵢ − 3(N + 1), which
///   cancels to a few digits for a large N; here each Rᵢ − nᵢ(N + 1)/2 is an exact
///   half-integer.)
/// - df = k − 1; p = P(χ²_df > H).
/// - When every value is tied the correction is 0 and H, p and ε² do not exist (scipy
///   returns NaN): they are nil.
public struct KruskalWallis: Sendable, Equatable {
    /// The size of each group, in input order.
    public let counts: [Int]
    /// The tie-corrected H, or nil when every value is tied.
    public let h: Double?
    /// The degrees of freedom, k − 1.
    public let degreesOfFreedom: Int
    /// The p-value from the chi-square distribution, or nil with H.
    public let p: Double?
    /// ε² = H/(N − 1), or nil with H.
    public let epsilonSquared: Double?

    /// Compares `groups`.
    ///
    /// Returns nil for fewer than two groups, an empty group or a value that is not
    /// finite (filter with `FiniteFilter.values` and count what it drops).
    public init?(groups: [[Double]]) {
        guard groups.count >= 2, groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isFinite) }) else {
            return nil
        }
        let ranked = AverageRanks(groups.flatMap { $0 })
        let total = ranked.ranks.count
        let n = Double(total)
        var sum = 0.0
        var start = 0
        for group in groups {
            // Twice the rank sum and nᵢ(N + 1) are integers, so their difference is exact.
            var doubledRankSum = 0
            for rank in ranked.ranks[start..<start + group.count] {
                doubledRankSum += Int(2 * rank)
            }
            let doubledDeviation = Double(doubledRankSum - group.count * (total + 1))
            sum += doubledDeviation * doubledDeviation / (4 * Double(group.count))
            start += group.count
        }
        var tieTerm = 0.0
        for size in ranked.tieGroupSizes where size > 1 {
            let t = Double(size)
            tieTerm += t * t * t - t
        }
        let correction = 1 - tieTerm / (n * n * n - n)
        counts = groups.map(\.count)
        degreesOfFreedom = groups.count - 1
        guard correction > 0 else {
            (h, p, epsilonSquared) = (nil, nil, nil)
            return
        }
        let h = 12 / (n * (n + 1)) * sum / correction
        self.h = h
        p = ChiSquareDistribution.sf(h, degreesOfFreedom: Double(degreesOfFreedom))
        epsilonSquared = h / (n - 1)
    }
}
