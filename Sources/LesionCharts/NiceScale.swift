import Foundation

/// A linear axis whose ends and ticks fall on "nice" numbers (1, 2 or 5 × 10^k).
///
/// The range is widened outward to the enclosing ticks so the outermost gridlines frame
/// the data; ticks are computed as integer multiples of the step so they print cleanly.
struct NiceScale: Equatable {
    /// Lower end of the axis (the first tick when the data span is usable).
    let lower: Double
    /// Upper end of the axis.
    let upper: Double
    /// Distance between ticks; 0 when the span was unusable and only the ends are ticked.
    let step: Double
    /// Tick positions, ascending, within `lower...upper`.
    let ticks: [Double]

    /// Builds a scale covering `low...high` with about `targetTickCount` ticks.
    ///
    /// Equal ends are widened around the value; non-finite or reversed input falls back to
    /// 0...1, so every chart gets an axis.
    init(low: Double, high: Double, targetTickCount: Int) {
        var low = low, high = high
        if !low.isFinite || !high.isFinite || low > high { (low, high) = (0, 1) }
        if low == high {
            // A constant series still deserves an axis around its value.
            let pad = low == 0 ? 1 : abs(low) * 0.5
            (low, high) = (low - pad, high + pad)
            if !low.isFinite || !high.isFinite || low == high { (low, high) = (0, 1) }
        }
        let target = max(2, targetTickCount)
        let span = high - low
        guard span.isFinite, span > 0,
              let best = NiceScale.bestLayout(low: low, high: high, span: span, target: target) else {
            // Only happens for spans near the top of Double's range: tick the ends.
            self.lower = low
            self.upper = high
            self.step = 0
            self.ticks = [low, high]
            return
        }
        self.lower = best.first * best.step
        self.upper = best.last * best.step
        self.step = best.step
        self.ticks = (0...Int(best.last - best.first)).map { (best.first + Double($0)) * best.step }
    }

    /// Picks the 1/2/5 × 10^k step whose widened range balances closeness to the target
    /// tick count against wasted space (a simplified Talbot–Lin–Hanrahan score): plain "round the step up" can double the axis
    /// (e.g. −0.03…1.03 shown as −0.5…1.5), which squeezes the data into half the plot.
    private static func bestLayout(
        low: Double, high: Double, span: Double, target: Int
    ) -> (step: Double, first: Double, last: Double)? {
        let exponent = (log10(span / Double(target - 1))).rounded(.down)
        var best: (step: Double, first: Double, last: Double)?
        var bestScore = Double.infinity
        for power in [exponent - 1, exponent, exponent + 1] {
            for mantissa in [1.0, 2.0, 5.0] {
                let step = mantissa * pow(10, power)
                guard step.isFinite, step > 0 else { continue }
                var first = (low / step).rounded(.down)
                var last = (high / step).rounded(.up)
                // Guard against floating noise making the range miss an end by a hair.
                if first * step > low { first -= 1 }
                if last * step < high { last += 1 }
                let intervals = last - first
                guard intervals.isFinite, intervals >= 1, intervals <= 1000,
                      (first * step).isFinite, (last * step).isFinite else { continue }
                // Too many ticks costs half as much as too few: extra ticks only crowd the
                // axis, while a coarse step widens the range and wastes plot area.
                let count = intervals + 1, wanted = Double(target)
                let density = count > wanted ? (count - wanted) / (2 * wanted) : (wanted - count) / wanted
                let coverage = span / (intervals * step)
                let score = density + 1.5 * (1 - coverage)
                if score < bestScore - 1e-9 {
                    bestScore = score
                    best = (step, first, last)
                }
            }
        }
        return best
    }

    /// Where `value` sits between the ends, 0 at `lower` and 1 at `upper`.
    ///
    /// Computed at half scale when the span overflows, so extreme ranges still place points.
    func fraction(of value: Double) -> Double {
        let span = upper - lower
        if span.isFinite, span > 0 {
            let direct = (value - lower) / span
            if direct.isFinite { return direct }
        }
        let halved = (value / 2 - lower / 2) / (upper / 2 - lower / 2)
        return halved.isFinite ? halved : 0.5
    }
}
