import LesionStatistics
import LesionStore

/// Analysis 6 over a database: reads each selected unit's `class_means` and
/// `ablated_class_accuracy` (vector unit metrics), its checkpoint's `class_accuracy`
/// (a per-class checkpoint metric), S and `accuracy_drop`, and hands them to the pure
/// `ClassImportance`. Each unit metric is one range scan in primary-key order; a
/// vector is one packed row per unit.
public struct ClassImportanceAnalysis {
    /// The analysis's parameters, with the documented defaults.
    public struct Options: Sendable {
        public var selectivity = "class_selectivity"
        public var grouping = Grouping.layer
        public var filter = ModelFilter()
        public init() {}
    }

    /// The statistics with the options they answer.
    public struct Result: Sendable {
        public var options: Options
        public var statistics: ClassImportance.Result
    }

    let database: any Database

    /// The analysis over `database`.
    public init(database: any Database) {
        self.database = database
    }

    private typealias LayerKey = UnitObservationReader.LayerKey

    /// Runs the analysis: on two connections that read one snapshot where the
    /// database allows it (``SnapshotReaders``), so that the four large reads (two
    /// vectors and two numbers of every unit) take two cores; else on `database` alone.
    public func run(_ options: Options) throws -> Result {
        try SnapshotReaders.with(database, count: 2) { readers in
            try run(options, readers: readers)
        }
    }

    private func run(_ options: Options, readers: [SnapshotReaders.Reader]) throws -> Result {
        let database = readers[0].database
        var options = options
        let unitGroups = try UnitGroups(resolving: options.grouping, database: database, filter: options.filter)
        options.grouping = unitGroups.grouping
        let selection = options.filter.selectionSQL(ordered: false)

        var classesOfModel: [Int64: Int] = [:]
        var layerNames: [Int64: String] = [:]
        try database.forEachRow("""
            WITH sel AS (\(selection)) \
            SELECT l.id, l.name, m.id, m.classes FROM layers l JOIN models m ON m.id = l.model_id \
            WHERE m.id IN (SELECT model_id FROM sel)
            """) { row in
            layerNames[try row.decode(Int64.self, at: 0)] = try row.decode(String.self, at: 1)
            if let classes = row.int(3) { classesOfModel[try row.decode(Int64.self, at: 2)] = classes }
        }
        var classAccuracy: [Int64: [Double]] = [:]
        try database.forEachRow("""
            WITH sel AS (\(selection)) \
            SELECT cv.checkpoint_id, cv.class, cv.value FROM checkpoint_class_values cv \
            WHERE cv.name = \("class_accuracy") AND cv.checkpoint_id IN (SELECT checkpoint_id FROM sel)
            """) { row in
            let checkpoint = try row.decode(Int64.self, at: 0), k = try row.decode(Int.self, at: 1)
            guard k >= 0 else { return }
            var values = classAccuracy[checkpoint] ?? []
            if values.count <= k { values.append(contentsOf: repeatElement(.nan, count: k - values.count + 1)) }
            values[k] = row.number(2)
            classAccuracy[checkpoint] = values
        }
        let testAccuracy = try SelectionContext.checkpointMetrics(database: database, filter: options.filter, names: ["test_accuracy"])

        let reader = UnitObservationReader(database: database)
        let places = try reader.unitMetrics(named: "ablated_class_accuracy", selection: selection)
        let strides = Dictionary(places.values.map { ($0.key, classesOfModel[$0.model] ?? 0) }, uniquingKeysWith: { a, _ in a })
        // Each half on a reader of its own where there are two, one after the other on
        // one connection otherwise (a connection is never shared between threads).
        let halves = [(vector: "class_means", number: options.selectivity), (vector: "ablated_class_accuracy", number: "ablated_test_accuracy")]
        let read: @Sendable (Int) -> Swift.Result<ReadHalf, any Error> = { index in
            Swift.Result {
                let database = readers[readers.count > 1 ? index : 0].database
                return ReadHalf(
                    vectors: try Self.vectors(named: halves[index].vector, selection: selection, strides: strides, database: database),
                    numbers: try UnitObservationReader(database: database).valuesByLayer(named: halves[index].number, selection: selection))
            }
        }
        let outcomes = readers.count > 1 ? [0, 1].concurrentMap(read) : [0, 1].map(read)
        let (first, second) = (try outcomes[0].get(), try outcomes[1].get())
        let means = first.vectors, selectivity = first.numbers
        let ablated = second.vectors, ablatedTest = second.numbers

        var collector = ClassImportance.Collector(selectivity: options.selectivity)
        var leftOut = LeftOut()
        // Layers in a fixed order (model, checkpoint, layer ids), so that the charts
        // and the order of observations do not depend on hashing.
        let keys = places.values.sorted { ($0.model, $0.key.checkpoint, $0.key.layer) < ($1.model, $1.key.checkpoint, $1.key.layer) }
        for place in keys {
            let key = place.key
            guard let classes = classesOfModel[place.model], let ablatedValues = ablated[key] else { continue }
            let count = ablatedValues.count / classes
            guard let meanValues = means[key] else {
                leftOut.add("no class_means", count: count)
                continue
            }
            guard let accuracy = classAccuracy[key.checkpoint], accuracy.count == classes else {
                leftOut.add("no class_accuracy", count: count)
                continue
            }
            let layer = layerNames[key.layer] ?? ""
            let checkpointTest = testAccuracy[key.checkpoint]?["test_accuracy"] ?? .nan
            let layerSelectivity = selectivity[key] ?? [], layerAblatedTest = ablatedTest[key] ?? []
            for unit in 0..<count {
                guard let group = unitGroups.group(
                    model: place.model, checkpoint: key.checkpoint, layerId: key.layer, layer: layer, unit: unit)
                else {
                    leftOut.add(unitGroups.missingReason)
                    continue
                }
                let range = unit * classes..<(unit + 1) * classes
                let unitMeans = range.upperBound <= meanValues.count ? meanValues[range] : ArraySlice(repeating: .nan, count: classes)
                let s = unit < layerSelectivity.count ? layerSelectivity[unit] : .nan
                let a = unit < layerAblatedTest.count ? layerAblatedTest[unit] : .nan
                collector.add(ClassImportance.Unit(
                    group: group, classes: classes, classMeans: unitMeans, classAccuracy: accuracy[...],
                    ablatedClassAccuracy: ablatedValues[range], selectivity: s,
                    accuracyDrop: UnitMeasure.accuracyDrop.combine(unit: a, checkpoint: checkpointTest)))
            }
        }
        var statistics = collector.result(grouped: options.grouping != .none)
        // Units left out before the computation come first, as they were met first.
        for entry in statistics.leftOut.entries { leftOut.add(entry.reason, count: entry.count) }
        statistics.leftOut = leftOut
        return Result(options: options, statistics: statistics)
    }

    /// Half of the large reads: a vector unit metric and a number unit metric.
    private struct ReadHalf: Sendable {
        var vectors: [LayerKey: [Double]]
        var numbers: [LayerKey: [Double]]
    }

    /// A vector unit metric of every selected layer whose model has classes: per
    /// layer, units × classes values (unit-major), NaN where undefined. One packed
    /// row per unit (schema v5).
    private static func vectors(
        named name: String, selection: SQL, strides: [LayerKey: Int], database: any Database
    ) throws -> [LayerKey: [Double]] {
        let places = try UnitObservationReader(database: database).unitMetrics(named: name, selection: selection)
        var byLayer: [LayerKey: [Double]] = [:]
        // Rows arrive grouped by unit metric: fill one layer's array, then file it.
        var metricId: Int64 = -1
        var stride = 0
        var values: [Double] = []
        try database.forEachRow("""
            WITH sel AS (\(selection)) \
            SELECT v.unit_metric_id, v.unit, v.vector FROM sel \
            JOIN unit_metrics um ON um.checkpoint_id = sel.checkpoint_id AND um.name = \(name) \
            JOIN unit_class_vectors v ON v.unit_metric_id = um.id
            """) { row in
            let id = try row.decode(Int64.self, at: 0)
            if id != metricId {
                if let place = places[metricId] { byLayer[place.key] = values }
                metricId = id
                let key = places[id]?.key
                stride = key.flatMap { strides[$0] } ?? 0
                values = key.flatMap { byLayer[$0] } ?? []
            }
            let unit = try row.decode(Int.self, at: 1)
            guard stride > 0, unit >= 0 else { return }
            let start = unit * stride
            // append grows the array geometrically (a reserveCapacity per unit would
            // reallocate it every time).
            while values.count < start + stride { values.append(.nan) }
            try PackedDoubles.write(row, column: 2, into: &values, at: start, count: stride)
        }
        if let place = places[metricId] { byLayer[place.key] = values }
        return byLayer
    }
}
