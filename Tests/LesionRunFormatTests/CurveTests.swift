import XCTest

@testable import LesionRunFormat

/// Perturbation curves.
final class CurveTests: XCTestCase {
    let valid = TestDocument().with("layers", #"[{"name":"fc1","units":2},{"name":"fc2","units":3},{"name":"fc3","units":1}]"#)

    private func curve(_ members: String) -> String {
        valid.curves("{\(members)}").json
    }

    private let ablation = #""perturbation":"ablation","layers":["fc1"],"x":[0,0.5,1],"metrics":{"test_accuracy":[0.9,0.5,0.1]}"#

    func testAblationDefaults() throws {
        let curves = try XCTUnwrap(parse(curve(ablation))).document.checkpoints[0].curves
        XCTAssertEqual(curves, [
            Curve(perturbation: .ablation, scope: .layers(["fc1"]), order: "random", seed: 0, x: [0, 0.5, 1],
                  metrics: [CurveMetric(name: "test_accuracy", values: [0.9, 0.5, 0.1])]),
        ])
    }

    func testNoiseCurve() throws {
        let json = curve(#""perturbation":"noise","layers":"all","seed":3,"x":[0,0.5,4],"metrics":{"test_loss":[1,null,Infinity],"other":[NaN,-1,2]}"#)
        let curves = try XCTUnwrap(parse(json)).document.checkpoints[0].curves
        XCTAssertEqual(curves, [
            Curve(perturbation: .noise, scope: .all, order: nil, seed: 3, x: [0, 0.5, 4],
                  metrics: [CurveMetric(name: "test_loss", values: [1, .nan, .infinity]), CurveMetric(name: "other", values: [.nan, -1, 2])]),
        ])
    }

    func testScopeNormalization() throws {
        func scope(_ layers: String) throws -> CurveScope? {
            let json = curve(#""perturbation":"ablation","layers":\#(layers),"x":[0,1],"metrics":{}"#)
            return try XCTUnwrap(parse(json)).document.checkpoints[0].curves.first?.scope
        }
        XCTAssertEqual(try scope(#"["fc3","fc1"]"#), .layers(["fc1", "fc3"]))
        XCTAssertEqual(try scope(#"["fc2","fc3","fc1"]"#), .all)
        XCTAssertEqual(try scope(#""all""#), .all)
    }

    func testRequiredMembers() {
        let parts = [("perturbation", #""ablation""#), ("layers", #"["fc1"]"#), ("x", "[0,1]"), ("metrics", "{}")]
        XCTAssertNotNil(parse(curve(parts.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ","))))
        for key in parts.map(\.0) {
            let members = parts.filter { $0.0 != key }.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",")
            assertRefused(curve(members), path: "checkpoints[0].curves[0]", message: "missing key \(key)")
        }
    }

    func testPerturbation() {
        assertRefused(curve(ablation.replacingOccurrences(of: "\"ablation\"", with: "\"blur\"")), path: "checkpoints[0].curves[0].perturbation", message: "unknown perturbation blur; expected ablation or noise")
        assertRefused(curve(ablation.replacingOccurrences(of: "\"ablation\"", with: "\"Ablation\"")), path: "checkpoints[0].curves[0].perturbation", message: "unknown perturbation Ablation")
    }

    func testLayers() {
        let path = "checkpoints[0].curves[0].layers"
        assertRefused(curve(ablation.replacingOccurrences(of: #"["fc1"]"#, with: "[]")), path: path, message: "the list of layers is empty")
        assertRefused(curve(ablation.replacingOccurrences(of: #"["fc1"]"#, with: #"["fc1","fc2","fc1"]"#)), path: path + "[2]", message: "layer fc1 is already listed at [0]; a layer may be listed once")
        assertRefused(curve(ablation.replacingOccurrences(of: #"["fc1"]"#, with: #"["fc1","fc9"]"#)), path: path + "[1]", message: "unknown layer fc9; the document's layers are fc1, fc2, fc3")
        assertRefused(curve(ablation.replacingOccurrences(of: #"["fc1"]"#, with: #""All""#)), path: path, message: #"expected a list of layer names or the string all, found the string "All""#)
        assertRefused(curve(ablation.replacingOccurrences(of: #"["fc1"]"#, with: "null")), path: path, message: "expected a list of layer names or the string all, found null")
        assertRefused(curve(ablation.replacingOccurrences(of: #"["fc1"]"#, with: "[1]")), path: path + "[0]", message: "expected a string, found the number 1")
    }

    func testOrder() throws {
        let withOrder = ablation + #","order":"selectivity_desc""#
        XCTAssertEqual(parse(curve(withOrder))?.document.checkpoints[0].curves[0].order, "selectivity_desc")
        let custom = ablation + #","order":"my own order""#
        XCTAssertEqual(parse(curve(custom))?.document.checkpoints[0].curves[0].order, "my own order")
        let noise = #""perturbation":"noise","layers":"all","x":[0,1],"metrics":{}"#
        assertRefused(curve(noise + #","order":"random""#), path: "checkpoints[0].curves[0].order", message: "order applies only to ablation curves")
        assertRefused(curve(#""order":"random","# + noise), path: "checkpoints[0].curves[0].order", message: "order applies only to ablation curves")
        assertRefused(curve(ablation + #","order":3"#), path: "checkpoints[0].curves[0].order", message: "expected a string, found the number 3")
    }

    func testSeed() throws {
        XCTAssertEqual(parse(curve(ablation + #","seed":7.0"#))?.document.checkpoints[0].curves[0].seed, 7)
        assertRefused(curve(ablation + #","seed":-1"#), path: "checkpoints[0].curves[0].seed", message: "expected an integer ≥ 0, found the number -1")
        assertRefused(curve(ablation + #","seed":0.5"#), path: "checkpoints[0].curves[0].seed", message: "expected an integer, found the number 0.5")
        assertRefused(curve(ablation + #","seed":null"#), path: "checkpoints[0].curves[0].seed", message: "expected an integer, found null")
    }

    func testX() {
        let path = "checkpoints[0].curves[0].x"
        func with(_ x: String, metric: String = "[1,1,1]", perturbation: String = "ablation") -> String {
            curve(#""perturbation":"\#(perturbation)","layers":"all","x":\#(x),"metrics":{"m":\#(metric)}"#)
        }
        assertRefused(with("[0]", metric: "[1]"), path: path, message: "x needs at least 2 values, found 1")
        assertRefused(with("[]", metric: "[]"), path: path, message: "x needs at least 2 values, found 0")
        assertRefused(with("[0,0.5,0.5]"), path: path + "[2]", message: "x must be strictly increasing, found 0.5 after 0.5")
        assertRefused(with("[0,0.6,0.5]"), path: path + "[2]", message: "x must be strictly increasing, found 0.5 after 0.6")
        assertRefused(with("[0,0.5,1.5]"), path: path + "[2]", message: "an ablation x is a fraction of units and must lie in [0, 1], found 1.5")
        assertRefused(with("[-0.1,0.5,1]"), path: path + "[0]", message: "must lie in [0, 1], found -0.1")
        assertRefused(with("[-0.1,0.5,1]", perturbation: "noise"), path: path + "[0]", message: "a noise x is a standard deviation and must be ≥ 0, found -0.1")
        assertRefused(with("[0,null,1]"), path: path + "[1]", message: "x values must be finite numbers, found an undefined value (null or NaN)")
        assertRefused(with("[0,NaN,1]"), path: path + "[1]", message: "found an undefined value")
        assertRefused(with("[0,1,Infinity]", perturbation: "noise"), path: path + "[2]", message: "x values must be finite numbers, found Infinity")
        assertRefused(with(#"["0",1]"#), path: path + "[0]", message: "expected a number or null, found a string")
        XCTAssertNotNil(parse(with("[0,2.5,10]", perturbation: "noise")))
    }

    func testMetrics() {
        let path = "checkpoints[0].curves[0].metrics"
        func with(_ metrics: String) -> String {
            curve(#""perturbation":"ablation","layers":"all","x":[0,0.5,1],"metrics":\#(metrics)"#)
        }
        assertRefused(with(#"{"a":[1,2]}"#), path: path + ".a", message: "2 values, x has 3")
        assertRefused(with(#"{"a":[1,2,3,4]}"#), path: path + ".a", message: "4 values, x has 3")
        assertRefused(with(#"{"test_accuracy":[1,0.5,1.5]}"#), path: path + ".test_accuracy[2]", message: "test_accuracy must lie in [0, 1], found 1.5")
        assertRefused(with(#"{"train_loss":[1,-0.5,1]}"#), path: path + ".train_loss[1]", message: "train_loss must be ≥ 0, found -0.5")
        assertRefused(with(#"{"a":[1,2,3],"a":[1,2,3]}"#), path: path, message: "duplicate key a")
        assertRefused(with(#"[1,2,3]"#), path: path, message: "expected an object, found an array")
        XCTAssertNotNil(parse(with(#"{"test_accuracy":[null,NaN,0]}"#)))
    }

    func testIdentityIsUniqueWithinACheckpoint() {
        let first = #"{"perturbation":"ablation","layers":["fc1","fc3"],"x":[0,1],"metrics":{}}"#
        let path = "checkpoints[0].curves[1]"
        let message = "curves[0] already has the same perturbation, layers, order and seed"
        assertRefused(valid.curves(first + "," + first).json, path: path, message: message)
        // Same set in another order, order spelled out as the default, seed spelled out.
        let same = #"{"perturbation":"ablation","layers":["fc3","fc1"],"order":"random","seed":0,"x":[0,0.5],"metrics":{}}"#
        assertRefused(valid.curves(first + "," + same).json, path: path, message: message)
        // Every layer listed is the same scope as "all".
        let listed = #"{"perturbation":"noise","layers":["fc1","fc2","fc3"],"x":[0,1],"metrics":{}}"#
        let all = #"{"perturbation":"noise","layers":"all","x":[0,1],"metrics":{}}"#
        assertRefused(valid.curves(listed + "," + all).json, path: path, message: message)
        // Differences in any part of the identity are fine.
        let others = [
            #"{"perturbation":"ablation","layers":["fc1"],"x":[0,1],"metrics":{}}"#,
            #"{"perturbation":"ablation","layers":["fc1","fc3"],"order":"selectivity_desc","x":[0,1],"metrics":{}}"#,
            #"{"perturbation":"ablation","layers":["fc1","fc3"],"seed":1,"x":[0,1],"metrics":{}}"#,
            #"{"perturbation":"noise","layers":["fc1","fc3"],"x":[0,1],"metrics":{}}"#,
        ]
        XCTAssertEqual(parse(valid.curves(([first] + others).joined(separator: ",")).json)?.document.checkpoints[0].curves.count, 5)
        // The same curve in two checkpoints is fine.
        let twoCheckpoints = valid.with("checkpoints", "[{\"step\":1,\"curves\":[\(first)]},{\"step\":2,\"curves\":[\(first)]}]")
        XCTAssertNotNil(parse(twoCheckpoints.json))
    }
}
