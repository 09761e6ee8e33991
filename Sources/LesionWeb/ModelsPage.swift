import LesionCore
import LesionStore

/// `/models`: the `lesion models` table with its filters as query parameters,
/// sortable by any column and paged. Read anew on every request, so models
/// ingested while the server runs appear on reload.
enum ModelsPage {
    static let parameters = ["experiment", "model", "where", "sort", "order", "page", "size"]

    /// The request, validated before the database is touched.
    struct Request: Sendable {
        var filter: ModelFilter
        var sort: String?
        var descending: Bool
        var page: Int
        var size: Int
        var query: QueryParameters

        init(_ query: QueryParameters, maximumSize: Int) throws {
            try query.requireOnly(ModelsPage.parameters)
            filter = ModelFilter(
                experiment: query.value("experiment"), model: query.value("model"),
                conditions: try query.values("where").map(Condition.init(parsing:)))
            sort = query.value("sort")
            switch query.value("order") ?? "asc" {
            case "asc": descending = false
            case "desc": descending = true
            case let other: throw UsageError("order=\(other): expected asc or desc")
            }
            page = try query.integer("page", in: 1...1_000_000, default: 1)
            size = try query.integer("size", in: 1...maximumSize, default: min(50, maximumSize))
            self.query = query
        }

        /// This request's URL with `changes` applied (nil removes a parameter).
        func link(_ changes: [String: String?]) -> String {
            var pairs: [(String, String)] = []
            for name in ModelsPage.parameters {
                if let change = changes[name] {
                    if let change { pairs.append((name, change)) }
                } else {
                    pairs += query.values(name).map { (name, $0) }
                }
            }
            return HTML.link("/models", pairs)
        }
    }

    static func render(_ request: Request, database: any Database, cache: ListingCache) throws -> String {
        var table = try cache.listing(request.filter, database: database)
        if let sort = request.sort {
            guard let column = table.columns.firstIndex(of: sort) else {
                throw UsageError("sort=\(sort): no such column; the columns are \(table.columns.joined(separator: ", "))")
            }
            table.rows = stableSorted(table.rows, column: column, descending: request.descending)
        }
        let total = table.rows.count
        let pages = max(1, (total + request.size - 1) / request.size)
        let start = min((request.page - 1) * request.size, total)
        table.rows = Array(table.rows[start..<min(start + request.size, total)])

        var body = "<h1>Models</h1>\n"
        body += filterForm(request)
        body += "<p class=\"muted\">\(total) model\(total == 1 ? "" : "s")"
        if !request.filter.descriptions.isEmpty {
            body += " where " + HTML.escape(request.filter.descriptions.joined(separator: ", "))
        }
        body += ". Same as <code>\(HTML.escape(command(request)))</code></p>\n"
        body += TableHTML.render(table, header: { index, column in
            let current = request.sort == column
            let order = current && !request.descending ? "desc" : "asc"
            let arrow = current ? (request.descending ? " ▼" : " ▲") : ""
            return "<a href=\"\(HTML.escape(request.link(["sort": column, "order": order, "page": nil])))\">\(HTML.escape(column))\(arrow)</a>"
        }, cell: { row, index, text in
            guard index == 1, case .text(let experiment) = row[0], case .text(let model) = row[1] else { return HTML.escape(text) }
            return "<a href=\"\(HTML.escape(ModelPage.link(experiment: experiment, model: model)))\">\(HTML.escape(text))</a>"
        })
        body += "<p class=\"pager\">"
        if request.page > 1 {
            body += "<a href=\"\(HTML.escape(request.link(["page": String(request.page - 1)])))\" rel=\"prev\">← previous</a>"
        }
        body += "<span>page \(min(request.page, pages)) of \(pages)</span>"
        if request.page < pages {
            body += "<a href=\"\(HTML.escape(request.link(["page": String(request.page + 1)])))\" rel=\"next\">next →</a>"
        }
        body += "</p>\n"
        return Layout.page(title: "Models", section: .models, body: body)
    }

    private static func filterForm(_ request: Request) -> String {
        var html = "<form class=\"filters\" method=\"get\" action=\"/models\">\n"
        html += "<label>experiment <input type=\"text\" name=\"experiment\" value=\"\(HTML.escape(request.query.value("experiment") ?? ""))\" placeholder=\"any\"></label>\n"
        html += "<label>model <input type=\"text\" name=\"model\" value=\"\(HTML.escape(request.query.value("model") ?? ""))\" placeholder=\"any\"></label>\n"
        let conditions = request.query.values("where")
        for index in 0..<max(conditions.count + 1, 2) {
            let value = index < conditions.count ? conditions[index] : ""
            html += "<label>where <input type=\"text\" name=\"where\" value=\"\(HTML.escape(value))\" placeholder=\"label_corruption&lt;0.5\"></label>\n"
        }
        if let sort = request.sort {
            html += "<input type=\"hidden\" name=\"sort\" value=\"\(HTML.escape(sort))\">"
            html += "<input type=\"hidden\" name=\"order\" value=\"\(request.descending ? "desc" : "asc")\">\n"
        }
        html += "<button type=\"submit\">Filter</button> <a href=\"/models\">clear</a>\n</form>\n"
        return html
    }

    private static func command(_ request: Request) -> String {
        var words = ["lesion", "models"]
        if let experiment = request.filter.experiment { words.append("--experiment=\(experiment)") }
        if let model = request.filter.model { words.append("--model=\(model)") }
        words += request.query.values("where").map { "--where=\($0)" }
        return words.map(AnalysisForm.shellQuoted).joined(separator: " ")
    }

    /// Rows ordered by one column: NULLs last, numbers before text, ties kept in
    /// the listing's own (name) order.
    static func stableSorted(_ rows: [[DatabaseValue]], column: Int, descending: Bool) -> [[DatabaseValue]] {
        func key(_ value: DatabaseValue) -> (Int, Double, String) {
            switch value {
            case .null: return (2, 0, "")
            case .integer(let v): return (0, Double(v), "")
            case .real(let v): return (0, v, "")
            case .text(let v): return (1, 0, v)
            case .blob: return (1, 0, TableRenderer.readable(value))
            }
        }
        return rows.enumerated().sorted { a, b in
            let x = key(a.element[column]), y = key(b.element[column])
            if x.0 != y.0 { return x.0 < y.0 }
            if x.1 != y.1 || x.2 != y.2 {
                let less = x.1 != y.1 ? x.1 < y.1 : x.2 < y.2
                return descending ? !less : less
            }
            return a.offset < b.offset
        }.map(\.element)
    }
}
