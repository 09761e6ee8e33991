import Foundation
import LesionImport
import LesionRunFormat
import XCTest

/// A Neuronpedia explanations export (GregoirePelletier/SAE @ 8e425b9: index is a
/// string; rows come in string order 0, 104, 107, …).
final class NeuronpediaImporterTests: XCTestCase {
    private let layer = "24-gemmascope-2-res-262k"

    func testTheExplanationOfEachFeatureIndex() throws {
        let bytes = try Samples.bytes(Samples.neuronpedia)
        let tables = try NeuronpediaImporter.read(bytes, file: "batch-0.jsonl", modelId: "gemma-3-12b-it")
        XCTAssertEqual(tables.map(\.fileLayer), [layer])
        let units = try Samples.units(tables, Samples.target([Layer(name: "sae", units: 262_144)]), mapping: LayerMapping(layer: "sae"))
        let explanations = try XCTUnwrap(units["sae"]?["explanation"])
        let models = try XCTUnwrap(units["sae"]?["explanation_model"])
        var explained = Set<Int>()
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let record = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let index = try XCTUnwrap(Int(record["index"] as! String))
            explained.insert(index)
            XCTAssertEqual(Samples.text(explanations[index]), record["description"] as? String, "feature \(index)")
            XCTAssertEqual(Samples.text(models[index]), record["explanationModelName"] as? String)
        }
        XCTAssertEqual(explained.count, 197)
        XCTAssertEqual(explanations.indices.filter { !explained.contains($0) }.allSatisfy { explanations[$0] == .null }, true)
    }

    func testTheLatestExplanationWinsAndOtherModelsAreRefused() throws {
        let lines = [
            #"{"modelId":"m","layer":"L","index":"3","description":"old","explanationModelName":"a","createdAt":"2024-01-01T00:00:00"}"#,
            #"{"modelId":"m","layer":"L","index":"3","description":"new","explanationModelName":"b","createdAt":"2025-01-01T00:00:00"}"#,
            #"{"modelId":"m","layer":"L","index":"3","description":"older","explanationModelName":"c","createdAt":"2023-01-01T00:00:00"}"#,
            #"{"modelId":"m","layer":"L","index":"1","description":"","createdAt":"2023-01-01T00:00:00"}"#,
        ]
        let bytes = Array(lines.joined(separator: "\r\n").utf8)
        let tables = try NeuronpediaImporter.read(bytes, file: "x.jsonl", modelId: nil)
        let units = try Samples.units(tables, Samples.target([Layer(name: "blocks.L", units: 4)]), mapping: LayerMapping(template: "blocks.{}"))
        XCTAssertEqual(units["blocks.L"]?["explanation"]?.map(Samples.text), [nil, nil, nil, "new"])
        XCTAssertEqual(units["blocks.L"]?["explanation_model"]?.map(Samples.text), [nil, nil, nil, "b"])
        XCTAssertThrowsError(try NeuronpediaImporter.read(bytes, file: "x.jsonl", modelId: "gpt2")) { error in
            XCTAssertEqual("\(error)", "x.jsonl: line 1: modelId \"m\" is not the model asked for (--model-id gpt2)")
        }
        XCTAssertThrowsError(try NeuronpediaImporter.read(Array(#"{"layer":"L","index":"x1"}"#.utf8), file: "x.jsonl", modelId: nil)) { error in
            XCTAssertEqual("\(error)", "x.jsonl: line 1: index \"x1\" is not a feature number (a non-negative integer)")
        }
    }

    func testFeaturesExportGivesFrequencyAndMaximum() throws {
        let lines = [
            #"{"modelId":"m","layer":"L","index":"0","frac_nonzero":0.25,"maxActApprox":12.5}"#,
            #"{"modelId":"m","layer":"L","index":"2","frac_nonzero":8.309758908603491e-05,"maxActApprox":null}"#,
        ]
        let tables = try NeuronpediaImporter.read(Array(lines.joined(separator: "\n").utf8), file: "f.jsonl", modelId: "m")
        let units = try Samples.units(tables, Samples.target([Layer(name: "L", units: 3)]))
        XCTAssertEqual(units["L"]?["activation_frequency"]?.map(Samples.number), [0.25, nil, 8.309758908603491e-05])
        XCTAssertEqual(units["L"]?["max_activation"]?.map(Samples.number), [12.5, nil, nil])
    }
}
