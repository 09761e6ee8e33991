import LesionRunFormat
import LesionStatistics
import LesionStore

/// Analysis 2: do networks that generalize rely less on single directions?
/// Each model's robustness R is the normalized area under its ablation (or noise)
/// curve; R is correlated with test accuracy, the generalization gap and chosen
/// attributes, and summarized per group.
public struct RobustnessGeneralization {
    /// The analysis's parameters, with the documented defaults.
    public struct Options: Sendable {
        public var curves = CurveSelection()
        public var grouping = ["label_corruption"]
        public var against = ["label_corruption"]
        public var filter = ModelFilter()
        public init() {}
    }

    /// One model (or checkpoint, with `--step all`).
    public struct Observation: Sendable {
        public var model: ModelName
        public var step: Int
        public var attributes: [(String, AttributeValue?)]
        public var testAccuracy: Double?
        public var trainAccuracy: Double?
        public var gap: Double?
        public var testLoss: Double?
        public var robustness: Double
    }

    /// Spearman ρ between R and one quantity.
    public struct Correlation: Sendable {
        public var against: String
        public var spearman: SpearmanCorrelation?
        public var n: Int
    }

    /// R summarized over one group.
    public struct Group: Sendable {
        public var group: [GroupValue?]
        public var n: Int
        public var meanRobustness: Double?
        public var sdRobustness: Double?
        public var meanTestAccuracy: Double?
    }

    /// Per model over training: does robustness track the test loss?
    public struct OverTraining: Sendable {
        public var model: ModelName
        public var n: Int
        public var spearman: SpearmanCorrelation?
        public var bestRobustnessStep: Int?
        public var bestTestLossStep: Int?
    }

    /// The whole answer.
    public struct Result: Sendable {
        public var options: Options
        public var observations: [Observation]
        public var correlations: [Correlation]
        public var groups: [Group]
        public var overTraining: [OverTraining]?
        public var leftOut: LeftOut
    }

    let database: any Database

    /// The analysis over `database`.
    public init(database: any Database) {
        self.database = database
    }

    /// Runs the analysis.
    public func run(_ options: Options) throws -> Result {
        let context = try SelectionContext(
            database: database, filter: options.filter, attributeNames: options.grouping + options.against)
        let metrics = try SelectionContext.checkpointMetrics(
            database: database, filter: options.filter, names: ["test_accuracy", "train_accuracy", "test_loss"])
        let curves = try CurveReader(database: database).read(options.filter, options.curves)
        var leftOut = LeftOut()
        var observations: [Observation] = []
        for entry in context.checkpoints {
            guard let modelCurves = curves[entry.checkpointId], !modelCurves.isEmpty else {
                leftOut.add("no matching curve")
                continue
            }
            let robustness: Double
            switch CurveMath.robustness(modelCurves) {
            case .success(let value): robustness = value
            case .failure(let reason):
                leftOut.add(reason.description)
                continue
            }
            let values = metrics[entry.checkpointId] ?? [:]
            let test = values["test_accuracy"].flatMap { $0.isFinite ? $0 : nil }
            let train = values["train_accuracy"].flatMap { $0.isFinite ? $0 : nil }
            var gap: Double?
            if let test, let train { gap = train - test }
            let attributes = context.attributes[entry.model.id] ?? [:]
            observations.append(Observation(
                model: entry.model, step: entry.step,
                attributes: options.grouping.map { ($0, attributes[$0]) },
                testAccuracy: test, trainAccuracy: train, gap: gap,
                testLoss: values["test_loss"].flatMap { $0.isFinite ? $0 : nil }, robustness: robustness))
        }

        var correlations: [Correlation] = []
        func correlate(_ name: String, _ value: (Observation) -> Double?) {
            var x: [Double] = [], y: [Double] = []
            for observation in observations {
                guard let v = value(observation), v.isFinite else { continue }
                x.append(observation.robustness)
                y.append(v)
            }
            correlations.append(Correlation(against: name, spearman: SpearmanCorrelation(x: x, y: y), n: x.count))
        }
        correlate("test_accuracy") { $0.testAccuracy }
        correlate("gap") { $0.gap }
        for name in options.against {
            correlate(name) { observation in
                if case .number(let v)? = context.attributes[observation.model.id]?[name] { return v }
                return nil
            }
        }

        var grouped: [[GroupValue?]: [Observation]] = [:]
        for observation in observations {
            let key = observation.attributes.map { $0.1.flatMap(GroupValue.init) }
            grouped[key, default: []].append(observation)
        }
        let groups = grouped.keys.sorted(by: RobustnessGeneralization.groupOrder).map { key -> Group in
            let members = grouped[key] ?? []
            let r = members.map(\.robustness)
            return Group(
                group: key, n: members.count, meanRobustness: Descriptive.mean(r),
                sdRobustness: Descriptive.sampleStandardDeviation(r),
                meanTestAccuracy: Descriptive.mean(members.compactMap(\.testAccuracy)))
        }

        var overTraining: [OverTraining]?
        if options.filter.step == .all {
            var byModel: [Int64: [Observation]] = [:]
            for observation in observations { byModel[observation.model.id, default: []].append(observation) }
            overTraining = byModel.values
                .filter { $0.count >= 3 }
                .map { RobustnessGeneralization.overTraining($0.sorted { $0.step < $1.step }) }
                .sorted { ($0.model.experiment, $0.model.model) < ($1.model.experiment, $1.model.model) }
        }
        return Result(
            options: options, observations: observations, correlations: correlations,
            groups: groups, overTraining: overTraining, leftOut: leftOut)
    }

    static func groupOrder(_ lhs: [GroupValue?], _ rhs: [GroupValue?]) -> Bool {
        for (a, b) in zip(lhs, rhs) where a != b {
            switch (a, b) {
            case (nil, _): return false
            case (_, nil): return true
            case (.some(let x), .some(let y)): return x < y
            }
        }
        return false
    }

    static func overTraining(_ checkpoints: [Observation]) -> OverTraining {
        var r: [Double] = [], loss: [Double] = []
        for checkpoint in checkpoints {
            guard let testLoss = checkpoint.testLoss else { continue }
            r.append(checkpoint.robustness)
            loss.append(testLoss)
        }
        // Ties go to the earliest step: the first point an early-stopping rule would take.
        var bestRobustness: Observation?
        for checkpoint in checkpoints where bestRobustness == nil || checkpoint.robustness > (bestRobustness?.robustness ?? 0) {
            bestRobustness = checkpoint
        }
        var bestLoss: Observation?
        for checkpoint in checkpoints {
            guard let testLoss = checkpoint.testLoss else { continue }
            if bestLoss == nil || testLoss < (bestLoss?.testLoss ?? .infinity) { bestLoss = checkpoint }
        }
        return OverTraining(
            model: checkpoints[0].model, n: r.count, spearman: SpearmanCorrelation(x: r, y: loss),
            bestRobustnessStep: bestRobustness?.step, bestTestLossStep: bestLoss?.step)
    }
}
