import ArgumentParser
import LesionCore

extension Lesion {
    /// `lesion show`: everything stored about one model.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe one model: attributes, layers, checkpoints and metrics, unit metrics, curves.",
            discussion: """
                Examples:
                  lesion show digits-single-directions/mlp-lc0.0-seed0
                  lesion show digits-single-directions/mlp-lc0.0-seed0 --format json
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions
        @OptionGroup(title: "Output") var output: OutputOptions

        @Argument(help: "The model, as EXPERIMENT/MODEL.")
        var name: String

        func run() throws {
            let db = try database.open()
            let model = try ModelCatalog(database: db).find(name)
            let description = try ModelDescription(database: db, model: model)
            Terminal.write(description.render(as: output.resolved))
        }
    }
}
