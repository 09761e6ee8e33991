import Foundation

/// The standard normal distribution's cumulative and survival functions.
public enum NormalDistribution {
    /// P(Z ≤ z) for a standard normal Z.
    ///
    /// Follows cephes' `ndtr`, which scipy uses: near the centre 0.5 + 0.5·erf, in the
    /// tails erfc, which keeps full relative precision far out (P(Z ≤ −37) ≈ 5.7e-300)
    /// where 1 − Φ would have rounded to 0 long before.
    public static func cdf(_ z: Double) -> Double {
        let x = z * (0.5).squareRoot()
        let magnitude = abs(x)
        if magnitude < (0.5).squareRoot() {
            return 0.5 + 0.5 * erf(x)
        }
        let tail = 0.5 * erfc(magnitude)
        return x > 0 ? 1 - tail : tail
    }

    /// P(Z > z) for a standard normal Z, accurate in the upper tail.
    public static func sf(_ z: Double) -> Double {
        cdf(-z)
    }
}
