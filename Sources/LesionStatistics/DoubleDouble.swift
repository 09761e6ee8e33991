/// An unevaluated sum of two doubles carrying about 106 bits of precision.
///
/// Only the incomplete beta function's continued fraction uses it: for Student's t with
/// a large number of degrees of freedom (Spearman over a million units) its terms
/// cancel to a few digits each, and in plain doubles the tail probability would lose
/// up to 1e-10 of relative accuracy.
struct DoubleDouble {
    /// The leading part; `high + low` rounds to `high`.
    var high: Double
    /// The trailing part.
    var low: Double

    init(_ value: Double) {
        high = value
        low = 0
    }

    private init(high: Double, low: Double) {
        self.high = high
        self.low = low
    }

    /// Renormalizes a pair with |a| ≥ |b| (Dekker's fast two-sum).
    private static func quickTwoSum(_ a: Double, _ b: Double) -> DoubleDouble {
        let sum = a + b
        return DoubleDouble(high: sum, low: b - (sum - a))
    }

    /// a + b exactly, as a rounded sum and its error (Knuth's two-sum).
    private static func twoSum(_ a: Double, _ b: Double) -> (sum: Double, error: Double) {
        let sum = a + b
        let virtualB = sum - a
        return (sum, (a - (sum - virtualB)) + (b - virtualB))
    }

    static func + (lhs: DoubleDouble, rhs: DoubleDouble) -> DoubleDouble {
        let (sum, error) = twoSum(lhs.high, rhs.high)
        let (lowSum, lowError) = twoSum(lhs.low, rhs.low)
        let first = quickTwoSum(sum, error + lowSum)
        return quickTwoSum(first.high, first.low + lowError)
    }

    static prefix func - (value: DoubleDouble) -> DoubleDouble {
        DoubleDouble(high: -value.high, low: -value.low)
    }

    static func - (lhs: DoubleDouble, rhs: DoubleDouble) -> DoubleDouble {
        lhs + -rhs
    }

    static func * (lhs: DoubleDouble, rhs: DoubleDouble) -> DoubleDouble {
        let product = lhs.high * rhs.high
        // The fused multiply-add recovers the product's rounding error exactly.
        let error = (-product).addingProduct(lhs.high, rhs.high)
        return quickTwoSum(product, error + (lhs.high * rhs.low + lhs.low * rhs.high))
    }

    static func / (lhs: DoubleDouble, rhs: DoubleDouble) -> DoubleDouble {
        // Long division: each quotient digit removes ~53 bits of the remainder.
        let first = lhs.high / rhs.high
        var remainder = lhs - rhs * DoubleDouble(first)
        let second = remainder.high / rhs.high
        remainder = remainder - rhs * DoubleDouble(second)
        let third = remainder.high / rhs.high
        let leading = quickTwoSum(first, second)
        return leading + DoubleDouble(third)
    }

    /// The nearest double.
    var value: Double { high + low }
}
