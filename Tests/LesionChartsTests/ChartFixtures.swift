import LesionCharts

/// Charts shared by the renderer tests: realistic ones and every degenerate shape the
/// renderers promise to survive.
enum ChartFixtures {
    /// Six label-corruption curves with ±sd, as `lesion query curves` draws them.
    static let curves = Chart(
        title: "Ablation curves",
        xLabel: "fraction of units ablated",
        yLabel: "test accuracy",
        series: [0.0, 0.2, 0.4, 0.6, 0.8, 1.0].map { level in
            ChartSeries(label: "label_corruption = \(level)", points: (0...10).map { step in
                let x = Double(step) / 10
                return ChartPoint(x: x, y: 1 - x * (0.5 + level / 2), spread: 0.02 + 0.01 * level)
            })
        },
        kind: .lines)

    /// Three layers of scatter points with ρ in the labels; deterministic pseudo-data.
    static let scatter = Chart(
        title: "Selectivity vs importance",
        xLabel: "selectivity",
        yLabel: "accuracy drop",
        series: [("fc1  ρ=-0.04", 500), ("fc2  ρ=0.21", 300), ("conv1  ρ=-0.35", 200)].map { label, count in
            ChartSeries(label: label, points: (0..<count).map { index in
                let x = Double((index * 7919) % 1000) / 1000
                let y = Double((index * 104_729) % 200) / 1000 - 0.1
                return ChartPoint(x: x, y: y)
            })
        },
        kind: .scatter)

    /// Labels full of characters that must be escaped or measured carefully.
    static let awkwardText = Chart(
        title: "A <b> & \"quoted\" 'title' 选择性",
        xLabel: "x < 1 & y > 0",
        yLabel: "Δacc \"drop\"",
        series: [
            ChartSeries(label: "<fc1> & \"fc2\"", points: [ChartPoint(x: 0, y: 0), ChartPoint(x: 1, y: 1)]),
            ChartSeries(label: "層 conv1 ✓", points: [ChartPoint(x: 0, y: 1), ChartPoint(x: 1, y: 0)]),
        ],
        kind: .lines)

    /// Degenerate charts by name; each must render without trapping.
    static let degenerate: [(name: String, chart: Chart)] = {
        func chart(_ kind: Chart.Kind, _ series: [ChartSeries]) -> Chart {
            Chart(title: "t", xLabel: "x", yLabel: "y", series: series, kind: kind)
        }
        func one(_ points: [ChartPoint]) -> [ChartSeries] { [ChartSeries(label: "s", points: points)] }
        let inf = Double.infinity, nan = Double.nan
        var cases: [(String, Chart)] = []
        for kind in Chart.Kind.allCases {
            cases += [
                ("\(kind) no series", chart(kind, [])),
                ("\(kind) empty series", chart(kind, one([]))),
                ("\(kind) one point", chart(kind, one([ChartPoint(x: 0.5, y: 0.5, spread: 0.1)]))),
                ("\(kind) all NaN", chart(kind, one([ChartPoint(x: nan, y: nan), ChartPoint(x: 1, y: nan)]))),
                ("\(kind) infinities", chart(kind, one([ChartPoint(x: inf, y: 1), ChartPoint(x: 1, y: -inf), ChartPoint(x: 2, y: 3)]))),
                ("\(kind) constant y", chart(kind, one((0...5).map { ChartPoint(x: Double($0), y: 0.97) }))),
                ("\(kind) constant x and y", chart(kind, one([ChartPoint(x: 0, y: 0), ChartPoint(x: 0, y: 0)]))),
                ("\(kind) NaN spread", chart(kind, one([ChartPoint(x: 0, y: 1, spread: nan), ChartPoint(x: 1, y: 2, spread: -inf)]))),
                ("\(kind) huge range", chart(kind, one([ChartPoint(x: -1e308, y: -1e308, spread: 1e308), ChartPoint(x: 1e308, y: 1e308)]))),
                ("\(kind) tiny range", chart(kind, one([ChartPoint(x: 1e-12, y: 1), ChartPoint(x: 2e-12, y: 1 + 1e-12)]))),
                ("\(kind) empty labels", Chart(title: "", xLabel: "", yLabel: "", series: [ChartSeries(label: "", points: [ChartPoint(x: 1, y: 1)])], kind: kind)),
                ("\(kind) control characters", Chart(title: "a\u{1B}[31mb\nc", xLabel: "\t", yLabel: "\u{0}", series: [ChartSeries(label: "x\u{7}y", points: [ChartPoint(x: 1, y: 2)])], kind: kind)),
            ]
        }
        return cases
    }()
}
