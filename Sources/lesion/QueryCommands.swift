import ArgumentParser
import Foundation
import LesionCore
import LesionStore

extension Lesion.Query {
    /// `lesion query selectivity-importance`.
    struct SelectivityImportanceCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "selectivity-importance",
            abstract: "Do interpretable (class-selective) units matter more than confusing ones?",
            discussion: """
                Per unit: selectivity S (--selectivity, default class_selectivity) and importance \
                I (--importance, default accuracy_drop = test_accuracy − ablated_test_accuracy; \
                loss_increase = ablated_test_loss − test_loss; or any unit metric). Per group \
                (--by layer, model, none, a model attribute, or a label such as concept_category: \
                each unit in its label's group, null labels in one group) and pooled over all units: Spearman ρ(S, I) \
                with its t-based p-value and Fisher 95% interval; the units with S at or above the \
                group's 1 − q quantile ("selective") against those at or below its q quantile \
                ("unselective"), q = --fraction (default 0.2): their mean I, the difference, \
                Mann–Whitney U (selective first) with its p-value and rank-biserial r. With \
                --threshold T the split is S ≥ T against S < T instead (e.g. Network \
                Dissection's interpretable units, concept_iou ≥ 0.04, against the rest).

                Examples:
                  lesion query selectivity-importance
                  lesion query selectivity-importance --by model --fraction 0.1 --format csv
                  lesion query selectivity-importance --where label_corruption=0 --chart
                  lesion query selectivity-importance --importance loss_increase --svg scatter.svg
                  lesion query selectivity-importance --selectivity mutual_information --threshold 0.05
                  lesion query selectivity-importance --by concept_category
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions
        @OptionGroup(title: "Which models") var filters: FilterOptions
        @OptionGroup(title: "Which checkpoints") var step: StepOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "Chart") var chart: ChartOptions

        @Option(name: .long, help: "Unit metric used as selectivity.")
        var selectivity = "class_selectivity"

        @Option(name: .long, help: "Importance: accuracy_drop (default), loss_increase, or a unit metric.")
        var importance = "accuracy_drop"

        @Option(name: .long, help: "Group by layer (default), model, none, a model attribute or a label.")
        var by = "layer"

        @Option(name: .long, help: "Fraction q of most and least selective units compared (0 < q ≤ 0.5; default 0.2).")
        var fraction: Double?

        @Option(name: .long, help: "Compare units with selectivity ≥ T against the rest, instead of --fraction.")
        var threshold: Double?

        func validate() throws {
            if let fraction, !(fraction > 0 && fraction <= 0.5) {
                throw ValidationError("--fraction must be above 0 and at most 0.5")
            }
            if let threshold {
                guard fraction == nil else {
                    throw ValidationError("--threshold replaces --fraction: give one of them, not both")
                }
                guard threshold.isFinite else { throw ValidationError("--threshold must be a finite number") }
            }
        }

        func run() throws {
            try ReportPrinter.print(try report(database: try database.open()), format: output.resolved, chartOptions: chart, chartByDefault: false)
        }

        /// The analysis these options ask for, on `database` (also `lesion serve`'s).
        func report(database: any Database) throws -> AnalysisReport {
            var options = SelectivityImportance.Options()
            options.selectivity = selectivity
            options.importance = UnitMeasure(importance)
            options.grouping = Grouping(by)
            options.fraction = fraction ?? options.fraction
            options.threshold = threshold
            options.filter = try filters.filter(step: try step.choice())
            return try SelectivityImportance(database: database).run(options).report
        }
    }

    /// `lesion query robustness-generalization`.
    struct RobustnessCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "robustness-generalization",
            abstract: "Do networks that generalize rely less on single directions?",
            discussion: """
                Per model, robustness R = the trapezoidal area under y(x)/y(x₀) divided by \
                (x_last − x₀), from its curves chosen by --perturbation, --scope, --order and \
                --metric (default: random ablation of all units, train_accuracy — a network \
                trained on random labels is at chance on the test set, so its reliance shows on \
                the training set). Curves differing only by seed are averaged point by point. \
                Then Spearman ρ of R with test accuracy, the generalization gap and each --against \
                attribute, and R per --by group. With --step all, also per model: ρ of R with test \
                loss across checkpoints, and the steps where R peaks and test loss bottoms.

                Examples:
                  lesion query robustness-generalization
                  lesion query robustness-generalization --perturbation noise --by label_corruption,batch_norm
                  lesion query robustness-generalization --step all --format json
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions
        @OptionGroup(title: "Which models") var filters: FilterOptions
        @OptionGroup(title: "Which checkpoints") var step: StepOptions
        @OptionGroup(title: "Which curves") var curves: CurveOptions
        @OptionGroup(title: "Output") var output: OutputOptions

        @Option(name: .long, help: "Attributes to group by, comma-separated (default label_corruption).")
        var by = "label_corruption"

        @Option(name: .long, help: "Numeric attributes to correlate R with, comma-separated (default label_corruption).")
        var against = "label_corruption"

        func run() throws {
            Terminal.write(try report(database: try database.open()).render(as: output.resolved))
        }

        /// The analysis these options ask for, on `database` (also `lesion serve`'s).
        func report(database: any Database) throws -> AnalysisReport {
            var options = RobustnessGeneralization.Options()
            options.curves = try curves.selection()
            options.grouping = by.split(separator: ",").map(String.init)
            options.against = against.split(separator: ",").map(String.init)
            options.filter = try filters.filter(step: try step.choice())
            return try RobustnessGeneralization(database: database).run(options).report
        }
    }

    /// `lesion query curves`.
    struct CurvesCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "curves",
            abstract: "What do the ablation (or noise) curves look like, group by group?",
            discussion: """
                For each --by group (default label_corruption) and each x: the number of curves \
                (models × seeds, each seed counted), mean y, sample sd, min and max. --normalize \
                divides each curve by its value at the first x. Curves are chosen as for \
                robustness-generalization. On a terminal the groups are also drawn as a chart.

                Examples:
                  lesion query curves
                  lesion query curves --normalize --metric test_accuracy --svg curves.svg
                  lesion query curves --perturbation noise --by batch_norm --format csv
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions
        @OptionGroup(title: "Which models") var filters: FilterOptions
        @OptionGroup(title: "Which checkpoints") var step: StepOptions
        @OptionGroup(title: "Which curves") var curves: CurveOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "Chart") var chart: ChartOptions

        @Option(name: .long, help: "Attribute to group by (default label_corruption).")
        var by = "label_corruption"

        @Flag(name: .long, help: "Divide each curve by its value at the first x.")
        var normalize = false

        func run() throws {
            try ReportPrinter.print(try report(database: try database.open()), format: output.resolved, chartOptions: chart, chartByDefault: true)
        }

        /// The analysis these options ask for, on `database` (also `lesion serve`'s).
        func report(database: any Database) throws -> AnalysisReport {
            var options = CurvesAnalysis.Options()
            options.curves = try curves.selection()
            options.grouping = by
            options.normalize = normalize
            options.filter = try filters.filter(step: try step.choice())
            return try CurvesAnalysis(database: database).run(options).report
        }
    }

    /// `lesion query compare`.
    struct CompareCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "How does a unit metric differ between kinds of network?",
            discussion: """
                Unit metric --metric (default class_selectivity; accuracy_drop and loss_increase \
                as in selectivity-importance) grouped by --by (default batch_norm): a model \
                attribute, a label (each unit in its label's group; null labels form the group \
                (none), sorted last), layer, model or none. Per group: \
                n, mean, sample sd, min, quartiles (numpy's linear method), max. With exactly two \
                groups, Mann–Whitney U of the first (lower) group with its p-value and rank-biserial r; \
                with three or more, Kruskal–Wallis H (tie-corrected), df = groups − 1, its \
                chi-square p-value and ε² = H/(N − 1).

                Examples:
                  lesion query compare
                  lesion query compare --metric accuracy_drop --by label_corruption
                  lesion query compare --by dropout --where architecture=mlp-2x128 --format markdown
                  lesion query compare --metric concept_iou --by concept_category
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions
        @OptionGroup(title: "Which models") var filters: FilterOptions
        @OptionGroup(title: "Which checkpoints") var step: StepOptions
        @OptionGroup(title: "Output") var output: OutputOptions

        @Option(name: .long, help: "Unit metric (default class_selectivity), accuracy_drop or loss_increase.")
        var metric = "class_selectivity"

        @Option(name: .long, help: "Attribute or label to group by (default batch_norm), or layer, model, none.")
        var by = "batch_norm"

        func run() throws {
            Terminal.write(try report(database: try database.open()).render(as: output.resolved))
        }

        /// The analysis these options ask for, on `database` (also `lesion serve`'s).
        func report(database: any Database) throws -> AnalysisReport {
            var options = CompareAnalysis.Options()
            options.metric = UnitMeasure(metric)
            options.grouping = Grouping(by)
            options.filter = try filters.filter(step: try step.choice())
            return try CompareAnalysis(database: database).run(options).report
        }
    }

    /// `lesion query class-importance`.
    struct ClassImportanceCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "class-importance",
            abstract: "Does ablating a unit hurt the class it prefers most (Zhou et al. 2018)?",
            discussion: """
                Per unit of a layer with the vector metrics class_means and ablated_class_accuracy, \
                in a checkpoint with the per-class metric class_accuracy: drop_k = class_accuracy_k \
                − ablated_class_accuracy_k; preferred class p = argmax class_means; most-hurt class \
                h = argmax drop (lowest k among ties); a hit when h = p. Per group (--by, as in \
                selectivity-importance) and pooled: n, hits, hit rate against chance = 1/classes \
                with the exact two-sided binomial p-value (null where the models differ in \
                classes), and Spearman ρ of S (--selectivity, default class_selectivity) with \
                drop_p, with max drop and with the overall accuracy_drop. --chart/--svg draw \
                --plot hit-rate (per group, against the chance line) or scatter (S against drop_p).

                Examples:
                  lesion query class-importance
                  lesion query class-importance --by none --step all --format json
                  lesion query class-importance --by architecture --chart
                  lesion query class-importance --plot scatter --svg preferred-drop.svg
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions
        @OptionGroup(title: "Which models") var filters: FilterOptions
        @OptionGroup(title: "Which checkpoints") var step: StepOptions
        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "Chart") var chart: ChartOptions

        @Option(name: .long, help: "Unit metric used as selectivity S (default class_selectivity).")
        var selectivity = "class_selectivity"

        @Option(name: .long, help: "Group by layer (default), model, none, a model attribute or a label.")
        var by = "layer"

        @Option(name: .long, help: "The chart drawn: hit-rate (default) or scatter.")
        var plot = "hit-rate"

        func validate() throws {
            guard ClassImportanceChart(rawValue: plot) != nil else {
                throw ValidationError("--plot \(plot): expected hit-rate or scatter")
            }
        }

        func run() throws {
            try ReportPrinter.print(try report(database: try database.open()), format: output.resolved, chartOptions: chart, chartByDefault: false)
        }

        /// The analysis as the command runs it (also what `lesion serve` shows).
        func report(database: any Database) throws -> AnalysisReport {
            guard let plotKind = ClassImportanceChart(rawValue: plot) else {
                throw UsageError("--plot \(plot): expected hit-rate or scatter")
            }
            var options = ClassImportanceAnalysis.Options()
            options.selectivity = selectivity
            options.grouping = Grouping(by)
            options.filter = try filters.filter(step: try step.choice())
            return try ClassImportanceAnalysis(database: database).run(options).report(chart: plotKind)
        }
    }
}
