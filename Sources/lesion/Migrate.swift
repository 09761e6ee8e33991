import ArgumentParser
import LesionCore
import LesionStore

extension Lesion {
    /// `lesion migrate`: apply or list schema migrations.
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring the database's schema up to date (done automatically by every command).",
            discussion: """
                Every command applies pending migrations where its role may change tables. On a \
                shared PostgreSQL database only the owner may: after upgrading lesion, the owner \
                runs `lesion migrate` once, and the others' commands stop with a message saying so \
                until then.

                Examples:
                  lesion migrate
                  lesion migrate --status --db postgresql://lab-server/lesion
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions

        @Flag(name: .long, help: "List applied and pending migrations without applying any.")
        var status = false

        func run() throws {
            let db = try DatabaseOpener.open(database.location, migrate: false)
            let migrator = Migrator(db)
            if status {
                let state = try migrator.status()
                var table = ResultTable(columns: ["version", "name", "state", "applied_at"])
                for applied in state.applied {
                    table.rows.append([.integer(Int64(applied.version)), .text(applied.name), .text("applied"), .text(applied.appliedAt)])
                }
                for pending in state.pending {
                    table.rows.append([.integer(Int64(pending.version)), .text(pending.name), .text("pending"), .null])
                }
                Terminal.write(TableRenderer.render(table, as: Terminal.isTerminal(.standardOutput) ? .table : .csv))
                // The table stays parseable when piped; the layout goes to standard error then.
                if let layout = try ClusterLayout.read(db) {
                    let line = "layout: \(layout.summary)\n"
                    if Terminal.isTerminal(.standardOutput) { Terminal.write(line) } else { Terminal.writeError(line) }
                }
            } else {
                let applied = try migrator.migrate()
                Terminal.write(applied.isEmpty
                    ? "schema is up to date (\(db.displayName))\n"
                    : "applied \(applied.map(\.name).joined(separator: ", ")) to \(db.displayName)\n")
            }
        }
    }
}
