import LesionCharts
import LesionStatistics
import LesionStore

extension SelectivityImportance.Result {
    /// The result as a printable report.
    public var report: AnalysisReport {
        let columns = ["group", "n", "rho", "p", "ci_low", "ci_high", "selective_n", "unselective_n",
                       "selective_mean", "unselective_mean", "difference", "u", "u_p", "rank_biserial"]
        var table = ResultTable(columns: columns)
        for group in groups + [pooled] {
            table.rows.append([
                ReportText.cell(group.group), .integer(Int64(group.n)),
                ReportText.cell(group.spearman?.rho), ReportText.cell(group.spearman?.p),
                ReportText.cell(group.spearman?.ciLow), ReportText.cell(group.spearman?.ciHigh),
                .integer(Int64(group.selectiveCount)), .integer(Int64(group.unselectiveCount)),
                ReportText.cell(group.selectiveMean), ReportText.cell(group.unselectiveMean),
                ReportText.cell(group.difference), ReportText.cell(group.test?.u),
                ReportText.cell(group.test?.p), ReportText.cell(group.test?.rankBiserial),
            ])
        }
        return AnalysisReport(
            sections: [(nil, table)], notes: leftOut.note.map { [$0] } ?? [], answer: answer, json: json, chart: chart)
    }

    /// Selectivity against importance, one scatter series per group.
    public var chart: Chart {
        let parts = groups.isEmpty ? [pooled] : groups
        return Chart(
            title: "\(options.selectivity) vs \(options.importance) by \(options.grouping)",
            xLabel: options.selectivity, yLabel: options.importance.description,
            series: parts.map { group in
                ChartSeries(
                    label: "\(group.group?.description ?? "all") ρ=\(ReportText.short(group.spearman?.rho))",
                    points: group.points.map { ChartPoint(x: $0.s, y: $0.i) })
            },
            kind: .scatter)
    }

    /// The JSON contract of analyses.md.
    public var json: JSONOutput {
        .object([
            ("analysis", .string("selectivity-importance")),
            ("parameters", .object([
                ("selectivity", .string(options.selectivity)),
                ("importance", .string(options.importance.description)),
                ("by", .string(options.grouping.description)),
                ("by_kind", .string(options.grouping.kind)),
                ("fraction", options.threshold == nil ? .number(options.fraction) : .null),
                ("threshold", .number(options.threshold)),
                ("step", .string(options.filter.step.description)),
                ("filters", .array(options.filter.descriptions.map(JSONOutput.string))),
            ])),
            ("groups", .array(groups.map(SelectivityImportance.Result.json))),
            ("pooled", SelectivityImportance.Result.json(pooled)),
            ("left_out", leftOut.json),
            ("answer", .string(answer)),
        ])
    }

    static func json(_ group: SelectivityImportance.GroupResult) -> JSONOutput {
        .object([
            ("group", group.group?.json ?? .null),
            ("n", .integer(group.n)),
            ("rho", .number(group.spearman?.rho)),
            ("p", .number(group.spearman?.p)),
            ("ci_low", .number(group.spearman?.ciLow)),
            ("ci_high", .number(group.spearman?.ciHigh)),
            ("selective_n", .integer(group.selectiveCount)),
            ("unselective_n", .integer(group.unselectiveCount)),
            ("selective_mean", .number(group.selectiveMean)),
            ("unselective_mean", .number(group.unselectiveMean)),
            ("difference", .number(group.difference)),
            ("u", .number(group.test?.u)),
            ("u_p", .number(group.test?.p)),
            ("rank_biserial", .number(group.test?.rankBiserial)),
        ])
    }

    /// The one-sentence answer, never claiming more than the interval allows.
    public var answer: String {
        let measure = options.importance.description
        let noun = options.grouping == .layer ? "layer" : "group"
        let scope = groups.isEmpty ? "pooled over all units" : "across \(groups.count) \(noun)\(groups.count == 1 ? "" : "s")"
        guard let rho = pooled.spearman?.rho else {
            return "Cannot say: too few units with both \(options.selectivity) and \(measure) defined (n = \(pooled.n))."
        }
        guard let low = pooled.spearman?.ciLow, let high = pooled.spearman?.ciHigh else {
            return "Cannot say with confidence: only \(pooled.n) units (pooled ρ = \(ReportText.short(rho)), too few for an interval)."
        }
        let stats = "pooled ρ = \(ReportText.short(rho)), 95% CI [\(ReportText.short(low)), \(ReportText.short(high))], n = \(pooled.n)"
        if let threshold = options.threshold { return thresholdAnswer(threshold, correlation: stats) }
        if low > 0 {
            return "Yes, \(ReportText.strength(rho)): \(scope), more selective units are more important by \(measure) (\(stats))."
        }
        if high < 0 {
            return "No: \(scope), highly selective units are, if anything, less important than unselective ones by \(measure) (\(stats))."
        }
        return "No: \(scope), highly selective units are not more important than unselective ones by \(measure) (\(stats))."
    }

    /// The answer of `--threshold T`: do the units with S ≥ T matter more than the rest?
    /// Decided by the pooled Mann–Whitney test; the correlation is quoted beside it.
    private func thresholdAnswer(_ threshold: Double, correlation: String) -> String {
        let measure = options.importance.description
        let above = "units with \(options.selectivity) ≥ \(NumberFormatting.exact(threshold))"
        guard let test = pooled.test else {
            return "Cannot say: \(pooled.selectiveCount) \(above) against \(pooled.unselectiveCount) below; a comparison needs both (\(correlation))."
        }
        let stats = "mean \(measure) \(ReportText.short(pooled.selectiveMean, digits: 4)) (n = \(pooled.selectiveCount)) "
            + "against \(ReportText.short(pooled.unselectiveMean, digits: 4)) (n = \(pooled.unselectiveCount)), "
            + "Mann–Whitney \(ReportText.p(test.p)), rank-biserial r = \(ReportText.short(test.rankBiserial)); \(correlation)"
        guard test.p < 0.05 else {
            return "No clear difference: \(above) are not shown to matter more or less than the rest by \(measure) (\(stats))."
        }
        if test.rankBiserial > 0 {
            return "Yes, \(ReportText.strength(test.rankBiserial)): \(above) matter more than the rest by \(measure) (\(stats))."
        }
        let size = ReportText.strength(test.rankBiserial).replacingOccurrences(of: "but ", with: "")
        return "No: \(above) matter less than the rest by \(measure), \(size) (\(stats))."
    }
}
