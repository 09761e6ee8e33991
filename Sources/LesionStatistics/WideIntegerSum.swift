/// An exact sum of `Int`s in 128 bits (two's complement across two words).
///
/// Spearman's centred rank products are integers whose sum outgrows 64 bits past about
/// two million units; a 128-bit accumulator keeps it exact for any count an array can
/// hold, without a second, floating-point code path. (Swift's `Int128` would need
/// macOS 15.)
struct WideIntegerSum: Equatable {
    /// The upper word, signed.
    private var high = 0
    /// The lower word, unsigned.
    private var low: UInt = 0

    /// Adds one term exactly.
    mutating func add(_ term: Int) {
        let (sum, carried) = low.addingReportingOverflow(UInt(bitPattern: term))
        low = sum
        // Sign-extend the term into the upper word and carry out of the lower one.
        high = high &+ (term < 0 ? -1 : 0) &+ (carried ? 1 : 0)
    }

    /// The sum as a double (two roundings at most).
    var value: Double {
        // A negative sum is converted through its magnitude: its lower word is near
        // 2⁶⁴ and would cancel against the upper word after both were rounded.
        if high < 0 { return -negated.value }
        return Double(high) * 18_446_744_073_709_551_616.0 + Double(low)
    }

    /// The sum with its sign flipped.
    var negated: WideIntegerSum {
        var result = WideIntegerSum()
        result.low = ~low &+ 1
        result.high = ~high &+ (result.low == 0 ? 1 : 0)
        return result
    }

    /// Whether the sum is greater than zero.
    var isPositive: Bool { high > 0 || (high == 0 && low > 0) }
}
