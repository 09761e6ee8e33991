import Foundation

/// Prints tick values with just enough digits for the step, so 0.2 never shows as
/// 0.20000000000000001, a column of labels shares one precision, and neighbouring ticks
/// never print the same text.
struct TickLabelFormatter {
    private enum Notation: Equatable {
        /// Plain decimals with this many places.
        case fixed(Int)
        /// Mantissa and exponent; the mantissa keeps digits down to this power of ten.
        case scientific(lowestExponent: Int)
    }

    private let notation: Notation

    /// Chooses a notation for ticks `step` apart whose largest magnitude is `largest`.
    init(step: Double, largest: Double) {
        let largest = largest.isFinite ? abs(largest) : 0
        guard step.isFinite, step > 0 else {
            // Only the two ends are ticked: three significant digits tell them apart.
            let exponent = largest > 0 ? Int(log10(largest).rounded(.down)) : 0
            notation = largest < 1e6 && largest >= 1e-3 || largest == 0
                ? .fixed(3) : .scientific(lowestExponent: exponent - 2)
            return
        }
        let stepExponent = Int(log10(step).rounded(.down))
        let places = max(0, -stepExponent)
        if largest < 1e7 && (places <= 4 || (largest >= 1 && places <= 9)) {
            notation = .fixed(places)
        } else {
            // 2e-05 reads better than 0.00002; 3e7 better than 30000000.
            notation = .scientific(lowestExponent: stepExponent)
        }
    }

    /// The label text for one tick.
    func string(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
        switch notation {
        case .fixed(let places):
            return TickLabelFormatter.withoutNegativeZero(String(format: "%.\(places)f", value))
        case .scientific(let lowestExponent):
            return TickLabelFormatter.scientific(value, lowestExponent: lowestExponent)
        }
    }

    /// Mantissa with digits down to 10^`lowestExponent`, trailing zeros cut: "1.5e-9".
    private static func scientific(_ value: Double, lowestExponent: Int) -> String {
        if value == 0 { return "0" }
        let exponent = Int(log10(abs(value)).rounded(.down))
        let places = min(15, max(0, exponent - lowestExponent))
        let raw = String(format: "%.\(places)e", value)
        guard let eIndex = raw.firstIndex(of: "e") else { return raw }
        var mantissa = String(raw[..<eIndex])
        let exponentText = raw[raw.index(after: eIndex)...]
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        // Rounding may carry into the exponent (9.99e2 → 1.00e3), so read it back.
        let printedExponent = Int(exponentText) ?? exponent
        return "\(mantissa)e\(printedExponent)"
    }

    /// "-0.0" reads as a bug on an axis; show "0.0".
    private static func withoutNegativeZero(_ text: String) -> String {
        guard text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) else { return text }
        return String(text.dropFirst())
    }
}
