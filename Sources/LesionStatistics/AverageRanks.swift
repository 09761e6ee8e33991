/// Ranks of a sample, 1-based, where tied values share the mean of the ranks they span
/// (scipy's `rankdata(method="average")`).
///
/// Values tie only when they are exactly equal as doubles (`-0.0` equals `0.0`). NaN
/// has no place in an order: NaNs rank after every other value and tie with each other.
/// The analyses filter them out first (see `FiniteFilter`); scipy would instead return
/// NaN for every rank.
public struct AverageRanks: Sendable, Equatable {
    /// The rank of each value, in input order. Every rank is a whole or half number, so
    /// it is exact as a double.
    public let ranks: [Double]

    /// The size of every group of equal values, in ascending order of value, including
    /// groups of one; their sum is the number of values. Tie corrections use it.
    public let tieGroupSizes: [Int]

    /// Ranks `values` in O(n log n).
    public init(_ values: [Double]) {
        // Sorting (value, position) pairs keeps comparisons on contiguous memory,
        // which matters at a million units.
        var keyed: [(value: Double, position: Int)] = []
        keyed.reserveCapacity(values.count)
        for (position, value) in values.enumerated() {
            keyed.append((value, position))
        }
        keyed.sort { AverageRanks.precedes($0.value, $1.value) }

        var ranks = [Double](repeating: 0, count: values.count)
        var sizes: [Int] = []
        var start = 0
        while start < keyed.count {
            var end = start + 1
            while end < keyed.count && AverageRanks.ties(keyed[start].value, keyed[end].value) {
                end += 1
            }
            // Positions start..<end hold ranks start+1 ... end; their mean is exact.
            let rank = Double(start + 1 + end) / 2
            for slot in start..<end {
                ranks[keyed[slot].position] = rank
            }
            sizes.append(end - start)
            start = end
        }
        self.ranks = ranks
        self.tieGroupSizes = sizes
    }

    /// A strict total order on doubles that puts NaN last, so sorting never sees an
    /// inconsistent comparison.
    private static func precedes(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN { return false }
        if b.isNaN { return true }
        return a < b
    }

    /// Equality under the same order: NaNs tie with each other.
    private static func ties(_ a: Double, _ b: Double) -> Bool {
        a == b || (a.isNaN && b.isNaN)
    }
}
