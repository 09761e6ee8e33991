/// The value of an attribute: a JSON number, boolean, string or null.
///
/// The reader stores a `NaN` token as `.null` (both mean "undefined"), so a
/// `.number` read from a document is never NaN and hashing stays consistent with
/// equality. ±Infinity is kept as a number.
public enum AttributeValue: Sendable, Hashable {
    /// A number; never NaN when read from a document.
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// A string, kept exactly as given.
    case text(String)
    /// `null` (or `NaN`): unknown.
    case null
}
