import LesionRunFormat
import LesionStore

/// One `--where` condition: `NAME=VALUE`, `NAME<VALUE` or `NAME>VALUE`, on a
/// model attribute or, failing that, a checkpoint metric of the chosen checkpoint.
public struct Condition: Sendable, Equatable, CustomStringConvertible {
    /// How the stored value is compared with the given one.
    public enum Comparison: String, Sendable {
        case equal = "="
        case less = "<"
        case greater = ">"
    }

    /// A value as typed: `true`/`false`, a number, `null`, or text.
    public enum Value: Sendable, Equatable {
        case number(Double)
        case bool(Bool)
        case text(String)
        case null
    }

    public var name: String
    public var comparison: Comparison
    public var value: Value

    /// Reads `NAME=VALUE`, `NAME<VALUE` or `NAME>VALUE` (split at the first operator).
    public init(parsing text: String) throws {
        guard let index = text.firstIndex(where: { $0 == "=" || $0 == "<" || $0 == ">" }) else {
            throw UsageError("--where \(text): expected NAME=VALUE, NAME<VALUE or NAME>VALUE, e.g. --where label_corruption=0.4")
        }
        name = String(text[..<index])
        comparison = Comparison(rawValue: String(text[index])) ?? .equal
        let raw = String(text[text.index(after: index)...])
        guard !name.isEmpty, !raw.isEmpty else {
            throw UsageError("--where \(text): both a name and a value are needed, e.g. --where batch_norm=true")
        }
        switch raw {
        case "true": value = .bool(true)
        case "false": value = .bool(false)
        case "null": value = .null
        default: value = Double(raw).map(Value.number) ?? .text(raw)
        }
        if comparison != .equal, case .number = value {} else if comparison != .equal {
            throw UsageError("--where \(text): < and > compare numbers; \(raw) is not a number")
        }
    }

    public var description: String {
        let shown: String
        switch value {
        case .number(let v): shown = JSONText.number(v)
        case .bool(let v): shown = String(v)
        case .text(let v): shown = v
        case .null: shown = "null"
        }
        return "\(name)\(comparison.rawValue)\(shown)"
    }

    /// The condition as SQL over `m` (models) and `c` (the chosen checkpoint).
    func sql() -> SQL {
        let op = SQL(stringLiteral: comparison.rawValue)
        let attribute: SQL
        switch value {
        case .number(let v):
            attribute = "a.kind = 'number' AND a.number_value \(op) \(v)"
        case .bool(let v):
            attribute = "a.kind = 'boolean' AND a.number_value = \(v ? 1 : 0)"
        case .text(let v):
            attribute = "a.kind = 'text' AND a.text_value = \(v)"
        case .null:
            attribute = "a.kind = 'null'"
        }
        var metric: SQL = "1 = 0"
        if case .number(let v) = value {
            metric = "cm.value \(op) \(v)"
        }
        return """
            (EXISTS (SELECT 1 FROM model_attributes a WHERE a.model_id = m.id AND a.name = \(name) AND \(attribute)) \
            OR (NOT EXISTS (SELECT 1 FROM model_attributes a2 WHERE a2.model_id = m.id AND a2.name = \(name)) \
            AND EXISTS (SELECT 1 FROM checkpoint_metrics cm WHERE cm.checkpoint_id = c.id AND cm.name = \(name) AND \(metric))))
            """
    }
}

/// Which checkpoint of each selected model takes part.
public enum StepChoice: Sendable, Equatable, CustomStringConvertible {
    /// The checkpoint with the largest step (the default).
    case last
    /// The checkpoint with this step; models without it are not selected.
    case step(Int)
    /// Every checkpoint, each as its own observation.
    case all

    /// Reads `last`, `all` or a step number.
    public init(parsing text: String) throws {
        switch text {
        case "last": self = .last
        case "all": self = .all
        default:
            guard let step = Int(text), step >= 0 else {
                throw UsageError("--step \(text): expected a step number, `last` or `all`")
            }
            self = .step(step)
        }
    }

    public var description: String {
        switch self {
        case .last: return "last"
        case .all: return "all"
        case .step(let step): return String(step)
        }
    }
}

/// The models (and checkpoints) a command works on: `--experiment`, `--model`,
/// `--where` and `--step`.
public struct ModelFilter: Sendable, Equatable {
    public var experiment: String?
    public var model: String?
    public var conditions: [Condition]
    public var step: StepChoice

    /// A filter; with no arguments it selects every model's last checkpoint.
    public init(experiment: String? = nil, model: String? = nil, conditions: [Condition] = [], step: StepChoice = .last) {
        self.experiment = experiment
        self.model = model
        self.conditions = conditions
        self.step = step
    }

    /// A query of `experiment, model, model_id, checkpoint_id, step` for every
    /// selected checkpoint, ordered by model (as stored) and step; callers sort
    /// names in Swift so that both backends agree on the order.
    public func selectionSQL(ordered: Bool = true) -> SQL {
        var clauses: [SQL] = []
        var lastStep: SQL = ""
        if let experiment { clauses.append("e.name = \(experiment)") }
        if let model { clauses.append("m.name = \(model)") }
        switch step {
        case .last:
            // Each model's last step: a correlated subquery for SQLite, a join with the
            // grouped maximum for PostgreSQL. The same rows; but Citus cannot push a
            // correlated subquery down with the value scan (it became a separate step,
            // and each worker then scanned its whole shard), and SQLite's plan for the
            // join takes half as long again over a million units.
            lastStep = .dialects(
                sqlite: " AND c.step = (SELECT MAX(c2.step) FROM checkpoints c2 WHERE c2.model_id = m.id)",
                postgresql: " JOIN (SELECT model_id, MAX(step) AS step FROM checkpoints GROUP BY model_id) last_step "
                    + "ON last_step.model_id = m.id AND c.step = last_step.step")
        case .step(let value): clauses.append("c.step = \(value)")
        case .all: break
        }
        clauses.append(contentsOf: conditions.map { $0.sql() })
        let whereClause: SQL = clauses.isEmpty ? "" : " WHERE " + SQL.joined(clauses, separator: " AND ")
        return """
            SELECT e.name AS experiment, m.name AS model, m.id AS model_id, c.id AS checkpoint_id, c.step AS step \
            FROM models m JOIN experiments e ON e.id = m.experiment_id \
            JOIN checkpoints c ON c.model_id = m.id\(lastStep)\(whereClause)\(unsafeRaw: ordered ? " ORDER BY m.id, c.step" : "")
            """
    }

    /// The filters as given, for reports (`["experiment=E", "label_corruption<0.5"]`).
    public var descriptions: [String] {
        var result: [String] = []
        if let experiment { result.append("experiment=\(experiment)") }
        if let model { result.append("model=\(model)") }
        result.append(contentsOf: conditions.map(\.description))
        return result
    }
}

/// A mistake in how a command was called; the command line exits with code 2.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// A usage error with a plain message that says how to fix it.
    public init(_ message: String) { description = message }
}
