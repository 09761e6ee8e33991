import LesionCharts
import LesionCore
import LesionStore

/// `/model?experiment=E&model=M`: everything `lesion show` tells, with each unit
/// metric's distribution per layer and the model's curves drawn as SVG.
enum ModelPage {
    static let parameters = ["experiment", "model"]

    /// The page's address for a model.
    static func link(experiment: String, model: String) -> String {
        HTML.link("/model", [("experiment", experiment), ("model", model)])
    }

    /// The model the request names, before the database is touched.
    static func names(_ query: QueryParameters) throws -> (experiment: String, model: String) {
        try query.requireOnly(parameters)
        guard let experiment = query.value("experiment"), let model = query.value("model") else {
            throw UsageError("name the model with both experiment=… and model=… (the models page links them)")
        }
        return (experiment, model)
    }

    static func render(experiment: String, model: String, database: any Database) throws -> String {
        let name = try ModelCatalog(database: database).find(experiment: experiment, model: model)
        let description = try ModelDescription(database: database, model: name)
        var body = "<h1>\(HTML.escape(name.experiment)) / \(HTML.escape(name.model))</h1>\n"
        body += "<p class=\"muted\">Same as <code>\(HTML.escape(AnalysisForm.shellQuoted("lesion") + " show " + AnalysisForm.shellQuoted(name.description)))</code></p>\n"
        // The short tables side by side (Model beside Layers over Checkpoints), then
        // the charts, then the long tables.
        let columns = [["Model"], ["Layers", "Checkpoints"]]
        body += "<div class=\"side-by-side\">\n"
        for titles in columns {
            body += "<section>\n"
            for section in description.sections where titles.contains(section.title) {
                body += "<h2>\(HTML.escape(section.title))</h2>\n" + TableHTML.render(section.table)
            }
            body += "</section>\n"
        }
        body += "</div>\n"
        let short = columns.flatMap { $0 }
        body += try distributions(model: name, database: database)
        body += try curves(model: name, database: database)
        for section in description.sections where !short.contains(section.title) {
            body += "<h2>\(HTML.escape(section.title))</h2>\n" + TableHTML.render(section.table)
        }
        return Layout.page(title: name.description, section: .models, body: body)
    }

    /// The model's last checkpoint, as a subquery.
    private static func lastCheckpoint(_ model: ModelName) -> SQL {
        "(SELECT c.id FROM checkpoints c WHERE c.model_id = \(model.id) ORDER BY c.step DESC LIMIT 1)"
    }

    /// A histogram (as a frequency polygon) of each scalar unit metric per layer, at the last checkpoint.
    private static func distributions(model: ModelName, database: any Database) throws -> String {
        var groups: [(layer: String, metric: String, values: [Double])] = []
        try database.forEachRow("""
            SELECT l.name, um.name, v.value FROM unit_values v JOIN unit_metrics um ON um.id = v.unit_metric_id \
            JOIN layers l ON l.id = um.layer_id WHERE um.checkpoint_id = \(lastCheckpoint(model)) \
            ORDER BY l.depth, um.name
            """) { row in
            guard let value = row.double(2), value.isFinite else { return }
            let layer = try row.decode(String.self, at: 0), metric = try row.decode(String.self, at: 1)
            if groups.last?.layer != layer || groups.last?.metric != metric {
                groups.append((layer, metric, []))
            }
            groups[groups.count - 1].values.append(value)
        }
        guard !groups.isEmpty else { return "" }
        var html = "<h2>Unit metrics at the last checkpoint: distribution per layer</h2>\n<div class=\"charts\">\n"
        for group in groups {
            let chart = Chart(
                title: "\(group.layer) · \(group.metric) (\(group.values.count) units)", xLabel: group.metric, yLabel: "units",
                series: [ChartSeries(label: "per bin", points: histogram(group.values))], kind: .lines)
            html += "<figure>" + TableHTML.inlineSVG(SVGChartRenderer.render(chart, width: 460, height: 280)) + "</figure>\n"
        }
        return html + "</div>\n"
    }

    /// Counts of `values` in equal bins between their least and greatest, at the
    /// bins' centres: √n bins (3 to 30), so that a layer of 8 units is not all spikes.
    static func histogram(_ values: [Double]) -> [ChartPoint] {
        guard let low = values.min(), let high = values.max() else { return [] }
        guard high > low else { return [ChartPoint(x: low - 0.5, y: 0), ChartPoint(x: low, y: Double(values.count)), ChartPoint(x: low + 0.5, y: 0)] }
        let bins = min(max(Int(Double(values.count).squareRoot().rounded(.up)), 3), 30)
        let width = (high - low) / Double(bins)
        var counts = [Int](repeating: 0, count: bins)
        for value in values {
            counts[min(Int((value - low) / width), bins - 1)] += 1
        }
        // A frequency polygon closes at zero half a bin beyond each end, which also
        // puts zero on the y axis.
        let centres = counts.enumerated().map { ChartPoint(x: low + (Double($0.offset) + 0.5) * width, y: Double($0.element)) }
        return [ChartPoint(x: low - width / 2, y: 0)] + centres + [ChartPoint(x: high + width / 2, y: 0)]
    }

    /// One chart per perturbation and curve metric at the last checkpoint: a line per
    /// scope and order, averaged over seeds.
    private static func curves(model: ModelName, database: any Database) throws -> String {
        var charts: [(key: String, chart: Chart)] = []
        try database.forEachRow("""
            SELECT cv.perturbation, cmt.name, cv.scope, cv.unit_order, p.x, AVG(v.value) FROM curve_values v \
            JOIN curve_metrics cmt ON cmt.id = v.curve_metric_id JOIN curves cv ON cv.id = cmt.curve_id \
            JOIN curve_points p ON p.curve_id = cv.id AND p.point = v.point \
            WHERE cv.checkpoint_id = \(lastCheckpoint(model)) \
            GROUP BY cv.perturbation, cmt.name, cv.scope, cv.unit_order, p.x ORDER BY 1, 2, 3, 4, 5
            """) { row in
            guard let x = row.double(4), let y = row.double(5) else { return }
            let perturbation = try row.decode(String.self, at: 0), metric = try row.decode(String.self, at: 1)
            // A noise curve has no order (NULL): its series is named by its scope alone.
            let order = try row.decodeIfPresent(String.self, at: 3)
            let series = try row.decode(String.self, at: 2) + (order.map { " · \($0)" } ?? "")
            let key = perturbation + "\u{0}" + metric
            if charts.last?.key != key {
                charts.append((key, Chart(
                    title: "\(perturbation): \(metric)", xLabel: perturbation == "noise" ? "noise" : "fraction ablated",
                    yLabel: metric, series: [], kind: .lines)))
            }
            var chart = charts[charts.count - 1].chart
            if chart.series.last?.label != series { chart.series.append(ChartSeries(label: series, points: [])) }
            chart.series[chart.series.count - 1].points.append(ChartPoint(x: x, y: y))
            charts[charts.count - 1].chart = chart
        }
        guard !charts.isEmpty else { return "" }
        var html = "<h2>Curves at the last checkpoint (mean over seeds)</h2>\n<div class=\"charts wide\">\n"
        for entry in charts {
            html += "<figure>" + TableHTML.inlineSVG(SVGChartRenderer.render(entry.chart, width: 640, height: 360)) + "</figure>\n"
        }
        return html + "</div>\n"
    }
}
