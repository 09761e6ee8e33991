import ArgumentParser
import Foundation
import LesionCore

extension Lesion {
    /// `lesion query`: the field's questions, answered with statistics.
    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Answer the field's questions about the stored models, with statistics.",
            discussion: """
                Every analysis takes --experiment, --model, --where and --step to choose \
                models and checkpoints (default: each model's last checkpoint), prints a \
                table with a one-sentence answer on a terminal (--format csv, json or \
                markdown for scripts and papers), and reports what it left out and why.

                Examples:
                  lesion query selectivity-importance --by layer
                  lesion query robustness-generalization --metric train_accuracy
                  lesion query curves --normalize --svg curves.svg
                  lesion query compare --metric class_selectivity --by batch_norm
                  lesion query class-importance --by layer
                """,
            subcommands: [SelectivityImportanceCommand.self, RobustnessCommand.self, CurvesCommand.self, CompareCommand.self, ClassImportanceCommand.self])
    }
}

/// `--step`, shared by the analyses.
struct StepOptions: ParsableArguments {
    @Option(name: .long, help: "Which checkpoint of each model: last (default), a step number, or all (each checkpoint an observation).")
    var step: String = "last"

    func choice() throws -> StepChoice { try StepChoice(parsing: step) }
}

/// `--perturbation`, `--scope`, `--order`, `--metric`: which curves.
struct CurveOptions: ParsableArguments {
    @Option(name: .long, help: "ablation (default) or noise.")
    var perturbation: String = "ablation"

    @Option(name: .long, help: "Perturbed layers: all (default), a layer name, or a comma-separated list.")
    var scope: String = "all"

    @Option(name: .long, help: "Ablation order: random (default), selectivity_desc, selectivity_asc, ….")
    var order: String = "random"

    @Option(name: .long, help: "Curve metric: train_accuracy (default), test_accuracy, ….")
    var metric: String = "train_accuracy"

    func selection() throws -> CurveSelection {
        var selection = CurveSelection()
        switch perturbation {
        case "ablation": selection.perturbation = .ablation
        case "noise": selection.perturbation = .noise
        default: throw UsageError("--perturbation \(perturbation): expected ablation or noise")
        }
        selection.scopeLayers = CurveSelection.scope(parsing: scope)
        selection.order = order
        selection.metric = metric
        return selection
    }
}

/// `--chart` and `--svg`.
struct ChartOptions: ParsableArguments {
    @Flag(name: .long, inversion: .prefixedNo, help: "Draw a chart in the terminal (curves: on by default on a terminal).")
    var chart: Bool?

    @Option(name: .long, help: "Also write the chart as a standalone SVG file.")
    var svg: String?
}

/// Prints a report and any chart the options ask for.
enum ReportPrinter {
    static func print(_ report: AnalysisReport, format: OutputFormat, chartOptions: ChartOptions, chartByDefault: Bool) throws {
        Terminal.write(report.render(as: format))
        let onTerminal = Terminal.isTerminal(.standardOutput)
        if chartOptions.chart ?? (chartByDefault && onTerminal && format == .table),
           let text = report.terminalChart(width: min(Terminal.columns, 100), color: onTerminal) {
            Terminal.write("\n" + text + "\n")
        }
        if let path = chartOptions.svg, let svg = report.svgChart() {
            do {
                try svg.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw CommandFailure(message: "cannot write \(path): \(error.localizedDescription)")
            }
            Terminal.writeError("wrote \(path)\n")
        }
    }
}
