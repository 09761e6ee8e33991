import LesionCharts
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
    static func readable(_ value: DatabaseValue) -> String {
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
        case .blob(let bytes): return bytes.map { String($0, radix: 16) }.joined()
        }
    }

    static func jsonValue(_ value: DatabaseValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let v): return String(v)
        case .real(let v): return JSONText.number(v)
        case .text(let v): return JSONText.quoted(v)
        case .blob(let bytes): return JSONText.quoted(bytes.map { String(format: "%02x", $0) }.joined())
        }
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
        var text = "["
        for (rowIndex, row) in table.rows.enumerated() {
            text += rowIndex == 0 ? "\n  {" : ",\n  {"
            for (index, column) in table.columns.enumerated() {
                if index > 0 { text += ", " }
                text += JSONText.quoted(column) + ": " + jsonValue(index < row.count ? row[index] : .null)
            }
            text += "}"
        }
        text += table.rows.isEmpty ? "]\n" : "\n]\n"
        return text
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
