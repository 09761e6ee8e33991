/// Malformed JSON found by the scanner: where (a byte offset) and what. The decoder,
/// which knows the JSON path being read, turns it into a `RunFormatError`.
struct SyntaxError: Error {
    /// Byte offset of the problem within the scanned bytes.
    var offset: Int
    /// What is wrong, in plain words.
    var message: String
}
