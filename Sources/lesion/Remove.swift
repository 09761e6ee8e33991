import ArgumentParser
import Foundation
import LesionCore

extension Lesion {
    /// `lesion rm`: remove models and every row that belongs to them.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm",
            abstract: "Remove models with all their checkpoints, unit values and curves.",
            discussion: """
                Asks for confirmation on a terminal unless --yes is given; when not on a \
                terminal, --yes is required.

                Examples:
                  lesion rm digits-single-directions/mlp-lc1.0-seed2
                  lesion rm --yes exp/model-a exp/model-b
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions

        @Flag(name: [.customShort("y"), .long], help: "Do not ask for confirmation.")
        var yes = false

        @Argument(help: "Models as EXPERIMENT/MODEL.")
        var names: [String]

        func validate() throws {
            if names.isEmpty { throw ValidationError("name at least one model as EXPERIMENT/MODEL") }
        }

        func run() throws {
            let db = try database.open()
            let catalog = ModelCatalog(database: db)
            let models = try names.map(catalog.find)
            if !yes {
                guard Terminal.isTerminal(.standardError), isatty(STDIN_FILENO) != 0 else {
                    throw UsageError("rm removes data: give --yes to confirm when not running on a terminal")
                }
                Terminal.writeError("Remove \(models.map(\.description).joined(separator: ", ")) and all their rows? [y/N] ")
                let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                guard answer == "y" || answer == "yes" else {
                    throw CommandFailure(message: "nothing removed", code: 1)
                }
            }
            for model in models {
                let checkpoints = try catalog.remove(model)
                Terminal.write("removed \(model) (\(checkpoints) checkpoints)\n")
            }
        }
    }
}
