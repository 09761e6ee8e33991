import LesionCharts
import LesionStatistics

extension ClassImportance.Result {
    /// A group's (or the pooled row's) JSON object of analyses.md §6.
    static func json(_ group: ClassImportance.GroupResult) -> JSONOutput {
        func correlation(_ value: SpearmanCorrelation?) -> JSONOutput {
            .object([
                ("n", .integer(value?.n ?? 0)), ("rho", .number(value?.rho)), ("p", .number(value?.p)),
                ("ci_low", .number(value?.ciLow)), ("ci_high", .number(value?.ciHigh)),
            ])
        }
        return .object([
            ("group", group.group?.json ?? .null),
            ("n", .integer(group.n)),
            ("hits", .integer(group.hits)),
            ("hit_rate", .number(group.hitRate)),
            ("chance", .number(group.chance)),
            ("binomial_p", .number(group.binomialP)),
            ("preferred_drop", correlation(group.preferredDrop)),
            ("max_drop", correlation(group.maxDrop)),
            ("accuracy_drop", correlation(group.accuracyDrop)),
        ])
    }

    /// The one-sentence answer: hits against chance, then whether selectivity predicts
    /// the preferred class's drop, contrasted with overall accuracy.
    public var answer: String {
        guard pooled.n > 0, let rate = pooled.hitRate, let chance = pooled.chance else {
            return "Cannot say: no unit has a preferred class, defined class drops and \(selectivity)."
        }
        let counts = "\(pooled.hits) of \(pooled.n) units, \(ReportText.short(rate)) against chance \(ReportText.short(chance))"
        let first: String
        if let p = pooled.binomialP {
            let stats = "\(counts), binomial \(ReportText.p(p))"
            if p >= 0.05 {
                first = "No clear evidence that ablating a unit hurts its preferred class most more often than chance (\(stats))"
            } else if rate > chance {
                first = "Yes: ablating a unit hurts its preferred class most more often than chance (\(stats))"
            } else {
                first = "No: ablating a unit hurts its preferred class most less often than chance (\(stats))"
            }
        } else {
            first = "Ablating a unit hurts its preferred class most in \(counts) (the models differ in classes: no exact test)"
        }
        let overall = "ρ with overall accuracy_drop \(ReportText.short(pooled.accuracyDrop?.rho))"
        guard let rho = pooled.preferredDrop?.rho, let low = pooled.preferredDrop?.ciLow,
            let high = pooled.preferredDrop?.ciHigh
        else {
            return "\(first); too few units to say whether \(selectivity) predicts that class's drop (\(overall))."
        }
        let stats = "ρ = \(ReportText.short(rho)), 95% CI [\(ReportText.short(low)), \(ReportText.short(high))]; \(overall)"
        if low > 0 {
            return "\(first); more selective units hurt their preferred class more (\(stats))."
        }
        if high < 0 {
            return "\(first); more selective units hurt their preferred class less (\(stats))."
        }
        return "\(first); \(selectivity) does not predict the preferred class's drop (\(stats))."
    }

    /// Hit rate per group (±1 binomial standard error) against the chance line. Groups
    /// with numeric values sit at their value; others at 1, 2, … in sort order, named in
    /// the axis label.
    public var hitRateChart: Chart {
        let parts = groups.isEmpty ? [pooled] : groups
        let numeric = parts.allSatisfy { if case .number = $0.group { return true } else { return false } }
        func x(_ index: Int, _ group: ClassImportance.GroupResult) -> Double {
            if numeric, case .number(let value) = group.group { return value }
            return Double(index + 1)
        }
        let names = parts.enumerated().map { "\($0.offset + 1) \($0.element.group?.description ?? "all")" }
        let hitRates = parts.enumerated().compactMap { index, group -> ChartPoint? in
            guard let rate = group.hitRate else { return nil }
            return ChartPoint(x: x(index, group), y: rate, spread: (rate * (1 - rate) / Double(group.n)).squareRoot())
        }
        let chance = parts.enumerated().compactMap { index, group in
            group.chance.map { ChartPoint(x: x(index, group), y: $0) }
        }
        return Chart(
            title: "units whose ablation hurts their preferred class most",
            xLabel: numeric ? "group" : "group: " + names.joined(separator: ", "), yLabel: "hit rate",
            series: [ChartSeries(label: "hit rate ±1 se", points: hitRates), ChartSeries(label: "chance", points: chance)],
            kind: .lines)
    }

    /// S against the preferred class's drop, one scatter series per group.
    public var preferredDropChart: Chart {
        let parts = groups.isEmpty ? [pooled] : groups
        return Chart(
            title: "\(selectivity) vs the preferred class's drop",
            xLabel: selectivity, yLabel: "preferred class accuracy drop",
            series: parts.map { group in
                ChartSeries(
                    label: "\(group.group?.description ?? "all") ρ=\(ReportText.short(group.preferredDrop?.rho))",
                    points: group.observations.map { ChartPoint(x: $0.selectivity, y: $0.preferredDrop) })
            },
            kind: .scatter)
    }
}
