import LesionRunFormat

/// A `.safetensors` file read by lesion itself: an 8-byte little-endian header
/// length, a JSON header naming each tensor's dtype, shape and data offsets, then
/// the raw little-endian data. Only F32 and F64 tensors can be read as numbers;
/// others are listed but refused when asked for. Every offset, shape and length
/// is checked against the file before any byte of data is read.
public struct SafetensorsFile: Sendable {
    /// One tensor as the header describes it.
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var dtype: String
        public var shape: [Int]
        /// Byte range within the data section (after the header).
        public var dataRange: Range<Int>
    }

    /// The tensors in header order (`__metadata__` left out).
    public private(set) var tensors: [Tensor] = []
    private let bytes: [UInt8]
    private let dataStart: Int

    /// Reads and checks the header of `bytes`.
    public init(bytes: [UInt8]) throws(ParseError) {
        self.bytes = bytes
        guard bytes.count >= 8 else {
            throw ParseError(place: "byte 0", "the file has \(bytes.count) bytes; a safetensors file starts with an 8-byte header length")
        }
        var length: UInt64 = 0
        for index in 0..<8 { length |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        guard length <= UInt64(bytes.count - 8) else {
            throw ParseError(place: "byte 0", "the header length says \(length) bytes, but only \(bytes.count - 8) follow")
        }
        dataStart = 8 + Int(length)
        let header: JSONValue
        do {
            header = try JSONValue.parse(Array(bytes[8..<dataStart]))
        } catch {
            throw ParseError(place: "byte \(8 + error.offset)", "the JSON header is malformed: \(error.message)")
        }
        guard case .object(let members) = header else {
            throw ParseError(place: "byte 8", "the header is \(header.kindDescription), not a JSON object")
        }
        let dataLength = bytes.count - dataStart
        for (name, value) in members where name != "__metadata__" {
            tensors.append(try Self.tensor(name, value, dataLength: dataLength))
        }
        // Tensors may not overlap: sorted by start, each starts at or after the previous end.
        let sorted = tensors.sorted { $0.dataRange.lowerBound < $1.dataRange.lowerBound }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.dataRange.lowerBound < previous.dataRange.upperBound {
            throw ParseError(place: "byte 8", "tensors \(JSONText.quoted(previous.name)) and \(JSONText.quoted(next.name)) overlap")
        }
    }

    private static func tensor(_ name: String, _ value: JSONValue, dataLength: Int) throws(ParseError) -> Tensor {
        let quoted = JSONText.quoted(name)
        guard let dtype = value["dtype"]?.string else {
            throw ParseError(place: "byte 8", "tensor \(quoted) has no string \"dtype\"")
        }
        guard let shapeValues = value["shape"]?.array else {
            throw ParseError(place: "byte 8", "tensor \(quoted) has no \"shape\" array")
        }
        var shape: [Int] = []
        var elements = 1
        for dimension in shapeValues {
            guard let size = dimension.integer, size >= 0 else {
                throw ParseError(place: "byte 8", "tensor \(quoted): a shape entry is not a non-negative integer")
            }
            shape.append(size)
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            guard !overflow else { throw ParseError(place: "byte 8", "tensor \(quoted): the shape is too large") }
            elements = product
        }
        guard let offsets = value["data_offsets"]?.array, offsets.count == 2,
              let begin = offsets[0].integer, let end = offsets[1].integer, 0 <= begin, begin <= end else {
            throw ParseError(place: "byte 8", "tensor \(quoted) needs \"data_offsets\": [begin, end] with 0 ≤ begin ≤ end")
        }
        guard end <= dataLength else {
            throw ParseError(place: "byte 8", "tensor \(quoted) ends at data byte \(end), but the file holds \(dataLength) bytes of data (truncated?)")
        }
        if let width = elementSize(dtype) {
            let (expected, overflow) = elements.multipliedReportingOverflow(by: width)
            guard !overflow, expected == end - begin else {
                throw ParseError(place: "byte 8", "tensor \(quoted): shape \(shape) of \(dtype) needs \(elements) × \(width) bytes, but its data_offsets span \(end - begin)")
            }
        }
        return Tensor(name: name, dtype: dtype, shape: shape, dataRange: begin..<end)
    }

    private static func elementSize(_ dtype: String) -> Int? {
        switch dtype {
        case "F64", "I64", "U64": 8
        case "F32", "I32", "U32": 4
        case "F16", "BF16", "I16", "U16": 2
        case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2": 1
        default: nil
        }
    }

    /// The tensor `name`, as doubles (F32 widened exactly), in C order.
    public func doubles(_ name: String) throws(ParseError) -> [Double] {
        guard let tensor = tensors.first(where: { $0.name == name }) else {
            throw ParseError(place: "byte 8", "no tensor named \(JSONText.quoted(name)); the file has \(tensors.map { JSONText.quoted($0.name) }.joined(separator: ", "))")
        }
        let start = dataStart + tensor.dataRange.lowerBound
        let count = tensor.dataRange.count
        switch tensor.dtype {
        case "F32":
            return (0..<count / 4).map { index in
                Double(Float(bitPattern: LittleEndianBytes.uint32(bytes, at: start + index * 4)))
            }
        case "F64":
            return (0..<count / 8).map { index in
                Double(bitPattern: LittleEndianBytes.uint64(bytes, at: start + index * 8))
            }
        default:
            throw ParseError(place: "byte 8", "tensor \(JSONText.quoted(name)) is \(tensor.dtype); lesion reads F32 and F64 tensors")
        }
    }

    /// Parses `bytes` as a safetensors file and reads every F32/F64 tensor: the entry
    /// point for fuzzing. Throws `ParseError` for anything malformed; never traps.
    public static func check(_ bytes: [UInt8]) throws {
        let file = try SafetensorsFile(bytes: bytes)
        for tensor in file.tensors where tensor.dtype == "F32" || tensor.dtype == "F64" {
            _ = try file.doubles(tensor.name)
        }
    }
}

/// Little-endian integers read byte by byte (no alignment needed).
enum LittleEndianBytes {
    static func uint16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[offset + index]) << (8 * UInt32(index)) }
        return value
    }

    static func uint64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        return value
    }
}
