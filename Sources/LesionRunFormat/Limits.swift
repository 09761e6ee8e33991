/// Size limits of names, counted in Unicode code points.
enum Limits {
    /// `experiment`, `model`, layer names, metric names: 1–200 (the contract's limit
    /// for experiment and model, adopted for the names it leaves open).
    static let name = 200
    /// Attribute names: 1–100.
    static let attributeName = 100
    /// A unit's label (a text unit metric's entry): 1–10,000.
    static let label = 10_000
}
