import Foundation

/// At most `capacity` pieces of work at once, at most `waiting` more queued; any
/// beyond that are refused at once with ``ServerBusy`` rather than piling up.
final class WorkLimiter: @unchecked Sendable {  // state guarded by `lock`
    private let lock = NSLock()
    private let capacity: Int
    private let waiting: Int
    private var running = 0
    private var queue: [CheckedContinuation<Void, any Error>] = []

    init(capacity: Int, waiting: Int) {
        self.capacity = max(capacity, 1)
        self.waiting = max(waiting, 0)
    }

    /// Runs `body` once a place is free.
    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            lock.lock()
            if running < capacity {
                running += 1
                lock.unlock()
                continuation.resume()
            } else if queue.count < waiting {
                queue.append(continuation)
                lock.unlock()
            } else {
                lock.unlock()
                continuation.resume(throwing: ServerBusy())
            }
        }
    }

    private func release() {
        lock.lock()
        if queue.isEmpty {
            running -= 1
            lock.unlock()
        } else {
            // The place passes straight to the next in line.
            let next = queue.removeFirst()
            lock.unlock()
            next.resume()
        }
    }
}

/// Too many requests are already waiting for the same bounded resource.
struct ServerBusy: Error {}
