import ArgumentParser
import Foundation
import LesionCore

extension Lesion {
    /// `lesion demo`: the bundled reference experiment, from files to answers.
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ingest the bundled reference experiment and answer the field's questions on it.",
            discussion: """
                Runs, in order: ingest of Fixtures/runs (real networks trained on the 8×8 digits), \
                the list of models, and the analyses — ending with the questions of Morcos et al. \
                (2018), do interpretable units matter more than confusing ones?, and of Zhou et \
                al. (2018), does ablating a unit hurt the class it prefers most? Run it from the \
                repository root.

                Examples:
                  swift run lesion demo
                  lesion demo --fixtures /path/to/lesion/Fixtures/runs --db demo.db
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions

        @Option(name: .long, help: "The run documents to ingest.")
        var fixtures = "Fixtures/runs"

        func run() throws {
            guard FileManager.default.fileExists(atPath: fixtures) else {
                throw UsageError("\(fixtures) not found: run the demo from the lesion repository root, or pass --fixtures PATH")
            }
            let db = try database.open()
            let format: OutputFormat = .table
            func heading(_ text: String) { Terminal.write("\n== \(text)\n\n") }

            heading("lesion ingest \(fixtures) --db \(database.location)")
            let reporter = TerminalIngestReporter(verbose: false)
            let summary = try Ingester(database: db, options: .init(), reporter: reporter).ingest(paths: [fixtures])
            reporter.finishProgress()
            Terminal.write(IngestSummaryText.line(summary, dryRun: false) + "\n")

            heading("lesion models --where seed=0")
            var seedZero = ModelFilter()
            seedZero.conditions = [try Condition(parsing: "seed=0")]
            Terminal.write(TableRenderer.render(try ModelCatalog(database: db).listing(seedZero), as: format))

            heading("lesion query robustness-generalization   (do networks that generalize rely less on single directions?)")
            var robustness = try RobustnessGeneralization(database: db).run(.init()).report
            robustness.sections = Array(robustness.sections.dropFirst())
            Terminal.write(robustness.render(as: format))

            heading("lesion query curves --normalize")
            var curveOptions = CurvesAnalysis.Options()
            curveOptions.normalize = true
            let curves = try CurvesAnalysis(database: db).run(curveOptions).report
            if let chart = curves.terminalChart(width: min(Terminal.columns, 100), color: Terminal.isTerminal(.standardOutput)) {
                Terminal.write(chart + "\n")
            }

            // Without dropout: the dropout networks are all trained without batch norm,
            // and would make the comparison one of dropout, not of batch norm.
            heading("lesion query compare --by batch_norm --where dropout=0   (does batch norm change selectivity?)")
            var compareOptions = CompareAnalysis.Options()
            compareOptions.filter.conditions = [try Condition(parsing: "dropout=0")]
            Terminal.write(try CompareAnalysis(database: db).run(compareOptions).report.render(as: format))

            heading("lesion query selectivity-importance --by layer   (do interpretable units matter more?)")
            Terminal.write(try SelectivityImportance(database: db).run(.init()).report.render(as: format))

            heading("lesion query class-importance --by layer   (does ablating a unit hurt the class it prefers most?)")
            Terminal.write(try ClassImportanceAnalysis(database: db).run(.init()).report().render(as: format))
        }
    }
}
