import Foundation

/// Compares an expected JSON value with an actual one: numbers to 1e-9
/// (relative above 1), every expected key present, arrays of the same length.
enum JSONComparison {
    static let tolerance = 1e-9
    /// Keys whose values are prose or echo the command line, not statistics.
    static let skipped: Set<String> = ["answer", "parameters"]

    static func compare(expected: Any, actual: Any?, path: String, into differences: inout [String]) {
        switch expected {
        case let object as [String: Any]:
            guard let actualObject = actual as? [String: Any] else {
                differences.append("\(path): expected an object, found \(String(describing: actual))")
                return
            }
            for (key, value) in object where !skipped.contains(key) {
                if key == "left_out" {
                    compareLeftOut(expected: value, actual: actualObject[key], path: path + ".left_out", into: &differences)
                    continue
                }
                compare(expected: value, actual: actualObject[key], path: path + "." + key, into: &differences)
            }
        case let array as [Any]:
            guard let actualArray = actual as? [Any] else {
                differences.append("\(path): expected an array, found \(String(describing: actual))")
                return
            }
            guard array.count == actualArray.count else {
                differences.append("\(path): expected \(array.count) items, found \(actualArray.count)")
                return
            }
            for (index, item) in array.enumerated() {
                compare(expected: item, actual: actualArray[index], path: "\(path)[\(index)]", into: &differences)
            }
        case let number as NSNumber:
            // Booleans arrive as 0/1 numbers too, which compares them correctly.
            guard let actualNumber = actual as? NSNumber else {
                differences.append("\(path): expected \(number), found \(String(describing: actual))")
                return
            }
            let a = number.doubleValue, b = actualNumber.doubleValue
            if abs(a - b) > tolerance * max(1, abs(a)) {
                differences.append("\(path): expected \(a), found \(b)")
            }
        case is NSNull:
            if !(actual is NSNull) { differences.append("\(path): expected null, found \(String(describing: actual))") }
        default:
            if "\(expected)" != "\(actual ?? "nil")" {
                differences.append("\(path): expected \(expected), found \(String(describing: actual))")
            }
        }
    }

    /// Reasons are worded by each implementation; the counts must agree.
    static func compareLeftOut(expected: Any, actual: Any?, path: String, into differences: inout [String]) {
        func total(_ value: Any?) -> Int {
            (value as? [[String: Any]] ?? []).reduce(0) { $0 + (($1["count"] as? Int) ?? 0) }
        }
        if total(expected) != total(actual) {
            differences.append("\(path): expected \(total(expected)) left out, found \(total(actual))")
        }
    }
}
