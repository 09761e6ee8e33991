import XCTest

/// How close a computed statistic must be to its reference.
///
/// Relative 1e-12 throughout. Quantities bounded by 1 whose reference may sit at or
/// near zero through rounding alone (ρ, interval bounds, rank-biserial r) also accept an
/// absolute 1e-15: numpy's `corrcoef` itself carries errors of that size. Tail
/// probabilities accept an absolute 1e-300, below which doubles are subnormal and have
/// lost relative precision in every implementation.
enum Tolerance {
    static let relative = 1e-12
    static let boundedAbsolute = 1e-15
    static let subnormalAbsolute = 1e-300
}

/// Asserts that `actual` matches `expected` within `relative`·|expected| or `absolute`;
/// two nils, two NaNs and equal infinities match.
func assertClose(
    _ actual: Double?, _ expected: Double?,
    relative: Double = Tolerance.relative, absolute: Double = 0,
    _ message: @autoclosure () -> String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    switch (actual, expected) {
    case (nil, nil):
        return
    case let (actual?, expected?):
        if actual == expected || (actual.isNaN && expected.isNaN) { return }
        let error = abs(actual - expected)
        let allowed = max(relative * abs(expected), absolute)
        if error <= allowed { return }
        XCTFail(
            "\(message()): got \(actual), expected \(expected) (error \(error), allowed \(allowed))",
            file: file, line: line)
    default:
        XCTFail(
            "\(message()): got \(String(describing: actual)), expected \(String(describing: expected))",
            file: file, line: line)
    }
}
