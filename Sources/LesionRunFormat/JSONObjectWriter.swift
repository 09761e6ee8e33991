/// Appends compact JSON to a byte buffer, keeping track of the commas. Public so that
/// the importers build run documents with the same writer as export.
public struct JSONObjectWriter {
    /// The bytes written so far.
    public var out: [UInt8]
    private var needsComma = false

    public init(out: [UInt8]) {
        self.out = out
    }

    /// Writes `{`, the members `body` writes, `}`.
    public mutating func object(_ body: (inout JSONObjectWriter) -> Void) {
        out.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        out.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes one member `"key":value` of the enclosing object.
    public mutating func member(_ key: String, _ value: (inout JSONObjectWriter) -> Void) {
        if needsComma { out.append(UInt8(ascii: ",")) }
        JSONText.appendQuoted(key, to: &out)
        out.append(UInt8(ascii: ":"))
        value(&self)
        needsComma = true
    }

    /// Writes `[`, one element per item, `]`.
    public mutating func array<Element>(_ items: [Element], _ element: (inout JSONObjectWriter, Element) -> Void) {
        out.append(UInt8(ascii: "["))
        for (index, item) in items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            element(&self, item)
        }
        out.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes a string.
    public mutating func string(_ text: String) {
        JSONText.appendQuoted(text, to: &out)
    }

    /// Writes an integer.
    public mutating func integer(_ value: Int) {
        out.append(contentsOf: String(value).utf8)
    }

    /// Writes a number (NaN as null).
    public mutating func number(_ value: Double) {
        JSONText.appendNumber(value, to: &out)
    }

    /// Writes an array of numbers.
    public mutating func numbers(_ values: [Double]) {
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendNumber(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Writes unit values: a flat array, one array per unit, or one label per unit.
    public mutating func unitValues(_ values: UnitValues) {
        switch values {
        case .scalars(let numbers):
            self.numbers(numbers)
        case .perClass(let numbers, let classes):
            out.append(UInt8(ascii: "["))
            let width = max(classes, 1)
            var start = 0
            while start < numbers.count {
                if start > 0 { out.append(UInt8(ascii: ",")) }
                self.numbers(Array(numbers[start..<min(start + width, numbers.count)]))
                start += width
            }
            out.append(UInt8(ascii: "]"))
        case .labels(let labels):
            out.append(UInt8(ascii: "["))
            for (index, label) in labels.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                if let label { string(label) } else { out.append(contentsOf: "null".utf8) }
            }
            out.append(UInt8(ascii: "]"))
        }
    }

    /// Writes an attribute value.
    public mutating func attribute(_ value: AttributeValue) {
        switch value {
        case .number(let number): self.number(number)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .text(let text): string(text)
        case .null: out.append(contentsOf: "null".utf8)
        }
    }
}
