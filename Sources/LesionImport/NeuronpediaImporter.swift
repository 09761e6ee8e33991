import LesionRunFormat

/// A Neuronpedia dataset export, one JSON object per line: explanations
/// (`description`, `explanationModelName`) or features (`frac_nonzero`,
/// `maxActApprox`). The feature number is `index`, a string holding a 0-based
/// integer; the layer is `layer`, Neuronpedia's source id. Other fields are ignored.
public enum NeuronpediaImporter {
    /// One table per source id, in order of first appearance. Of several
    /// explanations of one feature the one with the latest `createdAt` is kept.
    /// A line of another model than `modelId` (when given) is refused.
    public static func read(_ bytes: [UInt8], file: String, modelId: String?) throws(ImportRefusal) -> [UnitTable] {
        // Per layer, per feature: the chosen explanation and the feature statistics.
        struct Feature {
            var line: Int
            var explanation: (text: ImportedValue, model: ImportedValue, createdAt: String)?
            var frequency: ImportedValue = .null
            var maximum: ImportedValue = .null
            var hasStatistics = false
        }
        var layers: [String] = []
        var layerPlaces: [String: String] = [:]
        var features: [String: [Int: Feature]] = [:]
        var order: [String: [Int]] = [:]
        var sawExplanations = false
        var sawStatistics = false
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            var lineEnd = end
            if lineEnd > start, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let line = Array(bytes[start..<lineEnd])
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let place = "line \(lineNumber)"
            let record: JSONValue
            do {
                record = try JSONValue.parse(line)
            } catch {
                throw ImportRefusal(file: file, place: place, "not a Neuronpedia export line: \(error)")
            }
            guard case .object = record else {
                throw ImportRefusal(file: file, place: place, "not a Neuronpedia export line: \(record.kindDescription), not an object")
            }
            func text(_ key: String) throws(ImportRefusal) -> String? {
                guard let value = record[key], value != .null else { return nil }
                guard let string = value.string else {
                    throw ImportRefusal(file: file, place: place, "\(key) is \(value.kindDescription), expected a string")
                }
                return string
            }
            func number(_ key: String) throws(ImportRefusal) -> ImportedValue {
                guard let value = record[key], value != .null else { return .null }
                guard let number = value.number else {
                    throw ImportRefusal(file: file, place: place, "\(key) is \(value.kindDescription), expected a number")
                }
                return .number(number)
            }
            if let modelId, let lineModel = try text("modelId"), lineModel != modelId {
                throw ImportRefusal(file: file, place: place, "modelId \(JSONText.quoted(lineModel)) is not the model asked for (--model-id \(modelId))")
            }
            guard let layer = try text("layer") else {
                throw ImportRefusal(file: file, place: place, "not a Neuronpedia export line: no \"layer\" (the source id)")
            }
            guard let indexText = try text("index") else {
                throw ImportRefusal(file: file, place: place, "not a Neuronpedia export line: no \"index\"")
            }
            guard let index = Int(indexText), index >= 0 else {
                throw ImportRefusal(file: file, place: place, "index \(JSONText.quoted(indexText)) is not a feature number (a non-negative integer)")
            }
            if features[layer] == nil {
                layers.append(layer)
                layerPlaces[layer] = place
                features[layer] = [:]
            }
            var feature = features[layer]?[index] ?? Feature(line: lineNumber)
            if features[layer]?[index] == nil { order[layer, default: []].append(index) }
            if record["description"] != nil {
                sawExplanations = true
                let createdAt = try text("createdAt") ?? ""
                let candidate = (textOrNull(try text("description") ?? ""), textOrNull(try text("explanationModelName") ?? ""), createdAt)
                if let kept = feature.explanation, kept.createdAt >= createdAt {
                    // The one already kept is as new or newer.
                } else {
                    feature.explanation = candidate
                    feature.line = lineNumber
                }
            } else if record["frac_nonzero"] != nil || record["maxActApprox"] != nil {
                sawStatistics = true
                if feature.hasStatistics {
                    throw ImportRefusal(file: file, place: place, "feature \(index) of \(layer) is repeated (first at line \(feature.line))")
                }
                feature.hasStatistics = true
                feature.frequency = try number("frac_nonzero")
                feature.maximum = try number("maxActApprox")
                feature.line = lineNumber
            } else {
                throw ImportRefusal(file: file, place: place,
                    "not a Neuronpedia explanation or feature: it has neither \"description\" nor \"frac_nonzero\"/\"maxActApprox\"")
            }
            features[layer]?[index] = feature
        }
        var metrics: [String] = []
        if sawExplanations { metrics += ["explanation", "explanation_model"] }
        if sawStatistics { metrics += ["activation_frequency", "max_activation"] }
        return layers.map { layer in
            var table = UnitTable(fileLayer: layer, metrics: metrics, textMetrics: ["explanation", "explanation_model"])
            table.layerPlace = layerPlaces[layer]
            for index in order[layer] ?? [] {
                guard let feature = features[layer]?[index] else { continue }
                var values: [ImportedValue] = []
                if sawExplanations {
                    values += [feature.explanation?.text ?? .null, feature.explanation?.model ?? .null]
                }
                if sawStatistics { values += [feature.frequency, feature.maximum] }
                table.append(unit: index, place: feature.line, values: values)
            }
            return table
        }
    }
}
