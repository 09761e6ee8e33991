import Foundation
import LesionImport
import LesionRunFormat
import XCTest

/// Tables, above all OpenAI's explanations and scores of GPT-2 XL neurons
/// (Trustworthy-ML-Lab/Efficient-LLM-automated-interpretability @ 8462bca): 645
/// explanations begin with a space, 242 contain commas and are quoted.
final class TableImporterTests: XCTestCase {
    private let gpt2Layers = (0..<48).map { Layer(name: "h\($0).mlp", units: 6400) }

    func testOpenAI960NeuronsWithLayerColumnAndTemplate() throws {
        let bytes = try Samples.bytes(Samples.openAI)
        let options = TableImporter.Options(
            unitColumn: "neuron", layerColumn: "layer", columns: [("score", "explanation_score"), ("explanation", "explanation")])
        let tables = try TableImporter.read(bytes, file: "n.csv", options: options)
        XCTAssertEqual(tables.count, 48)
        XCTAssertEqual(tables.map(\.textMetrics), Array(repeating: ["explanation"], count: 48))
        let units = try Samples.units(tables, Samples.target(gpt2Layers), mapping: LayerMapping(template: "h{}.mlp"))
        let records = ReferenceCSV.records(String(decoding: bytes, as: UTF8.self))
        XCTAssertEqual(records.count, 960)
        var leadingSpace = 0, commas = 0
        for record in records {
            let layer = "h\(record["layer"]!).mlp"
            let neuron = Int(record["neuron"]!)!
            XCTAssertEqual(Samples.number(units[layer]!["explanation_score"]![neuron]), Double(record["score"]!), "\(layer) \(neuron)")
            XCTAssertEqual(Samples.text(units[layer]!["explanation"]![neuron]), record["explanation"], "\(layer) \(neuron)")
            leadingSpace += record["explanation"]!.hasPrefix(" ") ? 1 : 0
            commas += record["explanation"]!.contains(",") ? 1 : 0
        }
        XCTAssertEqual(leadingSpace, 645)
        XCTAssertEqual(commas, 242)
        let stored = units.values.map { $0["explanation_score"]!.filter { !($0 == .null) }.count }.reduce(0, +)
        XCTAssertEqual(stored, 960)
    }

    func testNumberDetectionEmptyCellsUnitBaseAndTSV() throws {
        let tsv = "unit\tx\ty\tz\n1\t1e-3\tinf\ta\n2\t\t-inf\t\n3\tNaN\t18799488.0\t2\n"
        let tables = try TableImporter.read(Array(tsv.utf8), file: "t.tsv", options: .init(unitColumn: "unit", unitBase: 1, delimiter: 9))
        XCTAssertEqual(tables[0].metrics, ["x", "y", "z"])
        XCTAssertEqual(tables[0].textMetrics, ["z"])
        let x = try XCTUnwrap(tables[0].column("x"))
        XCTAssertEqual(Array(x.prefix(2)), [.number(0.001), .null])
        guard case .number(let nan) = x[2], nan.isNaN else { return XCTFail("NaN expected, got \(x[2])") }
        XCTAssertEqual(tables[0].column("y"), [.number(.infinity), .number(-.infinity), .number(18_799_488)])
        XCTAssertEqual(tables[0].column("z"), [.text("a"), .null, .text("2")])
        let json = try ImportDocument.json(tables, target: Samples.target([Layer(name: "l", units: 3)]), mapping: LayerMapping(layer: "l"), file: "t.tsv")
        XCTAssertEqual(String(decoding: json, as: UTF8.self),
            #"{"format":"lesion.run/1","experiment":"e","model":"m","layers":[{"name":"l","units":3}],"checkpoints":[{"step":0,"units":{"l":{"x":[0.001,null,null],"y":[Infinity,-Infinity,18799488],"z":["a",null,"2"]}}}]}"#)
    }

    func testRefusalsNameTheLine() throws {
        func refusal(_ csv: String, layers: [Layer] = [Layer(name: "l", units: 3)], mapping: LayerMapping = LayerMapping(layer: "l"), base: Int = 0) -> String {
            do {
                let tables = try TableImporter.read(Array(csv.utf8), file: "t.csv", options: .init(unitColumn: "u", unitBase: base, layerColumn: csv.hasPrefix("layer") ? "layer" : nil))
                _ = try ImportDocument.json(tables, target: Samples.target(layers), mapping: mapping, file: "t.csv")
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(refusal("u,v\n0,1\n0,2\n"), "t.csv: line 3: unit 0 (0-based) is repeated (first at line 2)")
        XCTAssertEqual(refusal("u,v\n3,1\n"), "t.csv: line 2: unit 3 (0-based) is out of range: layer l has 3 units, numbered 0–2")
        XCTAssertEqual(refusal("u,v\n0,1\n", base: 1), "t.csv: line 2: unit 0 is out of range: this file numbers units from 1 (--unit-base)")
        XCTAssertEqual(refusal("u,v\nx,1\n"), "t.csv: line 2: u \"x\" is not an integer unit number")
        XCTAssertEqual(refusal("layer,u,v\n7,0,1\n", mapping: LayerMapping(template: "h{}")),
            "t.csv: line 2: layer \"h7\": e/m has no such layer (its layers: l); map names with --layer or --layer-name")
        XCTAssertEqual(refusal("w,v\n0,1\n"), "t.csv: line 1: --unit-column u: the header has no such column (it has w, v)")
    }
}
