import LesionCore

/// A request's query string as ordered name/value pairs (a name may repeat, as
/// `--where` does on the command line), decoded from `application/x-www-form-urlencoded`.
struct QueryParameters: Sendable {
    /// The pairs in request order.
    var pairs: [(name: String, value: String)]

    /// Decodes `query` (the part after `?`); a malformed escape is a usage error.
    init(_ query: String?) throws {
        pairs = []
        guard let query, !query.isEmpty else { return }
        for piece in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try QueryParameters.decode(parts[0])
            let value = parts.count > 1 ? try QueryParameters.decode(parts[1]) : ""
            pairs.append((name, value))
        }
    }

    /// The last non-empty value of `name`.
    func value(_ name: String) -> String? {
        pairs.last { $0.name == name && !$0.value.isEmpty }?.value
    }

    /// Every non-empty value of `name`, in order.
    func values(_ name: String) -> [String] {
        pairs.filter { $0.name == name && !$0.value.isEmpty }.map(\.value)
    }

    /// Refuses any name outside `known`, naming the ones a page takes.
    func requireOnly(_ known: [String]) throws {
        if let unknown = pairs.first(where: { !known.contains($0.name) }) {
            throw UsageError("unknown parameter \"\(unknown.name)\"; this page takes \(known.joined(separator: ", "))")
        }
    }

    /// An integer parameter within `range`, or `fallback` when absent.
    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = value(name) else { return fallback }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError("\(name)=\(text): expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    private static func decode(_ part: Substring) throws -> String {
        var bytes: [UInt8] = []
        var iterator = part.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    throw UsageError("the query string has a malformed %-escape in \"\(part)\"")
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw UsageError("the query string is not valid UTF-8 in \"\(part)\"")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
