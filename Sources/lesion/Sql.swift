import ArgumentParser
import LesionCore

extension Lesion {
    /// `lesion sql`: read-only SQL over the tables and views.
    struct Sql: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run read-only SQL over the stored tables and views (a write is refused).",
            discussion: """
                Views: unit_measurements, unit_class_measurements, model_overview, \
                checkpoint_measurements, curve_measurements, attribute_values (see README). \
                Placeholders are ?1, ?2 … on SQLite and $1, $2 … on PostgreSQL, bound from --param.

                Examples:
                  lesion sql "SELECT layer, AVG(value) FROM unit_measurements WHERE metric = 'class_selectivity' GROUP BY layer"
                  lesion sql "SELECT * FROM model_overview WHERE label_corruption = ?1" --param 0.4 --format json
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions
        @OptionGroup(title: "Output") var output: OutputOptions

        @Option(name: .long, help: "A value bound to the next placeholder (repeatable).")
        var param: [String] = []

        @Argument(help: "One SQL statement.")
        var statement: String

        func run() throws {
            let table = try SQLConsole(database: try database.open()).run(statement, parameters: param.map(SQLConsole.parameter))
            Terminal.write(TableRenderer.render(table, as: output.resolved))
        }
    }
}
