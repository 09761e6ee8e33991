import LesionCharts
import LesionRunFormat
import LesionStore

/// Rows and named columns to print in any ``OutputFormat``: the shape shared by
/// the listing commands and `lesion sql`.
public struct ResultTable: Sendable {
    /// Column names, in order.
    public var columns: [String]
    /// One array of cells per row, as many as there are columns.
    public var rows: [[DatabaseValue]]
    /// Lines printed under a `table` or `markdown` rendering (never in csv/json).
    public var notes: [String] = []

    /// A table with these columns and rows.
    public init(columns: [String], rows: [[DatabaseValue]] = [], notes: [String] = []) {
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }
}

/// Turns a ``ResultTable`` into text.
public enum TableRenderer {
    /// The whole table as text in `format`, ending with a newline.
    public static func render(_ table: ResultTable, as format: OutputFormat) -> String {
        switch format {
        case .table: return aligned(table)
        case .csv: return csv(table)
        case .json: return json(table)
        case .markdown: return markdown(table)
        }
    }

    /// A cell for reading: numbers rounded to 4 significant decimals, NULL empty.
    public static func readable(_ value: DatabaseValue) -> String {
        switch value {
        case .null: return ""
        case .integer(let v): return String(v)
        case .real(let v): return NumberFormatting.readable(v)
        case .text(let v): return v
        case .blob(let bytes): return "<\(bytes.count) bytes>"
        }
    }

    /// A cell at full precision (csv).
    static func exact(_ value: DatabaseValue) -> String {
        switch value {
        case .null: return ""
        case .integer(let v): return String(v)
        case .real(let v): return NumberFormatting.exact(v)
        case .text(let v): return v
        case .blob(let bytes): return hex(bytes)
        }
    }

    /// A blob as lowercase hex, two digits a byte (the same in csv and json).
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A cell as a JSON value.
    static func jsonValue(_ value: DatabaseValue) -> JSONOutput {
        switch value {
        case .null: return .null
        case .integer(let v): return .integer(Int(v))
        case .real(let v): return .number(v)
        case .text(let v): return .string(v)
        case .blob(let bytes): return .string(hex(bytes))
        }
    }

    /// The table as a JSON value: one object per row, keys in column order.
    static func jsonRows(_ table: ResultTable) -> JSONOutput {
        .array(table.rows.map { row in
            .object(table.columns.enumerated().map { index, column in
                (column, jsonValue(index < row.count ? row[index] : .null))
            })
        })
    }

    /// A cell or column name for a terminal: stored names come from other people's
    /// files, so control characters (ESC, BEL, CR, C1) become spaces, as in charts.
    static func printable(_ text: String) -> String {
        DisplayWidth.sanitized(text)
    }

    private static func aligned(_ table: ResultTable) -> String {
        let cells = table.rows.map { $0.map { printable(readable($0)) } }
        let columns = table.columns.map(printable)
        var widths = columns.map(DisplayWidth.columns)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], DisplayWidth.columns(cell))
            }
        }
        let numeric = table.columns.indices.map { column in
            table.rows.contains { if case .real = $0[column] { return true }; if case .integer = $0[column] { return true }; return false }
                && table.rows.allSatisfy { row in
                    switch row[column] { case .real, .integer, .null: return true; default: return false }
                }
        }
        func line(_ values: [String]) -> String {
            values.enumerated().map { index, value in
                let padding = String(repeating: " ", count: max(widths[index] - DisplayWidth.columns(value), 0))
                return numeric[index] ? padding + value : value + padding
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var text = line(columns) + "\n"
        text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in cells { text += line(row) + "\n" }
        if table.rows.isEmpty { text += "(no rows)\n" }
        for note in table.notes { text += note + "\n" }
        return text
    }

    private static func csv(_ table: ResultTable) -> String {
        func field(_ text: String) -> String {
            if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return text
        }
        var text = table.columns.map(field).joined(separator: ",") + "\n"
        for row in table.rows {
            text += row.map { field(exact($0)) }.joined(separator: ",") + "\n"
        }
        return text
    }

    private static func json(_ table: ResultTable) -> String {
        jsonRows(table).rendered(compactFrom: 1) + "\n"
    }

    private static func markdown(_ table: ResultTable) -> String {
        func escape(_ text: String) -> String {
            printable(text).replacingOccurrences(of: "|", with: "\\|")
        }
        var text = "| " + table.columns.map(escape).joined(separator: " | ") + " |\n"
        text += "|" + table.columns.map { _ in " --- |" }.joined() + "\n"
        for row in table.rows {
            text += "| " + row.map { escape(readable($0)) }.joined(separator: " | ") + " |\n"
        }
        if !table.notes.isEmpty { text += "\n" + table.notes.joined(separator: "\n") + "\n" }
        return text
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
