/// The fields of the run document, read in whatever order the JSON gives them.
extension DocumentDecoder {
    /// The keys of the document object.
    enum DocumentKey: String, CaseIterable {
        case format, experiment, model, attributes, classes, layers, checkpoints
    }

    /// The keys of a layer object.
    enum LayerKey: String, CaseIterable {
        case name, units, kind
    }

    /// The keys of a checkpoint object.
    enum CheckpointKey: String, CaseIterable {
        case step, metrics, units, curves
    }

    /// The keys of a curve object.
    enum CurveKey: String, CaseIterable {
        case perturbation, layers, order, seed, x, metrics
    }

    /// Reads the document object at the cursor.
    mutating func readDocument() throws(RunFormatError) -> RawDocument {
        let path = ""
        try beginObject(at: path)
        var members = MemberSet<DocumentKey>()
        var document = RawDocument()
        var first = true
        while let name = try nextKey(in: path, first: &first) {
            let key = try members.key(name, in: path)
            try members.insert(key, in: path)
            let fieldPath = PathText.member(path, name)
            switch key {
            case .format:
                let format = try readString(at: fieldPath)
                guard format == RunDocument.format else {
                    throw RunFormatError(
                        path: fieldPath,
                        message: "unsupported format \(JSONText.quoted(format)); this build reads \(RunDocument.format)")
                }
            case .experiment:
                document.experiment = try readName(at: fieldPath)
            case .model:
                document.model = try readName(at: fieldPath)
            case .attributes:
                document.attributes = try readAttributes(at: fieldPath)
            case .classes:
                let classes = try readInteger(at: fieldPath)
                guard classes >= 2 else {
                    throw RunFormatError(path: fieldPath, message: "classes must be at least 2, found \(classes)")
                }
                document.classes = classes
            case .layers:
                document.layers = try readLayers(at: fieldPath)
            case .checkpoints:
                document.checkpoints = try readCheckpoints(at: fieldPath)
            }
        }
        try members.require([.format, .experiment, .model, .layers, .checkpoints], in: path)
        return document
    }

    // MARK: Attributes

    /// Reads `attributes`: names of 1–100 code points mapped to number, boolean,
    /// string or null; well-known attributes checked.
    mutating func readAttributes(at path: String) throws(RunFormatError) -> [Attribute] {
        try beginObject(at: path)
        var names = NameSet()
        var attributes: [Attribute] = []
        var first = true
        while let name = try nextKey(in: path, first: &first) {
            let attributePath = PathText.member(path, name)
            try names.insert(name, in: path)
            try Self.checkName(name, at: attributePath, limit: Limits.attributeName)
            let (value, wasNaN) = try readAttributeValue(at: attributePath)
            try WellKnownNames.checkAttribute(name, value, wasNaN: wasNaN, at: attributePath)
            attributes.append(Attribute(name: name, value: value))
        }
        return attributes
    }

    /// Reads an attribute value; a `NaN` token becomes `.null` (both mean unknown),
    /// and the second result says it was spelled `NaN`.
    private mutating func readAttributeValue(at path: String) throws(RunFormatError) -> (AttributeValue, Bool) {
        scanner.skipWhitespace()
        do throws(SyntaxError) {
            switch scanner.peekByte() {
            case UInt8(ascii: "\""):
                return (.text(try scanner.readString()), false)
            case UInt8(ascii: "t"):
                try scanner.readWord("true")
                return (.bool(true), false)
            case UInt8(ascii: "f"):
                try scanner.readWord("false")
                return (.bool(false), false)
            case UInt8(ascii: "n"):
                try scanner.readWord("null")
                return (.null, false)
            case UInt8(ascii: "-"), .some(UInt8(ascii: "0")...UInt8(ascii: "9")), UInt8(ascii: "N"), UInt8(ascii: "I"):
                let number = try scanner.scanNumber()
                return number.value.isNaN ? (.null, true) : (.number(number.value), false)
            default:
                break
            }
        } catch {
            throw failure(error, at: path)
        }
        throw mismatch(expected: "a number, boolean, string or null", at: path)
    }

    // MARK: Layers

    /// Reads `layers`: at least one, names unique.
    mutating func readLayers(at path: String) throws(RunFormatError) -> [Layer] {
        try beginArray(at: path)
        var layers: [Layer] = []
        var indexByName: [String: Int] = [:]
        var first = true
        while try nextElement(in: path, first: &first) {
            let layerPath = PathText.element(path, layers.count)
            let layer = try readLayer(at: layerPath)
            if let earlier = indexByName[layer.name] {
                throw RunFormatError(
                    path: layerPath + ".name",
                    message: "layer \(PathText.name(layer.name)) is already layers[\(earlier)]; layer names must be unique")
            }
            indexByName[layer.name] = layers.count
            layers.append(layer)
        }
        guard !layers.isEmpty else {
            throw RunFormatError(path: path, message: "a document needs at least one layer")
        }
        return layers
    }

    /// Reads one layer object.
    private mutating func readLayer(at path: String) throws(RunFormatError) -> Layer {
        try beginObject(at: path)
        var members = MemberSet<LayerKey>()
        var layer = Layer(name: "", units: 0)
        var first = true
        while let name = try nextKey(in: path, first: &first) {
            let key = try members.key(name, in: path)
            try members.insert(key, in: path)
            let fieldPath = PathText.member(path, name)
            switch key {
            case .name:
                layer.name = try readName(at: fieldPath)
            case .units:
                layer.units = try readInteger(at: fieldPath)
                guard layer.units >= 1 else {
                    throw RunFormatError(path: fieldPath, message: "a layer needs at least 1 unit, found 0")
                }
            case .kind:
                layer.kind = try readString(at: fieldPath)
            }
        }
        try members.require([.name, .units], in: path)
        return layer
    }

    // MARK: Checkpoints

    /// Reads `checkpoints`: at least one, steps unique.
    mutating func readCheckpoints(at path: String) throws(RunFormatError) -> [RawCheckpoint] {
        try beginArray(at: path)
        var checkpoints: [RawCheckpoint] = []
        var indexByStep: [Int: Int] = [:]
        var first = true
        while try nextElement(in: path, first: &first) {
            let checkpoint = try readCheckpoint(at: PathText.element(path, checkpoints.count))
            if let earlier = indexByStep[checkpoint.step] {
                throw RunFormatError(
                    path: checkpoint.path + ".step",
                    message: "step \(checkpoint.step) is already checkpoints[\(earlier)]; steps must be unique")
            }
            indexByStep[checkpoint.step] = checkpoints.count
            checkpoints.append(checkpoint)
        }
        guard !checkpoints.isEmpty else {
            throw RunFormatError(path: path, message: "a document needs at least one checkpoint")
        }
        return checkpoints
    }

    /// Reads one checkpoint object.
    private mutating func readCheckpoint(at path: String) throws(RunFormatError) -> RawCheckpoint {
        try beginObject(at: path)
        var members = MemberSet<CheckpointKey>()
        var checkpoint = RawCheckpoint(path: path)
        var first = true
        while let name = try nextKey(in: path, first: &first) {
            let key = try members.key(name, in: path)
            try members.insert(key, in: path)
            let fieldPath = PathText.member(path, name)
            switch key {
            case .step:
                checkpoint.step = try readInteger(at: fieldPath)
            case .metrics:
                (checkpoint.metrics, checkpoint.classMetrics) = try readMetrics(at: fieldPath)
            case .units:
                checkpoint.units = try readUnits(at: fieldPath)
            case .curves:
                checkpoint.curves = try readCurves(at: fieldPath)
            }
        }
        try members.require([.step], in: path)
        return checkpoint
    }

    /// Reads checkpoint `metrics`: name → number or null, or an array of numbers or
    /// nulls (one per class, checked against `classes` later); well-known ranges and
    /// shapes checked.
    private mutating func readMetrics(at path: String) throws(RunFormatError) -> ([NamedValue], [RawClassMetric]) {
        try beginObject(at: path)
        var names = NameSet()
        var metrics: [NamedValue] = []
        var classMetrics: [RawClassMetric] = []
        var first = true
        while let name = try nextKey(in: path, first: &first) {
            let metricPath = PathText.member(path, name)
            try names.insert(name, in: path)
            try Self.checkName(name, at: metricPath)
            let classRange = WellKnownNames.classMetricRange(name)
            scanner.skipWhitespace()
            if scanner.peekByte() == UInt8(ascii: "[") {
                if WellKnownNames.metricRange(name) != nil {
                    throw RunFormatError(
                        path: metricPath, message: "\(PathText.name(name)) takes one number, found an array")
                }
                var values: [Double] = []
                _ = try readNumberArray(at: metricPath, into: &values)
                if let range = classRange ?? nil, let bad = range.firstViolation(in: values) {
                    throw RunFormatError(path: PathText.element(metricPath, bad), message: range.violation(name, values[bad]))
                }
                classMetrics.append(RawClassMetric(name: name, path: metricPath, values: values))
                continue
            }
            if classRange != nil {
                throw mismatch(expected: "an array of one number per class", at: metricPath)
            }
            let value = try readNumberOrNull(at: metricPath)
            if let range = WellKnownNames.metricRange(name), !range.contains(value) {
                throw RunFormatError(path: metricPath, message: range.violation(name, value))
            }
            metrics.append(NamedValue(name: name, value: value))
        }
        return (metrics, classMetrics)
    }

    // MARK: Units

    /// Reads checkpoint `units`: layer name → (metric name → values). Layers, counts
    /// and shapes are checked later, when the whole document is known.
    private mutating func readUnits(at path: String) throws(RunFormatError) -> [RawUnitMetric] {
        try beginObject(at: path)
        var layers = NameSet()
        var metrics: [RawUnitMetric] = []
        var first = true
        while let layer = try nextKey(in: path, first: &first) {
            let layerPath = PathText.member(path, layer)
            try layers.insert(layer, in: path)
            try beginObject(at: layerPath)
            var names = NameSet()
            var firstMetric = true
            while let name = try nextKey(in: layerPath, first: &firstMetric) {
                let metricPath = PathText.member(layerPath, name)
                try names.insert(name, in: layerPath)
                try Self.checkName(name, at: metricPath)
                let values = try readUnitValues(at: metricPath)
                metrics.append(
                    RawUnitMetric(layer: layer, layerPath: layerPath, name: name, path: metricPath, values: values))
            }
        }
        return metrics
    }

    /// What the first entry that is not `null` says about a unit metric's kind.
    private enum FirstEntry {
        case number, vector, text, none
    }

    /// Looks past leading `null`s of the array at the cursor, without consuming
    /// anything, to find the kind of its first other entry.
    private func firstEntry() -> FirstEntry {
        var probe = scanner
        probe.skipWhitespace()
        guard probe.peekByte() == UInt8(ascii: "[") else { return .number }
        probe.offset += 1
        while true {
            probe.skipWhitespace()
            guard probe.peekByte() == UInt8(ascii: "n") else { break }
            do throws(SyntaxError) { try probe.readWord("null") } catch { return .number }
            probe.skipWhitespace()
            guard probe.peekByte() == UInt8(ascii: ",") else { break }
            probe.offset += 1
        }
        switch probe.peekByte() {
        case UInt8(ascii: "\""): return .text
        case UInt8(ascii: "["): return .vector
        case UInt8(ascii: "]"): return .none
        default: return .number
        }
    }

    /// Reads one unit metric: an array of numbers, of arrays of numbers (flattened),
    /// or of labels, each entry possibly `null`. The first entry that is not `null`
    /// sets the kind; a later entry of another kind is refused at its index.
    private mutating func readUnitValues(at path: String) throws(RunFormatError) -> RawUnitValues {
        var raw = RawUnitValues()
        let oneKind = "like the first entry (one metric holds one kind of value)"
        let kind = firstEntry()
        switch kind {
        case .number, .none:
            raw.count = try readNumberArray(at: path, into: &raw.values, expected: "a number or null \(oneKind)")
            raw.allNull = kind == .none
            return raw
        case .text:
            try beginArray(at: path)
            var labels: [String?] = []
            var first = true
            while try nextElement(in: path, first: &first) {
                let entryPath = PathText.element(path, labels.count)
                if scanner.peekByte() == UInt8(ascii: "n") {
                    _ = try readNumberOrNull(at: entryPath)
                    labels.append(nil)
                    continue
                }
                guard scanner.peekByte() == UInt8(ascii: "\"") else {
                    throw mismatch(expected: "a string or null \(oneKind)", at: entryPath)
                }
                let label = try readString(at: entryPath)
                try Self.checkLabel(label, at: entryPath)
                labels.append(label)
            }
            raw.count = labels.count
            raw.labels = labels
            return raw
        case .vector:
            try beginArray(at: path)
            var leadingNulls = 0
            var first = true
            while try nextElement(in: path, first: &first) {
                let rowPath = PathText.element(path, raw.count)
                if scanner.peekByte() == UInt8(ascii: "n") {
                    _ = try readNumberOrNull(at: rowPath)
                    if let rowLength = raw.rowLength {
                        raw.values.append(contentsOf: repeatElement(.nan, count: rowLength))
                    } else {
                        leadingNulls += 1
                    }
                    raw.count += 1
                    continue
                }
                guard scanner.peekByte() == UInt8(ascii: "[") else {
                    throw mismatch(expected: "an array of per-class numbers or null \(oneKind)", at: rowPath)
                }
                let length = try readNumberArray(at: rowPath, into: &raw.values)
                if let rowLength = raw.rowLength {
                    if length != rowLength && raw.irregularRow == nil {
                        raw.irregularRow = (raw.count, length)
                    }
                } else {
                    raw.rowLength = length
                    raw.firstRow = raw.count
                    raw.values.insert(contentsOf: repeatElement(.nan, count: leadingNulls * length), at: 0)
                }
                raw.count += 1
            }
            return raw
        }
    }

    /// Refuses an empty label or one longer than 10,000 code points.
    static func checkLabel(_ label: String, at path: String) throws(RunFormatError) {
        if label.isEmpty {
            throw RunFormatError(
                path: path, message: "the label is empty; a label needs 1 to \(Limits.label) characters (write null for no label)")
        }
        let length = label.unicodeScalars.count
        if length > Limits.label {
            throw RunFormatError(
                path: path, message: "the label has \(length) characters; at most \(Limits.label) are allowed")
        }
    }

    // MARK: Curves

    /// Reads checkpoint `curves`.
    private mutating func readCurves(at path: String) throws(RunFormatError) -> [RawCurve] {
        try beginArray(at: path)
        var curves: [RawCurve] = []
        var first = true
        while try nextElement(in: path, first: &first) {
            curves.append(try readCurve(at: PathText.element(path, curves.count)))
        }
        return curves
    }

    /// Reads one curve and checks everything about it that does not need the
    /// document's layers.
    private mutating func readCurve(at path: String) throws(RunFormatError) -> RawCurve {
        try beginObject(at: path)
        var members = MemberSet<CurveKey>()
        var perturbation = Perturbation.ablation
        var layerList: [String]? = nil
        var order: String? = nil
        var seed = 0
        var x: [Double] = []
        var metrics: [CurveMetric] = []
        var first = true
        while let name = try nextKey(in: path, first: &first) {
            let key = try members.key(name, in: path)
            try members.insert(key, in: path)
            let fieldPath = PathText.member(path, name)
            switch key {
            case .perturbation:
                let text = try readString(at: fieldPath)
                guard let value = Perturbation(rawValue: text) else {
                    throw RunFormatError(
                        path: fieldPath,
                        message: "unknown perturbation \(PathText.name(text)); expected ablation or noise")
                }
                perturbation = value
            case .layers:
                layerList = try readCurveLayers(at: fieldPath)
            case .order:
                order = try readName(at: fieldPath)
            case .seed:
                seed = try readInteger(at: fieldPath)
            case .x:
                _ = try readNumberArray(at: fieldPath, into: &x)
            case .metrics:
                metrics = try readCurveMetrics(at: fieldPath)
            }
        }
        try members.require([.perturbation, .layers, .x, .metrics], in: path)
        switch perturbation {
        case .noise:
            if members.contains(.order) {
                throw RunFormatError(
                    path: PathText.member(path, "order"), message: "order applies only to ablation curves")
            }
        case .ablation:
            if order == nil { order = "random" }
        }
        try Self.checkCurveX(x, perturbation, at: PathText.member(path, "x"))
        let metricsPath = PathText.member(path, "metrics")
        for metric in metrics {
            let metricPath = PathText.member(metricsPath, metric.name)
            guard metric.values.count == x.count else {
                throw RunFormatError(
                    path: metricPath,
                    message: "\(Plural.count(metric.values.count, "value")), x has \(x.count)")
            }
            if let range = WellKnownNames.metricRange(metric.name), let bad = range.firstViolation(in: metric.values) {
                throw RunFormatError(
                    path: PathText.element(metricPath, bad), message: range.violation(metric.name, metric.values[bad]))
            }
        }
        return RawCurve(
            path: path, perturbation: perturbation, layerList: layerList, order: order, seed: seed, x: x,
            metrics: metrics)
    }

    /// Reads a curve's `layers`: the string `all` (nil) or a non-empty list of
    /// distinct names.
    private mutating func readCurveLayers(at path: String) throws(RunFormatError) -> [String]? {
        scanner.skipWhitespace()
        switch scanner.peekByte() {
        case UInt8(ascii: "\""):
            let text = try readString(at: path)
            guard text == "all" else {
                throw RunFormatError(
                    path: path,
                    message: "expected a list of layer names or the string all, found the string \(JSONText.quoted(text))")
            }
            return nil
        case UInt8(ascii: "["):
            try beginArray(at: path)
            var names: [String] = []
            var seen: [String: Int] = [:]
            var first = true
            while try nextElement(in: path, first: &first) {
                let namePath = PathText.element(path, names.count)
                let name = try readString(at: namePath)
                if let earlier = seen[name] {
                    throw RunFormatError(
                        path: namePath,
                        message: "layer \(PathText.name(name)) is already listed at [\(earlier)]; a layer may be listed once")
                }
                seen[name] = names.count
                names.append(name)
            }
            guard !names.isEmpty else {
                throw RunFormatError(path: path, message: "the list of layers is empty; name at least one layer, or write \"all\"")
            }
            return names
        default:
            throw mismatch(expected: "a list of layer names or the string all", at: path)
        }
    }

    /// Reads a curve's `metrics`: name → array of numbers or null.
    private mutating func readCurveMetrics(at path: String) throws(RunFormatError) -> [CurveMetric] {
        try beginObject(at: path)
        var names = NameSet()
        var metrics: [CurveMetric] = []
        var first = true
        while let name = try nextKey(in: path, first: &first) {
            let metricPath = PathText.member(path, name)
            try names.insert(name, in: path)
            try Self.checkName(name, at: metricPath)
            var values: [Double] = []
            _ = try readNumberArray(at: metricPath, into: &values)
            metrics.append(CurveMetric(name: name, values: values))
        }
        return metrics
    }

    /// Checks a curve's `x`: at least two finite values, strictly increasing, in
    /// [0, 1] for ablation and ≥ 0 for noise.
    static func checkCurveX(_ x: [Double], _ perturbation: Perturbation, at path: String) throws(RunFormatError) {
        guard x.count >= 2 else {
            throw RunFormatError(path: path, message: "x needs at least 2 values, found \(x.count)")
        }
        for index in x.indices {
            let value = x[index]
            let valuePath = PathText.element(path, index)
            guard value.isFinite else {
                let found = value.isNaN ? "an undefined value (null or NaN)" : JSONText.documentNumber(value)
                throw RunFormatError(path: valuePath, message: "x values must be finite numbers, found \(found)")
            }
            switch perturbation {
            case .ablation where !(0...1).contains(value):
                throw RunFormatError(
                    path: valuePath,
                    message: "an ablation x is a fraction of units and must lie in [0, 1], found \(JSONText.documentNumber(value))")
            case .noise where value < 0:
                throw RunFormatError(
                    path: valuePath,
                    message: "a noise x is a standard deviation and must be ≥ 0, found \(JSONText.documentNumber(value))")
            default:
                break
            }
            if index > 0 && !(value > x[index - 1]) {
                throw RunFormatError(
                    path: valuePath,
                    message: "x must be strictly increasing, found \(JSONText.documentNumber(value)) after \(JSONText.documentNumber(x[index - 1]))")
            }
        }
    }
}
