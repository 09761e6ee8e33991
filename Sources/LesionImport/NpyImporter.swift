/// A NumPy array saved with `np.save`: one number per unit, one vector per unit,
/// or (with `--split-layers`) one row of units per layer.
public enum NpyImporter {
    /// What `lesion import npy` was told.
    public struct Options: Sendable {
        public var metric: String
        /// The layers of a [layers, units] array, in order; empty for one layer (`--layer`).
        public var splitLayers: [String]
        /// Take this index of the first axis first (`--take I`).
        public var take: Int?

        public init(metric: String, splitLayers: [String] = [], take: Int? = nil) {
            self.metric = metric
            self.splitLayers = splitLayers
            self.take = take
        }
    }

    /// The tables: one (layer from `--layer`) or one per split layer.
    public static func read(_ bytes: [UInt8], file: String, options: Options) throws(ImportRefusal) -> [UnitTable] {
        let array: NpyArray
        do {
            array = try NpyArray(bytes: bytes)
        } catch {
            throw ImportRefusal(file: file, place: error.place, "not a readable .npy file: \(error.message)")
        }
        var shape = array.shape
        var values = array.values[...]
        if let take = options.take {
            guard let first = shape.first, take >= 0, take < first else {
                throw ImportRefusal(file: file, "--take \(take): the array's shape is \(NpyArray.shapeText(shape)), so the first axis has indices 0–\(max((shape.first ?? 0) - 1, 0))")
            }
            let size = shape.dropFirst().reduce(1, *)
            values = values[take * size..<(take + 1) * size]
            shape.removeFirst()
        }
        let shown = NpyArray.shapeText(array.shape) + (options.take.map { " (after --take \($0): \(NpyArray.shapeText(shape)))" } ?? "")
        if !options.splitLayers.isEmpty {
            guard shape.count == 2, shape[0] == options.splitLayers.count else {
                throw ImportRefusal(file: file,
                    "the array's shape is \(shown); --split-layers with \(options.splitLayers.count) layers needs a 2-D array [\(options.splitLayers.count), units]")
            }
            let units = shape[1]
            return options.splitLayers.enumerated().map { layerIndex, layer in
                var table = UnitTable(fileLayer: layer, metrics: [options.metric])
                let start = values.startIndex + layerIndex * units
                table.setSequence((0..<units).map { .number(values[start + $0]) })
                table.placeName = { "element [\(layerIndex), \($0)]" }
                return table
            }
        }
        var table = UnitTable(fileLayer: nil, metrics: [options.metric])
        switch shape.count {
        case 1:
            table.setSequence(values.map { .number($0) })
            table.placeName = { "element [\($0)]" }
            table.declaredUnits = (shape[0], "the array's shape \(shown)")
        case 2:
            let width = shape[1]
            table.setSequence((0..<shape[0]).map { unit in
                let start = values.startIndex + unit * width
                return .vector(Array(values[start..<start + width]))
            })
            table.placeName = { "row [\($0)]" }
            table.declaredUnits = (shape[0], "the array's shape \(shown)")
        default:
            throw ImportRefusal(file: file,
                "the array's shape is \(shown); lesion imports a 1-D array [units], a 2-D array [units, classes], or [layers, units] with --split-layers (use --take to pick from a first axis)")
        }
        return [table]
    }
}
