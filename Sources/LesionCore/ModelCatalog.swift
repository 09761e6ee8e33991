import LesionRunFormat
import LesionStore

/// A stored model's identity.
public struct ModelName: Sendable, Hashable, CustomStringConvertible {
    public var experiment: String
    public var model: String
    /// The model's row id.
    public var id: Int64

    public var description: String { "\(experiment)/\(model)" }
}

/// Lists, describes, finds and removes stored models.
public struct ModelCatalog {
    let database: any Database

    /// A catalog over `database`.
    public init(database: any Database) {
        self.database = database
    }

    /// The selected checkpoints, sorted by experiment, model and step.
    public func selection(_ filter: ModelFilter) throws -> [(model: ModelName, checkpointId: Int64, step: Int)] {
        let rows = try database.fetchAll(filter.selectionSQL()) { row in
            (model: ModelName(experiment: try row.decode(String.self, at: 0), model: try row.decode(String.self, at: 1), id: try row.decode(Int64.self, at: 2)),
             checkpointId: try row.decode(Int64.self, at: 3), step: try row.decode(Int.self, at: 4))
        }
        return rows.sorted { ($0.model.experiment, $0.model.model, $0.step) < ($1.model.experiment, $1.model.model, $1.step) }
    }

    /// The models that `filter` selects (each once), sorted by name.
    public func models(_ filter: ModelFilter) throws -> [ModelName] {
        var seen = Set<Int64>()
        return try selection(filter).compactMap { seen.insert($0.model.id).inserted ? $0.model : nil }
    }

    /// Finds `EXPERIMENT/MODEL`. Names may themselves hold `/`, so every split is
    /// tried; more than one match is reported as ambiguous.
    public func find(_ text: String) throws -> ModelName {
        var matches: [ModelName] = []
        var index = text.startIndex
        while let slash = text[index...].firstIndex(of: "/") {
            let experiment = String(text[..<slash])
            let model = String(text[text.index(after: slash)...])
            if let id = try database.fetchOne("""
                SELECT m.id FROM models m JOIN experiments e ON e.id = m.experiment_id \
                WHERE e.name = \(experiment) AND m.name = \(model)
                """, { try $0.decode(Int64.self, at: 0) }) {
                matches.append(ModelName(experiment: experiment, model: model, id: id))
            }
            index = text.index(after: slash)
        }
        guard let first = matches.first else {
            if !text.contains("/") {
                throw UsageError("\(text): name a model as EXPERIMENT/MODEL (see `lesion models`)")
            }
            throw NotFoundError(description: "no stored model is named \(text); `lesion models` lists them")
        }
        guard matches.count == 1 else {
            throw UsageError("\(text) is ambiguous: it names \(matches.map { "experiment \"\($0.experiment)\" model \"\($0.model)\"" }.joined(separator: " and "))")
        }
        return first
    }

    /// Finds the model `model` of experiment `experiment` (names taken whole, as the
    /// web pages' links give them).
    public func find(experiment: String, model: String) throws -> ModelName {
        guard let id = try database.fetchOne("""
            SELECT m.id FROM models m JOIN experiments e ON e.id = m.experiment_id \
            WHERE e.name = \(experiment) AND m.name = \(model)
            """, { try $0.decode(Int64.self, at: 0) }) else {
            throw NotFoundError(description: "no stored model is named \(experiment)/\(model); `lesion models` lists them")
        }
        return ModelName(experiment: experiment, model: model, id: id)
    }

    /// One row per model: experiment, model, each attribute as a column, the
    /// last step and its train and test accuracy.
    public func listing(_ filter: ModelFilter) throws -> ResultTable {
        var lastOnly = filter
        lastOnly.step = .last
        let selected = try selection(lastOnly)
        // Attributes and metrics of all selected models in two set-wise queries,
        // not two per model.
        var attributesByModel: [Int64: [Attribute]] = [:]
        try database.forEachRow("""
            WITH sel AS (\(lastOnly.selectionSQL(ordered: false))) \
            SELECT a.model_id, a.name, a.kind, a.number_value, a.text_value FROM model_attributes a \
            WHERE a.model_id IN (SELECT model_id FROM sel) ORDER BY a.model_id, a.position
            """) { row in
            attributesByModel[try row.decode(Int64.self, at: 0), default: []].append(Attribute(
                name: try row.decode(String.self, at: 1),
                value: StoredAttribute.value(kind: try row.decode(String.self, at: 2), number: try row.decodeIfPresent(Double.self, at: 3), text: try row.decodeIfPresent(String.self, at: 4))))
        }
        var attributeNames: [String] = []
        for entry in selected {
            for attribute in attributesByModel[entry.model.id] ?? [] where !attributeNames.contains(attribute.name) {
                attributeNames.append(attribute.name)
            }
        }
        let metrics = try SelectionContext.checkpointMetrics(
            database: database, filter: lastOnly, names: ["train_accuracy", "test_accuracy"])
        var table = ResultTable(columns: ["experiment", "model"] + attributeNames + ["last_step", "train_accuracy", "test_accuracy"])
        for entry in selected {
            let attributes = Dictionary(
                (attributesByModel[entry.model.id] ?? []).map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            let byName = metrics[entry.checkpointId] ?? [:]
            var row: [DatabaseValue] = [.text(entry.model.experiment), .text(entry.model.model)]
            row += attributeNames.map { attributes[$0].map(ModelCatalog.cell) ?? .null }
            row += [.integer(Int64(entry.step)), ReportText.cell(byName["train_accuracy"]), ReportText.cell(byName["test_accuracy"])]
            table.rows.append(row)
        }
        return table
    }

    /// An attribute as a table cell (booleans as text `true`/`false`).
    static func cell(_ value: AttributeValue) -> DatabaseValue {
        switch value {
        case .number(let v): return .real(v)
        case .bool(let v): return .text(v ? "true" : "false")
        case .text(let v): return .text(v)
        case .null: return .null
        }
    }

    /// Removes `model` and every row that belongs to it; returns the number of
    /// checkpoints removed.
    @discardableResult
    public func remove(_ model: ModelName) throws -> Int {
        try PermissionError.translating { try removeInTransaction(model) }
    }

    private func removeInTransaction(_ model: ModelName) throws -> Int {
        try database.transaction {
            try database.lockForTransaction(key: DocumentWriter.identityKey(model.experiment, model.model))
            let checkpoints = try database.fetchOne("SELECT COUNT(*) FROM checkpoints WHERE model_id = \(model.id)", { try $0.decode(Int.self, at: 0) }) ?? 0
            try database.execute("DELETE FROM models WHERE id = \(model.id)")
            try database.execute("""
                DELETE FROM ingests WHERE NOT EXISTS (SELECT 1 FROM models m WHERE m.ingest_id = ingests.id) \
                AND NOT EXISTS (SELECT 1 FROM checkpoints c WHERE c.ingest_id = ingests.id)
                """)
            return checkpoints
        }
    }
}

/// A name that matches nothing stored.
public struct NotFoundError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// The error, with a message that names what was looked for.
    public init(description: String) { self.description = description }
}
