import Foundation
import LesionStore

/// A few database connections shared by the requests, used off the event loop: the
/// database layer is synchronous, so each piece of work runs on a dispatch thread
/// while the request waits. A connection is opened when first needed and thrown
/// away after any failure, so that the server recovers by itself when a database
/// that was down comes back.
final class ConnectionPool: @unchecked Sendable {  // `idle` guarded by `lock`
    private let location: DatabaseLocation
    private let limiter: WorkLimiter
    private let lock = NSLock()
    private var idle: [Connection] = []

    /// One open connection, handed to one request at a time.
    private final class Connection: @unchecked Sendable {  // used by one thread at a time
        let database: any Database
        init(_ database: any Database) { self.database = database }
    }

    init(location: DatabaseLocation, connections: Int, waiting: Int) {
        self.location = location
        limiter = WorkLimiter(capacity: connections, waiting: waiting)
    }

    /// Runs `body` with a connection of its own, on a thread that may block.
    func withDatabase<T: Sendable>(_ body: @escaping @Sendable (any Database) throws -> T) async throws -> T {
        try await limiter.run {
            let reused = takeIdle()
            return try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async { [self] in
                    do {
                        let connection = try reused ?? open()
                        do {
                            let result = try body(connection.database)
                            giveBack(connection)
                            continuation.resume(returning: result)
                        } catch let error as DatabaseError {
                            // A statement's own error leaves the connection usable; a
                            // lost server or a dead connection does not, whatever code
                            // libpq gave the failure: a trivial query tells them apart.
                            if !ErrorPage.isUnavailable(error) && ConnectionPool.isAlive(connection.database) {
                                giveBack(connection)
                                continuation.resume(throwing: error)
                            } else {
                                continuation.resume(throwing: ErrorPage.isUnavailable(error) ? error : DatabaseError(
                                    code: .cannotOpen, message: "the connection to the database was lost: \(error.message)"))
                            }
                        } catch {
                            giveBack(connection)
                            continuation.resume(throwing: error)
                        }
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        }
    }

    /// True when the connection still answers.
    private static func isAlive(_ database: any Database) -> Bool {
        ((try? database.fetchOne("SELECT 1", { $0.int(0) })) ?? nil) == 1
    }

    private func takeIdle() -> Connection? {
        lock.lock()
        defer { lock.unlock() }
        return idle.popLast()
    }

    private func giveBack(_ connection: Connection) {
        lock.lock()
        idle.append(connection)
        lock.unlock()
    }

    /// Opens a connection without migrating (the server never writes) and refuses
    /// a schema this binary does not match.
    private func open() throws -> Connection {
        if case .sqlite(let path) = location {
            guard FileManager.default.fileExists(atPath: path) else {
                throw DatabaseError(code: .cannotOpen, message: "there is no SQLite database at \(path)", hint: "ingest into it first, or name another with --db")
            }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw ErrorPage(status: .forbidden, title: "Permission denied", message: "the server may not read \(path)",
                                hint: "give the user running `lesion serve` read access to the file and its folder")
            }
        }
        let database = try DatabaseOpener.open(location, migrate: false)
        let pending = try Migrator(database).status().pending
        if !pending.isEmpty {
            throw DatabaseError(
                code: .migrationNotPermitted,
                message: "the database's schema is older than this lesion (\(pending.count) migration(s) pending)",
                hint: "run `lesion migrate` on it, then reload")
        }
        return Connection(database)
    }
}
