import LesionRunFormat

/// The value that names a group of observations: a layer name, a model, or an
/// attribute value of its own type, or a unit's label. Sorts false before true,
/// numbers ascending, then text by code point, then the units without a label.
public enum GroupValue: Sendable, Hashable, Comparable, CustomStringConvertible {
    case bool(Bool)
    case number(Double)
    case text(String)
    /// The units whose label is null (`--by LABEL`): one group of its own, JSON null.
    case noLabel

    /// The group for an attribute value; `nil` for null (unknown: left out).
    init?(_ value: AttributeValue) {
        switch value {
        case .bool(let v): self = .bool(v)
        case .number(let v): self = .number(v)
        case .text(let v): self = .text(v)
        case .null: return nil
        }
    }

    private var rank: Int {
        switch self {
        case .bool: return 0
        case .number: return 1
        case .text: return 2
        case .noLabel: return 3
        }
    }

    public static func < (lhs: GroupValue, rhs: GroupValue) -> Bool {
        switch (lhs, rhs) {
        case (.bool(let a), .bool(let b)): return !a && b
        case (.number(let a), .number(let b)): return a < b
        // Code point order (Swift's String `<` compares Unicode-canonically).
        case (.text(let a), .text(let b)): return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
        default: return lhs.rank < rhs.rank
        }
    }

    /// The value as JSON, in its own type.
    public var json: JSONOutput {
        switch self {
        case .bool(let v): return .bool(v)
        case .number(let v): return .number(v)
        case .text(let v): return .string(v)
        case .noLabel: return .null
        }
    }

    public var description: String {
        switch self {
        case .bool(let v): return String(v)
        case .number(let v): return NumberFormatting.exact(v)
        case .text(let v): return v
        case .noLabel: return "(none)"
        }
    }
}
