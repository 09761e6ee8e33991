import Foundation
import LesionImport
import LesionRunFormat
import XCTest

/// SAELens's sparsity file (rithinnagaraj/ssm-transformer-universality @ 480c0c5) and
/// SAEBench's core results (adamkarvonen/SAE_Bench_Template @ 591ce3f).
final class SAELensImporterTests: XCTestCase {
    /// The float32 values after the header, decoded here with an unaligned load
    /// (not lesion's byte-by-byte reader).
    private func referenceFloats(_ bytes: [UInt8]) -> [Float] {
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8  // 72 in the sample
        let start = 8 + headerLength
        return bytes.withUnsafeBytes { raw in
            (0..<(bytes.count - start) / 4).map { raw.loadUnaligned(fromByteOffset: start + 4 * $0, as: Float.self) }
        }
    }

    func testAll12288DensitiesAreTheFileFloat32sToTheLastBit() throws {
        let bytes = try Samples.bytes(Samples.sparsity)
        let table = try SAELensImporter.readSparsity(bytes, file: "sparsity.safetensors", cfg: try Samples.bytes(Samples.saeConfig), cfgFile: "cfg.json")
        XCTAssertEqual(table.fileLayer, "blocks.12.hook_resid_post")
        let units = try Samples.units([table], Samples.target([Layer(name: "blocks.12.hook_resid_post", units: 12_288)]))
        let values = try XCTUnwrap(units["blocks.12.hook_resid_post"]?["log10_activation_frequency"])
        let reference = referenceFloats(bytes)
        XCTAssertEqual(reference.count, 12_288)
        XCTAssertEqual(values.count, 12_288)
        for (index, float) in reference.enumerated() {
            let stored = try XCTUnwrap(Samples.number(values[index]), "feature \(index)")
            XCTAssertEqual(stored.bitPattern, Double(float).bitPattern, "feature \(index)")
        }
    }

    func testWidthMustEqualTheLayersUnits() throws {
        let table = try SAELensImporter.readSparsity(
            try Samples.bytes(Samples.sparsity), file: "sparsity.safetensors", cfg: try Samples.bytes(Samples.saeConfig), cfgFile: "cfg.json")
        XCTAssertThrowsError(try Samples.units([table], Samples.target([Layer(name: "blocks.12.hook_resid_post", units: 16_384)]))) { error in
            XCTAssertEqual("\(error)", "sample: cfg.json (d_sae) says 12288 units, but layer blocks.12.hook_resid_post of e/m has 16384")
        }
    }

    func testTruncatedAndLyingHeadersAreRefusedWithTheirByte() throws {
        let bytes = try Samples.bytes(Samples.sparsity)
        let cfg = try Samples.bytes(Samples.saeConfig)
        func refusal(_ bytes: [UInt8]) -> String {
            do {
                _ = try SAELensImporter.readSparsity(bytes, file: "s.safetensors", cfg: cfg, cfgFile: "cfg.json")
                return "accepted"
            } catch {
                return error.description
            }
        }
        XCTAssertEqual(refusal(Array(bytes.dropLast(4))),
            "s.safetensors: byte 8: not a readable SAELens sparsity file: tensor \"sparsity\" ends at data byte 49152, but the file holds 49148 bytes of data (truncated?)")
        var lying = bytes
        lying[0] = 0xFF; lying[1] = 0xFF; lying[2] = 0x01  // far more than the file holds
        XCTAssertEqual(refusal(lying),
            "s.safetensors: byte 0: not a readable SAELens sparsity file: the header length says 131071 bytes, but only 49224 follow")
        lying = bytes
        lying[0] = 60  // ends inside the JSON header
        XCTAssertTrue(refusal(lying).hasPrefix("s.safetensors: byte 68: not a readable SAELens sparsity file: the JSON header is malformed"), refusal(lying))
        XCTAssertEqual(refusal(Array(bytes.prefix(5))),
            "s.safetensors: byte 0: not a readable SAELens sparsity file: the file has 5 bytes; a safetensors file starts with an 8-byte header length")
        // A header whose shape disagrees with its data offsets.
        var header = Array(#"{"sparsity":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#.utf8)
        var file = [UInt8(header.count), 0, 0, 0, 0, 0, 0, 0] + header + [UInt8](repeating: 0, count: 8)
        XCTAssertTrue(refusal(file).contains("shape [3] of F32 needs 3 × 4 bytes, but its data_offsets span 8"), refusal(file))
        header = Array(#"{"sparsity":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#.utf8)
        file = [UInt8(header.count), 0, 0, 0, 0, 0, 0, 0] + header + Array(repeating: 0, count: 8)
        XCTAssertTrue(refusal(file).contains("the tensor sparsity has shape [1], but cfg.json says d_sae 12288"), refusal(file))
    }

    func testSAEBenchSentinelsBecomeNullAndTheRestAsGiven() throws {
        let bytes = try Samples.bytes(Samples.saeBench)
        let table = try SAELensImporter.readSAEBench(bytes, file: "eval_results.json")
        let units = try Samples.units([table], Samples.target([Layer(name: "blocks.3.hook_resid_post", units: 4096)]), mapping: LayerMapping(layer: "blocks.3.hook_resid_post"))
        let layer = try XCTUnwrap(units["blocks.3.hook_resid_post"])
        let names = ["feature_density", "consistent_activation_heuristic", "encoder_bias", "encoder_norm", "encoder_decoder_cosine_sim"]
        XCTAssertEqual(Set(layer.keys), Set(names))
        let document = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        let details = try XCTUnwrap(document?["eval_result_details"] as? [[String: Any]])
        XCTAssertEqual(details.count, 4096)
        var sentinels = 0
        for record in details {
            let index = (record["index"] as! NSNumber).intValue
            for name in names {
                let given = (record[name] as! NSNumber).doubleValue
                let stored = Samples.number(layer[name]![index])
                if name == "consistent_activation_heuristic" && given == -1 {
                    sentinels += 1
                    XCTAssertNil(stored, "feature \(index)")
                } else {
                    XCTAssertEqual(stored, given, "feature \(index) \(name)")
                }
            }
        }
        XCTAssertEqual(sentinels, 1302)
    }
}
