/// Decimal to double conversion by the Eisel–Lemire algorithm (Lemire, "Number
/// Parsing at a Gigabyte per Second", 2021; this follows Go's `eiselLemire64`).
///
/// Python writes floats with up to 17 significant digits, which the exact fast path
/// (≤ 2^53 scaled by an exact power of ten) cannot take; this gives the correctly
/// rounded double for such numbers with one 64×128-bit multiplication, and says so
/// only when the result is certain. When it cannot be sure (a value extremely close
/// to halfway between two doubles, subnormals, overflow), it returns nil and the
/// caller uses the standard library's slower exact parser.
enum EiselLemire {
    /// The double nearest to `mantissa` × 10^`exponent`, or nil when undecided.
    /// `mantissa` holds the decimal significand exactly (at most 19 digits).
    @inline(__always)
    static func double(mantissa: UInt64, exponent: Int, negative: Bool) -> Double? {
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        guard exponent >= PowersOfTen.minimumExponent, exponent <= PowersOfTen.maximumExponent else {
            return nil
        }
        let table = PowersOfTen.table
        let entry = (exponent - PowersOfTen.minimumExponent) * 2

        // Normalization: the top bit of the mantissa set.
        let leadingZeros = mantissa.leadingZeroBitCount
        let normalized = mantissa << UInt64(leadingZeros)
        // 217706 / 2^16 ≈ log2(10).
        var binaryExponent =
            UInt64(bitPattern: Int64(((217706 &* exponent) >> 16) &+ 64 &+ 1023)) &- UInt64(leadingZeros)

        // Multiplication by the high word of the power of ten.
        var (high, low) = normalized.multipliedFullWidth(by: table[entry + 1])

        // Wider approximation when the low bits could still carry.
        if high & 0x1FF == 0x1FF && low &+ normalized < normalized {
            let (wideHigh, wideLow) = normalized.multipliedFullWidth(by: table[entry])
            var mergedHigh = high
            let mergedLow = low &+ wideHigh
            if mergedLow < low { mergedHigh &+= 1 }
            if mergedHigh & 0x1FF == 0x1FF && mergedLow &+ 1 == 0 && wideLow &+ normalized < normalized {
                return nil
            }
            high = mergedHigh
            low = mergedLow
        }

        // Shift to 54 bits.
        let topBit = high >> 63
        var result = high >> (topBit &+ 9)
        binaryExponent &-= 1 ^ topBit

        // Exactly halfway between two doubles: undecided.
        if low == 0 && high & 0x1FF == 0 && result & 3 == 1 {
            return nil
        }

        // Round from 54 to 53 bits.
        result &+= result & 1
        result >>= 1
        if result >> 53 > 0 {
            result >>= 1
            binaryExponent &+= 1
        }

        // Subnormal, zero, infinite or NaN exponents: leave to the exact parser.
        if binaryExponent &- 1 >= 0x7FF - 1 {
            return nil
        }
        var bits = binaryExponent << 52 | result & 0x000F_FFFF_FFFF_FFFF
        if negative { bits |= 0x8000_0000_0000_0000 }
        return Double(bitPattern: bits)
    }
}
