import ArgumentParser
import LesionCore

extension Lesion {
    /// `lesion export`: stored models back out as run documents.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write stored models back out as run documents (JSONL on standard output, or one file per model).",
            discussion: """
                Ingest then export loses nothing: every number comes back as the same double.

                Examples:
                  lesion export > all.jsonl
                  lesion export --experiment digits-single-directions --where label_corruption=0 -o exported/
                  lesion export --db team.db | lesion ingest --db mine.db -
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions
        @OptionGroup(title: "Which models") var filters: FilterOptions

        @Option(name: [.customShort("o"), .long], help: "Write one .json file per model into this folder.")
        var output: String?

        func run() throws {
            let db = try database.open()
            let exporter = Exporter(database: db)
            let filter = try filters.filter()
            if let output {
                let paths = try exporter.exportFiles(filter, to: output)
                Terminal.writeError("exported \(paths.count) models to \(output)\n")
            } else {
                try exporter.exportLines(filter) { Terminal.write($0) }
            }
        }
    }
}
