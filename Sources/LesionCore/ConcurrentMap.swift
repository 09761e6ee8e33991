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
private final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func store(_ value: T, at index: Int) {
        // Distinct indices touch distinct elements; the buffer itself is never resized.
        slots.withUnsafeMutableBufferPointer { $0[index] = value }
    }

    var values: [T] { slots.compactMap { $0 } }
}
