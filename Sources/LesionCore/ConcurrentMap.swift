import Dispatch

extension Array where Element: Sendable {
    /// `map`, with the elements' transforms spread over the machine's cores. The
    /// results come back in order. For a few large, independent pieces of work
    /// (the statistics of each group), not for many small ones.
    func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        let results = ResultSlots<T>(count: count)
        withoutActuallyEscaping(transform) { transform in
            DispatchQueue.concurrentPerform(iterations: count) { index in
                results.store(transform(self[index]), at: index)
            }
        }
        return results.values
    }
}

/// One slot per result, each written by exactly one iteration of `concurrentPerform`,
/// and read only after all of them have returned.
///
/// The slots are raw memory allocated once, not an array: writing to an array from
/// several threads (even through `withUnsafeMutableBufferPointer`) is a data race on
/// the array itself, since each call may check uniqueness and copy it.
private final class ResultSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = UnsafeMutablePointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func store(_ value: T, at index: Int) {
        // Distinct indices touch distinct slots of memory that never moves.
        slots[index] = value
    }

    var values: [T] { UnsafeBufferPointer(start: slots, count: count).compactMap { $0 } }
}
