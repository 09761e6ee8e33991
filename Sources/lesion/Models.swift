import ArgumentParser
import LesionCore

extension Lesion {
    /// `lesion models`: one row per stored model.
    struct Models: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List stored models: attributes, last step, final train and test accuracy.",
            discussion: """
                Examples:
                  lesion models
                  lesion models --experiment digits-single-directions --where batch_norm=true
                  lesion models --where "label_corruption<0.5" --format csv
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions
        @OptionGroup(title: "Which models") var filters: FilterOptions
        @OptionGroup(title: "Output") var output: OutputOptions

        func run() throws {
            let db = try database.open()
            let table = try ModelCatalog(database: db).listing(try filters.filter())
            Terminal.write(TableRenderer.render(table, as: output.resolved))
        }
    }
}
