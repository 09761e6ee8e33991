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

    /// The values in ascending order (−0 as 0, NaN last): ranking sorts them anyway,
    /// so quantiles of the same sample need no second sort.
    public let sorted: [Double]

    /// Ranks `values` in O(n): a radix sort of order-preserving integer keys, since a
    /// comparison sort of a million doubles dominated every analysis.
    public init(_ values: [Double]) {
        // 32-bit positions where they suffice (anything under 32 GB of doubles).
        if values.count <= Int(UInt32.max) {
            self.init(values, positions: UInt32.self)
        } else {
            self.init(values, positions: Int.self)
        }
    }

    private init<Position: FixedWidthInteger>(_ values: [Double], positions: Position.Type) {
        let (keys, order) = RadixOrder.sorted(values, positions: Position.self)
        var ranks = [Double](repeating: 0, count: values.count)
        var sizes: [Int] = []
        var start = 0
        while start < keys.count {
            var end = start + 1
            // Keys are equal exactly where the doubles tie (−0 = 0, NaN = NaN).
            while end < keys.count && keys[end] == keys[start] {
                end += 1
            }
            // Positions start..<end hold ranks start+1 ... end; their mean is exact.
            let rank = Double(start + 1 + end) / 2
            for slot in start..<end {
                ranks[Int(order[slot])] = rank
            }
            sizes.append(end - start)
            start = end
        }
        self.ranks = ranks
        self.tieGroupSizes = sizes
        self.sorted = keys.map(RadixOrder.value(ofKey:))
    }
}
