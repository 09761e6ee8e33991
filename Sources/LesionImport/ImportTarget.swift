import LesionRunFormat

/// The model and checkpoint an import writes into: the header of a stored model
/// (read from the database) or the one `--create` describes. The documents an
/// import builds carry exactly this header, so they agree with what is stored.
public struct ImportTarget: Sendable {
    public var experiment: String
    public var model: String
    /// nil for a model without classes.
    public var classes: Int?
    public var layers: [Layer]
    public var attributes: [Attribute]
    public var step: Int

    public init(experiment: String, model: String, classes: Int?, layers: [Layer], attributes: [Attribute], step: Int) {
        self.experiment = experiment
        self.model = model
        self.classes = classes
        self.layers = layers
        self.attributes = attributes
        self.step = step
    }

    /// The most units `--create-layers` gives one layer: an import holds a value per
    /// unit in memory, so a mistyped width must be refused, not allocated.
    public static let maximumUnits = 50_000_000

    /// Reads `--create-layers NAME:UNITS[,NAME:UNITS…]`. Names may hold `:`; the
    /// units are after the last one.
    public static func layers(parsing text: String) throws(ImportUsageError) -> [Layer] {
        var layers: [Layer] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let colon = item.lastIndex(of: ":"), let units = Int(item[item.index(after: colon)...]), units >= 1,
                  colon > item.startIndex else {
                throw ImportUsageError("--create-layers \(text): each layer is NAME:UNITS with UNITS ≥ 1, e.g. --create-layers features:256")
            }
            guard units <= maximumUnits else {
                throw ImportUsageError("--create-layers \(item): at most \(maximumUnits) units per layer")
            }
            layers.append(Layer(name: String(item[..<colon]), units: units))
        }
        return layers
    }
}

/// A mistake in how the import was asked for (exit code 2), as opposed to a
/// problem with the file (a refusal, exit code 1).
public struct ImportUsageError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) {
        self.description = description
    }
}
