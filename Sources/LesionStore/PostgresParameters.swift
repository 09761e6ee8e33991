import CLibPQ

/// The arguments of one statement in the form `PQexecPrepared` takes: text for
/// numbers and strings, binary for blobs, a null pointer for NULL.
///
/// Integers are typed `int8`, doubles `float8` (their shortest round-trip decimal
/// form; `Infinity`, `-Infinity`; NaN is NULL), strings `text`, blobs `bytea`, and
/// NULL is left for the server to infer.
struct PostgresParameters {
    private(set) var types: [Oid] = []
    /// The values back to back: texts NUL-terminated, blobs raw.
    private var storage: [UInt8] = []
    /// Where each value starts in `storage`; -1 for NULL.
    private var offsets: [Int] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []

    init(_ arguments: [DatabaseValue], sql: String) throws {
        types.reserveCapacity(arguments.count)
        offsets.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        formats.reserveCapacity(arguments.count)
        for value in arguments {
            switch value {
            case .null:
                appendNull()
            case .integer(let v):
                appendText(String(v), type: PostgresType.int8)
            case .real(let v):
                if v.isNaN {
                    appendNull()
                } else {
                    appendText(PostgresParameters.text(of: v), type: PostgresType.float8)
                }
            case .text(let v):
                // libpq reads text arguments up to their first NUL: refuse rather
                // than store a truncated string.
                guard !v.utf8.contains(0) else { throw PostgresDatabase.nulError(sql: sql) }
                appendText(v, type: PostgresType.text)
            case .blob(let bytes):
                guard bytes.count <= Int32.max else {
                    throw DatabaseError(code: .misuse, message: "a blob of \(bytes.count) bytes is too large to bind", sql: sql)
                }
                types.append(PostgresType.bytea)
                offsets.append(storage.count)
                storage.append(contentsOf: bytes)
                lengths.append(Int32(bytes.count))
                formats.append(1)
            }
        }
    }

    /// A double as PostgreSQL's `float8` input reads it back exactly.
    static func text(of value: Double) -> String {
        if value == .infinity { return "Infinity" }
        if value == -.infinity { return "-Infinity" }
        return value.description  // shortest form that round-trips
    }

    private mutating func appendNull() {
        types.append(PostgresType.unknown)
        offsets.append(-1)
        lengths.append(0)
        formats.append(0)
    }

    private mutating func appendText(_ text: String, type: Oid) {
        types.append(type)
        offsets.append(storage.count)
        storage.append(contentsOf: text.utf8)
        storage.append(0)
        lengths.append(0)
        formats.append(0)
    }

    /// Calls `body` with the argument count and the arrays libpq wants.
    func withPointers<R>(
        _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
    ) -> R {
        storage.withUnsafeBytes { bytes in
            let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
                offset < 0 ? nil : base.map { $0 + offset }
            }
            return pointers.withUnsafeBufferPointer { values in
                lengths.withUnsafeBufferPointer { lengths in
                    formats.withUnsafeBufferPointer { formats in
                        body(Int32(values.count), values.baseAddress, lengths.baseAddress, formats.baseAddress)
                    }
                }
            }
        }
    }
}
