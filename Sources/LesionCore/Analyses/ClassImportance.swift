import LesionStatistics

/// Analysis 6, its computation: does ablating a unit hurt the class it prefers most
/// (Zhou et al. 2018)? Pure: it takes each unit's vectors as read and returns the
/// statistics of analyses.md §6 per group and pooled; reading them from a database
/// is the caller's part.
public enum ClassImportance {
    /// One unit as stored. NaN stands for an undefined (NULL) value. The vectors are
    /// slices, so that a million units share their layers' arrays instead of
    /// allocating three arrays each.
    public struct Unit: Sendable {
        /// The group the unit belongs to (`--by`).
        public var group: GroupValue
        /// The model's number of classes; chance is 1/classes.
        public var classes: Int
        /// `class_means`: the unit's mean activation per class.
        public var classMeans: ArraySlice<Double>
        /// The checkpoint's `class_accuracy`.
        public var classAccuracy: ArraySlice<Double>
        /// `ablated_class_accuracy`: per-class accuracy with the unit ablated.
        public var ablatedClassAccuracy: ArraySlice<Double>
        /// S, the `--selectivity` metric.
        public var selectivity: Double
        /// Overall `accuracy_drop`.
        public var accuracyDrop: Double

        /// A unit.
        public init(
            group: GroupValue, classes: Int, classMeans: ArraySlice<Double>, classAccuracy: ArraySlice<Double>,
            ablatedClassAccuracy: ArraySlice<Double>, selectivity: Double, accuracyDrop: Double
        ) {
            self.group = group
            self.classes = classes
            self.classMeans = classMeans
            self.classAccuracy = classAccuracy
            self.ablatedClassAccuracy = ablatedClassAccuracy
            self.selectivity = selectivity
            self.accuracyDrop = accuracyDrop
        }
    }

    /// A unit that entered the statistics.
    public struct Observation: Sendable {
        public var selectivity: Double
        /// drop_p: the preferred class's drop.
        public var preferredDrop: Double
        /// max_k drop_k.
        public var maxDrop: Double
        public var accuracyDrop: Double
        public var hit: Bool
        public var classes: Int
    }

    /// The statistics of one group, or of all units pooled.
    public struct GroupResult: Sendable {
        /// The group; nil for the pooled row.
        public var group: GroupValue?
        public var n: Int
        public var hits: Int
        /// hits/n; nil when n = 0.
        public var hitRate: Double?
        /// The mean of 1/classes over the units; nil when n = 0.
        public var chance: Double?
        /// The exact two-sided binomial p of hits out of n at chance; nil when the
        /// units' models differ in classes (or n = 0).
        public var binomialP: Double?
        /// ρ(S, drop_p), ρ(S, max drop), ρ(S, accuracy_drop) (the last over the units
        /// that have it).
        public var preferredDrop: SpearmanCorrelation?
        public var maxDrop: SpearmanCorrelation?
        public var accuracyDrop: SpearmanCorrelation?
        /// The units, for the charts.
        public var observations: [Observation]
    }

    /// Groups in sort order, the pooled row, and what was left out.
    public struct Result: Sendable {
        public var selectivity: String
        public var groups: [GroupResult]
        public var pooled: GroupResult
        public var leftOut: LeftOut
    }

    /// The statistics of `units`; with `grouped` false only the pooled row (`--by none`).
    public static func compute(_ units: [Unit], selectivity: String, grouped: Bool = true) -> Result {
        var collector = Collector(selectivity: selectivity)
        for unit in units { collector.add(unit) }
        return collector.result(grouped: grouped)
    }

    /// Takes units one at a time and keeps only what the statistics need, so that a
    /// reader of a million units never holds them all.
    public struct Collector {
        let selectivity: String
        var leftOut = LeftOut()
        var byGroup: [GroupValue: [Observation]] = [:]
        var all: [Observation] = []

        /// A collector for the `--selectivity` metric named `selectivity`.
        public init(selectivity: String) {
            self.selectivity = selectivity
        }

        /// Adds one unit: an observation, or a reason it is left out.
        public mutating func add(_ unit: Unit) {
            guard let preferred = preferredClass(unit.classMeans) else {
                leftOut.add("no preferred class")
                return
            }
            // drop_k = class_accuracy_k − ablated_class_accuracy_k, over as many classes
            // as both have; all of them must be there and defined.
            let accuracy = unit.classAccuracy, ablated = unit.ablatedClassAccuracy
            let count = min(accuracy.count, ablated.count)
            func drop(_ k: Int) -> Double { accuracy[accuracy.startIndex + k] - ablated[ablated.startIndex + k] }
            guard count == unit.classMeans.count, count > 0, !(0..<count).contains(where: { drop($0).isNaN }) else {
                leftOut.add("class drop undefined")
                return
            }
            guard unit.selectivity.isFinite else {
                leftOut.add("\(selectivity) undefined")
                return
            }
            let mostHurt = firstArgmax(count: count, drop)
            let observation = Observation(
                selectivity: unit.selectivity, preferredDrop: drop(preferred), maxDrop: drop(mostHurt),
                accuracyDrop: unit.accuracyDrop, hit: mostHurt == preferred, classes: unit.classes)
            byGroup[unit.group, default: []].append(observation)
            all.append(observation)
        }

        /// The statistics of the units added; with `grouped` false only the pooled row.
        public func result(grouped: Bool) -> Result {
            // The pooled row is as much work as all groups together: it goes first, so
            // that a second core computes the groups meanwhile.
            let keys: [GroupValue?] = grouped ? byGroup.keys.sorted() : []
            let observationsByGroup = byGroup, pooledObservations = all
            let results = ([nil] + keys).concurrentMap { key in
                statistics(group: key, key.map { observationsByGroup[$0] ?? [] } ?? pooledObservations)
            }
            return Result(selectivity: selectivity, groups: Array(results.dropFirst()), pooled: results[0], leftOut: leftOut)
        }
    }

    /// argmax of the class means (an offset from the slice's start), the lowest
    /// index among exact ties; nil when a mean is undefined or all are equal.
    static func preferredClass(_ means: ArraySlice<Double>) -> Int? {
        guard let first = means.first, !means.contains(where: \.isNaN), means.contains(where: { $0 != first }) else {
            return nil
        }
        return firstArgmax(means)
    }

    /// The offset of the largest value, the lowest among exact ties (no NaN).
    static func firstArgmax(_ values: ArraySlice<Double>) -> Int {
        firstArgmax(count: values.count) { values[values.startIndex + $0] }
    }

    /// The `k` in 0..<count with the largest `value(k)`, the lowest among exact ties
    /// (no NaN; count > 0): for values computed on the fly, such as the class drops.
    static func firstArgmax(count: Int, _ value: (Int) -> Double) -> Int {
        var best = 0
        for k in 1..<max(count, 1) where value(k) > value(best) {
            best = k
        }
        return best
    }

    static func statistics(group: GroupValue?, _ units: [Observation]) -> GroupResult {
        let n = units.count
        let hits = units.reduce(0) { $0 + ($1.hit ? 1 : 0) }
        var chance: Double?
        var binomialP: Double?
        if let classes = units.first?.classes {
            chance = Descriptive.mean(units.map { 1 / Double($0.classes) })
            if units.allSatisfy({ $0.classes == classes }) {
                binomialP = BinomialTest.twoSidedP(successes: hits, trials: n, probability: 1 / Double(classes))
            }
        }
        // S is ranked once for the three correlations (the third over all units when
        // every unit has accuracy_drop).
        let ranksOfS = AverageRanks(units.map(\.selectivity))
        let withAccuracy = units.filter { $0.accuracyDrop.isFinite }
        return GroupResult(
            group: group, n: n, hits: hits, hitRate: n > 0 ? Double(hits) / Double(n) : nil,
            chance: chance, binomialP: binomialP,
            preferredDrop: SpearmanCorrelation(ranksOfX: ranksOfS, ranksOfY: AverageRanks(units.map(\.preferredDrop))),
            maxDrop: SpearmanCorrelation(ranksOfX: ranksOfS, ranksOfY: AverageRanks(units.map(\.maxDrop))),
            accuracyDrop: withAccuracy.count == n
                ? SpearmanCorrelation(ranksOfX: ranksOfS, ranksOfY: AverageRanks(units.map(\.accuracyDrop)))
                : SpearmanCorrelation(x: withAccuracy.map(\.selectivity), y: withAccuracy.map(\.accuracyDrop)),
            observations: units)
    }
}
