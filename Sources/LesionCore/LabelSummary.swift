import LesionStore

/// The text unit metrics (labels) of one model, for `lesion show`: per layer and
/// metric, how many units carry a label over all checkpoints, how many distinct
/// labels there are, and the most frequent ones.
enum LabelSummary {
    /// How many of the most frequent labels are listed, and how much of each.
    static let shownLabels = 3
    static let shownCharacters = 40

    /// The table, or nil when the model has no text metric.
    static func table(database: any Database, modelId: Int64) throws -> ResultTable? {
        struct Key: Hashable { var depth: Int; var layer: String; var metric: String }
        var counts: [Key: [(label: String?, count: Int)]] = [:]
        try database.forEachRow("""
            SELECT l.depth, l.name, um.name, tv.value, COUNT(*) FROM unit_text_values tv \
            JOIN unit_metrics um ON um.id = tv.unit_metric_id JOIN layers l ON l.id = um.layer_id \
            WHERE l.model_id = \(modelId) GROUP BY l.depth, l.name, um.name, tv.value
            """) { row in
            let key = Key(depth: try row.decode(Int.self, at: 0), layer: try row.decode(String.self, at: 1), metric: try row.decode(String.self, at: 2))
            counts[key, default: []].append((try row.decodeIfPresent(String.self, at: 3), try row.decode(Int.self, at: 4)))
        }
        guard !counts.isEmpty else { return nil }
        var table = ResultTable(columns: ["layer", "metric", "labelled", "unlabelled", "distinct", "most frequent"])
        for key in counts.keys.sorted(by: { ($0.depth, $0.metric) < ($1.depth, $1.metric) }) {
            let entries = counts[key] ?? []
            let labelled = entries.filter { $0.label != nil }
            let frequent = labelled
                .sorted { ($1.count, $0.label ?? "") < ($0.count, $1.label ?? "") }
                .prefix(shownLabels)
                .map { "\(shorten($0.label ?? "")) ×\($0.count)" }
            table.rows.append([
                .text(key.layer), .text(key.metric),
                .integer(Int64(labelled.reduce(0) { $0 + $1.count })),
                .integer(Int64(entries.filter { $0.label == nil }.reduce(0) { $0 + $1.count })),
                .integer(Int64(labelled.count)),
                .text(frequent.joined(separator: ", ")),
            ])
        }
        return table
    }

    private static func shorten(_ label: String) -> String {
        label.count > shownCharacters ? String(label.prefix(shownCharacters - 1)) + "…" : label
    }
}
