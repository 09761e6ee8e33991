import LesionCharts
import LesionStore

/// An analysis's result ready to print: titled tables, notes on what was left
/// out, the one-sentence answer, and the JSON object of the scripts' contract.
public struct AnalysisReport: Sendable {
    /// Tables in print order, each with an optional title.
    public var sections: [(title: String?, table: ResultTable)]
    /// Lines under the tables (left-out counts).
    public var notes: [String]
    /// The answer in plain words; nil where the analysis asks no yes/no question.
    public var answer: String?
    /// The `--format json` object.
    public var json: JSONOutput
    /// The chart of the result, where the analysis draws one.
    public var chart: Chart?

    /// A report; `chart` is optional.
    public init(sections: [(title: String?, table: ResultTable)], notes: [String], answer: String?, json: JSONOutput, chart: Chart? = nil) {
        self.sections = sections
        self.notes = notes
        self.answer = answer
        self.json = json
        self.chart = chart
    }

    /// The chart as text for a terminal `width` columns wide; nil without a chart.
    public func terminalChart(width: Int, color: Bool) -> String? {
        chart.map { TerminalChartRenderer.render($0, width: width, height: 20, color: color) }
    }

    /// The chart as a standalone SVG document; nil without a chart.
    public func svgChart() -> String? {
        chart.map { SVGChartRenderer.render($0) }
    }

    /// The report as text in `format`.
    public func render(as format: OutputFormat) -> String {
        switch format {
        case .json:
            return json.rendered() + "\n"
        case .csv:
            // Several tables are separated by a blank line, each with its header.
            return sections.map { TableRenderer.render($0.table, as: .csv) }.joined(separator: "\n")
        case .table, .markdown:
            // Titles, notes and the answer name stored groups: printable, like the cells.
            let printable = TableRenderer.printable
            var text = sections.map { section in
                var block = ""
                if let title = section.title.map(printable) {
                    block += format == .markdown ? "### \(title)\n\n" : "\(title)\n"
                }
                return block + TableRenderer.render(section.table, as: format)
            }.joined(separator: "\n")
            if !notes.isEmpty { text += "\n" + notes.map(printable).joined(separator: "\n") + "\n" }
            if let answer = answer.map(printable) { text += "\n" + (format == .markdown ? "**\(answer)**" : answer) + "\n" }
            return text
        }
    }
}

/// Small formatting helpers shared by the analyses' reports.
enum ReportText {
    /// A statistic for a sentence, rounded: "−0.04".
    static func short(_ value: Double?, digits: Int = 2) -> String {
        guard let value, value.isFinite else { return "n/a" }
        let text = String(format: "%.\(digits)f", value)
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }

    /// How strong a correlation is, in Cohen's conventional words.
    static func strength(_ rho: Double) -> String {
        switch abs(rho) {
        case ..<0.1: return "but negligibly"
        case ..<0.3: return "but weakly"
        case ..<0.5: return "moderately"
        default: return "strongly"
        }
    }

    /// A p-value for a sentence: "p = 0.013" or "p < 0.001".
    static func p(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "p n/a" }
        return value < 0.001 ? "p < 0.001" : "p = " + String(format: "%.3f", value)
    }

    /// A cell for an optional number.
    static func cell(_ value: Double?) -> DatabaseValue {
        guard let value, !value.isNaN else { return .null }
        return .real(value)
    }

    /// A cell for a group value (empty for the pooled row).
    static func cell(_ group: GroupValue?) -> DatabaseValue {
        guard let group else { return .text("(pooled)") }
        switch group {
        case .bool(let v): return .text(String(v))
        case .number(let v): return .real(v)
        case .text(let v): return .text(v)
        case .noLabel: return .text(group.description)
        }
    }
}
