/// An input that is not a valid run document.
///
/// `description` is `path: message` (or the message alone at the document root); the
/// caller prefixes `file:line: `.
public struct RunFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The JSON path of the offending value, such as
    /// `checkpoints[0].units.fc1.class_selectivity[3]`; empty for the document root.
    /// Keys that are not plain identifiers appear as `["key"]`.
    public var path: String
    /// What is wrong, in plain words, e.g. `127 values, layer fc1 has 128 units`.
    public var message: String
    /// For malformed JSON, the 1-based line within the bytes given to the reader
    /// where the problem was found; nil when the JSON is well formed but breaks a
    /// rule of the format.
    public var line: Int?

    /// Makes an error.
    public init(path: String, message: String, line: Int? = nil) {
        self.path = path
        self.message = message
        self.line = line
    }

    /// `path: message`, or `message` when the path is empty.
    public var description: String {
        path.isEmpty ? message : "\(path): \(message)"
    }
}
