/// A perturbation curve: a metric measured while a growing fraction of units is
/// ablated, or while growing Gaussian noise is added.
///
/// Within a checkpoint, `(perturbation, scope, order, seed)` is unique.
public struct Curve: Sendable, Equatable {
    /// What was done to the units.
    public var perturbation: Perturbation
    /// Which layers were perturbed; a list naming every layer is `.all`.
    public var scope: CurveScope
    /// How units were chosen (ablation only): `random` unless given; nil for noise.
    public var order: String?
    /// The seed of the random choices, ≥ 0; 0 unless given.
    public var seed: Int
    /// Strictly increasing finite values, at least two: the ablated fraction in
    /// [0, 1], or the noise standard deviation ≥ 0.
    public var x: [Double]
    /// Named metric arrays, each as long as `x`; NaN means undefined.
    public var metrics: [CurveMetric]

    /// Makes a curve.
    public init(
        perturbation: Perturbation,
        scope: CurveScope,
        order: String?,
        seed: Int = 0,
        x: [Double],
        metrics: [CurveMetric]
    ) {
        self.perturbation = perturbation
        self.scope = scope
        self.order = order
        self.seed = seed
        self.x = x
        self.metrics = metrics
    }

    /// Equal fields, NaN counting as equal to NaN in `x` and the metrics.
    public static func == (lhs: Curve, rhs: Curve) -> Bool {
        lhs.perturbation == rhs.perturbation && lhs.scope == rhs.scope
            && lhs.order == rhs.order && lhs.seed == rhs.seed
            && UndefinedEquality.same(lhs.x, rhs.x) && lhs.metrics == rhs.metrics
    }
}
