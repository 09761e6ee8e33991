import Foundation

/// The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x), the
/// engine behind the chi-square distribution.
///
/// Below x = a + 1 the power series of P converges fast, above it the continued
/// fraction of Q (Numerical Recipes' `gser` and `gcf`); whichever is small is computed
/// directly, never as 1 minus something close to 1, so tails keep their digits down to
/// 1e-300. Both run in double-double arithmetic: for a large a (Kruskal–Wallis over
/// many groups) their terms cancel as the beta function's do. The prefactor
/// xᵃ·e⁻ˣ/Γ(a) is taken in logarithms, through Stirling's series for a large a,
/// where lnΓ(a) and a·ln x − x are huge and nearly equal.
enum IncompleteGamma {
    /// Q(a, x) for a > 0; NaN for invalid arguments.
    static func regularizedUpper(a: Double, x: Double) -> Double {
        guard a > 0, !x.isNaN, a.isFinite else { return .nan }
        if x <= 0 { return 1 }
        if x == .infinity { return 0 }
        if x < a + 1 {
            return 1 - exp(logPrefactor(a: a, x: x)) / a * series(a: a, x: x)
        }
        return exp(logPrefactor(a: a, x: x)) * continuedFraction(a: a, x: x)
    }

    /// ln(xᵃ·e⁻ˣ/Γ(a)).
    static func logPrefactor(a: Double, x: Double) -> Double {
        if a < 10 {
            return a * log(x) - x - lgamma(a)
        }
        // With lnΓ(a) = (a − ½)·ln a − a + ½·ln 2π + c(a) and t = (x − a)/a:
        // a·ln x − x − lnΓ(a) = a·(ln(1 + t) − t) + ½·ln a − ½·ln 2π − c(a),
        // where ln(1 + t) − t is formed without cancellation for a small t.
        let t = (x - a) / a
        return a * logOnePlusMinus(t) + 0.5 * log(a) - 0.5 * log(2 * Double.pi)
            - IncompleteBeta.stirlingCorrection(a)
    }

    /// ln(1 + t) − t, accurate also where the two nearly cancel.
    static func logOnePlusMinus(_ t: Double) -> Double {
        guard abs(t) <= 0.25 else { return log1p(t) - t }
        // −t²/2 + t³/3 − …; 0.25²⁸/28 is below 1e-18.
        var power = t * t
        var result = 0.0
        for k in 2...40 {
            let term = power / Double(k)
            result += k % 2 == 0 ? -term : term
            if abs(term) <= 1e-18 * abs(result) { break }
            power *= t
        }
        return result
    }

    /// Σₙ xⁿ/((a + 1)…(a + n)), so that P(a, x) = prefactor/a · Σ.
    static func series(a: Double, x: Double) -> Double {
        let one = DoubleDouble(1)
        let xx = DoubleDouble(x)
        var denominator = DoubleDouble(a)
        var term = one
        var sum = one
        // Terms shrink like e^(−n²/2a) near x ≈ a: O(√a) of them; the cap only guards
        // against a NaN that never meets the stopping test.
        let limit = 1000 + 50 * Int(a.squareRoot().rounded(.up))
        for _ in 0..<limit {
            denominator = denominator + one
            term = term * xx / denominator
            sum = sum + term
            if abs(term.high) <= 1e-20 * abs(sum.high) { break }
        }
        return sum.value
    }

    /// The continued fraction of Q(a, x) without its prefactor, by the modified Lentz
    /// method: 1/(x + 1 − a − 1·(1 − a)/(x + 3 − a − 2·(2 − a)/(x + 5 − a − …))).
    static func continuedFraction(a: Double, x: Double) -> Double {
        let one = DoubleDouble(1)
        let two = DoubleDouble(2)
        let aa = DoubleDouble(a)
        var b = DoubleDouble(x) + one - aa
        // The state after the first term 1/(x + 1 − a), from a start of `tiny`.
        var c = DoubleDouble(1 / ModifiedLentz.tiny)
        var d = one / b
        var h = d
        let limit = 1000 + 50 * Int(a.squareRoot().rounded(.up))
        for step in 1...limit {
            let i = DoubleDouble(Double(step))
            b = b + two
            let factor = ModifiedLentz.step(c: &c, d: &d, numerator: -(i * (i - aa)), denominator: b)
            h = h * factor
            // Well below a double's ulp, so the rounded result has settled.
            if abs((factor - one).value) <= 1e-20 { break }
        }
        return h.value
    }
}
