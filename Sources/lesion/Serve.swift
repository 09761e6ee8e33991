import ArgumentParser
import Foundation
import LesionCore
import LesionStore
import LesionWeb

extension Lesion {
    /// `lesion serve`: the database in a browser, read-only.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve read-only web pages over the database: models, each model, the analyses, SQL.",
            discussion: """
                Pages: /models (the models table, filtered, sorted and paged), /model?experiment=E&model=M, \
                /query/ANALYSIS (a form with the command's options; the URL holds the whole question) with \
                /api/query/ANALYSIS returning exactly `lesion query ANALYSIS --format json`, and /sql \
                (read-only, at most 1,000 rows, 5 s a statement, CSV or JSON download). \
                The server never writes: it does not even migrate (run `lesion migrate` first). It listens \
                on 127.0.0.1 unless --host says otherwise; anyone who can reach the port can read the database.

                Examples:
                  lesion serve
                  lesion serve --db postgresql://lab-server/lesion --port 8000
                  lesion serve --host 0.0.0.0 --port 8080
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions

        @Option(name: .long, help: "Address to listen on; 127.0.0.1 is this machine only.")
        var host = "127.0.0.1"

        @Option(name: .long, help: "Port to listen on; 0 picks a free one.")
        var port = 8080

        func validate() throws {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        }

        func run() throws {
            let configuration = WebConfiguration(location: database.location, host: host, port: port)
            if !configuration.isLoopback {
                Terminal.writeError(
                    "warning: listening on \(host): anyone who can reach this port can read the whole database \(configuration.location)\n")
            }
            let server = WebServer(configuration: configuration, prepareAnalysis: Serve.prepare)
            let outcome = Outcome()
            let done = DispatchSemaphore(value: 0)
            Task {
                do {
                    try await server.run { address in
                        Terminal.writeError("serving \(configuration.location) on http://\(address)/ (Ctrl-C stops)\n")
                    }
                } catch {
                    outcome.error = error
                }
                done.signal()
            }
            done.wait()
            if let error = outcome.error {
                throw CommandFailure(message: "cannot serve on \(host):\(port): \(error)")
            }
        }

        /// The analyses, parsed by their own commands' parsers.
        static let prepare: AnalysisPreparer = { name, arguments in
            switch name {
            case "selectivity-importance": return try prepared(Query.SelectivityImportanceCommand.self, arguments) { try $0.report(database: $1) }
            case "robustness-generalization": return try prepared(Query.RobustnessCommand.self, arguments) { try $0.report(database: $1) }
            case "curves": return try prepared(Query.CurvesCommand.self, arguments) { try $0.report(database: $1) }
            case "compare": return try prepared(Query.CompareCommand.self, arguments) { try $0.report(database: $1) }
            case "class-importance": return try prepared(Query.ClassImportanceCommand.self, arguments) { try $0.report(database: $1) }
            default: throw UsageError("there is no analysis \(name)")
            }
        }

        /// Parses `arguments` as `Command` would on the command line (the same
        /// messages for the same mistakes) and returns its analysis.
        private static func prepared<Command: ParsableCommand>(
            _ type: Command.Type, _ arguments: [String],
            _ report: @escaping @Sendable (Command, any Database) throws -> AnalysisReport
        ) throws -> @Sendable (any Database) throws -> AnalysisReport {
            let command: Command
            do {
                command = try type.parse(arguments)
            } catch {
                throw UsageError(type.message(for: error))
            }
            let parsed = Parsed(command: command)
            return { database in try report(parsed.command, database) }
        }

        /// A parsed command, read (never changed) by the thread that runs it.
        private struct Parsed<Command>: @unchecked Sendable {
            let command: Command
        }

        /// How the server's task ended.
        private final class Outcome: @unchecked Sendable {  // written before `done` is signalled
            var error: (any Error)?
        }
    }
}
