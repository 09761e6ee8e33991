import LesionRunFormat

/// How the layers a file names become layers of the model: `--layer NAME` for every
/// table, else `--layer-name TEMPLATE` (`{}` replaced by the file's value), else the
/// file's value itself.
public struct LayerMapping: Sendable {
    public var layer: String?
    public var template: String?

    public init(layer: String? = nil, template: String? = nil) {
        self.layer = layer
        self.template = template
    }

    /// The model's layer name for a table, or nil when neither the file nor the
    /// options name one.
    public func name(for fileLayer: String?) -> String? {
        if let layer { return layer }
        guard let fileLayer else { return nil }
        guard let template else { return fileLayer }
        return template.replacingOccurrences(of: "{}", with: fileLayer)
    }
}

/// Builds the run document of an import as JSON text, with the project's JSON
/// writer: the target's header and one checkpoint whose unit metrics are the
/// imported tables. Units the file does not mention are null. The text is then
/// stored by the ordinary ingest path (or printed by `--emit`), so everything
/// ingest checks is checked here too.
public enum ImportDocument {
    /// The document for `tables` in `target`; refuses (naming `file` and the row)
    /// a unit out of range, a repeated unit, a layer the model does not have, or a
    /// vector whose length is not the model's classes.
    public static func json(
        _ tables: [UnitTable], target: ImportTarget, mapping: LayerMapping, file: String
    ) throws(ImportRefusal) -> [UInt8] {
        // Layers in the model's order; within one, metrics in the order first imported.
        var columns: [String: [(name: String, isText: Bool, values: [ImportedValue])]] = [:]
        for table in tables {
            guard let layerName = mapping.name(for: table.fileLayer) else {
                throw ImportRefusal(file: file, "the file does not name its layer; give --layer NAME")
            }
            guard let layer = target.layers.first(where: { $0.name == layerName }) else {
                let known = target.layers.map(\.name).joined(separator: ", ")
                let hint = target.layers.count > 0 ? "its layers: \(known)" : "it has none"
                throw ImportRefusal(file: file, place: table.layerPlace ?? table.places.first.map(table.placeName),
                    "layer \(JSONText.quoted(layerName)): \(target.experiment)/\(target.model) has no such layer (\(hint)); map names with --layer or --layer-name")
            }
            if let declared = table.declaredUnits, declared.count != layer.units {
                throw ImportRefusal(file: file,
                    "\(declared.source) says \(declared.count) units, but layer \(layer.name) of \(target.experiment)/\(target.model) has \(layer.units)")
            }
            // The first row of each unit, to name both places of a repeated one.
            var firstRow = [Int](repeating: -1, count: layer.units)
            for (index, unit) in table.units.enumerated() {
                guard unit >= 0, unit < layer.units else {
                    throw ImportRefusal(file: file, place: table.placeName(table.places[index]),
                        "unit \(unit) (0-based) is out of range: layer \(layer.name) has \(layer.units) units, numbered 0–\(layer.units - 1)")
                }
                if firstRow[unit] >= 0 {
                    let earlier = table.placeName(table.places[firstRow[unit]])
                    throw ImportRefusal(file: file, place: table.placeName(table.places[index]), "unit \(unit) (0-based) is repeated (first at \(earlier))")
                }
                firstRow[unit] = index
            }
            for (index, metric) in table.metrics.enumerated() {
                var values = [ImportedValue](repeating: .null, count: layer.units)
                for (row, value) in table.columns[index].enumerated() {
                    if case .vector(let vector) = value, vector.count != (target.classes ?? -1) {
                        let need = target.classes.map { "\($0) classes" } ?? "no classes"
                        throw ImportRefusal(file: file, place: table.placeName(table.places[row]),
                            "metric \(metric): a vector of \(vector.count) values, but the model has \(need)")
                    }
                    values[table.units[row]] = value
                }
                if columns[layerName, default: []].contains(where: { $0.name == metric }) {
                    throw ImportRefusal(file: file, "metric \(metric) of layer \(layerName) is imported twice")
                }
                columns[layerName, default: []].append((metric, table.textMetrics.contains(metric), values))
            }
        }
        var writer = JSONObjectWriter(out: [])
        writer.object {
            RunDocumentWriter.writeHeader(
                experiment: target.experiment, model: target.model, attributes: target.attributes,
                classes: target.classes, layers: target.layers, to: &$0)
            $0.member("checkpoints") { writer in
                writer.array([target.step]) { writer, step in
                    writer.object {
                        $0.member("step") { $0.integer(step) }
                        $0.member("units") { writer in
                            writer.object {
                                for layer in target.layers {
                                    guard let metrics = columns[layer.name] else { continue }
                                    $0.member(layer.name) { writer in
                                        writer.object {
                                            for metric in metrics {
                                                $0.member(metric.name) { writeValues(metric.values, to: &$0) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return writer.out
    }

    /// One metric's array: numbers, strings or vectors, with null for a missing value.
    private static func writeValues(_ values: [ImportedValue], to writer: inout JSONObjectWriter) {
        writer.array(values) { writer, value in
            switch value {
            case .null: writer.number(.nan)  // the writer spells NaN as null
            case .number(let number): writer.number(number)
            case .text(let text): writer.string(text)
            case .vector(let vector): writer.numbers(vector)
            }
        }
    }
}
