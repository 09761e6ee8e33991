import Foundation

/// The regularized incomplete beta function I_x(a, b), the engine behind Student's t.
///
/// Evaluated with the classic continued fraction (modified Lentz) on whichever side of
/// the distribution's bulk converges fast, with the prefactor x^a·(1−x)^b/B(a,b) taken
/// in logarithms. Callers pass 1 − x and both logarithms separately because they can
/// usually form them without the cancellation that `1 - x` and `log(x)` would suffer.
enum IncompleteBeta {
    /// I_x(a, b) for a, b > 0, given `x`, `y` = 1 − x, `logX` = ln x and `logY` = ln y.
    static func regularized(
        a: Double, b: Double, x: Double, y: Double, logX: Double, logY: Double
    ) -> Double {
        // Decided on the logarithms: x itself may have underflowed to 0 while ln x
        // is still a finite, usable number.
        if logX == -.infinity || x < 0 { return 0 }
        if logY == -.infinity || y < 0 { return 1 }
        let logPrefactor = logPrefactor(a: a, b: b, x: x, y: y, logX: logX, logY: logY)
        if x < (a + 1) / (a + b + 2) {
            return exp(logPrefactor) / a * continuedFraction(a: a, b: b, x: x, y: y)
        }
        // Past the bulk the fraction converges for the mirrored function instead:
        // I_x(a, b) = 1 − I_y(b, a).
        return 1 - exp(logPrefactor) / b * continuedFraction(a: b, b: a, x: y, y: x)
    }

    /// ln(xᵃ·yᵇ/B(a, b)).
    ///
    /// When a and b are both large (a binomial tail over a million trials) a·ln x,
    /// b·ln y and ln B(a, b) are each near 10⁵ and cancel to a few units, costing 1e-11
    /// of relative accuracy. With s = a + b the sum regroups, as in Loader's binomial
    /// mass, into −bd0(a, xs) − bd0(b, ys) + ½·ln(ab/(2πs)) minus Stirling's
    /// corrections, each term small and accurate.
    static func logPrefactor(a: Double, b: Double, x: Double, y: Double, logX: Double, logY: Double) -> Double {
        let s = a + b
        guard min(a, b) >= 10, x * s >= Double.leastNormalMagnitude, y * s >= Double.leastNormalMagnitude else {
            return a * logX + b * logY - logBeta(a, b)
        }
        return -SaddlePointTerms.deviance(a, x * s) - SaddlePointTerms.deviance(b, y * s)
            + 0.5 * log(a * b / s) - 0.5 * log(2 * Double.pi)
            - (stirlingCorrection(a) + stirlingCorrection(b) - stirlingCorrection(s))
    }

    /// The continued fraction of I_x(a, b), without its prefactor (Numerical Recipes'
    /// `betacf`), evaluated with the modified Lentz method; `y` = 1 − x.
    ///
    /// Runs in double-double arithmetic, with x and y made to sum to exactly 1 (the
    /// larger one is formed from the smaller): for a large a and x near 1 each term
    /// 1 + aₘ·d cancels to a few digits, and an ulp of inconsistency between x and
    /// 1 − x alone would cost 1e-12 of relative accuracy.
    static func continuedFraction(a: Double, b: Double, x: Double, y: Double) -> Double {
        let one = DoubleDouble(1)
        let xx = x <= y ? DoubleDouble(x) : one - DoubleDouble(y)
        let aa = DoubleDouble(a)
        let sum = aa + DoubleDouble(b)
        let plusOne = aa + one
        let minusOne = aa - one
        var c = one
        var d = one - sum * xx / plusOne
        if abs(d.high) < ModifiedLentz.tiny { d = DoubleDouble(ModifiedLentz.tiny) }
        d = one / d
        var h = d
        // Convergence takes O(√max(a, b)) steps; the cap only guards against a NaN
        // input never meeting the stopping test.
        let limit = 1000 + 20 * Int(max(a, b).squareRoot().rounded(.up))
        for step in 1...limit {
            let m = DoubleDouble(Double(step))
            let m2 = DoubleDouble(Double(2 * step))
            let even = m * (DoubleDouble(b) - m) * xx / ((minusOne + m2) * (aa + m2))
            h = h * ModifiedLentz.step(c: &c, d: &d, numerator: even, denominator: one)
            let odd = -(aa + m) * (sum + m) * xx / ((aa + m2) * (plusOne + m2))
            let factor = ModifiedLentz.step(c: &c, d: &d, numerator: odd, denominator: one)
            h = h * factor
            // Well below a double's ulp, so the rounded result has settled.
            if abs((factor - one).value) <= 1e-20 { break }
        }
        return h.value
    }

    /// ln B(a, b) for a, b > 0.
    ///
    /// For a large argument, lgamma(a) and lgamma(a + b) are both large and nearly
    /// equal, and their difference would lose about log10(a) digits (1e-12 at the
    /// t distribution's a = 500 for 1000 df). Stirling's series for the difference,
    /// arranged around log1p, keeps full precision there.
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        let small = min(a, b)
        let large = max(a, b)
        let total = a + b
        if large < 10 {
            return lgamma(a) + lgamma(b) - lgamma(total)
        }
        if small < 10 {
            // lnΓ(large) − lnΓ(large + small) by Stirling, then add lnΓ(small).
            let difference = -(large - 0.5) * log1p(small / large)
                - small * log(total) + small
                + stirlingCorrection(large) - stirlingCorrection(total)
            return lgamma(small) + difference
        }
        return 0.5 * log(2 * Double.pi) - 0.5 * log(total)
            + (a - 0.5) * log(a / total) + (b - 0.5) * log(b / total)
            + stirlingCorrection(a) + stirlingCorrection(b) - stirlingCorrection(total)
    }

    /// lnΓ(x) − [(x − ½)·ln x − x + ½·ln 2π] for x ≥ 10, from the Bernoulli-number
    /// series; eight terms reach below 1e-17 at x = 10.
    static func stirlingCorrection(_ x: Double) -> Double {
        let coefficients: [Double] = [
            1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680,
            1.0 / 1188, -691.0 / 360_360, 1.0 / 156, -3617.0 / 122_400,
        ]
        let inverseSquare = 1 / (x * x)
        var power = 1 / x
        var result = 0.0
        for coefficient in coefficients {
            result += coefficient * power
            power *= inverseSquare
        }
        return result
    }
}
