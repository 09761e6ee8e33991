import XCTest

@testable import LesionRunFormat

/// The turn-2 additions: models without classes, text unit metrics (labels), the
/// kind of a unit metric, per-class checkpoint metrics and the new well-known names.
final class LabelsAndClasslessTests: XCTestCase {
    let valid = TestDocument()
    let classless = TestDocument().without("classes")

    // MARK: Models without classes

    func testClassesIsOptional() throws {
        let document = try XCTUnwrap(parse(classless.units(#""fc1":{"activation_frequency":[0.5,0.25]}"#).json)).document
        XCTAssertNil(document.classes)
        XCTAssertEqual(document.checkpoints[0].units, [UnitMetric(layer: "fc1", name: "activation_frequency", values: .scalars([0.5, 0.25]))])
    }

    func testPerClassValuesNeedClasses() {
        assertRefused(classless.units(#""fc1":{"class_means":[[1,2],[3,4]]}"#).json, path: "checkpoints[0].units.fc1.class_means", message: "class_means, one vector per class and unit, needs `classes`")
        assertRefused(classless.units(#""fc1":{"class_means":[1,2]}"#).json, path: "checkpoints[0].units.fc1.class_means", message: "needs `classes`")
        assertRefused(classless.units(#""fc1":{"v":[[1,2],[3,4]]}"#).json, path: "checkpoints[0].units.fc1.v", message: "v, one vector per class and unit, needs `classes`")
        assertRefused(classless.units(#""fc1":{"ablated_class_accuracy":[null,null]}"#).json, path: "checkpoints[0].units.fc1.ablated_class_accuracy", message: "needs `classes`")
        assertRefused(classless.checkpoint(#""metrics":{"class_accuracy":[0.5,0.5]}"#).json, path: "checkpoints[0].metrics.class_accuracy", message: "class_accuracy, one number per class, needs `classes`")
    }

    func testClasslessSelectivityIsStoredAsGivenNeverDerived() throws {
        let json = classless.units(#""fc1":{"class_selectivity":[0.25,null]}"#).json
        let parsed = try XCTUnwrap(parse(json))
        XCTAssertEqual(parsed.document.checkpoints[0].units, [UnitMetric(layer: "fc1", name: "class_selectivity", values: .scalars([0.25, .nan]))])
        XCTAssertEqual(parsed.derived, [])
    }

    func testClasslessExportHasNoClassesKeyAndReadsBack() throws {
        let document = try XCTUnwrap(parse(classless.units(#""fc1":{"concept":["dog",null]}"#).json)).document
        let json = RunDocumentWriter.json(document)
        XCTAssertFalse(json.contains("\"classes\""), json)
        XCTAssertEqual(try RunDocumentReader.parse(json).document, document)
    }

    // MARK: Labels

    func testLabelsReadWithNulls() throws {
        let units = try XCTUnwrap(parse(valid.units(#""fc2":{"concept":[null,"dog","\u00e9t\u00e9 \ud83d\ude00"]}"#).json)).document.checkpoints[0].units
        XCTAssertEqual(units, [UnitMetric(layer: "fc2", name: "concept", values: .labels([nil, "dog", "été 😀"]))])
        XCTAssertEqual(units[0].values.kind, .text)
    }

    func testLabelLengthIsCountedInCodePoints() throws {
        let longest = String(repeating: "é", count: 10_000)
        let ok = try XCTUnwrap(parse(valid.units("\"fc1\":{\"explanation\":[\"\(longest)\",null]}").json))
        XCTAssertEqual(ok.document.checkpoints[0].units[0].values, .labels([longest, nil]))
        let tooLong = String(repeating: "é", count: 10_001)
        assertRefused(valid.units("\"fc1\":{\"explanation\":[null,\"\(tooLong)\"]}").json, path: "checkpoints[0].units.fc1.explanation[1]", message: "the label has 10001 characters; at most 10000 are allowed")
    }

    func testEmptyLabelAndNulCharacterAreRefused() {
        assertRefused(valid.units(#""fc1":{"concept":["dog",""]}"#).json, path: "checkpoints[0].units.fc1.concept[1]", message: "the label is empty; a label needs 1 to 10000 characters (write null for no label)")
        let nul = refusal(valid.units(#""fc1":{"concept":["dog","a\u0000b"]}"#).json)
        XCTAssertEqual(nul?.path, "checkpoints[0].units.fc1.concept[1]")
        XCTAssertEqual(nul?.message, "U+0000 is not allowed in a string")
    }

    func testMixingKindsIsRefusedAtTheFirstOffendingIndex() {
        let oneKind = "like the first entry (one metric holds one kind of value)"
        assertRefused(valid.units(#""fc2":{"m":[null,"a",2]}"#).json, path: "checkpoints[0].units.fc2.m[2]", message: "expected a string or null \(oneKind), found the number 2")
        assertRefused(valid.units(#""fc2":{"m":["a",[1,2,3],"b"]}"#).json, path: "checkpoints[0].units.fc2.m[1]", message: "expected a string or null \(oneKind), found an array")
        assertRefused(valid.units(#""fc2":{"m":[null,1,"b"]}"#).json, path: "checkpoints[0].units.fc2.m[2]", message: "expected a number or null \(oneKind), found a string")
        assertRefused(valid.units(#""fc2":{"m":[null,[1,2,3],"b"]}"#).json, path: "checkpoints[0].units.fc2.m[2]", message: "expected an array of per-class numbers or null \(oneKind), found a string")
    }

    func testKindOfAnAllNullArray() throws {
        let json = valid.units(#""fc1":{"concept":[null,null],"explanation_score":[null,null],"custom":[null,null],"class_means":[null,null]}"#).json
        let units = try XCTUnwrap(parse(json)).document.checkpoints[0].units
        XCTAssertEqual(units.map(\.name), ["concept", "explanation_score", "custom", "class_means", "class_selectivity"])
        XCTAssertEqual(units.map(\.values.kind), [.text, .number, .number, .vector, .number])
        XCTAssertEqual(units[3].values, .perClass(Array(repeating: .nan, count: 6), classes: 3))
        XCTAssertTrue(units.allSatisfy(\.values.isAllUndefined))
    }

    func testNullVectorEntriesAreUndefinedRows() throws {
        let units = try XCTUnwrap(parse(valid.units(#""fc2":{"v":[null,[1,2,3],null]}"#).json)).document.checkpoints[0].units
        guard case .perClass(let values, 3) = units[0].values else { return XCTFail("\(units)") }
        XCTAssertEqual(values.map { $0.isNaN ? -1 : $0 }, [-1, -1, -1, 1, 2, 3, -1, -1, -1])
    }

    func testWellKnownKindsAreChecked() {
        for name in ["concept", "concept_category", "explanation"] {
            assertRefused(valid.units("\"fc1\":{\"\(name)\":[1,null]}").json, path: "checkpoints[0].units.fc1.\(name)", message: "\(name) takes one label (a string or null) per unit, found numbers")
        }
        for name in ["concept_iou", "explanation_score", "activation_frequency", "class_selectivity"] {
            assertRefused(valid.units("\"fc1\":{\"\(name)\":[null,\"x\"]}").json, path: "checkpoints[0].units.fc1.\(name)", message: "\(name) takes one number per unit, found labels")
        }
        assertRefused(valid.units(#""fc1":{"class_means":["a","b"]}"#).json, path: "checkpoints[0].units.fc1.class_means", message: "class_means takes one vector of numbers per unit, found labels")
        assertRefused(valid.units(#""fc2":{"concept":["a","b"]}"#).json, path: "checkpoints[0].units.fc2.concept", message: "2 labels, layer fc2 has 3 units")
    }

    // MARK: New well-known ranges

    func testNewWellKnownRanges() {
        assertRefused(valid.units(#""fc1":{"concept_iou":[0.5,1.5]}"#).json, path: "checkpoints[0].units.fc1.concept_iou[1]", message: "concept_iou must lie in [0, 1], found 1.5")
        assertRefused(valid.units(#""fc1":{"activation_frequency":[-0.1,0]}"#).json, path: "checkpoints[0].units.fc1.activation_frequency[0]", message: "activation_frequency must lie in [0, 1], found -0.1")
        assertRefused(valid.units(#""fc1":{"explanation_score":[-1,-1.01]}"#).json, path: "checkpoints[0].units.fc1.explanation_score[1]", message: "explanation_score must lie in [−1, 1], found -1.01")
        XCTAssertNotNil(parse(valid.units(#""fc1":{"explanation_score":[-1,1],"concept_iou":[0,1],"activation_frequency":[null,1]}"#).json))
    }

    // MARK: Per-class checkpoint metrics

    func testClassAccuracy() throws {
        let checkpoint = try XCTUnwrap(parse(valid.checkpoint(#""metrics":{"test_accuracy":0.5,"class_accuracy":[0.25,null,1],"other":[1,2,3]}"#).json)).document.checkpoints[0]
        XCTAssertEqual(checkpoint.metrics, [NamedValue(name: "test_accuracy", value: 0.5)])
        XCTAssertEqual(checkpoint.classMetrics, [ClassMetric(name: "class_accuracy", values: [0.25, .nan, 1]), ClassMetric(name: "other", values: [1, 2, 3])])
    }

    func testClassAccuracyIsChecked() {
        assertRefused(valid.checkpoint(#""metrics":{"class_accuracy":[0.25,1]}"#).json, path: "checkpoints[0].metrics.class_accuracy", message: "2 values, the document has 3 classes")
        assertRefused(valid.checkpoint(#""metrics":{"class_accuracy":[0.25,1,1.5]}"#).json, path: "checkpoints[0].metrics.class_accuracy[2]", message: "class_accuracy must lie in [0, 1], found 1.5")
        assertRefused(valid.checkpoint(#""metrics":{"class_accuracy":0.5}"#).json, path: "checkpoints[0].metrics.class_accuracy", message: "expected an array of one number per class, found the number 0.5")
        assertRefused(valid.checkpoint(#""metrics":{"test_accuracy":[0.5,0.5,0.5]}"#).json, path: "checkpoints[0].metrics.test_accuracy", message: "test_accuracy takes one number, found an array")
        assertRefused(valid.checkpoint(#""metrics":{"m":[1,"a",3]}"#).json, path: "checkpoints[0].metrics.m[1]", message: "expected a number or null, found a string")
        assertRefused(valid.checkpoint(#""metrics":{"m":1,"m":[1,2,3]}"#).json, path: "checkpoints[0].metrics", message: "m")
    }

    // MARK: Round trip

    func testNewShapesRoundTripThroughTheWriter() throws {
        let json = valid.checkpoint(#""metrics":{"class_accuracy":[0.25,null,1],"test_loss":2},"units":{"fc2":{"concept":["a",null,"c\"\n"],"v":[null,[1,2,3],null],"none":[null,null,null]}}"#).json
        let document = try XCTUnwrap(parse(json)).document
        let written = RunDocumentWriter.json(document)
        XCTAssertTrue(written.contains(#""metrics":{"test_loss":2,"class_accuracy":[0.25,null,1]}"#), written)
        XCTAssertTrue(written.contains(#""concept":["a",null,"c\"\u000a"],"v":[[null,null,null],[1,2,3],[null,null,null]]"#), written)
        XCTAssertEqual(try RunDocumentReader.parse(written).document, document)
    }
}
