import Foundation
import LesionCore
import LesionStore

/// The last few `lesion models` listings, reused while the database holds the same
/// models: reading 500 models' attributes and metrics costs more than drawing a
/// page of them, and most requests only page or sort. Every request still asks the
/// database for its fingerprint, so a model ingested or removed while the server
/// runs shows on the next reload.
final class ListingCache: @unchecked Sendable {  // `entries` guarded by `lock`
    private let lock = NSLock()
    private var entries: [(key: String, table: ResultTable)] = []
    private let capacity = 16

    /// The listing for `filter`, read again only when the database changed.
    func listing(_ filter: ModelFilter, database: any Database) throws -> ResultTable {
        let key = try ListingCache.fingerprint(database) + "\u{0}" + String(describing: filter)
        lock.lock()
        let cached = entries.first { $0.key == key }?.table
        lock.unlock()
        if let cached { return cached }
        let table = try ModelCatalog(database: database).listing(filter)
        lock.lock()
        entries.removeAll { $0.key == key }
        entries.append((key, table))
        if entries.count > capacity { entries.removeFirst() }
        lock.unlock()
        return table
    }

    /// Changes whenever models, checkpoints or attributes are added or removed: the
    /// row counts and the time of the latest ingest (SQLite may reuse the id of a
    /// removed last row, so ids alone would not tell).
    static func fingerprint(_ database: any Database) throws -> String {
        let values = try database.fetchOne("""
            SELECT (SELECT COUNT(*) FROM models), (SELECT COUNT(*) FROM checkpoints), \
            (SELECT COUNT(*) FROM model_attributes), (SELECT COUNT(*) FROM ingests), (SELECT MAX(ingested_at) FROM ingests)
            """) { row in (0..<5).map { TableRenderer.readable(row.value($0)) } } ?? []
        return values.joined(separator: "|")
    }
}
