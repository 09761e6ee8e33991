/// A NumPy `.npy` array read by lesion itself (format versions 1.0, 2.0 and 3.0):
/// the magic string, the header length, a Python dict literal with `descr`,
/// `fortran_order` and `shape`, then the raw data. Numeric and boolean dtypes in
/// either byte order and C or Fortran order are read; object (pickled) arrays and
/// structured dtypes are refused, since lesion never unpickles.
public struct NpyArray: Sendable {
    /// The dtype as written, e.g. `<f4`.
    public var descr: String
    /// The array's shape (empty for a 0-d array).
    public var shape: [Int]
    /// Every element as a double, in C (row-major) order whatever the file's order.
    public var values: [Double]

    /// Reads `bytes` as an `.npy` file.
    public init(bytes: [UInt8]) throws(ParseError) {
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw ParseError(place: "byte 0", "not an .npy file: it does not start with \\x93NUMPY")
        }
        let major = bytes[6]
        let headerStart: Int
        let headerLength: Int
        switch major {
        case 1:
            headerLength = Int(LittleEndianBytes.uint16(bytes, at: 8))
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw ParseError(place: "byte 8", "the file ends inside the header length") }
            headerLength = Int(LittleEndianBytes.uint32(bytes, at: 8))
            headerStart = 12
        default:
            throw ParseError(place: "byte 6", "format version \(major).\(bytes[7]) is not one lesion reads (1.0, 2.0, 3.0)")
        }
        guard headerLength <= bytes.count - headerStart else {
            throw ParseError(place: "byte 8", "the header length says \(headerLength) bytes, but only \(bytes.count - headerStart) follow")
        }
        let dataStart = headerStart + headerLength
        // Versions 1 and 2 write latin-1 (ASCII in practice), version 3 UTF-8; the keys
        // and values lesion reads are ASCII either way.
        guard let headerText = String(validating: bytes[headerStart..<dataStart], as: UTF8.self) else {
            throw ParseError(place: "byte \(headerStart)", "the header is not text")
        }
        let header = try NpyHeader(headerText, offset: headerStart)
        descr = header.descr
        shape = header.shape
        let type = try NpyElementType(header.descr, offset: headerStart)
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { throw ParseError(place: "byte \(headerStart)", "the shape \(Self.shapeText(shape)) is too large") }
            count = product
        }
        let (needed, overflow) = count.multipliedReportingOverflow(by: type.size)
        let available = bytes.count - dataStart
        guard !overflow, needed == available else {
            throw ParseError(place: "byte \(dataStart)",
                "shape \(Self.shapeText(shape)) of \(descr) needs \(overflow ? "more than \(Int.max)" : String(needed)) bytes of data, but the file has \(available)\(available < needed ? " (truncated?)" : "")")
        }
        var read = [Double](repeating: 0, count: count)
        for index in 0..<count {
            read[index] = type.value(bytes, at: dataStart + index * type.size)
        }
        if header.fortranOrder && shape.count > 1 {
            read = Self.cOrder(fromFortran: read, shape: shape)
        }
        values = read
    }

    /// `(2, 24, 16)`: a shape as NumPy prints it.
    public static func shapeText(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// Reorders column-major elements into row-major order.
    private static func cOrder(fromFortran values: [Double], shape: [Int]) -> [Double] {
        var result = [Double](repeating: 0, count: values.count)
        var index = [Int](repeating: 0, count: shape.count)
        for cPosition in 0..<values.count {
            var fortranPosition = 0
            var stride = 1
            for axis in 0..<shape.count {
                fortranPosition += index[axis] * stride
                stride *= shape[axis]
            }
            result[cPosition] = values[fortranPosition]
            // Advance the C-order index: the last axis fastest.
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }

    /// Parses `bytes` as an `.npy` file: the entry point for fuzzing. Throws
    /// `ParseError` for anything malformed; never traps.
    public static func check(_ bytes: [UInt8]) throws {
        _ = try NpyArray(bytes: bytes)
    }
}

/// The header dict literal: `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
private struct NpyHeader {
    var descr = ""
    var fortranOrder = false
    var shape: [Int] = []

    init(_ text: String, offset: Int) throws(ParseError) {
        var scanner = LiteralScanner(Array(text.utf8), offset: offset)
        try scanner.expect("{")
        var seen = Set<String>()
        while true {
            scanner.skipSpace()
            if scanner.take("}") { break }
            let key = try scanner.quoted()
            try scanner.expect(":")
            switch key {
            case "descr":
                scanner.skipSpace()
                if scanner.peek == UInt8(ascii: "[") {
                    throw scanner.error("structured dtypes (a list in 'descr') are not read; save a plain numeric array")
                }
                descr = try scanner.quoted()
            case "fortran_order":
                scanner.skipSpace()
                if scanner.take("True") { fortranOrder = true } else if scanner.take("False") { fortranOrder = false } else {
                    throw scanner.error("'fortran_order' must be True or False")
                }
            case "shape":
                shape = try scanner.tuple()
            default:
                throw scanner.error("unknown header key '\(key)'")
            }
            guard seen.insert(key).inserted else { throw scanner.error("the header key '\(key)' is repeated") }
            scanner.skipSpace()
            if scanner.take(",") { continue }
            try scanner.expect("}")
            break
        }
        guard seen == ["descr", "fortran_order", "shape"] else {
            throw ParseError(place: "byte \(offset)", "the header lacks \(["descr", "fortran_order", "shape"].filter { !seen.contains($0) }.map { "'\($0)'" }.joined(separator: ", "))")
        }
        scanner.skipSpace()
        guard scanner.atEnd else { throw scanner.error("text after the header dict") }
    }
}

/// A cursor over the header's Python literal.
private struct LiteralScanner {
    let bytes: [UInt8]
    let offset: Int
    var index = 0

    init(_ bytes: [UInt8], offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    func error(_ message: String) -> ParseError {
        ParseError(place: "byte \(offset + index)", message)
    }

    mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D { index += 1 }
    }

    mutating func take(_ word: String) -> Bool {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else { return false }
        index += expected.count
        return true
    }

    mutating func expect(_ word: String) throws(ParseError) {
        skipSpace()
        guard take(word) else { throw error("expected '\(word)' in the header") }
    }

    mutating func quoted() throws(ParseError) -> String {
        skipSpace()
        guard let quote = peek, quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
            throw error("expected a quoted string in the header")
        }
        index += 1
        let start = index
        while let byte = peek, byte != quote { index += 1 }
        guard !atEnd else { throw error("a quoted string in the header is never closed") }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        index += 1
        return text
    }

    mutating func tuple() throws(ParseError) -> [Int] {
        try expect("(")
        var values: [Int] = []
        while true {
            skipSpace()
            if take(")") { return values }
            let start = index
            while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
            guard index > start, index - start <= 18, let value = Int(String(decoding: bytes[start..<index], as: UTF8.self)) else {
                throw error("expected a dimension (a non-negative integer) in 'shape'")
            }
            values.append(value)
            skipSpace()
            if take(",") { continue }
            try expect(")")
            return values
        }
    }
}

/// One element type: its kind, width and byte order.
private struct NpyElementType {
    enum Kind { case float, signed, unsigned, bool }
    var kind: Kind
    var size: Int
    var bigEndian: Bool

    init(_ descr: String, offset: Int) throws(ParseError) {
        let characters = Array(descr.utf8)
        guard characters.count >= 2, let order = characters.first else {
            throw ParseError(place: "byte \(offset)", "the dtype '\(descr)' is not one lesion reads")
        }
        let code = characters[1]
        let width = Int(String(decoding: characters[2...], as: UTF8.self))
        switch code {
        case UInt8(ascii: "O"):
            throw ParseError(place: "byte \(offset)", "an object (pickled) array, dtype '\(descr)': lesion never unpickles; save a numeric array")
        case UInt8(ascii: "f") where [2, 4, 8].contains(width ?? 0): kind = .float
        case UInt8(ascii: "i") where [1, 2, 4, 8].contains(width ?? 0): kind = .signed
        case UInt8(ascii: "u") where [1, 2, 4, 8].contains(width ?? 0): kind = .unsigned
        case UInt8(ascii: "b") where width == 1: kind = .bool
        default:
            throw ParseError(place: "byte \(offset)", "the dtype '\(descr)' is not one lesion reads (float16/32/64, int8–64, uint8–64, bool)")
        }
        size = width ?? 1
        switch order {
        case UInt8(ascii: "<"), UInt8(ascii: "|"), UInt8(ascii: "="): bigEndian = false
        case UInt8(ascii: ">"): bigEndian = true
        default: throw ParseError(place: "byte \(offset)", "the dtype '\(descr)' has an unknown byte order '\(UnicodeScalar(order))'")
        }
    }

    /// The element at `offset` as a double.
    func value(_ bytes: [UInt8], at offset: Int) -> Double {
        var raw: UInt64 = 0
        for index in 0..<size {
            let byte = UInt64(bytes[offset + (bigEndian ? size - 1 - index : index)])
            raw |= byte << (8 * UInt64(index))
        }
        switch kind {
        case .bool:
            return raw == 0 ? 0 : 1
        case .unsigned:
            return Double(raw)
        case .signed:
            let shift = UInt64(64 - 8 * size)
            return Double(Int64(bitPattern: raw << shift) >> Int64(shift))
        case .float:
            switch size {
            case 2: return Self.half(UInt16(truncatingIfNeeded: raw))
            case 4: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw)))
            default: return Double(bitPattern: raw)
            }
        }
    }

    /// IEEE binary16 widened exactly to a double.
    private static func half(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Double(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
