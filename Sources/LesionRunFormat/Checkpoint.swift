/// The measurements of the model at one training step.
public struct Checkpoint: Sendable, Equatable {
    /// Training step, ≥ 0, unique within the document.
    public var step: Int
    /// Model-level metrics in the order given; NaN means undefined.
    public var metrics: [NamedValue]
    /// Per-class model-level metrics (one number per class, e.g. `class_accuracy`),
    /// in the order given; written after `metrics` inside the same JSON object.
    public var classMetrics: [ClassMetric]
    /// Per-unit metrics, grouped by layer in the order given; a derived
    /// `class_selectivity` follows the other metrics of its layer.
    public var units: [UnitMetric]
    /// Perturbation curves in the order given.
    public var curves: [Curve]

    /// Makes a checkpoint.
    public init(
        step: Int, metrics: [NamedValue] = [], classMetrics: [ClassMetric] = [], units: [UnitMetric] = [],
        curves: [Curve] = []
    ) {
        self.step = step
        self.metrics = metrics
        self.classMetrics = classMetrics
        self.units = units
        self.curves = curves
    }
}
