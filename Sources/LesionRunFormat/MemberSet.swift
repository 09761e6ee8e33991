/// The keys seen so far in one JSON object, to refuse duplicates and report
/// missing required keys.
///
/// Keys compare as Swift strings (canonically equivalent spellings are the same
/// key), matching how every later consumer of the names compares them.
struct MemberSet<Key: RawRepresentable & CaseIterable & Hashable> where Key.RawValue == String {
    private(set) var seen: Set<Key> = []

    /// The key for `name`, or an error naming the object and listing the keys allowed.
    func key(_ name: String, in path: String) throws(RunFormatError) -> Key {
        guard let key = Key(rawValue: name) else {
            let allowed = Key.allCases.map(\.rawValue).joined(separator: ", ")
            throw RunFormatError(
                path: path, message: "unknown key \(PathText.name(name)) (allowed here: \(allowed))")
        }
        return key
    }

    /// Records `key`, refusing it when the object already had it.
    mutating func insert(_ key: Key, in path: String) throws(RunFormatError) {
        guard seen.insert(key).inserted else {
            throw RunFormatError(path: path, message: "duplicate key \(key.rawValue)")
        }
    }

    /// Refuses the object when one of `required` is missing.
    func require(_ required: [Key], in path: String) throws(RunFormatError) {
        for key in required where !seen.contains(key) {
            throw RunFormatError(path: path, message: "missing key \(key.rawValue)")
        }
    }

    /// Whether `key` was given.
    func contains(_ key: Key) -> Bool { seen.contains(key) }
}

/// The names seen so far in a free-form JSON object (attributes, metrics, units).
struct NameSet {
    private var seen: Set<String> = []

    /// Records `name`, refusing it when the object at `path` already had it.
    mutating func insert(_ name: String, in path: String) throws(RunFormatError) {
        let (inserted, earlier) = seen.insert(name)
        if inserted { return }
        if Array(earlier.unicodeScalars) == Array(name.unicodeScalars) {
            throw RunFormatError(path: path, message: "duplicate key \(PathText.name(name))")
        }
        // Canonically equivalent spellings look the same; say why they clash.
        throw RunFormatError(
            path: path,
            message: "duplicate key \(PathText.name(name)): written \(Self.codePoints(name)) here and "
                + "\(Self.codePoints(earlier)) before, which Unicode treats as the same text")
    }

    private static func codePoints(_ text: String) -> String {
        text.unicodeScalars.map { scalar in
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }.joined(separator: " ")
    }
}
