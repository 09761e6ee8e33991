/// One model attribute: a name (1–100 code points) and its value.
public struct Attribute: Sendable, Hashable {
    /// The attribute's name, kept exactly as given.
    public var name: String
    /// The attribute's value.
    public var value: AttributeValue

    /// Makes an attribute.
    public init(name: String, value: AttributeValue) {
        self.name = name
        self.value = value
    }
}
