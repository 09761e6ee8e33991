/// One validated run document (format `lesion.run/1`): one trained model, its
/// attributes, its layers and its checkpoints. Arrays keep the order given.
///
/// Equality treats every NaN as equal to every NaN (an undefined value equals an
/// undefined value) and `0.0 == -0.0`, so that a document read back from its own
/// export compares equal to the original.
public struct RunDocument: Sendable, Equatable {
    /// Groups models; 1–200 code points.
    public var experiment: String
    /// With `experiment`, the model's identity; 1–200 code points.
    public var model: String
    /// The attributes in the order given; names are unique.
    public var attributes: [Attribute]
    /// Number of classes, at least 2; nil for a model without classes (a language
    /// model's neurons, an autoencoder's features), which has no per-class values.
    public var classes: Int?
    /// The layers in depth order (first = closest to the input); names are unique.
    public var layers: [Layer]
    /// The checkpoints in the order given; steps are unique.
    public var checkpoints: [Checkpoint]

    /// Makes a document from its parts; no rule is checked here (the reader checks).
    public init(
        experiment: String,
        model: String,
        attributes: [Attribute] = [],
        classes: Int?,
        layers: [Layer],
        checkpoints: [Checkpoint]
    ) {
        self.experiment = experiment
        self.model = model
        self.attributes = attributes
        self.classes = classes
        self.layers = layers
        self.checkpoints = checkpoints
    }

    /// The format string this build reads and writes.
    public static let format = "lesion.run/1"
}
