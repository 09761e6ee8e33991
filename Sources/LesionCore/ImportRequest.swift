import LesionImport
import LesionRunFormat

/// One `lesion import FORMAT` as asked for: the file, how to read it, and where
/// its values go.
public struct ImportRequest: Sendable {
    /// The file's format and the options that only it has.
    public enum Format: Sendable {
        case netdissect
        case table(TableImporter.Options)
        /// `--model-id`: refuse lines of other models.
        case neuronpedia(modelId: String?)
        /// `--cfg`: the SAE's config, when not `cfg.json` beside the file.
        case saelens(cfg: String?)
        case npy(NpyImporter.Options)

        /// The importer's name, as provenance records it (`import netdissect`).
        public var name: String {
            switch self {
            case .netdissect: "netdissect"
            case .table: "table"
            case .neuronpedia: "neuronpedia"
            case .saelens: "saelens"
            case .npy: "npy"
            }
        }
    }

    /// The header `--create` gives a model that is not stored yet.
    public struct Creation: Sendable {
        public var layers: [Layer]
        public var classes: Int?
        public var attributes: [Attribute]

        public init(layers: [Layer], classes: Int?, attributes: [Attribute]) {
            self.layers = layers
            self.classes = classes
            self.attributes = attributes
        }
    }

    public var format: Format
    public var file: String
    /// `EXPERIMENT/MODEL`.
    public var into: String
    public var step: Int
    public var creation: Creation?
    public var mapping: LayerMapping

    public init(format: Format, file: String, into: String, step: Int, creation: Creation?, mapping: LayerMapping) {
        self.format = format
        self.file = file
        self.into = into
        self.step = step
        self.creation = creation
        self.mapping = mapping
    }

    /// Reads `--attribute NAME=VALUE`, typed as `--where` values are: `true`,
    /// `false`, `null`, a number, else text.
    public static func attribute(parsing text: String) throws -> Attribute {
        let condition = try Condition(parsing: text)
        guard condition.comparison == .equal else {
            throw UsageError("--attribute \(text): expected NAME=VALUE, e.g. --attribute dataset=places365")
        }
        let value: AttributeValue
        switch condition.value {
        case .number(let number): value = .number(number)
        case .bool(let flag): value = .bool(flag)
        case .text(let text): value = .text(text)
        case .null: value = .null
        }
        return Attribute(name: condition.name, value: value)
    }
}
