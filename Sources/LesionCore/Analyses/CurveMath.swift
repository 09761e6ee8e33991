import LesionStatistics

/// Why a model's curves give no robustness value.
enum CurveProblem: Error, CustomStringConvertible {
    case xDiffersAcrossSeeds
    case undefinedValues
    case zeroAtStart
    case tooFewPoints

    var description: String {
        switch self {
        case .xDiffersAcrossSeeds: return "x grids differ"
        case .undefinedValues: return "curve value undefined"
        case .zeroAtStart: return "y(x0) = 0"
        case .tooFewPoints: return "curve has fewer than 2 points"
        }
    }
}

/// The arithmetic of perturbation curves.
enum CurveMath {
    /// Curves that differ only by seed, averaged point by point.
    static func averageOverSeeds(_ curves: [CurveObservation]) -> Result<(x: [Double], y: [Double]), CurveProblem> {
        guard let first = curves.first else { return .failure(.tooFewPoints) }
        guard curves.allSatisfy({ $0.x == first.x }) else { return .failure(.xDiffersAcrossSeeds) }
        if curves.count == 1 { return .success((first.x, first.y)) }
        var y = [Double](repeating: 0, count: first.x.count)
        for index in y.indices {
            // Summed in seed order then divided, as numpy's mean over axis 0 does for few rows.
            var sum = 0.0
            for curve in curves { sum += curve.y[index] }
            y[index] = sum / Double(curves.count)
        }
        return .success((first.x, y))
    }

    /// R: the trapezoidal area under y(x)/y(x₀), divided by (x_last − x₀).
    static func robustness(_ curves: [CurveObservation]) -> Result<Double, CurveProblem> {
        switch averageOverSeeds(curves) {
        case .failure(let problem): return .failure(problem)
        case .success(let (x, y)):
            guard x.count >= 2, let y0 = y.first, let x0 = x.first, let xLast = x.last else { return .failure(.tooFewPoints) }
            guard y.allSatisfy(\.isFinite), x.allSatisfy(\.isFinite) else { return .failure(.undefinedValues) }
            guard y0 != 0 else { return .failure(.zeroAtStart) }
            guard let area = Trapezoid.area(x: x, y: y.map { $0 / y0 }) else { return .failure(.tooFewPoints) }
            return .success(area / (xLast - x0))
        }
    }
}
