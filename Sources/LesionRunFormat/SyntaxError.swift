/// Malformed JSON found by the scanner: where (a byte offset) and what. The decoder,
/// which knows the JSON path being read, turns it into a `RunFormatError`.
public struct SyntaxError: Error, CustomStringConvertible {
    /// Byte offset of the problem within the scanned bytes.
    public var offset: Int
    /// What is wrong, in plain words.
    public var message: String

    /// `message at byte N`.
    public var description: String { "\(message) at byte \(offset)" }
}
