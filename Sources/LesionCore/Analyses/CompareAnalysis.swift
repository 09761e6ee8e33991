import LesionStatistics
import LesionStore

/// Analysis 4: how does a unit metric differ between kinds of network (e.g.
/// with and without batch norm)? Distribution per group; with exactly two groups a
/// Mann–Whitney U test between them, with three or more Kruskal–Wallis.
public struct CompareAnalysis {
    /// The analysis's parameters, with the documented defaults.
    public struct Options: Sendable {
        public var metric = UnitMeasure.stored("class_selectivity")
        public var grouping = Grouping.attribute("batch_norm")
        public var filter = ModelFilter()
        public init() {}
    }

    /// One group's distribution.
    public struct Group: Sendable {
        public var group: GroupValue
        public var n: Int
        public var mean: Double?
        public var sd: Double?
        public var min: Double?
        public var q25: Double?
        public var median: Double?
        public var q75: Double?
        public var max: Double?
    }

    /// The whole answer.
    public struct Result: Sendable {
        public var options: Options
        public var groups: [Group]
        /// The two-group test.
        public var test: MannWhitneyU?
        /// The test of three or more groups.
        public var kruskalWallis: KruskalWallis?
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
        var values: [GroupValue: [Double]] = [:]
        try UnitObservationReader(database: database).read(options.filter, measures: [options.metric]) { unit in
            let value = unit.values[0]
            guard value.isFinite else {
                leftOut.add("\(options.metric) undefined")
                return
            }
            guard let group = unitGroups.group(
                model: unit.modelId, checkpoint: unit.checkpointId, layerId: unit.layerId, layer: unit.layer, unit: unit.unit)
            else {
                leftOut.add(unitGroups.missingReason)
                return
            }
            values[group, default: []].append(value)
        }
        let groups = values.keys.sorted().map { key -> Group in
            let sorted = DoubleSort.ascending(values[key] ?? [])
            return Group(
                group: key, n: sorted.count, mean: Descriptive.mean(sorted),
                sd: Descriptive.sampleStandardDeviation(sorted), min: sorted.first,
                q25: Quantile.linear(sorted: sorted, q: 0.25), median: Quantile.linear(sorted: sorted, q: 0.5),
                q75: Quantile.linear(sorted: sorted, q: 0.75), max: sorted.last)
        }
        var test: MannWhitneyU?
        var kruskalWallis: KruskalWallis?
        if groups.count == 2 {
            test = MannWhitneyU(first: values[groups[0].group] ?? [], second: values[groups[1].group] ?? [])
        } else if groups.count >= 3 {
            kruskalWallis = KruskalWallis(groups: groups.map { values[$0.group] ?? [] })
        }
        return Result(options: options, groups: groups, test: test, kruskalWallis: kruskalWallis, leftOut: leftOut)
    }
}

extension CompareAnalysis.Result {
    /// The result as a printable report.
    public var report: AnalysisReport {
        var table = ResultTable(columns: [options.grouping.description, "n", "mean", "sd", "min", "q25", "median", "q75", "max"])
        for group in groups {
            table.rows.append([ReportText.cell(group.group), .integer(Int64(group.n)), ReportText.cell(group.mean),
                               ReportText.cell(group.sd), ReportText.cell(group.min), ReportText.cell(group.q25),
                               ReportText.cell(group.median), ReportText.cell(group.q75), ReportText.cell(group.max)])
        }
        var sections: [(String?, ResultTable)] = [(nil, table)]
        if let test {
            sections.append(("Mann–Whitney U (first group: \(options.grouping)=\(groups[0].group))", ResultTable(
                columns: ["u", "p", "rank_biserial"], rows: [[.real(test.u), .real(test.p), .real(test.rankBiserial)]])))
        }
        if let kruskalWallis {
            sections.append(("Kruskal–Wallis H (\(groups.count) groups)", ResultTable(
                columns: ["h", "df", "p", "epsilon_squared"],
                rows: [[ReportText.cell(kruskalWallis.h), .integer(Int64(kruskalWallis.degreesOfFreedom)),
                        ReportText.cell(kruskalWallis.p), ReportText.cell(kruskalWallis.epsilonSquared)]])))
        }
        return AnalysisReport(sections: sections, notes: leftOut.note.map { [$0] } ?? [], answer: answer, json: json)
    }

    /// The JSON contract of analyses.md.
    public var json: JSONOutput {
        var members: [(String, JSONOutput)] = [
            ("analysis", .string("compare")),
            ("parameters", .object([
                ("metric", .string(options.metric.description)),
                ("by", .string(options.grouping.description)),
                ("by_kind", .string(options.grouping.kind)),
                ("step", .string(options.filter.step.description)),
                ("filters", .array(options.filter.descriptions.map(JSONOutput.string))),
            ])),
            ("groups", .array(groups.map { group in
                .object([
                    ("group", group.group.json), ("n", .integer(group.n)), ("mean", .number(group.mean)),
                    ("sd", .number(group.sd)), ("min", .number(group.min)), ("q25", .number(group.q25)),
                    ("median", .number(group.median)), ("q75", .number(group.q75)), ("max", .number(group.max)),
                ])
            })),
        ]
        if let test {
            members.append(("test", .object([
                ("u", .number(test.u)), ("p", .number(test.p)), ("rank_biserial", .number(test.rankBiserial)),
            ])))
        }
        if let kruskalWallis {
            members.append(("test", .object([
                ("h", .number(kruskalWallis.h)), ("df", .integer(kruskalWallis.degreesOfFreedom)),
                ("p", .number(kruskalWallis.p)), ("epsilon_squared", .number(kruskalWallis.epsilonSquared)),
            ])))
        }
        members.append(("left_out", leftOut.json))
        members.append(("answer", .string(answer)))
        return .object(members)
    }

    /// The one-sentence answer.
    public var answer: String {
        let metric = options.metric.description
        guard !groups.isEmpty else { return "Cannot say: no units with \(metric) and \(options.grouping) defined." }
        let medians = groups.map { "\(options.grouping)=\($0.group): median \(ReportText.short($0.median, digits: 3)), n = \($0.n)" }
            .joined(separator: "; ")
        if groups.count >= 3 { return manyGroupsAnswer(medians: medians) }
        guard groups.count == 2, let test else {
            return "\(metric) by \(options.grouping): \(medians) (one group: nothing to compare)."
        }
        let first = groups[0], second = groups[1]
        let stats = "\(medians); Mann–Whitney \(ReportText.p(test.p)), rank-biserial r = \(ReportText.short(test.rankBiserial))"
        if test.p < 0.05 {
            let direction = test.rankBiserial > 0 ? "higher" : "lower"
            if case .label = options.grouping {
                return "Yes: units labelled \(options.grouping)=\(first.group) have \(direction) \(metric) than those labelled \(options.grouping)=\(second.group) (\(stats))."
            }
            return "Yes: units of \(options.grouping)=\(first.group) networks have \(direction) \(metric) than those of \(options.grouping)=\(second.group) (\(stats))."
        }
        return "No clear difference in \(metric) between \(options.grouping)=\(first.group) and \(options.grouping)=\(second.group) (\(stats))."
    }

    /// The answer for three or more groups, decided by Kruskal–Wallis and hedged by ε².
    private func manyGroupsAnswer(medians: String) -> String {
        let metric = options.metric.description
        let across = "the \(groups.count) \(options.grouping) groups"
        guard let test = kruskalWallis, let h = test.h, let p = test.p, let epsilonSquared = test.epsilonSquared else {
            return "Cannot test: every unit's \(metric) is the same across \(across) (\(medians))."
        }
        let stats = "\(medians); Kruskal–Wallis H = \(ReportText.short(h)), df = \(test.degreesOfFreedom), "
            + "\(ReportText.p(p)), ε² = \(ReportText.short(epsilonSquared, digits: 3))"
        guard p < 0.05 else { return "No clear difference in \(metric) across \(across) (\(stats))." }
        return "Yes, \(Self.size(epsilonSquared)): \(metric) differs across \(across) (\(stats))."
    }

    /// How large an ε² is, in Rea and Parker's conventional words.
    private static func size(_ epsilonSquared: Double) -> String {
        switch epsilonSquared {
        case ..<0.01: return "but negligibly"
        case ..<0.04: return "but weakly"
        case ..<0.16: return "moderately"
        default: return "strongly"
        }
    }
}
