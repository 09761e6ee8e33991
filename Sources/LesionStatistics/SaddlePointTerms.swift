import Foundation

/// The two terms of Loader's saddle-point expansions ("Fast and accurate computation of
/// binomial probabilities", 2000), which keep full relative precision where logarithms
/// of huge factorials or powers would cancel: the binomial mass and the incomplete beta
/// function's prefactor when both of its parameters are large.
enum SaddlePointTerms {
    /// lnΓ(n + 1) − [(n + ½)·ln n − n + ½·ln 2π], the error of Stirling's formula, n > 0.
    static func stirlingError(_ n: Double) -> Double {
        // lnΓ(n + 1) − (n + ½)·ln n equals lnΓ(n) − (n − ½)·ln n: the series applies.
        if n >= 10 { return IncompleteBeta.stirlingCorrection(n) }
        // Small n: the terms are all of order 10, so nothing cancels badly.
        return lgamma(n + 1) - (n + 0.5) * log(n) + n - 0.5 * log(2 * Double.pi)
    }

    /// x·ln(x/m) + m − x, the deviance term, without cancellation when x ≈ m.
    static func deviance(_ x: Double, _ m: Double) -> Double {
        guard abs(x - m) < 0.1 * (x + m) else { return x * log(x / m) + m - x }
        // With v = (x − m)/(x + m): the series (x − m)·v + 2x·Σⱼ v^(2j+1)/(2j + 1).
        let v = (x - m) / (x + m)
        var sum = (x - m) * v
        var power = 2 * x * v
        let square = v * v
        for j in 1..<1000 {
            power *= square
            let next = sum + power / Double(2 * j + 1)
            if next == sum { return next }
            sum = next
        }
        return sum
    }
}
