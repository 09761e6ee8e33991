import LesionRunFormat
import LesionStatistics
import LesionStore

extension RobustnessGeneralization.Result {
    /// The result as a printable report.
    public var report: AnalysisReport {
        let byNames = options.grouping
        var models = ResultTable(columns: ["experiment", "model", "step"] + byNames + ["test_accuracy", "train_accuracy", "gap", "robustness"])
        for observation in observations {
            models.rows.append(
                [.text(observation.model.experiment), .text(observation.model.model), .integer(Int64(observation.step))]
                + observation.attributes.map { $0.1.map(ModelCatalog.cell) ?? .null }
                + [ReportText.cell(observation.testAccuracy), ReportText.cell(observation.trainAccuracy),
                   ReportText.cell(observation.gap), .real(observation.robustness)])
        }
        var correlationTable = ResultTable(columns: ["against", "n", "rho", "p", "ci_low", "ci_high"])
        for correlation in correlations {
            correlationTable.rows.append([
                .text(correlation.against), .integer(Int64(correlation.n)), ReportText.cell(correlation.spearman?.rho),
                ReportText.cell(correlation.spearman?.p), ReportText.cell(correlation.spearman?.ciLow),
                ReportText.cell(correlation.spearman?.ciHigh),
            ])
        }
        var groupTable = ResultTable(columns: byNames + ["n", "mean_robustness", "sd_robustness", "mean_test_accuracy"])
        for group in groups {
            groupTable.rows.append(group.group.map { $0.map { ReportText.cell($0) } ?? .null }
                + [.integer(Int64(group.n)), ReportText.cell(group.meanRobustness), ReportText.cell(group.sdRobustness),
                   ReportText.cell(group.meanTestAccuracy)])
        }
        var sections: [(String?, ResultTable)] = [
            ("Robustness per \(options.filter.step == .all ? "checkpoint" : "model")", models),
            ("Spearman correlation of robustness with", correlationTable),
            ("By \(byNames.joined(separator: ", "))", groupTable),
        ]
        if let overTraining {
            var table = ResultTable(columns: ["experiment", "model", "n", "rho", "p", "best_robustness_step", "best_test_loss_step"])
            for entry in overTraining {
                table.rows.append([
                    .text(entry.model.experiment), .text(entry.model.model), .integer(Int64(entry.n)),
                    ReportText.cell(entry.spearman?.rho), ReportText.cell(entry.spearman?.p),
                    entry.bestRobustnessStep.map { .integer(Int64($0)) } ?? .null,
                    entry.bestTestLossStep.map { .integer(Int64($0)) } ?? .null,
                ])
            }
            sections.append(("Over training: robustness against test loss", table))
        }
        return AnalysisReport(sections: sections, notes: leftOut.note.map { [$0] } ?? [], answer: answer, json: json)
    }

    /// The JSON contract of analyses.md.
    public var json: JSONOutput {
        var members: [(String, JSONOutput)] = [
            ("analysis", .string("robustness-generalization")),
            ("parameters", .object([
                ("perturbation", .string(options.curves.perturbation.rawValue)),
                ("scope", .string(options.curves.scopeDescription)),
                ("order", options.curves.perturbation == .noise ? .null : .string(options.curves.order)),
                ("metric", .string(options.curves.metric)),
                ("by", .array(options.grouping.map(JSONOutput.string))),
                ("against", .array(options.against.map(JSONOutput.string))),
                ("step", .string(options.filter.step.description)),
                ("filters", .array(options.filter.descriptions.map(JSONOutput.string))),
            ])),
            ("models", .array(observations.map { observation in
                .object([
                    ("experiment", .string(observation.model.experiment)),
                    ("model", .string(observation.model.model)),
                    ("step", .integer(observation.step)),
                    ("attributes", .object(observation.attributes.map { ($0.0, $0.1.map(Self.json) ?? .null) })),
                    ("test_accuracy", .number(observation.testAccuracy)),
                    ("train_accuracy", .number(observation.trainAccuracy)),
                    ("gap", .number(observation.gap)),
                    ("robustness", .number(observation.robustness)),
                ])
            })),
            ("correlations", .array(correlations.map { correlation in
                .object([
                    ("against", .string(correlation.against)),
                    ("n", .integer(correlation.n)),
                    ("rho", .number(correlation.spearman?.rho)),
                    ("p", .number(correlation.spearman?.p)),
                    ("ci_low", .number(correlation.spearman?.ciLow)),
                    ("ci_high", .number(correlation.spearman?.ciHigh)),
                ])
            })),
            ("groups", .array(groups.map { group in
                .object([
                    ("group", group.group.count == 1 ? (group.group[0]?.json ?? .null)
                        : .array(group.group.map { $0?.json ?? .null })),
                    ("n", .integer(group.n)),
                    ("mean_robustness", .number(group.meanRobustness)),
                    ("sd_robustness", .number(group.sdRobustness)),
                    ("mean_test_accuracy", .number(group.meanTestAccuracy)),
                ])
            })),
        ]
        if let overTraining {
            members.append(("over_training", .array(overTraining.map { entry in
                .object([
                    ("experiment", .string(entry.model.experiment)),
                    ("model", .string(entry.model.model)),
                    ("n", .integer(entry.n)),
                    ("rho", .number(entry.spearman?.rho)),
                    ("p", .number(entry.spearman?.p)),
                    ("best_robustness_step", entry.bestRobustnessStep.map(JSONOutput.integer) ?? .null),
                    ("best_test_loss_step", entry.bestTestLossStep.map(JSONOutput.integer) ?? .null),
                ])
            })))
        }
        members.append(("left_out", leftOut.json))
        members.append(("answer", .string(answer)))
        return .object(members)
    }

    static func json(_ value: AttributeValue) -> JSONOutput {
        switch value {
        case .number(let v): return .number(v)
        case .bool(let v): return .bool(v)
        case .text(let v): return .string(v)
        case .null: return .null
        }
    }

    /// The one-sentence answer, worded from ρ(R, test accuracy) and its interval.
    public var answer: String {
        guard let test = correlations.first(where: { $0.against == "test_accuracy" }), let rho = test.spearman?.rho else {
            return "Cannot say: too few models with a robustness value and a test accuracy (n = \(observations.count))."
        }
        guard let low = test.spearman?.ciLow, let high = test.spearman?.ciHigh else {
            return "Cannot say with confidence: only \(test.n) models (ρ(robustness, test accuracy) = \(ReportText.short(rho)))."
        }
        var extra = ""
        if let corruption = correlations.first(where: { $0.against == "label_corruption" }), let r = corruption.spearman?.rho {
            extra = "; ρ with label corruption = \(ReportText.short(r))"
        }
        let stats = "ρ(robustness, test accuracy) = \(ReportText.short(rho)), 95% CI [\(ReportText.short(low)), \(ReportText.short(high))], n = \(test.n)\(extra)"
        if low > 0 {
            return "Yes: networks that generalize better are more robust to \(options.curves.perturbation.rawValue) of single directions (\(stats))."
        }
        if high < 0 {
            return "No, the opposite: networks that generalize better are less robust to \(options.curves.perturbation.rawValue) here (\(stats))."
        }
        return "Not clearly: robustness to \(options.curves.perturbation.rawValue) shows no reliable relation to generalization here (\(stats))."
    }
}
