import LesionCore
import LesionStore

/// `/sql`: the read-only console of `lesion sql` in a form, with a row limit and a
/// statement time limit; `format=csv` or `format=json` downloads the same rows.
enum SQLPage {
    static let parameters = ["q", "param", "format"]

    /// What the request asks, validated before the database is touched.
    struct Request: Sendable {
        var statement: String?
        var parameters: [String]
        var format: OutputFormat?
        var query: QueryParameters

        init(_ query: QueryParameters) throws {
            try query.requireOnly(SQLPage.parameters)
            statement = query.value("q")
            parameters = query.values("param")
            switch query.value("format") ?? "html" {
            case "html": format = nil
            case "csv": format = .csv
            case "json": format = .json
            case let other: throw UsageError("format=\(other): expected html, csv or json")
            }
            if format != nil && statement == nil { throw UsageError("format=\(query.value("format") ?? ""): give the statement as q=…") }
            self.query = query
        }
    }

    static let example = "SELECT layer, metric, COUNT(*) AS units, AVG(value) AS mean FROM unit_measurements GROUP BY layer, metric ORDER BY layer, metric"

    /// The page: the form, and the rows when a statement was given.
    static func render(_ request: Request, result: (table: ResultTable, truncated: Bool)?, rowLimit: Int, seconds: Double) -> String {
        var body = "<h1>SQL</h1>\n<p class=\"muted\">One read-only statement over the tables and views "
            + "(unit_measurements, unit_class_measurements, model_overview, checkpoint_measurements, curve_measurements, attribute_values). "
            + "Placeholders are ?1, ?2 … on SQLite and $1, $2 … on PostgreSQL, bound from the params. "
            + "At most \(rowLimit) rows are shown, and a statement is stopped after \(NumberFormatting.readable(seconds)) s.</p>\n"
        body += "<form class=\"filters\" method=\"get\" action=\"/sql\">\n"
        body += "<label class=\"wide\">statement <textarea name=\"q\" placeholder=\"\(HTML.escape(example))\">\(HTML.escape(request.statement ?? ""))</textarea></label>\n"
        let values = request.parameters
        for index in 0..<max(values.count + 1, 2) {
            body += "<label>param \(index + 1) <input type=\"text\" name=\"param\" value=\"\(HTML.escape(index < values.count ? values[index] : ""))\"></label>\n"
        }
        body += "<button type=\"submit\">Run</button>\n</form>\n"
        if let statement = request.statement, let result {
            let words = ["lesion", "sql", statement] + request.parameters.map { "--param=\($0)" }
            body += "<p>Same as:</p><pre class=\"cli\">\(HTML.escape(words.map(AnalysisForm.shellQuoted).joined(separator: " ")))</pre>\n"
            let base = request.query.pairs.filter { $0.name != "format" }.map { ($0.name, $0.value) }
            body += "<p>\(result.table.rows.count) row\(result.table.rows.count == 1 ? "" : "s")"
            if result.truncated { body += " (the first \(rowLimit); more were left out)" }
            body += ". Download: <a href=\"\(HTML.escape(HTML.link("/sql", base + [("format", "csv")])))\">CSV</a> · "
            body += "<a href=\"\(HTML.escape(HTML.link("/sql", base + [("format", "json")])))\">JSON</a></p>\n"
            body += TableHTML.render(result.table)
        }
        return Layout.page(title: "SQL", section: .sql, body: body)
    }
}
