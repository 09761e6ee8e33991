import ArgumentParser
import Foundation
import LesionCore
import LesionStore

/// `--db`, shared by every command that touches a database.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The database: an SQLite file path, or a PostgreSQL connection string (postgresql://…, postgres://…, or key=value …).",
            discussion: "Falls back to $LESION_DB, then ./lesion.db.",
            valueName: "path-or-url"))
    var db: String?

    /// The location the user named.
    var location: DatabaseLocation {
        DatabaseLocation.resolve(option: db, environment: ProcessInfo.processInfo.environment)
    }

    /// Opens the database, migrated to this binary's schema.
    func open() throws -> any Database {
        try DatabaseOpener.open(location)
    }
}

extension OutputFormat: ExpressibleByArgument {}

/// `--format`, shared by every command that prints results.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table (default on a terminal), csv (default when piped), json, markdown.")
    var format: OutputFormat?

    /// The chosen format: a table for people, CSV for pipes.
    var resolved: OutputFormat {
        format ?? (Terminal.isTerminal(.standardOutput) ? .table : .csv)
    }
}

/// `--experiment`, `--model`, `--where`: which models a command works on.
struct FilterOptions: ParsableArguments {
    @Option(name: .long, help: "Only models of this experiment.")
    var experiment: String?

    @Option(name: .long, help: "Only the model with this name.")
    var model: String?

    @Option(
        name: .customLong("where"),
        help: ArgumentHelp(
            "A condition on an attribute or checkpoint metric: NAME=VALUE, NAME<VALUE or NAME>VALUE (repeatable; all must hold).",
            valueName: "condition"))
    var conditions: [String] = []

    /// The filter these options describe.
    func filter(step: StepChoice = .last) throws -> ModelFilter {
        ModelFilter(
            experiment: experiment, model: model,
            conditions: try conditions.map(Condition.init(parsing:)), step: step)
    }
}
