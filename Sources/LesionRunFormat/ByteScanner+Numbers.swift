extension ByteScanner {
    /// Powers of ten that are exact doubles (10^0 … 10^22).
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Reads an array element that must be a number or null: null and `NaN` give NaN
    /// (undefined). Returns nil, consuming nothing, when the next value is not a
    /// number at all (the caller names the type it found).
    @inline(__always)
    mutating func readNumberOrNull() throws(SyntaxError) -> Double? {
        guard let byte = peekByte() else { return nil }
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "N"), UInt8(ascii: "I"):
            return try scanNumber().value
        case UInt8(ascii: "n"):
            try readWord("null")
            return .nan
        default:
            return nil
        }
    }

    /// Reads a number token at the cursor: RFC 8259's number grammar, or `NaN`,
    /// `Infinity`, `-Infinity`.
    ///
    /// The value is the correctly rounded double. Short numbers take the exact fast
    /// path (a significand below 2^53 scaled by an exact power of ten: one IEEE
    /// operation, hence correctly rounded); numbers of up to 19 significant digits
    /// take Eisel–Lemire; whatever either cannot decide goes to the standard
    /// library's correctly rounded, locale-independent parser. A finite literal too
    /// large for a double is refused rather than turned into Infinity.
    mutating func scanNumber() throws(SyntaxError) -> ScannedNumber {
        let start = offset
        let count = bytes.count
        var index = offset
        guard index < count else { throw unexpected("expected a number") }
        if bytes[index] == UInt8(ascii: "N") {
            try readWord("NaN")
            return ScannedNumber(value: .nan, exactInteger: nil, isToken: true, start: start, end: offset)
        }
        if bytes[index] == UInt8(ascii: "I") {
            try readWord("Infinity")
            return ScannedNumber(value: .infinity, exactInteger: nil, isToken: true, start: start, end: offset)
        }
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
            if index < count && bytes[index] == UInt8(ascii: "I") {
                offset = index
                try readWord("Infinity")
                return ScannedNumber(value: -.infinity, exactInteger: nil, isToken: true, start: start, end: offset)
            }
        }

        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var isIntegerLiteral = true

        // Integer part: `0` alone, or a non-zero digit followed by digits.
        guard index < count, let first = Self.digit(bytes[index]) else {
            offset = index
            throw unexpected("expected a digit")
        }
        index &+= 1
        if first == 0 {
            if index < count, Self.digit(bytes[index]) != nil {
                throw SyntaxError(offset: start, message: "a number may not have leading zeros")
            }
        } else {
            mantissa = UInt64(first)
            significantDigits = 1
            while index < count, let digit = Self.digit(bytes[index]) {
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                }
                significantDigits &+= 1
                index &+= 1
            }
        }

        // Fraction: a point followed by at least one digit.
        if index < count, bytes[index] == UInt8(ascii: ".") {
            isIntegerLiteral = false
            index &+= 1
            let fractionStart = index
            while index < count, let digit = Self.digit(bytes[index]) {
                if significantDigits == 0 && digit == 0 {
                    exponent &-= 1  // a leading zero only scales
                } else {
                    if significantDigits < 19 {
                        mantissa = mantissa &* 10 &+ UInt64(digit)
                        exponent &-= 1
                    }
                    significantDigits &+= 1
                }
                index &+= 1
            }
            guard index > fractionStart else {
                offset = index
                throw unexpected("expected a digit after the decimal point")
            }
        }

        // Exponent: e or E, an optional sign, at least one digit.
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isIntegerLiteral = false
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let digitsStart = index
            var written = 0
            while index < count, let digit = Self.digit(bytes[index]) {
                // Saturate: any exponent this large already over- or underflows, and
                // saturating keeps the arithmetic from overflowing `Int`.
                if written < 1_000_000 { written = written * 10 + digit }
                index += 1
            }
            guard index > digitsStart else {
                offset = index
                throw unexpected("expected a digit in the exponent")
            }
            exponent += exponentNegative ? -written : written
        }
        offset = index
        // A number must end where a value may end: `1.2.3`, `1x` or `0x10` is not a
        // number followed by something, it is one malformed token.
        if index < count, Self.isWordByte(bytes[index]) {
            throw SyntaxError(offset: index, message: "invalid number \(text(start..<index + 1))…")
        }

        var exactInteger: Int? = nil
        if isIntegerLiteral && significantDigits <= 19 && mantissa <= UInt64(Int.max) {
            exactInteger = negative ? -Int(mantissa) : Int(mantissa)
        }

        var value: Double
        if significantDigits == 0 {
            value = 0
        } else if significantDigits <= 19 && mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
            value = Double(mantissa)
            if exponent > 0 {
                value *= Self.exactPowersOfTen[exponent]
            } else if exponent < 0 {
                value /= Self.exactPowersOfTen[-exponent]
            }
        } else if significantDigits <= 19,
            let fast = EiselLemire.double(mantissa: mantissa, exponent: exponent, negative: negative)
        {
            return ScannedNumber(value: fast, exactInteger: exactInteger, isToken: false, start: start, end: index)
        } else {
            let literal = text(start..<index)
            guard let parsed = Double(literal) else {
                throw SyntaxError(offset: start, message: "unreadable number \(literal.prefix(40))")
            }
            guard parsed.isFinite else {
                throw SyntaxError(
                    offset: start, message: "the number \(literal.prefix(40)) is too large for a double")
            }
            return ScannedNumber(value: parsed, exactInteger: exactInteger, isToken: false, start: start, end: index)
        }
        if negative { value = -value }
        return ScannedNumber(value: value, exactInteger: exactInteger, isToken: false, start: start, end: index)
    }

    @inline(__always)
    private static func digit(_ byte: UInt8) -> Int? {
        let value = byte &- UInt8(ascii: "0")
        return value < 10 ? Int(value) : nil
    }
}

extension ByteScanner {
    /// Whether the JSON number `number` (not a token) has an integral value, decided
    /// from its digits rather than its double: `3.0`, `3e0` and `300e-2` are integral,
    /// `3.0000000000000001` is not even though its double is exactly 3.
    func isIntegral(_ number: ScannedNumber) -> Bool {
        var index = number.start
        let end = number.end
        if index < end, bytes[index] == UInt8(ascii: "-") { index += 1 }
        var integerDigitsNonZero = false
        var integerTrailingZeros = 0
        while index < end, let digit = Self.digitValue(bytes[index]) {
            if digit == 0 {
                integerTrailingZeros += 1
            } else {
                integerTrailingZeros = 0
                integerDigitsNonZero = true
            }
            index += 1
        }
        // Digits after the point up to and including the last non-zero one.
        var fractionLength = 0
        if index < end, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var position = 0
            while index < end, let digit = Self.digitValue(bytes[index]) {
                position += 1
                if digit != 0 { fractionLength = position }
                index += 1
            }
        }
        var exponent = 0
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var negative = false
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                negative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            while index < end, let digit = Self.digitValue(bytes[index]) {
                if exponent < 1_000_000 { exponent = exponent * 10 + digit }
                index += 1
            }
            if negative { exponent = -exponent }
        }
        if fractionLength > 0 { return exponent >= fractionLength }
        if !integerDigitsNonZero { return true }
        return exponent + integerTrailingZeros >= 0
    }

    @inline(__always)
    private static func digitValue(_ byte: UInt8) -> Int? {
        let value = byte &- UInt8(ascii: "0")
        return value < 10 ? Int(value) : nil
    }
}
