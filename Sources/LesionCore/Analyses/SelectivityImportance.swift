import LesionStatistics
import LesionStore

/// Analysis 1: do interpretable (class-selective) units matter more than
/// confusing ones? Correlates each unit's selectivity with its importance (the
/// damage done by ablating it alone), and compares the most and least selective
/// units, per group and pooled.
public struct SelectivityImportance {
    /// The analysis's parameters, with the documented defaults.
    public struct Options: Sendable {
        public var selectivity = "class_selectivity"
        public var importance = UnitMeasure.accuracyDrop
        public var grouping = Grouping.layer
        public var fraction = 0.2
        /// When set, "selective" means S ≥ threshold and "unselective" S < threshold,
        /// in place of the `fraction` quantiles.
        public var threshold: Double?
        public var filter = ModelFilter()
        public init() {}
    }

    /// The statistics of one group (or of all groups pooled).
    public struct GroupResult: Sendable {
        /// The group's value; nil for the pooled row.
        public var group: GroupValue?
        public var n: Int
        public var spearman: SpearmanCorrelation?
        public var selectiveCount: Int
        public var unselectiveCount: Int
        public var selectiveMean: Double?
        public var unselectiveMean: Double?
        public var difference: Double?
        public var test: MannWhitneyU?
        /// Selectivity and importance of each unit, for the chart.
        public var points: [(s: Double, i: Double)]
    }

    /// The answer: groups, pooled row, what was left out.
    public struct Result: Sendable {
        public var options: Options
        public var groups: [GroupResult]
        public var pooled: GroupResult
        public var leftOut: LeftOut
    }

    let database: any Database

    /// The analysis over `database`.
    public init(database: any Database) {
        self.database = database
    }

    /// Runs the analysis.
    public func run(_ options: Options) throws -> Result {
        var options = options
        let unitGroups = try UnitGroups(resolving: options.grouping, database: database, filter: options.filter)
        options.grouping = unitGroups.grouping
        var leftOut = LeftOut()
        var byGroup: [GroupValue: [(s: Double, i: Double)]] = [:]
        var all: [(s: Double, i: Double)] = []
        // A layer's units arrive together and (but for labels) share their group: look
        // it up once a layer, and file the points of a run of units of one group at once.
        var layerId: Int64 = -1
        var layerGroup: GroupValue?
        var runGroup: GroupValue?
        var runPoints: [(s: Double, i: Double)] = []
        try UnitObservationReader(database: database).read(
            options.filter, measures: [.stored(options.selectivity), options.importance]
        ) { unit in
            let s = unit.values[0], i = unit.values[1]
            guard s.isFinite else {
                leftOut.add("\(options.selectivity) undefined")
                return
            }
            guard i.isFinite else {
                leftOut.add("\(options.importance) undefined")
                return
            }
            let group: GroupValue?
            if unitGroups.isPerLayer {
                if unit.layerId != layerId {
                    layerId = unit.layerId
                    layerGroup = unitGroups.group(
                        model: unit.modelId, checkpoint: unit.checkpointId, layerId: unit.layerId, layer: unit.layer, unit: unit.unit)
                }
                group = layerGroup
            } else {
                group = unitGroups.group(
                    model: unit.modelId, checkpoint: unit.checkpointId, layerId: unit.layerId, layer: unit.layer, unit: unit.unit)
            }
            guard let group else {
                leftOut.add(unitGroups.missingReason)
                return
            }
            if group != runGroup {
                if let runGroup { byGroup[runGroup, default: []].append(contentsOf: runPoints) }
                runPoints.removeAll(keepingCapacity: true)
                runGroup = group
            }
            runPoints.append((s, i))
            all.append((s, i))
        }
        if let runGroup { byGroup[runGroup, default: []].append(contentsOf: runPoints) }
        // Layers are matched by name across architectures, so depth cannot order them: names do.
        let keys: [GroupValue?] = options.grouping == .none ? [] : byGroup.keys.sorted()
        // The pooled row is as much work as all groups together: it goes first, so that
        // a second core computes the groups meanwhile.
        let split = options.threshold.map(Split.threshold) ?? .fraction(options.fraction)
        let pointsByGroup = byGroup, pooledPoints = all
        let results = ([nil] + keys).concurrentMap { key in
            SelectivityImportance.statistics(
                group: key, points: key.map { pointsByGroup[$0] ?? [] } ?? pooledPoints, split: split)
        }
        return Result(options: options, groups: Array(results.dropFirst()), pooled: results[0], leftOut: leftOut)
    }

    /// How the units are split into "selective" and "unselective".
    enum Split {
        /// S at or above the group's 1 − q quantile against S at or below its q quantile.
        case fraction(Double)
        /// S ≥ T against S < T: every unit is on one side.
        case threshold(Double)
    }

    /// The statistics of one set of (selectivity, importance) pairs.
    static func statistics(group: GroupValue?, points: [(s: Double, i: Double)], split: Split) -> GroupResult {
        // Ranking S sorts it: the quantiles reuse that order.
        let ranksOfS = AverageRanks(points.map(\.s))
        var selective: [Double] = [], unselective: [Double] = []
        switch split {
        case .fraction(let fraction):
            if let high = Quantile.linear(sorted: ranksOfS.sorted, q: 1 - fraction),
                let low = Quantile.linear(sorted: ranksOfS.sorted, q: fraction)
            {
                for point in points {
                    if point.s >= high { selective.append(point.i) }
                    if point.s <= low { unselective.append(point.i) }
                }
            }
        case .threshold(let threshold):
            for point in points {
                if point.s >= threshold { selective.append(point.i) } else { unselective.append(point.i) }
            }
        }
        let selectiveMean = Descriptive.mean(selective), unselectiveMean = Descriptive.mean(unselective)
        var difference: Double?
        if let a = selectiveMean, let b = unselectiveMean { difference = a - b }
        return GroupResult(
            group: group, n: points.count, spearman: SpearmanCorrelation(ranksOfX: ranksOfS, ranksOfY: AverageRanks(points.map(\.i))),
            selectiveCount: selective.count, unselectiveCount: unselective.count,
            selectiveMean: selectiveMean, unselectiveMean: unselectiveMean, difference: difference,
            test: MannWhitneyU(first: selective, second: unselective), points: points)
    }
}
