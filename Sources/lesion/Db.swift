import ArgumentParser
import LesionCore

extension Lesion {
    /// `lesion db`: administering a shared database.
    struct Db: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Administer a shared PostgreSQL database.",
            discussion: """
                Examples:
                  lesion db grant --reader alice --db postgresql://owner@lab-db/lesion
                """,
            subcommands: [Grant.self])

        /// `lesion db grant`.
        struct Grant: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Let an existing PostgreSQL role read (query, export, sql) or write (also ingest, replace, rm).",
                discussion: """
                    Run it as the database's owner. The role must exist (CREATE ROLE … LOGIN).

                    Examples:
                      lesion db grant --reader alice --db postgresql://owner@lab-db/lesion
                      lesion db grant --writer training_bot --db postgresql://owner@lab-db/lesion
                    """)

            @OptionGroup(title: "Database") var database: DatabaseOptions

            @Option(name: .long, help: "A role to give read access.")
            var reader: [String] = []

            @Option(name: .long, help: "A role to give read and write access.")
            var writer: [String] = []

            func validate() throws {
                if reader.isEmpty && writer.isEmpty { throw ValidationError("name a role with --reader ROLE or --writer ROLE") }
            }

            func run() throws {
                let grants = try RoleGrants(database: try database.open())
                for role in reader {
                    try grants.grant(.reader, to: role)
                    Terminal.write("granted read access to \(role)\n")
                }
                for role in writer {
                    try grants.grant(.writer, to: role)
                    Terminal.write("granted read and write access to \(role)\n")
                }
            }
        }
    }
}
