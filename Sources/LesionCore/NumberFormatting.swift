import Foundation
import LesionRunFormat

/// Numbers as people read them and as scripts need them.
public enum NumberFormatting {
    /// Full precision: the shortest text that reads back as the same double;
    /// `NaN`, `Infinity`, `-Infinity` spelled out; integral values without `.0`.
    public static func exact(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return JSONText.number(value)
    }

    /// Rounded for reading: 4 significant digits after the point for small
    /// numbers, scientific notation for very large or very small ones.
    public static func readable(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "Inf" }
        if value == 0 { return "0" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let magnitude = abs(value)
        // Large statistics (U of a million units) read better whole than in e-notation.
        if magnitude >= 1e6 && magnitude < 1e12 { return String(format: "%.1f", value) }
        if magnitude >= 1e6 || magnitude < 1e-4 { return String(format: "%.3e", value) }
        if magnitude >= 100 { return String(format: "%.2f", value) }
        return String(format: "%.4f", value)
    }
}
