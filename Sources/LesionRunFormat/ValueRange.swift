/// The range a well-known number must lie in. NaN (undefined) lies in every range:
/// an undefined value is left out later, not refused.
enum ValueRange: Sendable {
    /// 0 ≤ v ≤ 1 (accuracies, label corruption).
    case fraction
    /// 0 ≤ v < 1 (dropout).
    case fractionBelowOne
    /// −1 ≤ v ≤ 1 (explanation scores, which are correlations).
    case signedFraction
    /// v ≥ 0 (losses, mutual information); +Infinity is allowed.
    case nonNegative

    /// Whether `value` lies in the range (NaN always does).
    @inline(__always)
    func contains(_ value: Double) -> Bool {
        switch self {
        case .fraction: !(value < 0 || value > 1)
        case .fractionBelowOne: !(value < 0 || value >= 1)
        case .signedFraction: !(value < -1 || value > 1)
        case .nonNegative: !(value < 0)
        }
    }

    /// The range as written in messages.
    var text: String {
        switch self {
        case .fraction: "lie in [0, 1]"
        case .fractionBelowOne: "lie in [0, 1)"
        case .signedFraction: "lie in [−1, 1]"
        case .nonNegative: "be ≥ 0"
        }
    }

    /// The index of the first value outside the range, if any.
    func firstViolation(in values: [Double]) -> Int? {
        values.firstIndex { !contains($0) }
    }

    /// The message for `value` named `name` falling outside the range.
    func violation(_ name: String, _ value: Double) -> String {
        "\(PathText.name(name)) must \(text), found \(JSONText.documentNumber(value))"
    }
}
