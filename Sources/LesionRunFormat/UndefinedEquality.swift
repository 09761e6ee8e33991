/// Equality of stored numbers where NaN stands for "undefined".
///
/// IEEE equality says NaN ≠ NaN, which would make a document unequal to itself; a
/// run document uses NaN only to mean "no value", and two missing values are the
/// same. `0.0 == -0.0` stays true: the format need not keep the sign of a zero.
enum UndefinedEquality {
    /// Whether two numbers are equal, or both undefined.
    @inline(__always)
    static func same(_ a: Double, _ b: Double) -> Bool {
        a == b || (a.isNaN && b.isNaN)
    }

    /// Whether two arrays have the same length and pairwise `same` values.
    static func same(_ a: [Double], _ b: [Double]) -> Bool {
        guard a.count == b.count else { return false }
        for index in a.indices where !same(a[index], b[index]) {
            return false
        }
        return true
    }
}
