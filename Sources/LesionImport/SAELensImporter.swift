import LesionRunFormat

/// SAELens's `sparsity.safetensors` (with the SAE's `cfg.json`) and SAEBench's core
/// `eval_results.json`.
public enum SAELensImporter {
    /// Whether `bytes` look like a JSON document (SAEBench) rather than safetensors.
    public static func isJSON(_ bytes: [UInt8]) -> Bool {
        bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } == UInt8(ascii: "{")
    }

    /// `sparsity` (log10 firing frequency per feature) → `log10_activation_frequency`.
    /// The config gives `d_sae`, which must equal the layer's units, and the hook
    /// name, which is the file's layer (`metadata.hook_name` in SAELens 6, top-level
    /// `hook_name` before).
    public static func readSparsity(_ bytes: [UInt8], file: String, cfg: [UInt8], cfgFile: String) throws(ImportRefusal) -> UnitTable {
        let config: JSONValue
        do {
            config = try JSONValue.parse(cfg)
        } catch {
            throw ImportRefusal(file: cfgFile, place: "byte \(error.offset)", "not a readable SAELens cfg.json: \(error.message)")
        }
        guard let dSae = config["d_sae"]?.integer, dSae >= 1 else {
            throw ImportRefusal(file: cfgFile, "not an SAELens cfg.json: no positive integer \"d_sae\"")
        }
        let hook = config["metadata"]?["hook_name"]?.string ?? config["hook_name"]?.string
        let tensors: SafetensorsFile
        let values: [Double]
        do {
            tensors = try SafetensorsFile(bytes: bytes)
            values = try tensors.doubles("sparsity")
        } catch {
            throw ImportRefusal(file: file, place: error.place, "not a readable SAELens sparsity file: \(error.message)")
        }
        let shape = tensors.tensors.first { $0.name == "sparsity" }?.shape ?? []
        guard shape == [dSae] else {
            throw ImportRefusal(file: file, place: "byte 8", "the tensor sparsity has shape \(shape), but \(cfgFile) says d_sae \(dSae)")
        }
        var table = UnitTable(fileLayer: hook, metrics: ["log10_activation_frequency"])
        table.declaredUnits = (dSae, "\(cfgFile) (d_sae)")
        table.placeName = { "feature \($0)" }
        table.setSequence(values.map { .number($0) })
        return table
    }

    /// `eval_result_details`: one record per feature with `index` (0-based); every
    /// other field a number metric of its own name. `consistent_activation_heuristic`
    /// is −1 for a feature that never fires: stored as null.
    public static func readSAEBench(_ bytes: [UInt8], file: String) throws(ImportRefusal) -> UnitTable {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw ImportRefusal(file: file, place: "byte \(error.offset)", "not readable JSON: \(error.message)")
        }
        guard let details = document["eval_result_details"]?.array else {
            throw ImportRefusal(file: file, "not an SAEBench core eval_results.json: no \"eval_result_details\" array")
        }
        var metrics: [String] = []
        var rows: [(unit: Int, place: Int, values: [ImportedValue])] = []
        for (position, record) in details.enumerated() {
            let place = "eval_result_details[\(position)]"
            guard case .object(let members) = record else {
                throw ImportRefusal(file: file, place: place, "\(record.kindDescription), expected an object")
            }
            guard let index = record["index"]?.integer, index >= 0 else {
                throw ImportRefusal(file: file, place: place, "no \"index\" (a non-negative integer)")
            }
            if metrics.isEmpty {
                metrics = members.map(\.key).filter { $0 != "index" }
            }
            var values: [ImportedValue] = []
            for metric in metrics {
                guard let value = record[metric] else {
                    throw ImportRefusal(file: file, place: place, "no \"\(metric)\", which the first record has")
                }
                switch value {
                case .null: values.append(.null)
                case .number(let number, _):
                    let isSentinel = metric == "consistent_activation_heuristic" && number == -1
                    values.append(isSentinel ? .null : .number(number))
                default:
                    throw ImportRefusal(file: file, place: "\(place).\(metric)", "\(value.kindDescription), expected a number")
                }
            }
            guard members.count == metrics.count + 1 else {
                throw ImportRefusal(file: file, place: place, "its fields differ from the first record's (\(metrics.joined(separator: ", ")))")
            }
            rows.append((index, position, values))
        }
        var table = UnitTable(fileLayer: nil, metrics: metrics)
        for row in rows {
            table.append(unit: row.unit, place: row.place, values: row.values)
        }
        table.placeName = { "eval_result_details[\($0)]" }
        return table
    }
}
