import XCTest

@testable import LesionRunFormat

/// Per-unit values: layers, counts, per-class vectors, well-known shapes and ranges.
final class UnitMetricTests: XCTestCase {
    let valid = TestDocument()

    func testScalarsAndVectors() throws {
        let json = valid.units(#""fc2":{"mutual_information":[0.1,null,NaN],"class_means":[[1,2,3],[4,5,6],[7,8,9]]},"fc1":{"custom":[-1,Infinity]}"#).json
        let units = try XCTUnwrap(parse(json)).document.checkpoints[0].units
        XCTAssertEqual(units.map(\.layer), ["fc2", "fc2", "fc2", "fc1"])
        XCTAssertEqual(units.map(\.name), ["mutual_information", "class_means", "class_selectivity", "custom"])
        XCTAssertEqual(units[0].values, .scalars([0.1, .nan, .nan]))
        XCTAssertEqual(units[1].values, .perClass([1, 2, 3, 4, 5, 6, 7, 8, 9], classes: 3))
        XCTAssertEqual(units[3].values, .scalars([-1, .infinity]))
    }

    func testUnknownLayer() {
        assertRefused(valid.units(#""fc9":{"m":[1]}"#).json, path: "checkpoints[0].units.fc9", message: "unknown layer fc9; the document's layers are fc1, fc2")
        assertRefused(valid.units(#""FC1":{"m":[1,2]}"#).json, path: "checkpoints[0].units.FC1", message: "unknown layer FC1")
    }

    func testValueCountMustMatchUnits() {
        assertRefused(valid.units(#""fc2":{"m":[1,2]}"#).json, path: "checkpoints[0].units.fc2.m", message: "2 values, layer fc2 has 3 units")
        assertRefused(valid.units(#""fc2":{"m":[1,2,3,4]}"#).json, path: "checkpoints[0].units.fc2.m", message: "4 values, layer fc2 has 3 units")
        assertRefused(valid.units(#""fc1":{"m":[]}"#).json, path: "checkpoints[0].units.fc1.m", message: "0 values, layer fc1 has 2 units")
        assertRefused(valid.units(#""fc1":{"m":[1]}"#).json, path: "checkpoints[0].units.fc1.m", message: "1 value, layer fc1 has 2 units")
        assertRefused(valid.units(#""fc1":{"m":[[1,2,3]]}"#).json, path: "checkpoints[0].units.fc1.m", message: "1 vector, layer fc1 has 2 units")
        let big = TestDocument().with("layers", #"[{"name":"fc1","units":128}]"#)
        let values = "[" + Array(repeating: "0.5", count: 127).joined(separator: ",") + "]"
        let error = refusal(big.units("\"fc1\":{\"class_selectivity\":\(values)}").json)
        XCTAssertEqual(error?.description, "checkpoints[0].units.fc1.class_selectivity: 127 values, layer fc1 has 128 units")
    }

    func testVectorsMustHaveClassesNumbers() {
        assertRefused(valid.units(#""fc1":{"m":[[1,2],[3,4]]}"#).json, path: "checkpoints[0].units.fc1.m[0]", message: "2 values, the document has 3 classes")
        assertRefused(valid.units(#""fc1":{"m":[[1,2,3],[3,4]]}"#).json, path: "checkpoints[0].units.fc1.m[1]", message: "2 values, the document has 3 classes")
        assertRefused(valid.units(#""fc2":{"m":[[1,2,3],[1,2,3],[]]}"#).json, path: "checkpoints[0].units.fc2.m[2]", message: "0 values, the document has 3 classes")
    }

    func testShapesMayNotMix() {
        assertRefused(valid.units(#""fc1":{"m":[1,[2,3,4]]}"#).json, path: "checkpoints[0].units.fc1.m[1]", message: "expected a number or null like the first entry (one metric holds one kind of value), found an array")
        assertRefused(valid.units(#""fc1":{"m":[[1,2,3],4]}"#).json, path: "checkpoints[0].units.fc1.m[1]", message: "expected an array of per-class numbers or null like the first entry (one metric holds one kind of value), found the number 4")
        assertRefused(valid.units(#""fc1":{"m":[[1,2,[3]],[1,2,3]]}"#).json, path: "checkpoints[0].units.fc1.m[0][2]", message: "expected a number or null, found an array")
        assertRefused(valid.units(#""fc1":{"m":[1,"b"]}"#).json, path: "checkpoints[0].units.fc1.m[1]", message: "expected a number or null like the first entry (one metric holds one kind of value), found a string")
        assertRefused(valid.units(#""fc1":{"m":{"0":1}}"#).json, path: "checkpoints[0].units.fc1.m", message: "expected an array, found an object")
        assertRefused(valid.units(#""fc1":[1,2]"#).json, path: "checkpoints[0].units.fc1", message: "expected an object, found an array")
    }

    func testWellKnownShapes() {
        assertRefused(valid.units(#""fc1":{"class_means":[1,2]}"#).json, path: "checkpoints[0].units.fc1.class_means", message: "class_means takes one vector of 3 numbers per unit, found one number per unit")
        assertRefused(valid.units(#""fc1":{"ablated_class_accuracy":[1,2]}"#).json, path: "checkpoints[0].units.fc1.ablated_class_accuracy", message: "ablated_class_accuracy takes one vector of 3 numbers per unit")
        for name in ["class_selectivity", "mutual_information", "ablated_test_accuracy", "ablated_test_loss", "test_accuracy"] {
            assertRefused(valid.units("\"fc1\":{\"\(name)\":[[1,0,0],[0,1,0]]}").json, path: "checkpoints[0].units.fc1.\(name)", message: "\(name) takes one number per unit, found one vector per unit")
        }
    }

    func testWellKnownRanges() {
        let cases: [(String, String, String)] = [
            (#""mutual_information":[0,-0.1]"#, "mutual_information[1]", "mutual_information must be ≥ 0, found -0.1"),
            (#""ablated_test_accuracy":[1.5,0]"#, "ablated_test_accuracy[0]", "ablated_test_accuracy must lie in [0, 1], found 1.5"),
            (#""ablated_test_loss":[1,-2]"#, "ablated_test_loss[1]", "ablated_test_loss must be ≥ 0, found -2"),
            (#""test_accuracy":[0.5,2]"#, "test_accuracy[1]", "test_accuracy must lie in [0, 1], found 2"),
            (#""train_loss":[-1,0]"#, "train_loss[0]", "train_loss must be ≥ 0, found -1"),
            (#""ablated_class_accuracy":[[0,0.5,1],[0,1.2,0]]"#, "ablated_class_accuracy[1][1]", "ablated_class_accuracy must lie in [0, 1], found 1.2"),
        ]
        for (member, path, message) in cases {
            assertRefused(valid.units("\"fc1\":{\(member)}").json, path: "checkpoints[0].units.fc1.\(path)", message: message)
        }
        let undefined = valid.units(#""fc1":{"mutual_information":[NaN,null],"ablated_class_accuracy":[[null,1,0],[NaN,0,1]],"class_selectivity":[-3,7]}"#)
        XCTAssertNotNil(parse(undefined.json))
    }

    func testLayerNamesResolveToTheDeclaredSpelling() throws {
        // "é" precomposed in layers, decomposed in units: the same name to Swift,
        // stored with the spelling of the layer list.
        let document = valid.with("layers", #"[{"name":"\u00e9","units":1}]"#).units(#""e\u0301":{"m":[1]}"#)
        let units = try XCTUnwrap(parse(document.json)).document.checkpoints[0].units
        XCTAssertEqual(Array(units[0].layer.unicodeScalars), ["\u{E9}"])
    }

    func testMetricNamesChecked() {
        assertRefused(valid.units(#""fc1":{"":[1,2]}"#).json, path: #"checkpoints[0].units.fc1[""]"#, message: "the name is empty")
    }
}
