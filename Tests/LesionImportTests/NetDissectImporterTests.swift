import Foundation
import LesionImport
import LesionRunFormat
import XCTest

/// Network Dissection tallies (NetDissect-Lite; kvfairchild/NetDissect @ bc1b549 and
/// philipclaesson/NetDissectEval @ 0c66197): CRLF, 1-based units sorted by score.
final class NetDissectImporterTests: XCTestCase {
    func testAlexNetEveryUnitsConceptCategoryIoUAndPerCategoryColumns() throws {
        let bytes = try Samples.bytes(Samples.alexNet)
        let table = try NetDissectImporter.read(bytes, file: "tally.csv")
        let units = try Samples.units([table], Samples.target([Layer(name: "features", units: 256)]), mapping: LayerMapping(layer: "features"))
        let features = try XCTUnwrap(units["features"])
        let categories = ["color", "object", "part", "material", "scene", "texture"]
        XCTAssertEqual(Set(features.keys), Set(["concept", "concept_category", "concept_iou"] + categories.flatMap { ["concept_\($0)", "concept_iou_\($0)"] }))
        let records = ReferenceCSV.records(String(decoding: bytes, as: UTF8.self))
        XCTAssertEqual(records.count, 256)
        var seen = Set<Int>()
        for record in records {
            let unit = try XCTUnwrap(Int(record["unit"] ?? "")) - 1
            seen.insert(unit)
            XCTAssertEqual(Samples.text(features["concept"]![unit]), record["label"], "unit \(unit)")
            XCTAssertEqual(Samples.text(features["concept_category"]![unit]), record["category"])
            XCTAssertEqual(Samples.number(features["concept_iou"]![unit]), Double(record["score"]!))
            for category in categories {
                // An empty label (a category with no concept for this unit) is null.
                let label = record["\(category)-label"].flatMap { $0.isEmpty ? nil : $0 }
                XCTAssertEqual(Samples.text(features["concept_\(category)"]![unit]), label, "unit \(unit) \(category)")
                XCTAssertEqual(Samples.number(features["concept_iou_\(category)"]![unit]), Double(record["\(category)-iou"]!), "unit \(unit) \(category)")
            }
        }
        XCTAssertEqual(seen, Set(0..<256))
        let emptyLabels = records.flatMap { record in categories.filter { record["\($0)-label"] == "" } }.count
        XCTAssertGreaterThan(emptyLabels, 0, "the sample has empty per-category labels")
        // A label with a space survives (the quirk SOURCES.md names).
        XCTAssertTrue(features["concept"]!.contains { $0.string == "pool table" })
    }

    func testResNetObjectOnlyHasOnlyObjectColumns() throws {
        let bytes = try Samples.bytes(Samples.resNet)
        let table = try NetDissectImporter.read(bytes, file: "tally.csv")
        let units = try Samples.units([table], Samples.target([Layer(name: "layer4", units: 512)]), mapping: LayerMapping(layer: "layer4"))
        let layer4 = try XCTUnwrap(units["layer4"])
        XCTAssertEqual(Set(layer4.keys), ["concept", "concept_category", "concept_iou", "concept_object", "concept_iou_object"])
        for record in ReferenceCSV.records(String(decoding: bytes, as: UTF8.self)) {
            let unit = Int(record["unit"]!)! - 1
            XCTAssertEqual(Samples.number(layer4["concept_iou"]![unit]), Double(record["score"]!))
            XCTAssertLessThan(Samples.number(layer4["concept_iou"]![unit])!, 0.04)
            XCTAssertEqual(Samples.number(layer4["concept_iou_object"]![unit]), Double(record["object-iou"]!))
        }
    }

    func testCorruptedCopiesAreRefusedWithTheirLine() throws {
        let text = String(decoding: try Samples.bytes(Samples.alexNet), as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        let target = Samples.target([Layer(name: "features", units: 256)])
        func refusal(_ lines: [String]) -> String? {
            do {
                let table = try NetDissectImporter.read(Array(lines.joined(separator: "\r\n").utf8), file: "tally.csv")
                _ = try ImportDocument.json([table], target: target, mapping: LayerMapping(layer: "features"), file: "tally.csv")
                return nil
            } catch {
                return error.description
            }
        }
        // A non-numeric IoU on line 3.
        var fields = lines[2].components(separatedBy: ",")
        fields[3] = "high"
        var copy = lines
        copy[2] = fields.joined(separator: ",")
        XCTAssertEqual(refusal(copy), "tally.csv: line 3: score \"high\" is not a number")
        // A repeated unit: line 5 says it is the unit of line 4.
        copy = lines
        var repeated = copy[4].components(separatedBy: ",")
        repeated[0] = copy[3].components(separatedBy: ",")[0]
        copy[4] = repeated.joined(separator: ",")
        let unit = Int(repeated[0])! - 1
        XCTAssertEqual(refusal(copy), "tally.csv: line 5: unit \(unit) (0-based) is repeated (first at line 4)")
        // A unit out of range.
        var outside = copy[6].components(separatedBy: ",")
        outside[0] = "257"
        copy = lines
        copy[6] = outside.joined(separator: ",")
        XCTAssertEqual(refusal(copy), "tally.csv: line 7: unit 256 (0-based) is out of range: layer features has 256 units, numbered 0–255")
        // Truncated in the middle of a record.
        lines = Array(lines.prefix(10))
        lines[9] = String(lines[9].prefix(20))
        XCTAssertEqual(refusal(lines)?.hasPrefix("tally.csv: line 10: not a readable CSV file: "), true)
        // Not a NetDissect file at all.
        XCTAssertEqual(refusal(["a,b", "1,2"]), "tally.csv: line 1: not a Network Dissection result: the header has no unit column (expected unit,category,label,score,…)")
    }

    func testEmptyLabelBecomesNull() throws {
        let csv = "unit,category,label,score,object-label,object-truth,object-activation,object-intersect,object-iou\r\n2,object,,0.5,,1,2,3,0.25\r\n"
        let table = try NetDissectImporter.read(Array(csv.utf8), file: "x.csv")
        let units = try Samples.units([table], Samples.target([Layer(name: "l", units: 3)]), mapping: LayerMapping(layer: "l"))
        XCTAssertTrue(units["l"]!["concept"]![1] == .null)
        XCTAssertTrue(units["l"]!["concept"]![0] == .null)
        XCTAssertEqual(Samples.number(units["l"]!["concept_iou_object"]![1]), 0.25)
        XCTAssertTrue(units["l"]!["concept_iou"]![2] == .null)
    }
}
