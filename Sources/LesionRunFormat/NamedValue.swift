/// A named number, such as a checkpoint metric. NaN means undefined (`null` or `NaN`
/// given); equality treats NaN as equal to NaN.
public struct NamedValue: Sendable, Equatable {
    /// The metric's name, kept exactly as given.
    public var name: String
    /// The value; NaN means undefined.
    public var value: Double

    /// Makes a named value.
    public init(name: String, value: Double) {
        self.name = name
        self.value = value
    }

    /// Equal names and equal values, NaN counting as equal to NaN.
    public static func == (lhs: NamedValue, rhs: NamedValue) -> Bool {
        lhs.name == rhs.name && UndefinedEquality.same(lhs.value, rhs.value)
    }
}
