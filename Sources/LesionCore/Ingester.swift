import Foundation
import LesionRunFormat
import LesionStore

/// What an ingest tells its user as it goes. The command line prints errors and
/// warnings to standard error and draws a progress bar on a terminal.
public protocol IngestReporter: AnyObject {
    /// A document was refused; `message` names the file, the line and the JSON path.
    func refused(_ message: String)
    /// A document was stored with a warning (e.g. a selectivity that disagrees).
    func warned(_ message: String)
    /// A document was already stored; said once per document.
    func unchanged(_ message: String)
    /// Progress through the inputs, in bytes.
    func progress(bytesDone: Int64, bytesTotal: Int64?)
}

/// The totals of one ingest run.
public struct IngestSummary: Sendable, Equatable {
    /// Documents stored (whole or with new checkpoints).
    public var stored = 0
    /// Documents that only added items to stored checkpoints.
    public var merged = 0
    /// Documents already stored with the same content.
    public var unchanged = 0
    /// Documents refused.
    public var refused = 0
    /// Models created.
    public var models = 0
    /// Checkpoints written.
    public var checkpoints = 0
    /// Unit values written.
    public var unitValues = 0
    /// Curve points written.
    public var curvePoints = 0
    /// Wall-clock seconds.
    public var seconds = 0.0

    /// Unit values and curve points per second.
    public var valuesPerSecond: Double {
        seconds > 0 ? Double(unitValues + curvePoints) / seconds : 0
    }
}

/// Reads run documents from files, folders and standard input and stores each
/// one whole, or reports why not. A refused document never stops the others; a
/// database that stops working (connection lost, disk full) stops the run.
public final class Ingester {
    /// How an ingest treats what is already stored.
    public struct Options: Sendable {
        /// Overwrite stored checkpoints whose content differs.
        public var replace = false
        /// Check everything, store nothing.
        public var dryRun = false
        public init(replace: Bool = false, dryRun: Bool = false) {
            self.replace = replace
            self.dryRun = dryRun
        }
    }

    private let writer: DocumentWriter
    private let options: Options
    private let reporter: IngestReporter

    /// An ingester into `database`.
    public init(database: any Database, options: Options, reporter: IngestReporter) {
        self.writer = DocumentWriter(database: database)
        self.options = options
        self.reporter = reporter
    }

    /// Ingests every document under `paths`. Throws only when an input cannot be
    /// found or the database fails; a bad document is reported and counted.
    public func ingest(paths: [String]) throws -> IngestSummary {
        let started = Date()
        var summary = IngestSummary()
        let inputs = try InputFile.expand(paths)
        let knownSizes = inputs.compactMap(\.size)
        let total: Int64? = knownSizes.count == inputs.count ? knownSizes.reduce(0, +) : nil
        var doneBefore: Int64 = 0
        for input in inputs {
            let (splitter, raw) = try input.open()
            while true {
                let document: RawDocument?
                do {
                    document = try splitter.next()
                } catch let error as InputError {
                    summary.refused += 1
                    reporter.refused(error.description)
                    break
                }
                guard let document else { break }
                try ingestOne(document, layout: input.layout, into: &summary)
                reporter.progress(bytesDone: doneBefore + raw.bytesRead, bytesTotal: total)
            }
            doneBefore += raw.bytesRead
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Ingests one document built in memory (by `lesion import`): `source` names
    /// where it came from and `contentHash` is the hash of the file it was built from.
    public func ingest(document: [UInt8], source: String, contentHash: String) throws -> IngestSummary {
        let started = Date()
        var summary = IngestSummary()
        try ingestOne(RawDocument(source: source, line: 1, bytes: document), layout: .whole, into: &summary, contentHash: contentHash)
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    private func ingestOne(
        _ raw: RawDocument, layout: DocumentSplitter.Layout, into summary: inout IngestSummary, contentHash: String? = nil
    ) throws {
        let place = Ingester.place(raw, layout: layout)
        let parsed: ParsedDocument
        do {
            parsed = try raw.bytes.withUnsafeBytes { try RunDocumentReader.parse($0) }
        } catch let error as RunFormatError {
            summary.refused += 1
            reporter.refused("\(Ingester.place(raw, layout: layout, errorLine: error.line)): \(error)")
            return
        } catch {
            summary.refused += 1
            reporter.refused("\(place): \(error)")
            return
        }
        for warning in parsed.warnings {
            reporter.warned("\(place): warning: \(warning)")
        }
        let provenance = Provenance.current(
            source: raw.source, line: layout == .whole ? nil : raw.line, contentHash: contentHash ?? SHA256.hex(raw.bytes))
        do {
            let outcome = try writer.store(
                parsed.document, provenance: provenance, replace: options.replace, dryRun: options.dryRun,
                derivedSelectivity: { parsed.derivedSelectivity(checkpoint: $0, layer: $1) })
            if outcome.isUnchanged {
                summary.unchanged += 1
                reporter.unchanged("\(place): \(parsed.document.experiment)/\(parsed.document.model) is already stored (\(outcome.checkpointsUnchanged) checkpoints unchanged)")
            } else {
                if outcome.isMergeOnly { summary.merged += 1 } else { summary.stored += 1 }
                summary.models += outcome.newModel ? 1 : 0
                summary.checkpoints += outcome.checkpointsStored
                summary.unitValues += outcome.unitValues
                summary.curvePoints += outcome.curvePoints
            }
        } catch let refusal as IngestRefusal {
            summary.refused += 1
            reporter.refused("\(place): \(refusal)")
        } catch let error as DatabaseError where error.isReadOnlyOrPermissionDenied {
            // Every other document would fail the same way: stop here.
            throw PermissionError(error)
        } catch let error as DatabaseError where error.stopsTheRun {
            // The connection is lost or the disk is full: one message, not one per document.
            throw error
        } catch {
            summary.refused += 1
            reporter.refused("\(place): \(parsed.document.experiment)/\(parsed.document.model) was not stored: \(error)")
        }
    }

    /// `file:line` for JSONL and standard input (where the document starts); for a whole-file document the
    /// line of a syntax error when known, else just the file.
    static func place(_ raw: RawDocument, layout: DocumentSplitter.Layout, errorLine: Int? = nil) -> String {
        switch layout {
        case .lines, .stream:
            return "\(raw.source):\(raw.line)"
        case .whole:
            return errorLine.map { "\(raw.source):\($0)" } ?? raw.source
        }
    }
}
