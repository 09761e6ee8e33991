import LesionRunFormat

/// A CSV (or TSV) file read whole: RFC 4180 quoting (fields with the delimiter,
/// quotes or line breaks inside quotes, `""` for a quote), LF or CRLF line ends.
/// Every record must have as many fields as the header. Strict: a quote inside an
/// unquoted field, text after a closing quote, an unterminated quote, a ragged
/// record or invalid UTF-8 is refused with its line.
///
/// Fields are kept as bytes in one buffer, not as a million strings: a number is
/// read straight from its bytes, and a string is made only when asked for.
public struct CSVTable: Sendable {
    /// The first record: the column names.
    public private(set) var header: [String] = []
    /// The 1-based line on which each record (after the header) starts.
    public private(set) var lines: [Int] = []
    /// Every field's bytes (quotes removed, `""` made `"`), one after another.
    private var content: [UInt8] = []
    /// Where each field ends in `content`; field k spans ends[k-1]..<ends[k].
    private var ends: [Int] = []

    /// Reads `bytes` as CSV with `delimiter` (`,` or tab). A leading UTF-8 byte
    /// order mark is skipped; a blank last line is ignored.
    public init(bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) throws(ParseError) {
        // Valid UTF-8 is checked once for the whole file, so that fields need no check.
        if String(validating: bytes, as: UTF8.self) == nil {
            throw CSVParser.invalidUTF8(bytes)
        }
        content.reserveCapacity(bytes.count)
        var parser = CSVParser(bytes: bytes, delimiter: delimiter)
        guard let first = try parser.nextRecord(into: &content, ends: &ends) else {
            throw ParseError(place: "line 1", "the file is empty; expected a header line")
        }
        header = (0..<first.fields).map(field)
        content.removeAll(keepingCapacity: true)
        ends.removeAll()
        while let record = try parser.nextRecord(into: &content, ends: &ends) {
            guard record.fields == header.count else {
                throw ParseError(place: "line \(record.line)", "\(record.fields) fields, but the header has \(header.count)")
            }
            lines.append(record.line)
        }
    }

    /// The number of records after the header.
    public var count: Int { lines.count }

    /// The index of the column named `name`, if there is one.
    public func column(_ name: String) -> Int? {
        header.firstIndex(of: name)
    }

    private func range(_ field: Int) -> Range<Int> {
        (field == 0 ? 0 : ends[field - 1])..<ends[field]
    }

    private func field(_ index: Int) -> String {
        let range = range(index)
        return content.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// The field `column` of record `row`, as text.
    public subscript(row: Int, column: Int) -> String {
        field(row * header.count + column)
    }

    /// Whether the field is empty.
    public func isEmpty(row: Int, column: Int) -> Bool {
        range(row * header.count + column).isEmpty
    }

    /// The field as a number written as run documents write them (JSON syntax,
    /// `NaN`, `Infinity`, `-Infinity`); nil for anything else. Read from the bytes.
    public func number(row: Int, column: Int) -> Double? {
        let range = range(row * header.count + column)
        return content.withUnsafeBytes { JSONValue.parseNumber(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// Parses `bytes` as CSV and as TSV, reading every field as text and as a number:
    /// the entry point for fuzzing. Throws `ParseError` for anything malformed; never traps.
    public static func check(_ bytes: [UInt8]) throws {
        for delimiter in [UInt8(ascii: ","), 9] {
            let table = try CSVTable(bytes: bytes, delimiter: delimiter)
            for row in 0..<table.count {
                for column in 0..<table.header.count {
                    _ = table[row, column]
                    _ = table.number(row: row, column: column)
                }
            }
        }
    }

    /// Every record as an array of fields.
    public var records: [[String]] {
        (0..<count).map { row in (0..<header.count).map { self[row, $0] } }
    }
}

/// The byte-level reader behind `CSVTable`.
struct CSVParser {
    let bytes: [UInt8]
    let delimiter: UInt8
    var offset = 0
    var line = 1

    init(bytes: [UInt8], delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }

    static let quote = UInt8(ascii: "\"")
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")

    /// Appends the next record's fields to `content` (and their ends to `ends`);
    /// returns how many fields and the line the record starts on, or nil at the end.
    mutating func nextRecord(into content: inout [UInt8], ends: inout [Int]) throws(ParseError) -> (fields: Int, line: Int)? {
        guard offset < bytes.count else { return nil }
        let startLine = line
        var fields = 0
        while true {
            try nextField(into: &content)
            ends.append(content.count)
            fields += 1
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

    private mutating func nextField(into content: inout [UInt8]) throws(ParseError) {
        let count = bytes.count
        if offset < count, bytes[offset] == Self.quote {
            let openedOn = line
            offset += 1
            while offset < count {
                let byte = bytes[offset]
                if byte == Self.quote {
                    if offset + 1 < count, bytes[offset + 1] == Self.quote {
                        content.append(Self.quote)
                        offset += 2
                        continue
                    }
                    offset += 1
                    return
                }
                if byte == Self.lf { line += 1 }
                content.append(byte)
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
        content.append(contentsOf: bytes[start..<offset])
    }

    /// The refusal of a file that is not valid UTF-8, naming the first bad line.
    static func invalidUTF8(_ bytes: [UInt8]) -> ParseError {
        var line = 1
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == lf {
            if String(validating: bytes[start..<index], as: UTF8.self) == nil { break }
            line += 1
            start = index + 1
        }
        return ParseError(place: "line \(line)", "invalid UTF-8; save the file as UTF-8")
    }

    private static func describe(_ byte: UInt8) -> String {
        byte >= 0x21 && byte < 0x7F ? "'\(UnicodeScalar(byte))'" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}
