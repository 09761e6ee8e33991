import LesionRunFormat
import LesionStore

/// How an attribute value is laid out in `model_attributes`: a kind, and the
/// value in `number_value` (numbers, booleans as 0/1) or `text_value`.
struct StoredAttribute {
    var kind: String
    var number: Double?
    var text: String?

    init(_ value: AttributeValue) {
        switch value {
        case .number(let v): kind = "number"; number = v; text = nil
        case .bool(let v): kind = "boolean"; number = v ? 1 : 0; text = nil
        case .text(let v): kind = "text"; number = nil; text = v
        case .null: kind = "null"; number = nil; text = nil
        }
    }

    /// The value back from its stored columns.
    static func value(kind: String, number: Double?, text: String?) -> AttributeValue {
        switch kind {
        case "number": return number.map(AttributeValue.number) ?? .null
        case "boolean": return .bool((number ?? 0) != 0)
        case "text": return text.map(AttributeValue.text) ?? .null
        default: return .null
        }
    }
}

/// Reads a stored model's attributes in the order they were given.
struct AttributeReader {
    let database: any Database

    func attributes(modelId: Int64) throws -> [Attribute] {
        try database.fetchAll("""
            SELECT name, kind, number_value, text_value FROM model_attributes \
            WHERE model_id = \(modelId) ORDER BY position
            """) { row in
            Attribute(
                name: try row.decode(String.self, at: 0),
                value: StoredAttribute.value(kind: try row.decode(String.self, at: 1), number: try row.decodeIfPresent(Double.self, at: 2),
                                             text: try row.decodeIfPresent(String.self, at: 3)))
        }
    }
}

/// The text form of a curve's scope in `curves.scope`: `all`, or a JSON array of
/// layer names in depth order (names may hold commas, so a list would be ambiguous).
enum CurveScopeText {
    static func encode(_ scope: CurveScope) -> String {
        switch scope {
        case .all: return "all"
        case .layers(let names): return "[" + names.map(JSONText.quoted).joined(separator: ",") + "]"
        }
    }

    /// The scope back from its text; a stored text that is neither is a damaged
    /// row, reported rather than read as an empty scope.
    static func decode(_ text: String) throws -> CurveScope {
        if text == "all" { return .all }
        do {
            return .layers(try LesionRunFormat.JSONText.stringArray(text))
        } catch {
            throw DatabaseError(code: .rowDecoding, message: "a curve's stored scope \(JSONText.quoted(text)) is not `all` or a JSON array of layer names (\(error))")
        }
    }
}
