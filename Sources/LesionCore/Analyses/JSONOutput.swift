import LesionRunFormat
/// A JSON value built in code: the one JSON writer of lesion's output formats
/// (`--format json` of the analyses, `sql`, the listings and `show`). Keys keep
/// their order; numbers print as ``JSONText/number(_:)`` spells them (full
/// precision, integral values as integers, non-finite as `null`).
public indirect enum JSONOutput: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int)
    case string(String)
    case array([JSONOutput])
    case object([(String, JSONOutput)])

    /// A number, or `null` where it does not exist (nil, NaN, ±Infinity).
    public static func number(_ value: Double?) -> JSONOutput {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// JSON text, two-space indented for reading down to depth `compactFrom`,
    /// compact from there on (a table's rows one per line with `compactFrom: 1`).
    public func rendered(indent: Int = 0, compactFrom: Int = 2) -> String {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch self {
        case .null: return "null"
        case .bool(let v): return v ? "true" : "false"
        case .number(let v): return JSONText.number(v)
        case .integer(let v): return String(v)
        case .string(let v): return JSONText.quoted(v)
        case .array(let items):
            if items.isEmpty { return "[]" }
            if indent >= compactFrom { return "[" + items.map { $0.rendered(indent: indent + 1, compactFrom: compactFrom) }.joined(separator: ", ") + "]" }
            return "[\n" + items.map { pad + $0.rendered(indent: indent + 1, compactFrom: compactFrom) }.joined(separator: ",\n") + "\n" + closePad + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            if indent >= compactFrom {
                return "{" + members.map { JSONText.quoted($0.0) + ": " + $0.1.rendered(indent: indent + 1, compactFrom: compactFrom) }.joined(separator: ", ") + "}"
            }
            return "{\n" + members.map { pad + JSONText.quoted($0.0) + ": " + $0.1.rendered(indent: indent + 1, compactFrom: compactFrom) }
                .joined(separator: ",\n") + "\n" + closePad + "}"
        }
    }

    public static func == (lhs: JSONOutput, rhs: JSONOutput) -> Bool {
        lhs.rendered() == rhs.rendered()
    }
}
