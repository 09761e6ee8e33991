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
                  lesion db distribute --db postgresql://owner@citus-coordinator/lesion
                """,
            subcommands: [Grant.self, Distribute.self])

        /// `lesion db distribute`.
        struct Distribute: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Spread the database over a Citus cluster's workers (tables distributed by model).",
                discussion: """
                    Run it once, as the database's owner, on the Citus coordinator (a PostgreSQL \
                    server with the citus extension and at least one worker node). The values \
                    of each model then live on one worker; the other tables are copied to every \
                    node. Every row is kept; commands work as before. It changes nothing when \
                    Citus refuses any step. See README: Scaling out.

                    Examples:
                      lesion db distribute --db "host=citus-coordinator dbname=lesion user=owner"
                      lesion db distribute --shards 64 --db postgresql://owner@citus-coordinator/lesion
                    """)

            @OptionGroup(title: "Database") var database: DatabaseOptions

            @Option(name: .long, help: "Shards of each distributed table (Citus's default is 32; a few per worker core).")
            var shards = 32

            func run() throws {
                let layout = try ClusterDistributor(database: try database.open()).distribute(shards: shards)
                Terminal.write("\(layout.summary)\n")
            }
        }

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
