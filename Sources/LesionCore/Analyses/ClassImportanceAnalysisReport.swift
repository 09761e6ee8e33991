import LesionCharts
import LesionStatistics

/// Which of class-importance's two charts `--chart`/`--svg` draw.
public enum ClassImportanceChart: String, Sendable, CaseIterable {
    /// Hit rate per group against the chance line.
    case hitRate = "hit-rate"
    /// S against the preferred class's drop.
    case scatter
}

extension ClassImportanceAnalysis.Result {
    /// The result as a printable report whose chart is `chart`.
    public func report(chart: ClassImportanceChart = .hitRate) -> AnalysisReport {
        let columns = ["group", "n", "hits", "hit_rate", "chance", "binomial_p",
                       "rho_preferred", "p_preferred", "rho_max", "p_max", "n_accuracy", "rho_accuracy", "p_accuracy"]
        var table = ResultTable(columns: columns)
        for group in statistics.groups + [statistics.pooled] {
            table.rows.append([
                ReportText.cell(group.group), .integer(Int64(group.n)), .integer(Int64(group.hits)),
                ReportText.cell(group.hitRate), ReportText.cell(group.chance), ReportText.cell(group.binomialP),
                ReportText.cell(group.preferredDrop?.rho), ReportText.cell(group.preferredDrop?.p),
                ReportText.cell(group.maxDrop?.rho), ReportText.cell(group.maxDrop?.p),
                .integer(Int64(group.accuracyDrop?.n ?? 0)),
                ReportText.cell(group.accuracyDrop?.rho), ReportText.cell(group.accuracyDrop?.p),
            ])
        }
        return AnalysisReport(
            sections: [(nil, table)], notes: statistics.leftOut.note.map { [$0] } ?? [], answer: statistics.answer,
            json: json, chart: chart == .hitRate ? statistics.hitRateChart : statistics.preferredDropChart)
    }

    /// The JSON contract of analyses.md §6.
    public var json: JSONOutput {
        .object([
            ("analysis", .string("class-importance")),
            ("parameters", .object([
                ("selectivity", .string(options.selectivity)),
                ("by", .string(options.grouping.description)),
                ("by_kind", .string(options.grouping.kind)),
                ("step", .string(options.filter.step.description)),
                ("filters", .array(options.filter.descriptions.map(JSONOutput.string))),
            ])),
            ("groups", .array(statistics.groups.map(ClassImportance.Result.json))),
            ("pooled", ClassImportance.Result.json(statistics.pooled)),
            ("left_out", statistics.leftOut.json),
            ("answer", .string(statistics.answer)),
        ])
    }
}
