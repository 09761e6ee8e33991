import Foundation
import LesionRunFormat
import LesionStore

/// Everything `lesion show` tells about one model, as titled tables.
public struct ModelDescription {
    /// Titled sections, in the order they are printed.
    public var sections: [(title: String, table: ResultTable)]

    /// Reads the description of `model`.
    public init(database: any Database, model: ModelName) throws {
        let classes = try database.fetchOne("SELECT classes FROM models WHERE id = \(model.id)", { $0.value(0) }) ?? .null
        let provenance = try database.fetchOne("""
            SELECT i.source, i.ingested_at, i.user_name, i.host, i.tool_version FROM models m \
            JOIN ingests i ON i.id = m.ingest_id WHERE m.id = \(model.id)
            """, { row in (0..<5).map { row.value($0) } }) ?? []
        var overview = ResultTable(columns: ["field", "value"])
        overview.rows = [
            [.text("experiment"), .text(model.experiment)],
            [.text("model"), .text(model.model)],
            [.text("classes"), classes],
        ]
        for (name, value) in zip(["first ingested from", "at", "by", "on host", "with lesion"], provenance) {
            overview.rows.append([.text(name), value])
        }
        if let layout = try ClusterLayout.read(database) {
            overview.rows.append([.text("database"), .text(layout.summary)])
        }
        let attributes = try AttributeReader(database: database).attributes(modelId: model.id)
        for attribute in attributes {
            overview.rows.append([.text("attribute \(attribute.name)"), ModelCatalog.cell(attribute.value)])
        }

        let layers = ResultTable(columns: ["depth", "layer", "units", "kind"], rows: try database.fetchAll(
            "SELECT depth, name, units, kind FROM layers WHERE model_id = \(model.id) ORDER BY depth",
            { row in (0..<4).map { row.value($0) } }))

        let metricNames = try database.fetchAll("""
            SELECT DISTINCT cm.name FROM checkpoint_metrics cm JOIN checkpoints c ON c.id = cm.checkpoint_id \
            WHERE c.model_id = \(model.id)
            """, { try $0.decode(String.self, at: 0) }).sorted()
        var checkpoints = ResultTable(columns: ["step"] + metricNames + ["source"])
        let checkpointRows = try database.fetchAll("""
            SELECT c.id, c.step, i.source FROM checkpoints c JOIN ingests i ON i.id = c.ingest_id \
            WHERE c.model_id = \(model.id) ORDER BY c.step
            """, { (id: try $0.decode(Int64.self, at: 0), step: $0.value(1), source: $0.value(2)) })
        for checkpoint in checkpointRows {
            let values = try database.fetchAll(
                "SELECT name, value FROM checkpoint_metrics WHERE checkpoint_id = \(checkpoint.id)",
                { (name: try $0.decode(String.self, at: 0), value: $0.value(1)) })
            let byName = Dictionary(values.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            checkpoints.rows.append([checkpoint.step] + metricNames.map { byName[$0] ?? .null } + [checkpoint.source])
        }

        // Per-class values are packed one row per unit (schema v5): counted here
        // from the vectors, the others in SQL. Both queries name a metric by its
        // layer's name and its own, in columns 0 and 1.
        func metricKey(_ row: any Row) throws -> [String] {
            [try row.decode(String.self, at: 0), try row.decode(String.self, at: 1)]
        }
        var vectorCounts: [[String]: (values: Int, undefined: Int)] = [:]
        var unpacked: [Double] = []
        try database.forEachRow("""
            SELECT l.name, um.name, v.vector FROM unit_class_vectors v \
            JOIN unit_metrics um ON um.id = v.unit_metric_id JOIN layers l ON l.id = um.layer_id \
            WHERE l.model_id = \(model.id)
            """) { row in
            let key = try metricKey(row)
            unpacked.removeAll(keepingCapacity: true)
            try PackedDoubles.append(row, column: 2, to: &unpacked)
            let counts = vectorCounts[key] ?? (0, 0)
            vectorCounts[key] = (counts.values + unpacked.count, counts.undefined + unpacked.lazy.filter(\.isNaN).count)
        }
        let unitMetrics = ResultTable(columns: ["layer", "metric", "per_class", "checkpoints", "values", "undefined"], rows: try database.fetchAll("""
            SELECT l.name, um.name, um.per_class, COUNT(DISTINCT um.checkpoint_id), \
            COUNT(COALESCE(v.unit, tv.unit)), \
            SUM(CASE WHEN v.value IS NULL AND tv.value IS NULL THEN 1 ELSE 0 END) \
            FROM unit_metrics um JOIN layers l ON l.id = um.layer_id \
            LEFT JOIN unit_values v ON v.unit_metric_id = um.id \
            LEFT JOIN unit_text_values tv ON tv.unit_metric_id = um.id \
            WHERE l.model_id = \(model.id) GROUP BY l.depth, l.name, um.name, um.per_class ORDER BY l.depth, um.name
            """, { row in
                let perClass = try row.decode(Bool.self, at: 2)
                var counts = [row.value(4), row.value(5)]
                if perClass {
                    let vector = vectorCounts[try metricKey(row)] ?? (0, 0)
                    counts = [.integer(Int64(vector.values)), .integer(Int64(vector.undefined))]
                }
                return [row.value(0), row.value(1), .text(perClass ? "yes" : "no"), row.value(3)] + counts
            }))

        let curves = ResultTable(columns: ["perturbation", "scope", "order", "seeds", "checkpoints", "points"], rows: try database.fetchAll("""
            SELECT cv.perturbation, cv.scope, cv.unit_order, COUNT(DISTINCT cv.seed), COUNT(DISTINCT cv.checkpoint_id), \
            COUNT(p.point) FROM curves cv JOIN checkpoints c ON c.id = cv.checkpoint_id \
            LEFT JOIN curve_points p ON p.curve_id = cv.id \
            WHERE c.model_id = \(model.id) GROUP BY cv.perturbation, cv.scope, cv.unit_order \
            ORDER BY cv.perturbation, cv.scope, cv.unit_order
            """, { row in (0..<6).map { row.value($0) } }))

        sections = [
            ("Model", overview), ("Layers", layers), ("Checkpoints", checkpoints),
            ("Unit metrics", unitMetrics), ("Curves", curves),
        ]
        if let labels = try LabelSummary.table(database: database, modelId: model.id) {
            sections.insert(("Labels", labels), at: 4)
        }
    }

    /// The description as text in `format`: titled tables, or one JSON object
    /// with a key per section.
    public func render(as format: OutputFormat) -> String {
        if format == .json {
            let members = sections.map { section in
                (section.title.lowercased().replacingOccurrences(of: " ", with: "_"), TableRenderer.jsonRows(section.table))
            }
            return JSONOutput.object(members).rendered() + "\n"
        }
        return sections.map { section in
            let heading = format == .markdown ? "## \(section.title)\n\n" : "\(section.title)\n"
            return heading + TableRenderer.render(section.table, as: format)
        }.joined(separator: "\n")
    }
}
