import XCTest

@testable import LesionRunFormat

/// Document-level rules: format, names, attributes, classes, layers, checkpoints.
final class RunDocumentTests: XCTestCase {
    let valid = TestDocument()

    func testFormatMustBeVersionOne() {
        assertRefused(valid.with("format", #""lesion.run/2""#).json, path: "format", message: #"unsupported format "lesion.run/2"; this build reads lesion.run/1"#)
        assertRefused(valid.with("format", "1").json, path: "format", message: "expected a string, found the number 1")
        assertRefused(valid.without("format").json, path: "", message: "missing key format")
    }

    func testRequiredKeys() {
        for key in ["experiment", "model", "layers", "checkpoints"] {
            assertRefused(valid.without(key).json, path: "", message: "missing key \(key)")
        }
        assertRefused(valid.with("layers", #"[{"units":1}]"#).json, path: "layers[0]", message: "missing key name")
        assertRefused(valid.with("layers", #"[{"name":"a"}]"#).json, path: "layers[0]", message: "missing key units")
        assertRefused(valid.with("checkpoints", #"[{"metrics":{}}]"#).json, path: "checkpoints[0]", message: "missing key step")
    }

    func testExperimentAndModelLengthsCountCodePoints() throws {
        let emoji200 = String(repeating: "🧠", count: 200)
        let parsed = try XCTUnwrap(parse(valid.with("experiment", JSONText.quoted(emoji200)).json))
        XCTAssertEqual(parsed.document.experiment, emoji200)
        assertRefused(valid.with("experiment", JSONText.quoted(emoji200 + "a")).json, path: "experiment", message: "the name has 201 characters; at most 200 are allowed")
        // A base letter plus a combining accent is one grapheme but two code points.
        let combining = String(repeating: "e\u{301}", count: 100)
        XCTAssertEqual(parse(valid.with("model", JSONText.quoted(combining)).json)?.document.model.unicodeScalars.count, 200)
        assertRefused(valid.with("model", JSONText.quoted(combining + "x")).json, path: "model", message: "the name has 201 characters")
        assertRefused(valid.with("model", #""""#).json, path: "model", message: "the name is empty")
        assertRefused(valid.with("model", "null").json, path: "model", message: "expected a string, found null")
    }

    func testNastyNamesKeptVerbatim() throws {
        let names = [
            #"x'; DROP TABLE models; --"#, "quote \" and backslash \\", "tab\tnewline\nend", "модель-α", "模型",
            "  spaced  ", "\u{1F9E0}\u{200D}", "e\u{301}",
        ]
        for name in names {
            let json = valid.with("model", JSONText.quoted(name)).with("attributes", "{\(JSONText.quoted(name)):\(JSONText.quoted(name))}").json
            let document = try XCTUnwrap(parse(json)).document
            XCTAssertEqual(Array(document.model.unicodeScalars), Array(name.unicodeScalars))
            XCTAssertEqual(Array(document.attributes[0].name.unicodeScalars), Array(name.unicodeScalars))
            XCTAssertEqual(document.attributes[0].value, .text(name))
        }
    }

    func testAttributesKeepOrderAndTypes() throws {
        let json = valid.with("attributes", #"{"z":1.5,"a":true,"m":"text","n":null,"nan":NaN,"inf":-Infinity,"seed":2}"#).json
        let attributes = try XCTUnwrap(parse(json)).document.attributes
        XCTAssertEqual(attributes, [
            Attribute(name: "z", value: .number(1.5)), Attribute(name: "a", value: .bool(true)),
            Attribute(name: "m", value: .text("text")), Attribute(name: "n", value: .null),
            Attribute(name: "nan", value: .null), Attribute(name: "inf", value: .number(-.infinity)),
            Attribute(name: "seed", value: .number(2)),
        ])
    }

    func testAttributeValuesMustBeScalars() {
        assertRefused(valid.with("attributes", #"{"a":[1]}"#).json, path: "attributes.a", message: "expected a number, boolean, string or null, found an array")
        assertRefused(valid.with("attributes", #"{"a":{}}"#).json, path: "attributes.a", message: "found an object")
        assertRefused(valid.with("attributes", "[]").json, path: "attributes", message: "expected an object, found an array")
    }

    func testAttributeNameLengths() throws {
        let long = String(repeating: "ж", count: 100)
        XCTAssertEqual(parse(valid.with("attributes", "{\"\(long)\":1}").json)?.document.attributes.first?.name, long)
        assertRefused(valid.with("attributes", "{\"\(long)ж\":1}").json, path: "attributes[\"\(long)ж\"]", message: "the name has 101 characters; at most 100 are allowed")
        assertRefused(valid.with("attributes", #"{"":1}"#).json, path: #"attributes[""]"#, message: "the name is empty")
    }

    func testWellKnownAttributes() throws {
        let ok = #"{"label_corruption":0,"dropout":0.0,"batch_norm":false}"#
        XCTAssertNotNil(parse(valid.with("attributes", ok).json))
        let edges = #"{"label_corruption":1,"dropout":0.999,"batch_norm":true}"#
        XCTAssertNotNil(parse(valid.with("attributes", edges).json))
        let unknown = #"{"label_corruption":null,"dropout":NaN,"batch_norm":null}"#
        XCTAssertEqual(parse(valid.with("attributes", unknown).json)?.document.attributes.map(\.value), [.null, .null, .null])
        assertRefused(valid.with("attributes", #"{"label_corruption":1.5}"#).json, path: "attributes.label_corruption", message: "label_corruption must lie in [0, 1], found 1.5")
        assertRefused(valid.with("attributes", #"{"label_corruption":-0.1}"#).json, path: "attributes.label_corruption", message: "must lie in [0, 1], found -0.1")
        assertRefused(valid.with("attributes", #"{"label_corruption":Infinity}"#).json, path: "attributes.label_corruption", message: "found Infinity")
        assertRefused(valid.with("attributes", #"{"label_corruption":"0.4"}"#).json, path: "attributes.label_corruption", message: "label_corruption must be a number or null, found a string")
        assertRefused(valid.with("attributes", #"{"dropout":1}"#).json, path: "attributes.dropout", message: "dropout must lie in [0, 1), found 1")
        assertRefused(valid.with("attributes", #"{"dropout":-1}"#).json, path: "attributes.dropout", message: "dropout must lie in [0, 1), found -1")
        assertRefused(valid.with("attributes", #"{"dropout":true}"#).json, path: "attributes.dropout", message: "dropout must be a number or null, found true")
        assertRefused(valid.with("attributes", #"{"batch_norm":1}"#).json, path: "attributes.batch_norm", message: "batch_norm must be true, false or null, found the number 1")
        assertRefused(valid.with("attributes", #"{"batch_norm":"true"}"#).json, path: "attributes.batch_norm", message: "found a string")
        assertRefused(valid.with("attributes", #"{"batch_norm":NaN}"#).json, path: "attributes.batch_norm", message: "found NaN")
    }

    func testIntegerFields() throws {
        for spelling in ["3", "3.0", "3e0", "30e-1", "0.3E1", "3.000"] {
            XCTAssertEqual(parse(valid.with("classes", spelling).json)?.document.classes, 3, spelling)
        }
        let refusals: [(String, String)] = [
            ("2.5", "expected an integer, found the number 2.5"),
            ("3.0000000000000001", "expected an integer, found the number 3.0000000000000001"),
            (#""3""#, "expected an integer, found a string"),
            ("-3", "expected an integer ≥ 0, found the number -3"),
            ("-3.0", "expected an integer ≥ 0, found the number -3.0"),
            ("null", "expected an integer, found null"),
            ("NaN", "expected an integer, found NaN"),
            ("Infinity", "expected an integer, found Infinity"),
            ("-Infinity", "expected an integer, found -Infinity"),
            ("true", "expected an integer, found true"),
            ("[3]", "expected an integer, found an array"),
            ("1e300", "the number 1e300 is too large for this integer field"),
            ("9007199254740993.0", "too large for this integer field"),
            ("99999999999999999999", "too large for this integer field"),
        ]
        for (spelling, message) in refusals {
            assertRefused(valid.with("classes", spelling).json, path: "classes", message: message)
        }
        XCTAssertEqual(parse(valid.with("classes", "9223372036854775807").json)?.document.classes, Int.max)
    }

    func testClassesAtLeastTwo() {
        assertRefused(valid.with("classes", "1").json, path: "classes", message: "classes must be at least 2, found 1")
        assertRefused(valid.with("classes", "0").json, path: "classes", message: "classes must be at least 2, found 0")
        XCTAssertEqual(parse(valid.with("classes", "2").json)?.document.classes, 2)
    }

    func testLayers() throws {
        assertRefused(valid.with("layers", "[]").json, path: "layers", message: "a document needs at least one layer")
        assertRefused(valid.with("layers", #"[{"name":"a","units":1},{"name":"a","units":2}]"#).json, path: "layers[1].name", message: "layer a is already layers[0]; layer names must be unique")
        assertRefused(valid.with("layers", #"[{"name":"é","units":1},{"name":"e\u0301","units":2}]"#).json, path: "layers[1].name", message: "is already layers[0]")
        assertRefused(valid.with("layers", #"[{"name":"a","units":0}]"#).json, path: "layers[0].units", message: "a layer needs at least 1 unit, found 0")
        assertRefused(valid.with("layers", #"[{"name":"a","units":1.5}]"#).json, path: "layers[0].units", message: "expected an integer, found the number 1.5")
        assertRefused(valid.with("layers", #"[{"name":"a","units":1,"kind":null}]"#).json, path: "layers[0].kind", message: "expected a string, found null")
        assertRefused(valid.with("layers", #"[{"name":"","units":1}]"#).json, path: "layers[0].name", message: "the name is empty")
        assertRefused(valid.with("layers", #"{"name":"a","units":1}"#).json, path: "layers", message: "expected an array, found an object")
        let layers = try XCTUnwrap(parse(valid.with("layers", #"[{"units":7,"kind":"","name":"conv 1"}]"#).json)).document.layers
        XCTAssertEqual(layers, [Layer(name: "conv 1", units: 7, kind: "")])
    }

    func testCheckpoints() throws {
        assertRefused(valid.with("checkpoints", "[]").json, path: "checkpoints", message: "a document needs at least one checkpoint")
        assertRefused(valid.with("checkpoints", #"[{"step":5},{"step":5.0}]"#).json, path: "checkpoints[1].step", message: "step 5 is already checkpoints[0]; steps must be unique")
        assertRefused(valid.with("checkpoints", #"[{"step":-1}]"#).json, path: "checkpoints[0].step", message: "expected an integer ≥ 0, found the number -1")
        assertRefused(valid.with("checkpoints", #"[{"step":"1"}]"#).json, path: "checkpoints[0].step", message: "expected an integer, found a string")
        let steps = try XCTUnwrap(parse(valid.with("checkpoints", #"[{"step":300},{"step":0},{"step":1e3}]"#).json)).document.checkpoints.map(\.step)
        XCTAssertEqual(steps, [300, 0, 1000])
    }

    func testKeyOrderDoesNotMatter() throws {
        let reversed = TestDocument(members: valid.units(#""fc1":{"m":[1,2]}"#).members.reversed())
        XCTAssertEqual(parse(reversed.json)?.document, parse(valid.units(#""fc1":{"m":[1,2]}"#).json)?.document)
    }
}
