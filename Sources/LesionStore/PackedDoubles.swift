/// How a per-class vector is stored in one column (`unit_class_vectors.vector`,
/// schema v5): each value as 8 bytes, IEEE-754 binary64, big-endian (PostgreSQL's
/// `float8send` order), NaN where a value is undefined.
///
/// One row per unit instead of one per (unit, class): class-importance reads two
/// vectors of every unit, and 20 million rows of (unit_metric_id, unit, class,
/// value, model_id) took ten times as long as reading 2 million blobs. The bytes
/// are the doubles themselves, so storing and reading back is exact on both
/// backends, with no text conversion in between.
public enum PackedDoubles {
    /// Bytes per value.
    public static let width = 8

    /// The packed bytes of `values`.
    public static func encode<C: Collection>(_ values: C) -> [UInt8] where C.Element == Double {
        var bytes = [UInt8](repeating: 0, count: values.count * width)
        bytes.withUnsafeMutableBytes { buffer in
            for (index, value) in values.enumerated() {
                // NaN in one spelling, whatever its payload: "undefined" has one encoding.
                let bits = (value.isNaN ? Double.nan : value).bitPattern
                buffer.storeBytes(of: bits.bigEndian, toByteOffset: index * width, as: UInt64.self)
            }
        }
        return bytes
    }

    /// Appends the values of `bytes` to `values`; nil (nothing appended) when the
    /// length is not a whole number of values.
    @discardableResult
    public static func decode(_ bytes: UnsafeRawBufferPointer, appendingTo values: inout [Double]) -> Bool {
        guard bytes.count % width == 0 else { return false }
        for index in 0..<(bytes.count / width) { values.append(value(index, of: bytes)) }
        return true
    }

    /// Value `index` of packed `bytes` (which hold more than `index` values).
    private static func value(_ index: Int, of bytes: UnsafeRawBufferPointer) -> Double {
        Double(bitPattern: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: index * width, as: UInt64.self)))
    }

    /// The values of `bytes`, or nil when the length is not a whole number of values.
    public static func decode(_ bytes: [UInt8]) -> [Double]? {
        var values: [Double] = []
        let whole = bytes.withUnsafeBytes { decode($0, appendingTo: &values) }
        return whole ? values : nil
    }

    /// Appends the values packed in column `column` of `row` to `values`; throws a
    /// decoding error naming the column where it is not a blob of whole values.
    public static func append(_ row: any Row, column: Int, to values: inout [Double]) throws {
        let whole = row.withBlob(column) { decode($0, appendingTo: &values) }
        try check(row, column, whole)
    }

    /// Writes the values packed in column `column` of `row` over `values[start...]`,
    /// at most `count` of them; throws as ``append(_:column:to:)`` does.
    public static func write(_ row: any Row, column: Int, into values: inout [Double], at start: Int, count: Int) throws {
        let end = min(values.count, start + count)
        let whole = row.withBlob(column) { bytes -> Bool in
            guard bytes.count % width == 0 else { return false }
            for index in 0..<max(0, min(bytes.count / width, end - start)) {
                values[start + index] = value(index, of: bytes)
            }
            return true
        }
        try check(row, column, whole)
    }

    private static func check(_ row: any Row, _ column: Int, _ whole: Bool?) throws {
        guard let whole else {
            throw row.decodingError(column, "holds \(row.value(column).kindDescription) where packed class values were expected")
        }
        guard whole else { throw row.decodingError(column, "is not a whole number of 8-byte values") }
    }
}
