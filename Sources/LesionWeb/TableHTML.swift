import LesionCore
import LesionStore

/// A ``ResultTable`` as an HTML table, cells formatted as on the terminal.
enum TableHTML {
    /// The table; `header` may turn a column name into HTML (a sort link), `cell`
    /// a row's cell (a link); both default to the escaped text.
    static func render(
        _ table: ResultTable,
        header: (Int, String) -> String = { HTML.escape($1) },
        cell: ([DatabaseValue], Int, String) -> String = { HTML.escape($2) }
    ) -> String {
        var html = "<div class=\"scroll\"><table>\n<thead><tr>"
        for (index, column) in table.columns.enumerated() {
            html += "<th>\(header(index, column))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>"
            for index in table.columns.indices {
                let value = index < row.count ? row[index] : .null
                let numeric: Bool
                switch value {
                case .integer, .real: numeric = true
                default: numeric = false
                }
                html += numeric ? "<td class=\"num\">" : "<td>"
                html += cell(row, index, TableRenderer.readable(value)) + "</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody></table></div>\n"
        if table.rows.isEmpty { html += "<p class=\"note\">(no rows)</p>\n" }
        for note in table.notes { html += "<p class=\"note\">\(HTML.escape(note))</p>\n" }
        return html
    }

    /// An SVG document from LesionCharts, ready to place inline (without its XML declaration).
    static func inlineSVG(_ document: String) -> String {
        guard document.hasPrefix("<?xml"), let end = document.firstIndex(of: "\n") else { return document }
        return String(document[document.index(after: end)...])
    }
}
