import Foundation
import LesionRunFormat
import LesionStore
import LesionTestSupport
import XCTest

/// Imports that store text labels, classless models or annotate a stored step:
/// they need the run format's turn-2 additions (text unit metrics, optional
/// `classes`, merge). Until this build accepts them, each test is skipped, saying
/// why; once it does, they run with no change.
final class ImportLabelsEndToEndTests: TemporaryFolderTestCase {
    /// Whether this build's ingest stores a classless document with a text metric.
    private func requireLabels() throws {
        let probe = #"{"format":"lesion.run/1","experiment":"probe","model":"p","layers":[{"name":"l","units":1}],"checkpoints":[{"step":0,"units":{"l":{"concept":["x"]}}}]}"#
        let db = folder.appendingPathComponent("probe.db").path
        let outcome = try LesionProcess.run(["ingest", "--dry-run", "--db", db, "-"], input: Data(probe.utf8))
        try? FileManager.default.removeItem(atPath: db)
        try XCTSkipUnless(outcome.status == 0, "needs text unit metrics and classless models (run format, turn 2)")
    }

    /// The units of the last checkpoint of `experiment/model` as exported: layer → metric → values.
    private func exported(_ db: TestDatabase, experiment: String, model: String) throws -> (document: JSONValue, units: [String: [String: [JSONValue]]]) {
        let outcome = try LesionProcess.run(["export", "--db", db.location, "--experiment", experiment, "--model", model])
        XCTAssertEqual(outcome.status, 0, "\(db): \(outcome.stderr)")
        let document = try JSONValue.parse(Array(outcome.stdout.utf8))
        var units: [String: [String: [JSONValue]]] = [:]
        if case .object(let layers) = document["checkpoints"]?.array?.last?["units"] {
            for (layer, metrics) in layers {
                if case .object(let members) = metrics {
                    units[layer] = Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value.array ?? []) })
                }
            }
        }
        return (document, units)
    }

    /// The NetDissect CSV read with a plain split (its fields hold no quotes or commas).
    private func tallyRecords(_ path: String) throws -> [[String: String]] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = lines[0].components(separatedBy: ",")
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.components(separatedBy: ","))) }
    }

    func testAlexNetTallyCreatesAClasslessModelWithEveryUnitsConcept() throws {
        try requireLabels()
        let path = SharedSamples.path(SharedSamples.alexNet)
        let records = try tallyRecords(path)
        try TestBackend.forEach { db in
            let arguments = ["import", "netdissect", path, "--db", db.location, "--into", "netdissect/alexnet-places365",
                             "--step", "0", "--layer", "features", "--create", "--create-layers", "features:256"]
            let first = try LesionProcess.run(arguments)
            XCTAssertEqual(first.status, 0, "\(db): \(first.stderr)")
            let (document, units) = try exported(db, experiment: "netdissect", model: "alexnet-places365")
            XCTAssertNil(document["classes"], "\(db): a classless model exports no classes")
            let features = try XCTUnwrap(units["features"], "\(db)")
            for record in records {
                let unit = Int(record["unit"]!)! - 1
                XCTAssertEqual(features["concept"]?[unit].string, record["label"], "\(db): unit \(unit)")
                XCTAssertEqual(features["concept_category"]?[unit].string, record["category"])
                XCTAssertEqual(features["concept_iou"]?[unit].number, Double(record["score"]!))
                for category in ["color", "object", "part", "material", "scene", "texture"] {
                    let label = record["\(category)-label"].flatMap { $0.isEmpty ? nil : $0 }
                    XCTAssertEqual(features["concept_\(category)"]?[unit].string, label, "\(db): unit \(unit) \(category)")
                    XCTAssertEqual(features["concept_iou_\(category)"]?[unit].number, Double(record["\(category)-iou"]!))
                }
            }
            let counts = try RowCounts.of(db.database)
            let second = try LesionProcess.run(arguments)
            XCTAssertEqual(second.status, 0, "\(db): \(second.stderr)")
            XCTAssertTrue(second.stdout.contains("unchanged 1"), "\(db): \(second.stdout)")
            XCTAssertEqual(try RowCounts.of(db.database), counts, "\(db)")
        }
    }

    func testNeuronpediaExplanationOfEachFeature() throws {
        try requireLabels()
        let path = SharedSamples.path(SharedSamples.neuronpedia)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        try TestBackend.forEach { db in
            let outcome = try LesionProcess.run([
                "import", "neuronpedia", path, "--db", db.location, "--model-id", "gemma-3-12b-it",
                "--into", "gemma-3-12b-it/gemmascope-2-res-262k", "--step", "0", "--create",
                "--create-layers", "24-gemmascope-2-res-262k:262144",
            ])
            XCTAssertEqual(outcome.status, 0, "\(db): \(outcome.stderr)")
            let explanations = try XCTUnwrap(try exported(db, experiment: "gemma-3-12b-it", model: "gemmascope-2-res-262k").units["24-gemmascope-2-res-262k"]?["explanation"])
            for line in lines {
                let record = try JSONValue.parse(Array(line.utf8))
                let index = try XCTUnwrap(record["index"]?.string.flatMap { Int($0) })
                XCTAssertEqual(explanations[index].string, record["description"]?.string, "\(db): feature \(index)")
            }
            XCTAssertEqual(explanations.filter { $0 != .null }.count, 197, "\(db)")
        }
    }

    func testOpenAIExplanationsWithLeadingSpacesAndCommas() throws {
        try requireLabels()
        let path = SharedSamples.path(SharedSamples.openAI)
        try TestBackend.forEach { db in
            let outcome = try LesionProcess.run([
                "import", "table", path, "--db", db.location, "--layer-column", "layer", "--unit-column", "neuron",
                "--layer-name", "h{}.mlp", "--column", "score=explanation_score", "--column", "explanation=explanation",
                "--into", "gpt2-xl/openai", "--step", "0", "--create",
                "--create-layers", (0..<48).map { "h\($0).mlp:6400" }.joined(separator: ","),
            ])
            XCTAssertEqual(outcome.status, 0, "\(db): \(outcome.stderr)")
            let units = try exported(db, experiment: "gpt2-xl", model: "openai").units
            let explained = units.values.flatMap { $0["explanation"] ?? [] }.compactMap(\.string)
            XCTAssertEqual(explained.count, 960, "\(db)")
            XCTAssertEqual(explained.filter { $0.hasPrefix(" ") }.count, 645, "\(db)")
            XCTAssertEqual(explained.filter { $0.contains(",") }.count, 242, "\(db)")
            XCTAssertEqual(units["h0.mlp"]?["explanation"]?[286].string, " words related to comparison.", "\(db)")
        }
    }

    /// The second end-to-end example of issue 13: concepts of one layer of a stored
    /// model, in NetDissect's own format, merged into its last step; export then
    /// shows the training's metrics and the concepts side by side.
    func testNetDissectFileMergedIntoTheLastStepOfAStoredModel() throws {
        try requireLabels()
        let run = try SampleDocuments.write(SampleDocuments.document(model: "m", steps: [100, 200]), to: "run.json", in: folder)
        try TestBackend.forEach { db in
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location, run]).status, 0)
            // The file is written from the stored model: one row per unit of fc1, sorted by
            // score as NetDissect sorts them, units 1-based, CRLF.
            let units = try XCTUnwrap(try db.database.fetchOne("SELECT units FROM layers WHERE name = 'fc1'") { $0.int(0) } ?? nil)
            let concepts = ["dog", "pool table", "red-c", ""]
            var rows = ["unit,category,label,score,object-label,object-truth,object-activation,object-intersect,object-iou"]
            for unit in (0..<units).reversed() {
                let label = concepts[unit % concepts.count]
                let iou = Double(unit + 1) / 100
                rows.append("\(unit + 1),object,\(label),\(iou),\(label),100.0,50.0,\(Double(unit)).0,\(iou)")
            }
            let tally = try SampleDocuments.write(rows.joined(separator: "\r\n") + "\r\n", to: "fc1-result.csv", in: folder)
            let arguments = ["import", "netdissect", tally, "--db", db.location, "--into", "exp/m", "--step", "200", "--layer", "fc1"]
            let merged = try LesionProcess.run(arguments)
            XCTAssertEqual(merged.status, 0, "\(db): \(merged.stderr)")
            let fc1 = try XCTUnwrap(try exported(db, experiment: "exp", model: "m").units["fc1"], "\(db)")
            XCTAssertEqual(fc1["class_selectivity"]?.count, units, "\(db): the training's metric is still there")
            XCTAssertEqual(fc1["concept"]?.map(\.string), (0..<units).map { concepts[$0 % concepts.count] }.map { $0.isEmpty ? nil : $0 }, "\(db)")
            XCTAssertEqual(fc1["concept_iou"]?.map(\.number), (0..<units).map { Double($0 + 1) / 100 }, "\(db)")
            let counts = try RowCounts.of(db.database)
            let again = try LesionProcess.run(arguments)
            XCTAssertEqual(again.status, 0, "\(db): \(again.stderr)")
            XCTAssertTrue(again.stdout.contains("unchanged 1"), "\(db): \(again.stdout)")
            XCTAssertEqual(try RowCounts.of(db.database), counts, "\(db)")
        }
    }
}
