/// Class selectivity derived from class-conditional mean activations:
/// (μmax − μ−max) / (μmax + μ−max), where μmax is the largest class mean of a unit
/// and μ−max the mean of its other class means.
enum Selectivity {
    /// How far a given selectivity may differ from the derived one before the reader
    /// warns.
    static let tolerance = 1e-6

    /// The selectivity of every unit from `means`, flattened `[unit][class]` with
    /// `classes` ≥ 2 values per unit. A unit with a NaN class mean, or with
    /// μmax + μ−max = 0, gets NaN (undefined).
    static func fromClassMeans(_ means: [Double], classes: Int) -> [Double] {
        guard classes >= 2 else { return [] }
        let units = means.count / classes
        var result: [Double] = []
        result.reserveCapacity(units)
        for unit in 0..<units {
            let row = means[unit * classes..<(unit + 1) * classes]
            result.append(selectivity(of: row))
        }
        return result
    }

    /// The selectivity of one unit's class means.
    private static func selectivity(of row: ArraySlice<Double>) -> Double {
        var maxIndex = row.startIndex
        for index in row.indices {
            if row[index].isNaN { return .nan }
            if row[index] > row[maxIndex] { maxIndex = index }
        }
        // Sum the other classes directly rather than subtracting the maximum from the
        // total, which would lose precision when the maximum dominates.
        var othersSum = 0.0
        for index in row.indices where index != maxIndex {
            othersSum += row[index]
        }
        let maximum = row[maxIndex]
        let others = othersSum / Double(row.count - 1)
        let denominator = maximum + others
        if denominator == 0 { return .nan }
        return (maximum - others) / denominator
    }

    /// The units where `given` and `derived` are both numbers (not NaN) and differ by
    /// more than `tolerance`.
    static func disagreements(given: [Double], derived: [Double]) -> [Int] {
        var units: [Int] = []
        for unit in 0..<min(given.count, derived.count) {
            let a = given[unit]
            let b = derived[unit]
            if a.isNaN || b.isNaN || a == b { continue }
            // Also true when exactly one is infinite (the difference is infinite).
            if !(abs(a - b) <= tolerance) { units.append(unit) }
        }
        return units
    }
}
