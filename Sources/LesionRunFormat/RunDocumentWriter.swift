/// Writes run documents as JSON, for `lesion export`.
public enum RunDocumentWriter {
    /// One document as compact single-line JSON without a trailing newline.
    ///
    /// Keys come in the contract's order (`format`, `experiment`, `model`,
    /// `attributes`, `classes`, `layers`, `checkpoints`; within a checkpoint `step`,
    /// `metrics`, `units`, `curves`; within a curve `perturbation`, `layers`, `order`,
    /// `seed`, `x`, `metrics`). Empty optional objects and arrays are left out.
    /// Numbers read back as the same doubles: NaN as `null`, ±Infinity as the
    /// `Infinity`/`-Infinity` tokens Python writes, integral values below 2^53 as
    /// integer literals. A scope of every layer is written `"all"`; noise curves have
    /// no `order`. Unit metrics are grouped by layer in order of first appearance.
    /// A model without classes has no `classes` key; per-class checkpoint metrics
    /// follow the numeric ones inside `metrics`; labels are strings (null for none).
    public static func json(_ document: RunDocument) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(estimatedSize(document))
        write(document, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `document` as `json(_:)` writes it to `out` (UTF-8 bytes).
    public static func write(_ document: RunDocument, to out: inout [UInt8]) {
        var writer = JSONObjectWriter(out: out)
        out = []
        writer.object {
            writeHeader(
                experiment: document.experiment, model: document.model, attributes: document.attributes,
                classes: document.classes, layers: document.layers, to: &$0)
            $0.member("checkpoints") { writer in
                writer.array(document.checkpoints) { writer, checkpoint in
                    writeCheckpoint(checkpoint, to: &writer)
                }
            }
        }
        out = writer.out
    }

    /// Writes the members before `checkpoints` (`format`, `experiment`, `model`,
    /// `attributes` when any, `classes` when given, `layers`) into the open object:
    /// shared with the importers, which write their checkpoints themselves.
    public static func writeHeader(
        experiment: String, model: String, attributes: [Attribute], classes: Int?, layers: [Layer],
        to writer: inout JSONObjectWriter
    ) {
        writer.member("format") { $0.string(RunDocument.format) }
        writer.member("experiment") { $0.string(experiment) }
        writer.member("model") { $0.string(model) }
        if !attributes.isEmpty {
            writer.member("attributes") { writer in
                writer.object {
                    for attribute in attributes {
                        $0.member(attribute.name) { $0.attribute(attribute.value) }
                    }
                }
            }
        }
        if let classes {
            writer.member("classes") { $0.integer(classes) }
        }
        writer.member("layers") { writer in
            writer.array(layers) { writer, layer in
                writer.object {
                    $0.member("name") { $0.string(layer.name) }
                    $0.member("units") { $0.integer(layer.units) }
                    if let kind = layer.kind {
                        $0.member("kind") { $0.string(kind) }
                    }
                }
            }
        }
    }

    private static func writeCheckpoint(_ checkpoint: Checkpoint, to writer: inout JSONObjectWriter) {
        writer.object {
            $0.member("step") { $0.integer(checkpoint.step) }
            if !checkpoint.metrics.isEmpty || !checkpoint.classMetrics.isEmpty {
                $0.member("metrics") { writer in
                    writer.object {
                        for metric in checkpoint.metrics {
                            $0.member(metric.name) { $0.number(metric.value) }
                        }
                        for metric in checkpoint.classMetrics {
                            $0.member(metric.name) { $0.numbers(metric.values) }
                        }
                    }
                }
            }
            if !checkpoint.units.isEmpty {
                $0.member("units") { writer in
                    writeUnits(checkpoint.units, to: &writer)
                }
            }
            if !checkpoint.curves.isEmpty {
                $0.member("curves") { writer in
                    writer.array(checkpoint.curves) { writer, curve in
                        writeCurve(curve, to: &writer)
                    }
                }
            }
        }
    }

    private static func writeUnits(_ units: [UnitMetric], to writer: inout JSONObjectWriter) {
        var layers: [String] = []
        var metricsByLayer: [String: [UnitMetric]] = [:]
        for metric in units {
            if metricsByLayer[metric.layer] == nil { layers.append(metric.layer) }
            metricsByLayer[metric.layer, default: []].append(metric)
        }
        writer.object {
            for layer in layers {
                $0.member(layer) { writer in
                    writer.object {
                        for metric in metricsByLayer[layer] ?? [] {
                            $0.member(metric.name) { $0.unitValues(metric.values) }
                        }
                    }
                }
            }
        }
    }

    private static func writeCurve(_ curve: Curve, to writer: inout JSONObjectWriter) {
        writer.object {
            $0.member("perturbation") { $0.string(curve.perturbation.rawValue) }
            $0.member("layers") { writer in
                switch curve.scope {
                case .all: writer.string("all")
                case .layers(let names): writer.array(names) { $0.string($1) }
                }
            }
            if curve.perturbation == .ablation, let order = curve.order {
                $0.member("order") { $0.string(order) }
            }
            $0.member("seed") { $0.integer(curve.seed) }
            $0.member("x") { $0.numbers(curve.x) }
            $0.member("metrics") { writer in
                writer.object {
                    for metric in curve.metrics {
                        $0.member(metric.name) { $0.numbers(metric.values) }
                    }
                }
            }
        }
    }

    /// A rough size, so the output buffer rarely grows: ~20 bytes per number.
    private static func estimatedSize(_ document: RunDocument) -> Int {
        var numbers = 0
        for checkpoint in document.checkpoints {
            for metric in checkpoint.units {
                if case .labels(let labels) = metric.values {
                    numbers += labels.reduce(0) { $0 + ($1?.utf8.count ?? 4) } / 20 + 1
                } else {
                    numbers += metric.values.flatValues.count
                }
            }
            for curve in checkpoint.curves { numbers += curve.x.count * (curve.metrics.count + 1) }
        }
        return 1024 + numbers * 20
    }
}
