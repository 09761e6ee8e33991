import ArgumentParser
import Foundation
import LesionCore

extension Lesion {
    /// `lesion ingest`: run documents into the database.
    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store run documents: files, folders (searched recursively) or - for standard input.",
            discussion: """
                Reads *.json (one document), *.jsonl (one per line) and their .gz forms. \
                Each document is stored whole or not at all; a refused document is \
                reported with its file, line and JSON path, and the others are still stored. \
                Ingesting the same document again stores nothing and says so. A document \
                that repeats a stored step adds its new items to that checkpoint (merged): \
                labels from a later dissection, say. An item that differs from the stored \
                one refuses the document unless --replace.

                Examples:
                  lesion ingest runs/
                  lesion ingest run.json more.jsonl.gz --db team.db
                  python train.py | lesion ingest -
                  lesion ingest --dry-run runs/        # check only, store nothing
                  lesion ingest --replace fixed.jsonl  # overwrite checkpoints that differ
                  lesion ingest dissection.json        # add labels to a stored checkpoint

                Exit codes: 0 every document stored, merged or unchanged; 1 some refused \
                (the rest stored); 2 usage error.
                """)

        @OptionGroup(title: "Database") var database: DatabaseOptions

        @Flag(name: .long, help: "Replace each stored checkpoint whole by the document's (otherwise an item that differs is refused).")
        var replace = false

        @Flag(name: .long, help: "Check every document against the format and the database, and store nothing.")
        var dryRun = false

        @Flag(name: .long, help: "Also say which documents were already stored.")
        var verbose = false

        @Argument(help: "Files, folders or - (standard input).")
        var paths: [String]

        func validate() throws {
            if paths.isEmpty { throw ValidationError("name at least one file, folder or -") }
        }

        func run() throws {
            let db = try database.open()
            let reporter = TerminalIngestReporter(verbose: verbose)
            let ingester = Ingester(database: db, options: .init(replace: replace, dryRun: dryRun), reporter: reporter)
            let summary: IngestSummary
            do {
                summary = try ingester.ingest(paths: paths)
            } catch {
                reporter.finishProgress()
                throw error
            }
            reporter.finishProgress()
            Terminal.write(IngestSummaryText.line(summary, dryRun: dryRun) + "\n")
            if summary.refused > 0 { throw CommandFailure(message: "", code: 1) }
        }
    }
}

/// Formats the one summary line of an ingest.
enum IngestSummaryText {
    static func line(_ summary: IngestSummary, dryRun: Bool) -> String {
        let verb = dryRun ? "would store" : "stored"
        return "\(verb) \(summary.stored), merged \(summary.merged), unchanged \(summary.unchanged), refused \(summary.refused) documents; "
            + "\(summary.models) models, \(summary.checkpoints) checkpoints, \(summary.unitValues) unit values, "
            + "\(summary.curvePoints) curve points in \(String(format: "%.2f", summary.seconds)) s "
            + "(\(Int(summary.valuesPerSecond.rounded())) values/s)"
    }
}

/// Prints refusals and warnings to standard error, and a progress bar there when
/// it is a terminal and the input is large.
final class TerminalIngestReporter: IngestReporter {
    private let verbose: Bool
    private let showProgress = Terminal.isTerminal(.standardError)
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(verbose: Bool) {
        self.verbose = verbose
    }

    func refused(_ message: String) { say("error: " + message) }
    func warned(_ message: String) { say(message) }
    func unchanged(_ message: String) { if verbose { say(message) } }

    func progress(bytesDone: Int64, bytesTotal: Int64?) {
        // Small inputs finish before a bar would help.
        guard showProgress, let total = bytesTotal, total > 4_000_000 else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let fraction = min(Double(bytesDone) / Double(max(total, 1)), 1)
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let megabytes = { (bytes: Int64) in String(format: "%.1f", Double(bytes) / 1_000_000) }
        Terminal.writeError("\r\u{1B}[Kingest [\(bar)] \(Int(fraction * 100))% \(megabytes(bytesDone))/\(megabytes(total)) MB")
        drawn = true
    }

    func finishProgress() {
        if drawn { Terminal.writeError("\r\u{1B}[K") }
        drawn = false
    }

    private func say(_ line: String) {
        finishProgress()
        Terminal.writeError(line + "\n")
    }
}
