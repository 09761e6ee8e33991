import Foundation
import LesionImport
import LesionRunFormat
import XCTest

/// `.npy` files: the TransformerLens patching result (curt-tigges/eliciting-latent-sentiment
/// @ 6fa9fad, float32 [2, 24, 16]) and arrays made here byte by byte for every dtype.
final class NpyArrayTests: XCTestCase {
    /// An `.npy` file with `header` (padded as NumPy pads it) and `data`.
    private func npy(_ header: String, _ data: [UInt8], version: UInt8 = 1) -> [UInt8] {
        let prefixLength = version == 1 ? 10 : 12
        var text = header
        while (prefixLength + text.utf8.count + 1) % 64 != 0 { text += " " }
        text += "\n"
        let length = text.utf8.count
        let lengthBytes: [UInt8] = version == 1
            ? [UInt8(length & 0xFF), UInt8(length >> 8)]
            : [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), 0, 0]
        return [0x93] + Array("NUMPY".utf8) + [version, 0] + lengthBytes + Array(text.utf8) + data
    }

    func testTransformerLensArrayWithTakeAndSplitLayers() throws {
        let bytes = try Samples.bytes(Samples.patching)
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let reference: [Float] = bytes.withUnsafeBytes { raw in
            (0..<(2 * 24 * 16)).map { raw.loadUnaligned(fromByteOffset: 10 + headerLength + 4 * $0, as: Float.self) }
        }
        let layers = (0..<24).map { "blocks.\($0).attn" }
        for take in [0, 1] {
            let tables = try NpyImporter.read(bytes, file: "p.npy", options: .init(metric: "patching_effect", splitLayers: (0..<24).map(String.init), take: take))
            let units = try Samples.units(tables, Samples.target(layers.map { Layer(name: $0, units: 16) }), mapping: LayerMapping(template: "blocks.{}.attn"))
            for layer in 0..<24 {
                for head in 0..<16 {
                    let stored = try XCTUnwrap(Samples.number(units[layers[layer]]!["patching_effect"]![head]))
                    let given = Double(reference[take * 384 + layer * 16 + head])
                    // Bit for bit, except that run documents need not keep the sign of a zero.
                    XCTAssertEqual(given == 0 ? stored : stored.bitPattern == given.bitPattern ? stored : .nan, given, "take \(take) layer \(layer) head \(head)")
                }
            }
        }
        XCTAssertThrowsError(try NpyImporter.read(bytes, file: "p.npy", options: .init(metric: "m"))) { error in
            XCTAssertEqual("\(error)", "p.npy: the array's shape is (2, 24, 16); lesion imports a 1-D array [units], a 2-D array [units, classes], or [layers, units] with --split-layers (use --take to pick from a first axis)")
        }
        XCTAssertThrowsError(try NpyImporter.read(bytes, file: "p.npy", options: .init(metric: "m", take: 2))) { error in
            XCTAssertEqual("\(error)", "p.npy: --take 2: the array's shape is (2, 24, 16), so the first axis has indices 0–1")
        }
        XCTAssertThrowsError(try NpyImporter.read(bytes, file: "p.npy", options: .init(metric: "m", splitLayers: ["a", "b"], take: 0))) { error in
            XCTAssertEqual("\(error)", "p.npy: the array's shape is (2, 24, 16) (after --take 0: (24, 16)); --split-layers with 2 layers needs a 2-D array [2, units]")
        }
        XCTAssertThrowsError(try NpyImporter.read(Array(bytes.dropLast(3)), file: "p.npy", options: .init(metric: "m"))) { error in
            XCTAssertEqual("\(error)", "p.npy: byte 128: not a readable .npy file: shape (2, 24, 16) of <f4 needs 3072 bytes of data, but the file has 3069 (truncated?)")
        }
    }

    func testEveryDtypeBothByteOrdersAndEveryVersion() throws {
        let cases: [(descr: String, data: [UInt8], values: [Double])] = [
            ("<f2", [0x00, 0x3C, 0x00, 0xC0], [1, -2]),
            (">f2", [0x3C, 0x00, 0x7C, 0x00], [1, .infinity]),
            ("<f4", [0, 0, 0xC0, 0x3F, 0, 0, 0x80, 0xBF], [1.5, -1]),
            (">f4", [0x3F, 0xC0, 0, 0, 0xBF, 0x80, 0, 0], [1.5, -1]),
            ("<f8", [0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0xC0], [1.5, -2]),
            (">f8", [0x3F, 0xF8, 0, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0], [1.5, -2]),
            ("|i1", [0x7F, 0x80], [127, -128]),
            ("|u1", [0xFF, 0x00], [255, 0]),
            ("<i2", [0xFE, 0xFF, 0x00, 0x01], [-2, 256]),
            (">i2", [0xFF, 0xFE, 0x01, 0x00], [-2, 256]),
            ("<u2", [0xFF, 0xFF, 0x01, 0x00], [65535, 1]),
            ("<i4", [0xFF, 0xFF, 0xFF, 0xFF, 0x10, 0, 0, 0], [-1, 16]),
            (">u4", [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0x10], [4_294_967_295, 16]),
            ("<i8", [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 3, 0, 0, 0, 0, 0, 0, 0], [-2, 3]),
            (">u8", [0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 1, 0, 0, 0, 0], [7, 4_294_967_296]),
            ("|b1", [1, 0], [1, 0]),
        ]
        for version: UInt8 in [1, 2, 3] {
            for (descr, data, values) in cases {
                let array = try NpyArray(bytes: npy("{'descr': '\(descr)', 'fortran_order': False, 'shape': (2,), }", data, version: version))
                XCTAssertEqual(array.shape, [2])
                XCTAssertEqual(array.values, values, "\(descr) version \(version)")
            }
        }
    }

    func testFortranOrderIsReadAsCOrder() throws {
        // [[1, 2, 3], [4, 5, 6]] in Fortran order is stored 1, 4, 2, 5, 3, 6.
        let data: [UInt8] = [1, 4, 2, 5, 3, 6]
        let array = try NpyArray(bytes: npy("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }", data))
        XCTAssertEqual(array.values, [1, 2, 3, 4, 5, 6])
        let tables = try NpyImporter.read(npy("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 3), }", data), file: "v.npy", options: .init(metric: "class_means"))
        let units = try Samples.units(tables, Samples.target([Layer(name: "l", units: 2)], classes: 3), mapping: LayerMapping(layer: "l"))
        XCTAssertEqual(units["l"]?["class_means"]?.map { $0.array?.compactMap(\.number) }, [[1, 2, 3], [4, 5, 6]])
    }

    func testPickledAndMalformedArraysAreRefusedWithTheirByte() {
        func refusal(_ bytes: [UInt8]) -> String {
            do { _ = try NpyArray(bytes: bytes); return "accepted" } catch { return "\(error)" }
        }
        XCTAssertEqual(refusal(npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", Array(repeating: 0, count: 8))),
            "byte 10: an object (pickled) array, dtype '|O': lesion never unpickles; save a numeric array")
        XCTAssertEqual(refusal(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", [])),
            "byte 20: structured dtypes (a list in 'descr') are not read; save a plain numeric array")
        XCTAssertEqual(refusal(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", [])),
            "byte 10: the dtype '<c8' is not one lesion reads (float16/32/64, int8–64, uint8–64, bool)")
        XCTAssertEqual(refusal(Array("PK\u{03}\u{04}zip-file".utf8)), "byte 0: not an .npy file: it does not start with \\x93NUMPY")
        var lying = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", [0, 0, 0, 0])
        lying[8] = 0xFF; lying[9] = 0x7F
        XCTAssertEqual(refusal(lying), "byte 8: the header length says 32767 bytes, but only 122 follow")
        XCTAssertEqual(refusal(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", [])),
            "byte 10: the shape (99999999999, 99999999999) is too large")
        XCTAssertEqual(refusal(npy("{'descr': '<f4', 'shape': (1,), }", [0, 0, 0, 0])), "byte 10: the header lacks 'fortran_order'")
        XCTAssertEqual(refusal(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3000000000, 3000000000, 3000000000), }", [])),
            "byte 10: the shape (3000000000, 3000000000, 3000000000) is too large")
        XCTAssertEqual(refusal(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2000000000, 2000000000), }", [])),
            "byte 128: shape (2000000000, 2000000000) of <f8 needs more than 9223372036854775807 bytes of data, but the file has 0")
    }
}
