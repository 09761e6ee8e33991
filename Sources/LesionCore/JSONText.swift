import Foundation
import LesionRunFormat

/// Small JSON text helpers for the places that write JSON by hand (output
/// formats, curve scopes). Unlike run documents, output is strict JSON: numbers
/// that are not finite are written as `null`.
public enum JSONText {
    /// `text` as a JSON string literal (the run-document writer's escaping).
    public static func quoted(_ text: String) -> String {
        LesionRunFormat.JSONText.quoted(text)
    }

    /// A number as JSON: shortest text that reads back as the same double;
    /// integral values as integers; NaN and ±Infinity as `null` (strict JSON has
    /// no token for them).
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 9.007_199_254_740_992e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// Reads a JSON array of strings (as written by ``quoted``); `nil` otherwise.
    static func stringArray(_ text: String) -> [String]? {
        guard let data = text.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [String] else { return nil }
        return array
    }
}
