/// A CSV (or TSV) file read whole: RFC 4180 quoting (fields with the delimiter,
/// quotes or line breaks inside quotes, `""` for a quote), LF or CRLF line ends.
/// Every record must have as many fields as the header. Strict: a quote inside an
/// unquoted field, text after a closing quote, an unterminated quote or a ragged
/// record is refused with its line.
public struct CSVTable: Sendable {
    /// The first record: the column names.
    public var header: [String]
    /// The other records, each with `header.count` fields.
    public var records: [[String]]
    /// The 1-based line on which each record starts.
    public var lines: [Int]

    /// Reads `bytes` as CSV with `delimiter` (`,` or tab). The bytes must be UTF-8.
    /// A leading UTF-8 byte order mark is skipped; a blank last line is ignored.
    public init(bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) throws(ParseError) {
        var parser = CSVParser(bytes: bytes, delimiter: delimiter)
        guard let first = try parser.nextRecord() else {
            throw ParseError(place: "line 1", "the file is empty; expected a header line")
        }
        header = first.fields
        records = []
        lines = []
        while let record = try parser.nextRecord() {
            guard record.fields.count == header.count else {
                throw ParseError(place: "line \(record.line)",
                    "\(record.fields.count) fields, but the header has \(header.count)")
            }
            records.append(record.fields)
            lines.append(record.line)
        }
    }

    /// The index of the column named `name`, if there is exactly one.
    public func column(_ name: String) -> Int? {
        header.firstIndex(of: name)
    }
}

/// The byte-level reader behind `CSVTable`.
private struct CSVParser {
    let bytes: [UInt8]
    let delimiter: UInt8
    var offset = 0
    var line = 1

    init(bytes: [UInt8], delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }

    private static let quote = UInt8(ascii: "\"")
    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")

    /// The next record and the line it starts on; nil at the end of the input.
    mutating func nextRecord() throws(ParseError) -> (fields: [String], line: Int)? {
        guard offset < bytes.count else { return nil }
        let startLine = line
        var fields: [String] = []
        while true {
            let field = try nextField()
            fields.append(field)
            // After a field: a delimiter (another field follows), a line end or the end.
            guard offset < bytes.count else { return (fields, startLine) }
            let byte = bytes[offset]
            if byte == delimiter {
                offset += 1
                continue
            }
            if byte == Self.lf {
                offset += 1
                line += 1
                return (fields, startLine)
            }
            if byte == Self.cr, offset + 1 < bytes.count, bytes[offset + 1] == Self.lf {
                offset += 2
                line += 1
                return (fields, startLine)
            }
            throw ParseError(place: "line \(line)", "unexpected \(Self.describe(byte)) after a quoted field; expected the delimiter or a line end")
        }
    }

    private mutating func nextField() throws(ParseError) -> String {
        let count = bytes.count
        if offset < count, bytes[offset] == Self.quote {
            let openedOn = line
            offset += 1
            var buffer: [UInt8] = []
            while offset < count {
                let byte = bytes[offset]
                if byte == Self.quote {
                    if offset + 1 < count, bytes[offset + 1] == Self.quote {
                        buffer.append(Self.quote)
                        offset += 2
                        continue
                    }
                    offset += 1
                    return try Self.text(buffer, line: openedOn)
                }
                if byte == Self.lf { line += 1 }
                buffer.append(byte)
                offset += 1
            }
            throw ParseError(place: "line \(openedOn)", "a quoted field is never closed (missing \")")
        }
        let start = offset
        while offset < count {
            let byte = bytes[offset]
            if byte == delimiter || byte == Self.lf { break }
            if byte == Self.cr, offset + 1 < count, bytes[offset + 1] == Self.lf { break }
            if byte == Self.quote {
                throw ParseError(place: "line \(line)", "a quote inside an unquoted field; quote the whole field and double the quote (\"\")")
            }
            offset += 1
        }
        return try Self.text(bytes[start..<offset], line: line)
    }

    private static func text<Bytes: Collection>(_ bytes: Bytes, line: Int) throws(ParseError) -> String where Bytes.Element == UInt8 {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ParseError(place: "line \(line)", "invalid UTF-8 in a field")
        }
        return text
    }

    private static func describe(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? "'\(UnicodeScalar(byte))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}
