import XCTest

@testable import LesionRunFormat

/// JSON syntax: what the reader accepts and refuses before any rule of the format.
final class RunDocumentReaderTests: XCTestCase {
    let valid = TestDocument()

    func testMinimalDocument() throws {
        let parsed = try XCTUnwrap(parse(valid.json))
        let document = parsed.document
        XCTAssertEqual(document.experiment, "e")
        XCTAssertEqual(document.model, "m")
        XCTAssertEqual(document.classes, 3)
        XCTAssertEqual(document.layers, [Layer(name: "fc1", units: 2, kind: "dense"), Layer(name: "fc2", units: 3)])
        XCTAssertEqual(document.checkpoints, [Checkpoint(step: 10)])
        XCTAssertEqual(document.attributes, [])
        XCTAssertEqual(parsed.warnings, [])
    }

    func testWhitespaceByteOrderMarkAndCRLFAround() throws {
        let text = "\r\n\t " + valid.json.replacingOccurrences(of: ",", with: " ,\r\n ") + " \r\n"
        XCTAssertEqual(parse(text)?.document.model, "m")
        let withMark = [0xEF, 0xBB, 0xBF] + Array(valid.json.utf8)
        XCTAssertEqual(try RunDocumentReader.parse(withMark).document.model, "m")
    }

    func testOverloadsAgree() throws {
        let bytes = Array(valid.json.utf8)
        let fromBytes = try RunDocumentReader.parse(bytes).document
        let fromData = try RunDocumentReader.parse(Data(bytes)).document
        let fromBuffer = try bytes.withUnsafeBytes { try RunDocumentReader.parse($0).document }
        XCTAssertEqual(fromBytes, fromData)
        XCTAssertEqual(fromBytes, fromBuffer)
    }

    func testEmptyInput() {
        assertRefused("", path: "", message: "no document: the input is empty", syntaxLine: 1)
        assertRefused(" \n ", path: "", message: "no document: the input is empty", syntaxLine: 2)
    }

    func testRootMustBeAnObject() {
        assertRefused("[]", path: "", message: "expected an object, found an array")
        assertRefused(#""text""#, path: "", message: "expected an object, found a string")
        assertRefused("3", path: "", message: "expected an object, found the number 3")
        assertRefused("null", path: "", message: "expected an object, found null")
    }

    func testContentAfterTheDocument() {
        assertRefused(valid.json + " x", path: "", message: "unexpected content after the document, found 'x'", syntaxLine: 1)
        assertRefused(valid.json + "\n" + valid.json, path: "", message: "unexpected content after the document", syntaxLine: 2)
    }

    func testTrailingCommasAndMissingPunctuation() {
        assertRefused(#"{"format":"lesion.run/1",}"#, path: "", message: "expected a key in quotes after ',', found '}'", syntaxLine: 1)
        assertRefused(
            valid.with("layers", #"[{"name":"fc1","units":2},]"#).json, path: "layers",
            message: "expected a value after ',', found ']'", syntaxLine: 1)
        assertRefused(
            valid.units(#""fc1":{"m":[1,2,]}"#).json, path: "checkpoints[0].units.fc1.m[2]",
            message: "expected a value, found ']'", syntaxLine: 1)
        assertRefused(#"{"format" "lesion.run/1"}"#, path: "format", message: "expected ':' after the key, found '\"'", syntaxLine: 1)
        assertRefused(#"{"format":"lesion.run/1" "model":"m"}"#, path: "", message: "expected ',' or '}' after an object member, found '\"'", syntaxLine: 1)
        assertRefused(
            valid.units(#""fc1":{"m":[1 2]}"#).json, path: "checkpoints[0].units.fc1.m",
            message: "expected ',' or ']' after an array element, found '2'", syntaxLine: 1)
        assertRefused("{'format':1}", path: "", message: "expected a key in quotes or '}', found '''", syntaxLine: 1)
        assertRefused("// comment\n" + valid.json, path: "", message: "expected a value, found '/'", syntaxLine: 1)
    }

    func testNumberGrammar() {
        assertRefused(valid.with("classes", "03").json, path: "classes", message: "leading zeros", syntaxLine: 1)
        assertRefused(valid.with("classes", "3.").json, path: "classes", message: "expected a digit after the decimal point, found ','", syntaxLine: 1)
        assertRefused(valid.with("classes", ".5").json, path: "classes", message: "expected a value, found '.'", syntaxLine: 1)
        assertRefused(valid.with("classes", "+3").json, path: "classes", message: "expected a value, found '+'", syntaxLine: 1)
        assertRefused(valid.with("classes", "3e").json, path: "classes", message: "expected a digit in the exponent, found ','", syntaxLine: 1)
        assertRefused(valid.with("classes", "0x10").json, path: "classes", message: "invalid number 0x", syntaxLine: 1)
        assertRefused(valid.with("classes", "1.2.3").json, path: "classes", message: "invalid number 1.2.", syntaxLine: 1)
        assertRefused(valid.with("classes", "-").json, path: "classes", message: "expected a digit, found ','", syntaxLine: 1)
        let metric = valid.checkpoint(#""metrics":{"m":X}"#)
        assertRefused(metric.json.replacingOccurrences(of: "X", with: "nan"), path: "checkpoints[0].metrics.m", message: "invalid literal; expected null", syntaxLine: 1)
        assertRefused(metric.json.replacingOccurrences(of: "X", with: "inf"), path: "checkpoints[0].metrics.m", message: "expected a value, found 'i'", syntaxLine: 1)
        assertRefused(metric.json.replacingOccurrences(of: "X", with: "-NaN"), path: "checkpoints[0].metrics.m", message: "expected a digit, found 'N'", syntaxLine: 1)
        assertRefused(metric.json.replacingOccurrences(of: "X", with: "Infinityx"), path: "checkpoints[0].metrics.m", message: "invalid literal; expected Infinity", syntaxLine: 1)
        assertRefused(metric.json.replacingOccurrences(of: "X", with: "nullx"), path: "checkpoints[0].metrics.m", message: "invalid literal; expected null", syntaxLine: 1)
    }

    func testNaNInfinityAndNullAreNumbers() throws {
        let json = valid.checkpoint(#""metrics":{"a":NaN,"b":Infinity,"c":-Infinity,"d":null,"e":-0.0,"f":1E+2}"#).json
        let metrics = try XCTUnwrap(parse(json)).document.checkpoints[0].metrics
        XCTAssertEqual(metrics.map(\.name), ["a", "b", "c", "d", "e", "f"])
        XCTAssertTrue(metrics[0].value.isNaN)
        XCTAssertEqual(metrics[1].value, .infinity)
        XCTAssertEqual(metrics[2].value, -.infinity)
        XCTAssertTrue(metrics[3].value.isNaN)
        XCTAssertEqual(metrics[4].value.bitPattern, (-0.0).bitPattern)
        XCTAssertEqual(metrics[5].value, 100)
    }

    func testHugeAndTinyNumbers() throws {
        let metric = valid.checkpoint(#""metrics":{"m":X}"#).json
        assertRefused(metric.replacingOccurrences(of: "X", with: "1e400"), path: "checkpoints[0].metrics.m", message: "the number 1e400 is too large for a double", syntaxLine: 1)
        assertRefused(metric.replacingOccurrences(of: "X", with: "-1e99999999999999999999"), path: "checkpoints[0].metrics.m", message: "is too large for a double", syntaxLine: 1)
        let tiny = try XCTUnwrap(parse(metric.replacingOccurrences(of: "X", with: "1e-400")))
        XCTAssertEqual(tiny.document.checkpoints[0].metrics[0].value, 0)
        let long = "0." + String(repeating: "1", count: 100_000)
        let parsed = try XCTUnwrap(parse(metric.replacingOccurrences(of: "X", with: long)))
        XCTAssertEqual(parsed.document.checkpoints[0].metrics[0].value, 0.11111111111111111)
    }

    func testStringEscapes() throws {
        let json = valid.with("model", #""a\"b\\c\/d\b\f\n\r\t\u00e9\uD83D\uDE00""#).json
        XCTAssertEqual(parse(json)?.document.model, "a\"b\\c/d\u{8}\u{C}\n\r\té😀")
    }

    func testZeroCodePointRefusedInEverySpelling() {
        assertRefused(valid.with("model", #""a\u0000b""#).json, path: "model", message: "U+0000 is not allowed in a string", syntaxLine: 1)
        let raw = Array(valid.with("model", "\"aXb\"").json.utf8).map { $0 == UInt8(ascii: "X") ? 0 : $0 }
        let error = refusal(bytes: raw)
        XCTAssertEqual(error?.path, "model")
        XCTAssertEqual(error?.message, "U+0000 is not allowed in a string")
        assertRefused(valid.with("attributes", #"{"a\u0000":1}"#).json, path: "attributes", message: "U+0000 is not allowed in a string", syntaxLine: 1)
    }

    func testRawControlCharactersRefused() {
        assertRefused(valid.with("model", "\"a\nb\"").json, path: "model", message: "line break inside a string", syntaxLine: 1)
        assertRefused(valid.with("model", "\"a\tb\"").json, path: "model", message: "control character U+0009 must be escaped in a string", syntaxLine: 1)
    }

    func testBadEscapesRefused() {
        assertRefused(valid.with("model", #""\x""#).json, path: "model", message: "invalid escape \\x in a string", syntaxLine: 1)
        assertRefused(valid.with("model", #""\u12G4""#).json, path: "model", message: "\\u must be followed by four hex digits", syntaxLine: 1)
        assertRefused(valid.with("model", #""\uD800""#).json, path: "model", message: "unpaired surrogate \\uD800 in a string", syntaxLine: 1)
        assertRefused(valid.with("model", #""\uD800\u0041""#).json, path: "model", message: "unpaired surrogate \\uD800", syntaxLine: 1)
        assertRefused(valid.with("model", #""\uDC00""#).json, path: "model", message: "unpaired surrogate \\uDC00", syntaxLine: 1)
    }

    func testInvalidUTF8Refused() {
        let sequences: [[UInt8]] = [
            [0xC0, 0x80],  // overlong U+0000
            [0xC1, 0xBF],  // overlong
            [0x80],  // lone continuation
            [0xE2, 0x82],  // truncated
            [0xE0, 0x80, 0x80],  // overlong three-byte
            [0xED, 0xA0, 0x80],  // surrogate
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xF5, 0x80, 0x80, 0x80],
            [0xFF],
        ]
        for sequence in sequences {
            let bytes = Array(#"{"format":"lesion.run/1","model":"a"#.utf8) + sequence + Array(#"b"}"#.utf8)
            let error = refusal(bytes: bytes)
            XCTAssertEqual(error?.path, "model", "\(sequence)")
            XCTAssertEqual(error?.message, "invalid UTF-8 in a string", "\(sequence)")
            XCTAssertEqual(error?.line, 1)
        }
        let outside = refusal(bytes: [0xFF])
        XCTAssertEqual(outside?.message, "expected a value, found byte 0xFF")
    }

    func testValidMultibyteTextKept() throws {
        let name = "Ünïcødé 模型 🧠 \u{10FFFF}"
        let json = valid.with("model", JSONText.quoted(name)).json
        XCTAssertEqual(parse(json)?.document.model, name)
    }

    func testDuplicateKeysNameTheObjectAndTheKey() {
        assertRefused(valid.with("x", "1").json.replacingOccurrences(of: #""x":1"#, with: #""model":"n""#), path: "", message: "duplicate key model")
        assertRefused(valid.with("layers", #"[{"name":"a","units":1,"name":"b"}]"#).json, path: "layers[0]", message: "duplicate key name")
        assertRefused(valid.with("attributes", #"{"seed":1,"seed":2}"#).json, path: "attributes", message: "duplicate key seed")
        assertRefused(valid.with("attributes", #"{"a":1,"\u0061":2}"#).json, path: "attributes", message: "duplicate key a")
        assertRefused(valid.checkpoint(#""metrics":{"m":1,"m":2}"#).json, path: "checkpoints[0].metrics", message: "duplicate key m")
        assertRefused(valid.units(#""fc1":{},"fc1":{}"#).json, path: "checkpoints[0].units", message: "duplicate key fc1")
        assertRefused(valid.units(#""fc1":{"m":[1,2],"m":[1,2]}"#).json, path: "checkpoints[0].units.fc1", message: "duplicate key m")
        assertRefused(valid.with("checkpoints", #"[{"step":1,"step":2}]"#).json, path: "checkpoints[0]", message: "duplicate key step")
    }

    func testUnknownKeysRefusedEverywhere() {
        assertRefused(valid.with("formt", "1").json, path: "", message: "unknown key formt (allowed here: format, experiment, model, attributes, classes, layers, checkpoints)")
        assertRefused(valid.with("layers", #"[{"name":"a","units":1,"unit":1}]"#).json, path: "layers[0]", message: "unknown key unit")
        assertRefused(valid.checkpoint(#""metric":{}"#).json, path: "checkpoints[0]", message: "unknown key metric")
        assertRefused(
            valid.curves(#"{"perturbation":"noise","layers":"all","x":[0,1],"metrics":{},"colour":1}"#).json,
            path: "checkpoints[0].curves[0]", message: "unknown key colour")
        assertRefused(valid.with("a b", "1").json, path: "", message: #"unknown key "a b""#)
    }

    func testSyntaxErrorLineNumbers() {
        let pretty = """
            {
              "format": "lesion.run/1",
              "experiment": "e",
              "model": "m",
              "classes": 3,
              "layers": [{"name": "fc1", "units": 2}],
              "checkpoints": [
                {"step": 1, "metrics": {"a": 0.5,, "b": 1}}
              ]
            }
            """
        assertRefused(pretty, path: "checkpoints[0].metrics", message: "expected a key in quotes after ',', found ','", syntaxLine: 8)
        let truncated = String(pretty.prefix(while: { $0 != "]" }))
        assertRefused(truncated, path: "layers", message: "expected ',' or ']' after an array element, found end of input", syntaxLine: 6)
    }

    func testDeepNestingNeverTraps() {
        let deep = String(repeating: "[", count: 100_000)
        assertRefused(deep, path: "", message: "expected an object, found an array")
        assertRefused(valid.with("attributes", deep).json, path: "attributes", message: "expected an object, found an array")
        assertRefused(
            valid.units("\"fc1\":{\"m\":" + deep).json, path: "checkpoints[0].units.fc1.m[0][0]",
            message: "expected a number or null, found an array")
        assertRefused(
            valid.with("experiment", String(repeating: "{\"a\":", count: 50_000)).json, path: "experiment",
            message: "expected a string, found an object")
    }

    func testEveryTruncationIsRefusedWithoutTrapping() throws {
        let full = try String(contentsOf: HandmadeFixturesTests.directory.appendingPathComponent("every-feature.json"), encoding: .utf8)
        let bytes = Array(full.utf8)
        var lastNonSpace = bytes.count
        while lastNonSpace > 0, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[lastNonSpace - 1]) { lastNonSpace -= 1 }
        for length in 0..<lastNonSpace {
            XCTAssertThrowsError(try RunDocumentReader.parse(Array(bytes[0..<length])), "prefix of \(length) bytes")
        }
        XCTAssertNoThrow(try RunDocumentReader.parse(bytes))
    }

    func testGarbageAndMutatedBytesNeverTrap() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<3_000 {
            let count = Int(generator.next() % 64)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            XCTAssertThrowsError(try RunDocumentReader.parse(bytes))
        }
        let template = Array(try String(contentsOf: HandmadeFixturesTests.directory.appendingPathComponent("every-feature.json"), encoding: .utf8).utf8)
        let interesting: [UInt8] = Array("{}[]\",:0-.eE9nNI\\u \n".utf8) + [0x00, 0x80, 0xFF, 0xC3]
        for _ in 0..<3_000 {
            var bytes = template
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] = interesting[Int(generator.next() % UInt64(interesting.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(interesting[Int(generator.next() % UInt64(interesting.count))], at: position)
                }
            }
            do {
                _ = try RunDocumentReader.parse(bytes)
            } catch {
                XCTAssertFalse(error.message.isEmpty)
            }
        }
    }
}

/// A small deterministic random generator, so fuzz tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
