import LesionRunFormat
import LesionStore

/// Copies models between databases (SQLite ↔ PostgreSQL) with all their rows and
/// their original provenance: one transaction per model, so an interrupted copy
/// leaves whole models only, and running it again copies the rest.
public struct ModelCopier {
    /// The totals of one copy.
    public struct Summary: Sendable, Equatable {
        /// Models written (new, or with new or replaced checkpoints).
        public var copied = 0
        /// Models the target already held with the same content.
        public var unchanged = 0
        /// Models refused (content differs and no `--replace`).
        public var refused = 0
        /// Checkpoints written.
        public var checkpoints = 0
    }

    let source: any Database
    let target: any Database

    /// A copier from `source` to `target`.
    public init(from source: any Database, to target: any Database) {
        self.source = source
        self.target = target
    }

    /// Copies every model `filter` selects; `refused` hears each refusal.
    public func copy(_ filter: ModelFilter, replace: Bool, refused: (String) -> Void) throws -> Summary {
        var summary = Summary()
        let loader = DocumentLoader(database: source)
        let writer = DocumentWriter(database: target)
        for model in try ModelCatalog(database: source).models(filter) {
            let document = try loader.document(modelId: model.id)
            let provenance = try provenances(modelId: model.id)
            do {
                let outcome = try writer.store(document, provenance: { step in
                    provenance[step] ?? provenance[nil] ?? Provenance.current(source: "copy", line: nil, contentHash: "")
                }, replace: replace)
                if outcome.isUnchanged {
                    summary.unchanged += 1
                } else {
                    summary.copied += 1
                    summary.checkpoints += outcome.checkpointsStored
                }
            } catch let refusal as IngestRefusal {
                summary.refused += 1
                refused("\(model): \(refusal)")
            }
        }
        return summary
    }

    /// The stored provenance of a model's own rows (key nil) and of each checkpoint.
    private func provenances(modelId: Int64) throws -> [Int?: Provenance] {
        var result: [Int?: Provenance] = [:]
        let columns = "i.source, i.source_line, i.content_hash, i.ingested_at, i.user_name, i.host, i.tool_version"
        func read(_ row: any Row, from offset: Int) throws -> Provenance {
            Provenance(
                source: try row.decode(String.self, at: offset), line: try row.decodeIfPresent(Int.self, at: offset + 1), contentHash: try row.decode(String.self, at: offset + 2),
                time: try row.decode(String.self, at: offset + 3), user: try row.decode(String.self, at: offset + 4), host: try row.decode(String.self, at: offset + 5),
                toolVersion: try row.decode(String.self, at: offset + 6))
        }
        try source.forEachRow("SELECT \(unsafeRaw: columns) FROM models m JOIN ingests i ON i.id = m.ingest_id WHERE m.id = \(modelId)") { row in
            result[nil] = try read(row, from: 0)
        }
        try source.forEachRow("""
            SELECT c.step, \(unsafeRaw: columns) FROM checkpoints c JOIN ingests i ON i.id = c.ingest_id WHERE c.model_id = \(modelId)
            """) { row in
            result[try row.decode(Int.self, at: 0)] = try read(row, from: 1)
        }
        return result
    }
}
