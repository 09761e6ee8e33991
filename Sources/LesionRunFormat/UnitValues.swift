/// The values of a unit metric for every unit of a layer (index = unit number).
///
/// NaN means undefined. Equality treats NaN as equal to NaN.
public enum UnitValues: Sendable, Equatable {
    /// One number per unit.
    case scalars([Double])
    /// One vector of `classes` numbers per unit, flattened row-major
    /// (`[unit * classes + class]`); the count is units × classes.
    case perClass([Double], classes: Int)

    /// The flat values, whatever the shape.
    public var flatValues: [Double] {
        switch self {
        case .scalars(let values): values
        case .perClass(let values, _): values
        }
    }

    /// Same shape and same values, NaN counting as equal to NaN.
    public static func == (lhs: UnitValues, rhs: UnitValues) -> Bool {
        switch (lhs, rhs) {
        case (.scalars(let a), .scalars(let b)):
            UndefinedEquality.same(a, b)
        case (.perClass(let a, let m), .perClass(let b, let n)):
            m == n && UndefinedEquality.same(a, b)
        default:
            false
        }
    }
}
