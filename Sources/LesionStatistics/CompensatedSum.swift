/// A running sum that carries the low-order bits each addition drops (Neumaier's
/// variant of Kahan summation).
///
/// Means and areas over a million values would otherwise lose digits to rounding in
/// proportion to the count; with the compensation they stay within a few ulps of the
/// exact sum, closer than numpy's pairwise summation, so either agrees with an exact
/// reference to far better than 1e-12.
struct CompensatedSum {
    private var sum = 0.0
    private var compensation = 0.0

    /// Adds one term.
    mutating func add(_ term: Double) {
        let total = sum + term
        // Whichever operand is larger in magnitude kept its bits; recover the other's.
        if abs(sum) >= abs(term) {
            compensation += (sum - total) + term
        } else {
            compensation += (term - total) + sum
        }
        sum = total
    }

    /// The sum of the terms added so far.
    var value: Double { sum + compensation }
}
