import LesionCore
import LesionStore

/// Prepares one analysis from command-line arguments: the `lesion` executable
/// parses them with the command's own parser (so a bad value gets the command
/// line's message) and returns the run, which takes a connection.
public typealias AnalysisPreparer =
    @Sendable (_ analysis: String, _ arguments: [String]) throws -> @Sendable (any Database) throws -> AnalysisReport

/// `/query/<analysis>`: a form with the command's options, and the result as the
/// terminal shows it: tables, notes, the answer sentence and the chart.
enum AnalysisPage {
    /// The page for `form` asked with `arguments` and answered with `report`.
    static func render(form: AnalysisForm, query: QueryParameters, arguments: [String], report: AnalysisReport) -> String {
        var body = "<h1>\(HTML.escape(form.name))</h1>\n<p class=\"muted\">\(HTML.escape(form.question))</p>\n"
        body += formHTML(form, query: query)
        body += "<p>Same as:</p><pre class=\"cli\">\(HTML.escape(form.command(arguments)))</pre>\n"
        body += "<p class=\"muted\">As JSON: <a href=\"\(HTML.escape(apiLink(form, query)))\">\(HTML.escape(apiLink(form, query)))</a></p>\n"
        if let answer = report.answer {
            body += "<p class=\"answer\">\(HTML.escape(answer))</p>\n"
        }
        if let svg = report.svgChart() {
            body += "<figure class=\"chart\">\(TableHTML.inlineSVG(svg))</figure>\n"
        }
        for section in report.sections {
            if let title = section.title { body += "<h2>\(HTML.escape(title))</h2>\n" }
            body += TableHTML.render(section.table)
        }
        for note in report.notes {
            body += "<p class=\"note\">\(HTML.escape(note))</p>\n"
        }
        return Layout.page(title: form.name, section: .query, body: body)
    }

    /// The form alone, with the request's values filled in (used by the 400 page too).
    static func formHTML(_ form: AnalysisForm, query: QueryParameters) -> String {
        var html = "<form class=\"filters\" method=\"get\" action=\"/query/\(HTML.escape(form.name))\">\n"
        for field in form.fields {
            let name = HTML.escape(field.name)
            switch field.kind {
            case .text(let placeholder):
                html += "<label title=\"\(HTML.escape(field.help))\">\(name) <input type=\"text\" name=\"\(name)\" "
                    + "value=\"\(HTML.escape(query.value(field.name) ?? ""))\" placeholder=\"\(HTML.escape(placeholder))\"></label>\n"
            case .flag:
                let checked = query.value(field.name) != nil ? " checked" : ""
                html += "<label class=\"check\" title=\"\(HTML.escape(field.help))\"><input type=\"checkbox\" name=\"\(name)\" value=\"on\"\(checked)> \(name)</label>\n"
            case .repeated(let placeholder):
                let values = query.values(field.name)
                for index in 0..<max(values.count + 1, 2) {
                    let value = index < values.count ? values[index] : ""
                    html += "<label title=\"\(HTML.escape(field.help))\">\(name) <input type=\"text\" name=\"\(name)\" "
                        + "value=\"\(HTML.escape(value))\" placeholder=\"\(HTML.escape(placeholder))\"></label>\n"
                }
            }
        }
        html += "<button type=\"submit\">Ask</button> <a href=\"/query/\(HTML.escape(form.name))\">defaults</a>\n</form>\n"
        return html
    }

    /// The JSON API's address for the same question.
    static func apiLink(_ form: AnalysisForm, _ query: QueryParameters) -> String {
        HTML.link("/api/query/\(form.name)", query.pairs.map { ($0.name, $0.value) })
    }
}
