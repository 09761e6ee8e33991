/// Counted nouns for messages: "1 value", "127 values".
enum Plural {
    /// `count` followed by `noun`, with an `s` unless the count is 1.
    static func count(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
    }
}
