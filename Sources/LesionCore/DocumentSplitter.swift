/// The bytes of one run document and where it came from.
public struct RawDocument: Sendable {
    /// The input as the user named it (`-` for standard input).
    public var source: String
    /// The 1-based line where the document starts.
    public var line: Int
    /// The document's bytes.
    public var bytes: [UInt8]
}

/// Cuts a byte stream into run documents, holding only one document in memory.
final class DocumentSplitter {
    /// How documents are laid out in the stream.
    enum Layout {
        /// The whole stream is one document (`*.json`).
        case whole
        /// One document per line; blank lines skipped; CRLF accepted (`*.jsonl`).
        case lines
        /// Documents separated by white space (standard input).
        case stream
    }

    private let stream: ByteStream
    private let layout: Layout
    private let source: String
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var atEnd = false
    private var line = 1
    private var wholeDone = false

    init(stream: ByteStream, layout: Layout, source: String) {
        self.stream = stream
        self.layout = layout
        self.source = source
    }

    /// The next document, or `nil` at the end of the stream.
    func next() throws -> RawDocument? {
        switch layout {
        case .whole: return try nextWhole()
        case .lines: return try nextLine()
        case .stream: return try nextValue()
        }
    }

    /// Reads another chunk; returns false at the end of the stream.
    private func fill() throws -> Bool {
        if atEnd { return false }
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        // Read into a reused chunk and append only what came: a pipe may hand over a
        // few bytes per read, and each read must not cost a whole chunk.
        let count = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
        buffer.append(contentsOf: chunk[..<count])
        if count == 0 { atEnd = true }
        return count > 0
    }

    private func nextWhole() throws -> RawDocument? {
        if wholeDone { return nil }
        wholeDone = true
        while try fill() {}
        return RawDocument(source: source, line: 1, bytes: Array(buffer[start...]))
    }

    private func nextLine() throws -> RawDocument? {
        while true {
            // Offsets are kept relative to `start`: fill() may move the window.
            var scanned = 0
            var newline: Int?
            while true {
                if let found = buffer[(start + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                    newline = found
                    break
                }
                scanned = buffer.count - start
                if try !fill() { break }
            }
            let lineEnd = newline ?? buffer.count
            if lineEnd == start && newline == nil { return nil }
            var contentEnd = lineEnd
            if contentEnd > start && buffer[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            let bytes = Array(buffer[start..<contentEnd])
            let thisLine = line
            start = newline.map { $0 + 1 } ?? buffer.count
            line += 1
            if bytes.allSatisfy(DocumentSplitter.isWhitespace) { continue }
            return RawDocument(source: source, line: thisLine, bytes: bytes)
        }
    }

    private func nextValue() throws -> RawDocument? {
        // Skip white space before the value, counting lines.
        while true {
            if start == buffer.count, try !fill() { return nil }
            let byte = buffer[start]
            guard DocumentSplitter.isWhitespace(byte) else { break }
            if byte == UInt8(ascii: "\n") { line += 1 }
            start += 1
        }
        let firstLine = line
        var index = start
        var depth = 0
        var inString = false
        var escaped = false
        var linesInside = 0
        scanning: while true {
            if index == buffer.count {
                // fill() may move the window (and `start`) even when it reads nothing.
                let offset = index - start
                let more = try fill()
                index = start + offset
                // Truncated: hand over what there is; the parser names the problem.
                if !more { break scanning }
                continue
            }
            let byte = buffer[index]
            index += 1
            if byte == UInt8(ascii: "\n") { linesInside += 1 }
            if inString {
                if escaped { escaped = false }
                else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth <= 0 { break scanning }
            default:
                // A bare top-level scalar ends at white space.
                if depth == 0 && DocumentSplitter.isWhitespace(byte) {
                    if byte == UInt8(ascii: "\n") { linesInside -= 1 }
                    index -= 1
                    break scanning
                }
            }
        }
        let bytes = Array(buffer[start..<index])
        start = index
        line += linesInside
        return RawDocument(source: source, line: firstLine, bytes: bytes)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
