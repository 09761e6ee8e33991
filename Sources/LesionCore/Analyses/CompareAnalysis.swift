import LesionStatistics
import LesionStore

/// Analysis 4: how does a unit metric differ between kinds of network (e.g.
/// with and without batch norm)? Distribution per group, and with exactly two
/// groups a Mann–Whitney U test between them.
public struct CompareAnalysis {
    /// The analysis's parameters, with the documented defaults.
    public struct Options: Sendable {
        public var metric = UnitMeasure.stored("class_selectivity")
        public var grouping = "batch_norm"
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
        public var test: MannWhitneyU?
        public var leftOut: LeftOut
    }

    let database: any Database

    /// The analysis over `database`.
    public init(database: any Database) {
        self.database = database
    }

    /// Runs the analysis.
    public func run(_ options: Options) throws -> Result {
        let context = try SelectionContext(database: database, filter: options.filter, attributeNames: [options.grouping])
        var leftOut = LeftOut()
        var values: [GroupValue: [Double]] = [:]
        try UnitObservationReader(database: database).read(options.filter, measures: [options.metric]) { unit in
            let value = unit.values[0]
            guard value.isFinite else {
                leftOut.add("\(options.metric) undefined")
                return
            }
            guard let group = context.attributes[unit.modelId]?[options.grouping].flatMap(GroupValue.init) else {
                leftOut.add("\(options.grouping) unknown")
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
        if groups.count == 2 {
            test = MannWhitneyU(first: values[groups[0].group] ?? [], second: values[groups[1].group] ?? [])
        }
        return Result(options: options, groups: groups, test: test, leftOut: leftOut)
    }
}

extension CompareAnalysis.Result {
    /// The result as a printable report.
    public var report: AnalysisReport {
        var table = ResultTable(columns: [options.grouping, "n", "mean", "sd", "min", "q25", "median", "q75", "max"])
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
        return AnalysisReport(sections: sections, notes: leftOut.note.map { [$0] } ?? [], answer: answer, json: json)
    }

    /// The JSON contract of analyses.md.
    public var json: JSONOutput {
        var members: [(String, JSONOutput)] = [
            ("analysis", .string("compare")),
            ("parameters", .object([
                ("metric", .string(options.metric.description)),
                ("by", .string(options.grouping)),
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
        guard groups.count == 2, let test else {
            return "\(metric) by \(options.grouping): \(medians) (a test is made for exactly two groups)."
        }
        let first = groups[0], second = groups[1]
        let stats = "\(medians); Mann–Whitney \(ReportText.p(test.p)), rank-biserial r = \(ReportText.short(test.rankBiserial))"
        if test.p < 0.05 {
            let direction = test.rankBiserial > 0 ? "higher" : "lower"
            return "Yes: units of \(options.grouping)=\(first.group) networks have \(direction) \(metric) than those of \(options.grouping)=\(second.group) (\(stats))."
        }
        return "No clear difference in \(metric) between \(options.grouping)=\(first.group) and \(options.grouping)=\(second.group) (\(stats))."
    }
}
