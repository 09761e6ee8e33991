/// The values of a unit metric for every unit of a layer (index = unit number).
///
/// NaN (or a nil label) means undefined. Equality treats NaN as equal to NaN.
public enum UnitValues: Sendable, Equatable {
    /// One number per unit.
    case scalars([Double])
    /// One vector of `classes` numbers per unit, flattened row-major
    /// (`[unit * classes + class]`); the count is units × classes.
    case perClass([Double], classes: Int)
    /// One label per unit (1–10,000 code points), nil where the unit has none.
    case labels([String?])

    /// The flat numbers, whatever the shape; empty for labels.
    public var flatValues: [Double] {
        switch self {
        case .scalars(let values): values
        case .perClass(let values, _): values
        case .labels: []
        }
    }

    /// The kind of the values: what one metric name of a layer keeps in every
    /// checkpoint of a model.
    public var kind: UnitMetricKind {
        switch self {
        case .scalars: .number
        case .perClass: .vector
        case .labels: .text
        }
    }

    /// Whether every value is undefined (NaN or nil), so that the kind was not given
    /// by the values but chosen by rule (see `undefined(_:units:classes:)`).
    public var isAllUndefined: Bool {
        switch self {
        case .scalars(let values), .perClass(let values, _): values.allSatisfy(\.isNaN)
        case .labels(let labels): labels.allSatisfy { $0 == nil }
        }
    }

    /// `units` undefined values of `kind` (a vector of `classes` per unit). Nil for a
    /// vector without classes.
    public static func undefined(_ kind: UnitMetricKind, units: Int, classes: Int?) -> UnitValues? {
        switch kind {
        case .number: return .scalars(Array(repeating: .nan, count: units))
        case .text: return .labels(Array(repeating: nil, count: units))
        case .vector:
            guard let classes else { return nil }
            return .perClass(Array(repeating: .nan, count: units * classes), classes: classes)
        }
    }

    /// Same shape and same values, NaN counting as equal to NaN.
    public static func == (lhs: UnitValues, rhs: UnitValues) -> Bool {
        switch (lhs, rhs) {
        case (.scalars(let a), .scalars(let b)):
            UndefinedEquality.same(a, b)
        case (.perClass(let a, let m), .perClass(let b, let n)):
            m == n && UndefinedEquality.same(a, b)
        case (.labels(let a), .labels(let b)):
            a == b
        default:
            false
        }
    }
}
