import ArgumentParser
import LesionCore
import LesionStore

/// What push and pull share: which models, and whether to overwrite.
struct CopyOptions: ParsableArguments {
    @OptionGroup(title: "Which models") var filters: FilterOptions

    @Flag(name: .long, help: "Overwrite checkpoints whose content differs in the target (otherwise the model is refused).")
    var replace = false
}

/// Runs a copy and prints its summary; exits 1 if any model was refused.
enum CopyRunner {
    static func run(from source: any Database, to target: any Database, options: CopyOptions) throws {
        let summary = try ModelCopier(from: source, to: target).copy(try options.filters.filter(), replace: options.replace) { message in
            Terminal.writeError("error: \(message)\n")
        }
        Terminal.write("copied \(summary.copied), unchanged \(summary.unchanged), refused \(summary.refused) models; "
            + "\(summary.checkpoints) checkpoints from \(source.displayName) to \(target.displayName)\n")
        if summary.refused > 0 { throw CommandFailure(message: "", code: 1) }
    }
}

extension Lesion {
    /// `lesion push`: copy models from --db to another database.
    struct Push: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy models, with all their rows and provenance, from --db to another database.",
            discussion: """
                One transaction per model: an interrupted push leaves whole models only, and \
                running it again copies the rest. Models already there with the same content \
                are left alone; a model whose content differs is refused unless --replace.

                Examples:
                  lesion push --to postgresql://lab-db/lesion
                  lesion push --db mine.db --to "host=lab-db dbname=lesion" --experiment digits
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions
        @OptionGroup var copy: CopyOptions

        @Option(name: .long, help: "The database to copy into (an SQLite path or a PostgreSQL connection string).")
        var to: String

        func run() throws {
            let source = try database.open()
            let target = try DatabaseOpener.open(DatabaseLocation(to))
            try CopyRunner.run(from: source, to: target, options: copy)
        }
    }

    /// `lesion pull`: copy models from another database into --db.
    struct Pull: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy models, with all their rows and provenance, from another database into --db.",
            discussion: """
                The mirror of push: one transaction per model, idempotent, --replace to \
                overwrite differing checkpoints.

                Examples:
                  lesion pull --from postgresql://lab-db/lesion --where label_corruption=0
                  lesion pull --from team.db --db mine.db
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions
        @OptionGroup var copy: CopyOptions

        @Option(name: .long, help: "The database to copy from (an SQLite path or a PostgreSQL connection string).")
        var from: String

        func run() throws {
            let source = try DatabaseOpener.open(DatabaseLocation(from))
            let target = try database.open()
            try CopyRunner.run(from: source, to: target, options: copy)
        }
    }
}
