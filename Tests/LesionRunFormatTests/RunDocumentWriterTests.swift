import XCTest

@testable import LesionRunFormat

/// The export writer: exact output, number spelling, and round trips.
final class RunDocumentWriterTests: XCTestCase {
    func testCompactCanonicalOutput() throws {
        let input = #"""
            {"checkpoints":[{"curves":[{"metrics":{"test_accuracy":[0.9,null]},"x":[0,1],"seed":2,"layers":["fc2"],"perturbation":"ablation"},
            {"x":[0,0.5],"layers":["fc2","fc1"],"perturbation":"noise","metrics":{}}],
            "units":{"fc1":{"m":[1,2.5]}},"metrics":{"test_loss":1.5},"step":3}],
            "layers":[{"kind":"dense","units":2,"name":"fc1"},{"name":"fc2","units":1}],
            "classes":2,"attributes":{"b":true,"a":null,"s":"x"},"model":"m","experiment":"e","format":"lesion.run/1"}
            """#
        let document = try XCTUnwrap(parse(input)).document
        XCTAssertEqual(
            RunDocumentWriter.json(document),
            #"{"format":"lesion.run/1","experiment":"e","model":"m","attributes":{"b":true,"a":null,"s":"x"},"classes":2,"#
                + #""layers":[{"name":"fc1","units":2,"kind":"dense"},{"name":"fc2","units":1}],"checkpoints":[{"step":3,"#
                + #""metrics":{"test_loss":1.5},"units":{"fc1":{"m":[1,2.5]}},"curves":[{"perturbation":"ablation","#
                + #""layers":["fc2"],"order":"random","seed":2,"x":[0,1],"metrics":{"test_accuracy":[0.9,null]}},"#
                + #"{"perturbation":"noise","layers":"all","seed":0,"x":[0,0.5],"metrics":{}}]}]}"#)
    }

    func testEmptyOptionalPartsAreLeftOut() {
        let document = RunDocument(
            experiment: "e", model: "m", classes: 2, layers: [Layer(name: "l", units: 1)], checkpoints: [Checkpoint(step: 0)])
        XCTAssertEqual(
            RunDocumentWriter.json(document),
            #"{"format":"lesion.run/1","experiment":"e","model":"m","classes":2,"layers":[{"name":"l","units":1}],"checkpoints":[{"step":0}]}"#)
    }

    func testNumberSpelling() {
        let cases: [(Double, String)] = [
            (.nan, "null"), (.infinity, "Infinity"), (-.infinity, "-Infinity"), (0, "0"), (-0.0, "0"), (3, "3"),
            (-42, "-42"), (2.5, "2.5"), (0.1, "0.1"), (1e-5, "1e-05"), (1e-300, "1e-300"), (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"), (9_007_199_254_740_991, "9007199254740991"),
            (9_007_199_254_740_992, "9007199254740992.0"), (1.8446744073709552e19, "1.8446744073709552e+19"), (1e22, "1e+22"), (123456.789, "123456.789"),
        ]
        for (value, text) in cases {
            XCTAssertEqual(JSONText.documentNumber(value), text, "\(value)")
            // Output formats are strict JSON: the same spelling, non-finite as null.
            XCTAssertEqual(JSONText.number(value), value.isFinite ? text : "null", "\(value)")
        }
    }

    func testStringEscaping() {
        XCTAssertEqual(JSONText.quoted("a\"b\\c\n\t\u{1}é🧠\u{7F}/"), #""a\"b\\c\u000a\u0009\u0001é🧠"# + "\u{7F}/\"")
    }

    func testPerClassValuesWrittenAsRows() throws {
        let json = TestDocument().units(#""fc1":{"class_means":[[1,2,3],[4,5,6]]}"#).json
        let written = RunDocumentWriter.json(try XCTUnwrap(parse(json)).document)
        XCTAssertTrue(written.contains(#""units":{"fc1":{"class_means":[[1,2,3],[4,5,6]],"class_selectivity":[0.3333333333333333,0.14285714285714285]}}"#), written)
    }

    func testUnitMetricsGroupedByLayer() {
        let document = RunDocument(
            experiment: "e", model: "m", classes: 2, layers: [Layer(name: "a", units: 1), Layer(name: "b", units: 1)],
            checkpoints: [Checkpoint(step: 0, units: [
                UnitMetric(layer: "b", name: "x", values: .scalars([1])),
                UnitMetric(layer: "a", name: "x", values: .scalars([2])),
                UnitMetric(layer: "b", name: "y", values: .scalars([3])),
            ])])
        XCTAssertTrue(RunDocumentWriter.json(document).contains(#""units":{"b":{"x":[1],"y":[3]},"a":{"x":[2]}}"#))
    }

    /// Random documents of random doubles: every number comes back as the same
    /// double (NaN as NaN, the sign of zero aside).
    func testRandomRoundTripKeepsEveryDouble() throws {
        var generator = SplitMix64(seed: 5)
        for _ in 0..<50 {
            var values: [Double] = []
            for _ in 0..<200 {
                switch generator.next() % 6 {
                case 0: values.append(Double(bitPattern: generator.next()))
                case 1: values.append(Double(Int64(bitPattern: generator.next()) >> Int64(generator.next() % 64)))
                case 2: values.append(Double(generator.next() % 1_000_000) / 1000)
                case 3: values.append([.nan, .infinity, -.infinity, -0.0, 5e-324, 1e-300][Int(generator.next() % 6)])
                default: values.append(Double.random(in: -1...1, using: &generator))
                }
            }
            let document = RunDocument(
                experiment: "e", model: "m", classes: 2, layers: [Layer(name: "l", units: values.count)],
                checkpoints: [Checkpoint(step: 0, metrics: values.prefix(20).enumerated().map { NamedValue(name: "m\($0.offset)", value: $0.element) },
                                         units: [UnitMetric(layer: "l", name: "v", values: .scalars(values))])])
            let reread = try RunDocumentReader.parse(RunDocumentWriter.json(document)).document
            XCTAssertEqual(reread, document)
            guard case .scalars(let back) = reread.checkpoints[0].units[0].values else { return XCTFail("shape") }
            for (original, copy) in zip(values, back) where !original.isNaN && original != 0 {
                XCTAssertEqual(copy.bitPattern, original.bitPattern)
            }
        }
    }

    func testEqualityTreatsUndefinedAsEqual() {
        XCTAssertEqual(NamedValue(name: "a", value: .nan), NamedValue(name: "a", value: -.nan))
        XCTAssertNotEqual(NamedValue(name: "a", value: .nan), NamedValue(name: "a", value: 0))
        XCTAssertEqual(UnitValues.scalars([0.0]), .scalars([-0.0]))
        XCTAssertNotEqual(UnitValues.scalars([1, 2]), .perClass([1, 2], classes: 2))
        XCTAssertEqual(CurveMetric(name: "m", values: [.nan, 1]), CurveMetric(name: "m", values: [.nan, 1]))
    }
}
