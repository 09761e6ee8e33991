import XCTest

@testable import LesionRunFormat

/// Checkpoint metrics and their well-known ranges.
final class CheckpointTests: XCTestCase {
    let valid = TestDocument()

    func testMetricsKeepOrderAndUndefinedValues() throws {
        let json = valid.checkpoint(#""metrics":{"train_accuracy":1.0,"test_accuracy":0,"train_loss":0.02,"test_loss":1.9,"custom":-5,"u":null}"#).json
        let metrics = try XCTUnwrap(parse(json)).document.checkpoints[0].metrics
        XCTAssertEqual(metrics, [
            NamedValue(name: "train_accuracy", value: 1), NamedValue(name: "test_accuracy", value: 0),
            NamedValue(name: "train_loss", value: 0.02), NamedValue(name: "test_loss", value: 1.9),
            NamedValue(name: "custom", value: -5), NamedValue(name: "u", value: .nan),
        ])
    }

    func testWellKnownMetricRanges() {
        let cases: [(String, String)] = [
            (#""train_accuracy":1.01"#, "train_accuracy must lie in [0, 1], found 1.01"),
            (#""test_accuracy":-0.5"#, "test_accuracy must lie in [0, 1], found -0.5"),
            (#""test_accuracy":Infinity"#, "test_accuracy must lie in [0, 1], found Infinity"),
            (#""train_loss":-1e-9"#, "train_loss must be ≥ 0, found -1e-09"),
            (#""test_loss":-Infinity"#, "test_loss must be ≥ 0, found -Infinity"),
        ]
        for (member, message) in cases {
            let name = String(member.dropFirst().prefix { $0 != "\"" })
            assertRefused(valid.checkpoint("\"metrics\":{\(member)}").json, path: "checkpoints[0].metrics.\(name)", message: message)
        }
    }

    func testUndefinedAndInfiniteLossPass() throws {
        let json = valid.checkpoint(#""metrics":{"test_accuracy":NaN,"train_accuracy":null,"test_loss":Infinity}"#).json
        XCTAssertEqual(parse(json)?.document.checkpoints[0].metrics.count, 3)
    }

    func testMetricValueTypes() {
        assertRefused(valid.checkpoint(#""metrics":{"a":"1"}"#).json, path: "checkpoints[0].metrics.a", message: "expected a number or null, found a string")
        assertRefused(valid.checkpoint(#""metrics":{"a":[1]}"#).json, path: "checkpoints[0].metrics.a", message: "1 value, the document has 3 classes")
        assertRefused(valid.checkpoint(#""metrics":{"":1}"#).json, path: #"checkpoints[0].metrics[""]"#, message: "the name is empty")
        assertRefused(valid.checkpoint(#""metrics":[]"#).json, path: "checkpoints[0].metrics", message: "expected an object, found an array")
    }

    func testMetricNameLimit() {
        let name = String(repeating: "m", count: 201)
        assertRefused(valid.checkpoint("\"metrics\":{\"\(name)\":1}").json, path: "checkpoints[0].metrics.\(name)", message: "the name has 201 characters; at most 200 are allowed")
    }

    func testEmptyOptionalParts() throws {
        let json = valid.checkpoint(#""metrics":{},"units":{},"curves":[]"#).json
        XCTAssertEqual(parse(json)?.document.checkpoints, [Checkpoint(step: 10)])
    }
}
