import Foundation
import LesionImport
import LesionRunFormat
import LesionTestSupport
import XCTest

/// The shared samples as the importer tests use them.
enum Samples {
    /// The path of `relative` inside the samples folder.
    static func path(_ relative: String) -> String {
        SharedSamples.path(relative)
    }

    /// The bytes of a sample (skipped locally, failed in CI, when missing).
    static func bytes(_ relative: String) throws -> [UInt8] {
        try SharedSamples.bytes(relative)
    }

    static let alexNet = SharedSamples.alexNet
    static let resNet = SharedSamples.resNet
    static let neuronpedia = SharedSamples.neuronpedia
    static let sparsity = SharedSamples.sparsity
    static let saeConfig = SharedSamples.saeConfig
    static let saeBench = SharedSamples.saeBench
    static let openAI = SharedSamples.openAI
    static let patching = SharedSamples.patching

    /// A target model with `layers` and no classes, at step 0.
    static func target(_ layers: [Layer], classes: Int? = nil) -> ImportTarget {
        ImportTarget(experiment: "e", model: "m", classes: classes, layers: layers, attributes: [], step: 0)
    }

    /// The document built from `tables`, read back as layer → metric → values.
    /// (Read with lesion's own JSON reader, whose numbers are correctly rounded:
    /// Foundation's JSONSerialization on Linux is not, and would blur the last bit
    /// that these tests compare.)
    static func units(_ tables: [UnitTable], _ target: ImportTarget, mapping: LayerMapping = LayerMapping()) throws -> [String: [String: [JSONValue]]] {
        let json = try ImportDocument.json(tables, target: target, mapping: mapping, file: "sample")
        let document = try JSONValue.parse(json)
        guard case .object(let layers) = document["checkpoints"]?.array?.first?["units"] else { return [:] }
        var result: [String: [String: [JSONValue]]] = [:]
        for (layer, metrics) in layers {
            guard case .object(let members) = metrics else { continue }
            result[layer] = Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value.array ?? []) })
        }
        return result
    }

    /// A value of the document as an optional double (null → nil).
    static func number(_ value: JSONValue) -> Double? {
        value.number
    }

    /// A value as an optional string (null → nil).
    static func text(_ value: JSONValue) -> String? {
        value.string
    }
}

/// An RFC 4180 reader for the tests, written independently of `CSVTable` (over
/// characters rather than bytes), so that the importers are checked against a
/// second reading of each file.
enum ReferenceCSV {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field); field = ""
            } else if character == "\n" || character == "\r\n" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// Header → column index, and the records as dictionaries.
    static func records(_ text: String) -> [[String: String]] {
        let all = rows(text)
        guard let header = all.first else { return [] }
        return all.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}
