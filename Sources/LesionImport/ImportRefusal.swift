/// Why an import was refused: the file, where in it (a line, a record, a byte
/// offset) and what is wrong. Nothing is stored from a refused file.
public struct ImportRefusal: Error, Sendable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// `line 12`, `record 3`, `byte 80`; nil when the problem is the whole file.
    public var place: String?
    /// What is wrong, in plain words, with a hint at the fix where there is one.
    public var message: String

    public init(file: String, place: String? = nil, _ message: String) {
        self.file = file
        self.place = place
        self.message = message
    }

    public var description: String {
        if let place { return "\(file): \(place): \(message)" }
        return "\(file): \(message)"
    }
}

/// A malformed input found by one of lesion's own small parsers (CSV, safetensors,
/// `.npy`): where (a line or byte offset, already spelled out) and what.
public struct ParseError: Error, Sendable, CustomStringConvertible, Equatable {
    /// `line 4` or `byte 80`.
    public var place: String
    /// What is wrong.
    public var message: String

    public init(place: String, _ message: String) {
        self.place = place
        self.message = message
    }

    public var description: String { "\(place): \(message)" }
}
