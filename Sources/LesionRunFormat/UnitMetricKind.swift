/// What a unit metric holds per unit. Within one stored model, a metric name of a
/// layer has one kind in every checkpoint.
public enum UnitMetricKind: String, Sendable, CaseIterable {
    /// One number per unit.
    case number
    /// One vector of `classes` numbers per unit.
    case vector
    /// One label (text) per unit.
    case text
}
