/// Counts of observations left out of a statistic, by reason, in the order the
/// reasons were first met: reported under every table and in `left_out`.
public struct LeftOut: Sendable, Equatable {
    private(set) var reasons: [String] = []
    private(set) var counts: [String: Int] = [:]

    /// Counts `count` observations left out for `reason`.
    public mutating func add(_ reason: String, count: Int = 1) {
        guard count > 0 else { return }
        if counts[reason] == nil { reasons.append(reason) }
        counts[reason, default: 0] += count
    }

    /// Reasons with their counts.
    public var entries: [(reason: String, count: Int)] {
        reasons.map { ($0, counts[$0] ?? 0) }
    }

    /// The JSON `left_out` array.
    public var json: JSONOutput {
        .array(entries.map { .object([("reason", .string($0.reason)), ("count", .integer($0.count))]) })
    }

    /// One line for the bottom of a table, or nil when nothing was left out.
    public var note: String? {
        guard !reasons.isEmpty else { return nil }
        return "Left out: " + entries.map { "\($0.count) (\($0.reason))" }.joined(separator: "; ") + "."
    }
}
