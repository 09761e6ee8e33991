/// The area under a sampled curve by the trapezoidal rule (numpy's `trapezoid(y, x)`).
public enum Trapezoid {
    /// ∫y dx over the points (x[i], y[i]), taken in the given order:
    /// Σ (x[i+1] − x[i])·(y[i+1] + y[i])/2.
    ///
    /// Returns 0 for fewer than two points, as numpy does, and nil when the arrays
    /// differ in length. A decreasing x gives a negative area, also as numpy.
    public static func area(x: [Double], y: [Double]) -> Double? {
        guard x.count == y.count else { return nil }
        guard x.count >= 2 else { return 0 }
        var sum = CompensatedSum()
        for index in 1..<x.count {
            // numpy's order of operations: d·(y₁ + y₀)/2.
            sum.add((x[index] - x[index - 1]) * (y[index] + y[index - 1]) / 2)
        }
        return sum.value
    }
}
