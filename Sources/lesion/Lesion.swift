import ArgumentParser
import Foundation
import LesionCore
import LesionStore

/// The `lesion` command: neuron-ablation experiments as a database you can question.
struct Lesion: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesion",
        abstract: "Store neuron-ablation experiments in a database and ask them the field's questions.",
        discussion: """
            lesion keeps every trained model, every neuron's scores and every ablation \
            curve as rows in SQLite (one researcher) or PostgreSQL (a team), and answers \
            questions such as "do class-selective units matter more?" with statistics.

            Examples:
              lesion ingest runs/
              lesion models --where label_corruption=0
              lesion query selectivity-importance --by layer
              lesion sql "SELECT layer, AVG(value) FROM unit_measurements WHERE metric = 'class_selectivity' GROUP BY layer"
              lesion export --experiment digits -o exported/

            The database is --db PATH-OR-URL, else $LESION_DB, else ./lesion.db.
            Exit codes: 0 success; 1 failure (or some documents refused); 2 usage error.
            """,
        version: LesionVersion.current,
        subcommands: [Ingest.self, Import.self, Models.self, Show.self, Query.self, Sql.self, Serve.self, Export.self, Remove.self, Push.self, Pull.self, Db.self, Migrate.self, Demo.self])

    /// Prints `error` the way ArgumentParser would and exits with lesion's codes.
    static func finish(with error: Error) -> Never {
        switch error {
        case let usage as UsageError:
            Terminal.writeError("Error: \(usage)\n")
            Foundation.exit(2)
        case let failure as CommandFailure:
            if !failure.message.isEmpty { Terminal.writeError("Error: \(failure.message)\n") }
            Foundation.exit(failure.code)
        default:
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Terminal.write(message + "\n") }
                Foundation.exit(0)
            }
            if !message.isEmpty { Terminal.writeError(message + "\n") }
            // ArgumentParser uses 64 for a bad command line; lesion promises 2.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}

/// A failure already explained to the user (or explained by `message`), with the
/// exit code to leave with.
struct CommandFailure: Error {
    var message: String
    var code: Int32 = 1
}
