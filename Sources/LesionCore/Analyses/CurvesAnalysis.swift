import Foundation
import LesionCharts
import LesionStatistics
import LesionStore

/// Analysis 3: what do the perturbation curves look like? For each group and
/// each x: how many curves (models × seeds), their mean, sd, min and max.
public struct CurvesAnalysis {
    /// The analysis's parameters, with the documented defaults.
    public struct Options: Sendable {
        public var curves = CurveSelection()
        public var grouping = "label_corruption"
        public var normalize = false
        public var filter = ModelFilter()
        public init() {}
    }

    /// One x of one group.
    public struct Point: Sendable {
        public var x: Double
        public var n: Int
        public var mean: Double?
        public var sd: Double?
        public var min: Double?
        public var max: Double?
    }

    /// One group's curve summary.
    public struct Group: Sendable {
        public var group: GroupValue?
        public var points: [Point]
    }

    /// The whole answer.
    public struct Result: Sendable {
        public var options: Options
        public var groups: [Group]
        public var leftOut: LeftOut
    }

    let database: any Database

    /// The analysis over `database`.
    public init(database: any Database) {
        self.database = database
    }

    /// Runs the analysis.
    public func run(_ options: Options) throws -> Result {
        let context = try SelectionContext(database: database, filter: options.filter, attributeNames: [options.grouping])
        let curves = try CurveReader(database: database).read(options.filter, options.curves)
        var leftOut = LeftOut()
        // Per group, per x (rounded to 1e-9 so that 0.1 + 0.2 meets 0.3): the y values.
        var values: [GroupValue?: [Int64: (x: Double, ys: [Double])]] = [:]
        for entry in context.checkpoints {
            guard let modelCurves = curves[entry.checkpointId], !modelCurves.isEmpty else {
                leftOut.add("no matching curve")
                continue
            }
            let group = context.attributes[entry.model.id]?[options.grouping].flatMap(GroupValue.init)
            if group == nil {
                leftOut.add("\(options.grouping) unknown", count: modelCurves.count)
                continue
            }
            for curve in modelCurves {
                // A curve with an undefined value is left out whole, so that every x
                // of a group counts the same curves.
                guard curve.y.allSatisfy(\.isFinite) else {
                    leftOut.add("curve value undefined")
                    continue
                }
                var y = curve.y
                if options.normalize {
                    guard let y0 = y.first, y0 != 0 else {
                        leftOut.add("y(x0) = 0")
                        continue
                    }
                    y = y.map { $0 / y0 }
                }
                for (x, value) in zip(curve.x, y) {
                    let key = Int64((x * 1e9).rounded())
                    values[group, default: [:]][key, default: (x, [])].ys.append(value)
                }
            }
        }
        let keys = values.keys.sorted { a, b in
            switch (a, b) {
            case (.some(let x), .some(let y)): return x < y
            case (.some, nil): return true
            default: return false
            }
        }
        let groups = keys.map { key in
            Group(group: key, points: (values[key] ?? [:]).sorted { $0.key < $1.key }.map { _, entry in
                Point(x: entry.x, n: entry.ys.count, mean: Descriptive.mean(entry.ys),
                      sd: Descriptive.sampleStandardDeviation(entry.ys),
                      min: Descriptive.min(entry.ys), max: Descriptive.max(entry.ys))
            })
        }
        return Result(options: options, groups: groups, leftOut: leftOut)
    }
}

extension CurvesAnalysis.Result {
    /// The result as a printable report.
    public var report: AnalysisReport {
        var table = ResultTable(columns: [options.grouping, "x", "n", "mean", "sd", "min", "max"])
        for group in groups {
            for point in group.points {
                table.rows.append([ReportText.cell(group.group), .real(point.x), .integer(Int64(point.n)),
                                   ReportText.cell(point.mean), ReportText.cell(point.sd),
                                   ReportText.cell(point.min), ReportText.cell(point.max)])
            }
        }
        return AnalysisReport(sections: [(nil, table)], notes: leftOut.note.map { [$0] } ?? [], answer: nil, json: json, chart: chart)
    }

    /// The JSON contract of analyses.md.
    public var json: JSONOutput {
        .object([
            ("analysis", .string("curves")),
            ("parameters", .object([
                ("perturbation", .string(options.curves.perturbation.rawValue)),
                ("scope", .string(options.curves.scopeDescription)),
                ("order", options.curves.perturbation == .noise ? .null : .string(options.curves.order)),
                ("metric", .string(options.curves.metric)),
                ("by", .string(options.grouping)),
                ("normalize", .bool(options.normalize)),
                ("step", .string(options.filter.step.description)),
                ("filters", .array(options.filter.descriptions.map(JSONOutput.string))),
            ])),
            ("groups", .array(groups.map { group in
                .object([
                    ("group", group.group?.json ?? .null),
                    ("points", .array(group.points.map { point in
                        .object([("x", .number(point.x)), ("n", .integer(point.n)), ("mean", .number(point.mean)),
                                 ("sd", .number(point.sd)), ("min", .number(point.min)), ("max", .number(point.max))])
                    })),
                ])
            })),
            ("left_out", leftOut.json),
        ])
    }

    /// The grouped curves as a chart, mean ± sd per group.
    public var chart: Chart {
        let yLabel = options.normalize ? "\(options.curves.metric) / value at x₀" : options.curves.metric
        let xLabel = options.curves.perturbation == .ablation ? "fraction of units ablated" : "noise sd (× unit activation sd)"
        return Chart(
            title: "\(options.curves.perturbation.rawValue) curves (\(options.curves.scopeDescription)) by \(options.grouping)",
            xLabel: xLabel, yLabel: yLabel,
            series: groups.map { group in
                ChartSeries(
                    label: "\(options.grouping)=\(group.group?.description ?? "?")",
                    points: group.points.compactMap { point in
                        point.mean.map { ChartPoint(x: point.x, y: $0, spread: point.sd) }
                    })
            },
            kind: .lines)
    }
}
