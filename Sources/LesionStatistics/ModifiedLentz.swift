/// The modified Lentz method for continued fractions b₀ + a₁/(b₁ + a₂/(b₂ + …)), in
/// double-double arithmetic: the engine of the incomplete beta and gamma functions.
enum ModifiedLentz {
    /// Keeps a zero denominator from turning into an infinity; Lentz's usual guard.
    static let tiny = 1e-300

    /// Takes in the next partial numerator `a` and denominator `b`, updating Lentz's
    /// ratios `c` and `d`; returns the factor that multiplies the fraction's value
    /// (the fraction has settled once it is within an ulp of 1).
    static func step(
        c: inout DoubleDouble, d: inout DoubleDouble, numerator a: DoubleDouble, denominator b: DoubleDouble
    ) -> DoubleDouble {
        d = b + a * d
        if abs(d.high) < tiny { d = DoubleDouble(tiny) }
        c = b + a / c
        if abs(c.high) < tiny { c = DoubleDouble(tiny) }
        d = DoubleDouble(1) / d
        return d * c
    }
}
