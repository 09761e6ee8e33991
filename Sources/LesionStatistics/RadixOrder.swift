/// Sorting doubles by an LSD radix sort of 64-bit keys that keep their order:
/// linear time, and the same order as `<` with −0 equal to 0 and every NaN last.
enum RadixOrder {
    /// The key of `value`: unsigned integers compare as the doubles do.
    @inline(__always)
    static func key(_ value: Double) -> UInt64 {
        if value.isNaN { return UInt64.max }
        let bits = (value == 0 ? 0.0 : value).bitPattern
        // Negative numbers: flip every bit (larger magnitude sorts first);
        // positive: set the sign bit so that they sort after all negatives.
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// The double whose key is `key` (−0 comes back as 0, every NaN as one NaN).
    @inline(__always)
    static func value(ofKey key: UInt64) -> Double {
        if key == UInt64.max { return .nan }
        return Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }

    /// 11-bit digits: six passes cover 64 bits, and 2048 buckets still fit in cache.
    private static let digitBits = 11
    private static let buckets = 1 << digitBits
    private static let passes = (64 + digitBits - 1) / digitBits

    /// The keys of `values` in ascending order, and for each sorted slot the position
    /// the value had in `values` as a `Position` (which must hold `values.count - 1`).
    /// Equal keys keep their input order. 32-bit positions move half the bytes of
    /// 64-bit ones in every pass.
    static func sorted<Position: FixedWidthInteger>(
        _ values: [Double], positions: Position.Type
    ) -> (keys: [UInt64], order: [Position]) {
        let count = values.count
        var keys = values.map(key)
        var order = (0..<count).map { Position(truncatingIfNeeded: $0) }
        guard count > 1 else { return (keys, order) }
        let mask = UInt64(buckets - 1)
        // Every pass's histogram in one read of the keys, rather than one read a pass.
        var counts = [Int](repeating: 0, count: passes * buckets)
        counts.withUnsafeMutableBufferPointer { counts in
            for key in keys {
                for pass in 0..<passes {
                    counts[pass * buckets + Int((key >> UInt64(pass * digitBits)) & mask)] += 1
                }
            }
        }
        var scratchKeys = [UInt64](repeating: 0, count: count)
        var scratchOrder = [Position](repeating: 0, count: count)
        for pass in 0..<passes {
            let shift = UInt64(pass * digitBits)
            let histogram = pass * buckets..<(pass + 1) * buckets
            // A digit that every key shares moves nothing: skip the pass.
            if counts[histogram].contains(count) { continue }
            var total = 0
            for index in histogram {
                let bucket = counts[index]
                counts[index] = total
                total += bucket
            }
            keys.withUnsafeBufferPointer { source in
                order.withUnsafeBufferPointer { sourceOrder in
                    scratchKeys.withUnsafeMutableBufferPointer { target in
                        scratchOrder.withUnsafeMutableBufferPointer { targetOrder in
                            counts.withUnsafeMutableBufferPointer { counts in
                                let offsets = UnsafeMutableBufferPointer(rebasing: counts[histogram])
                                for index in 0..<count {
                                    let key = source[index]
                                    let bucket = Int((key >> shift) & mask)
                                    let slot = offsets[bucket]
                                    offsets[bucket] = slot + 1
                                    target[slot] = key
                                    targetOrder[slot] = sourceOrder[index]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &scratchKeys)
            swap(&order, &scratchOrder)
        }
        return (keys, order)
    }
}

/// Sorting samples of doubles fast, for quantiles and order statistics.
public enum DoubleSort {
    /// `values` in ascending order (−0 and 0 equal, NaN last), in linear time.
    public static func ascending(_ values: [Double]) -> [Double] {
        RadixOrder.sorted(values, positions: Int.self).keys.map(RadixOrder.value(ofKey:))
    }
}
