import XCTest

@testable import LesionRunFormat

/// A valid run document as JSON text whose top-level members can be replaced one by
/// one, so each test states only what it changes. Layers: fc1 (2 units), fc2 (3
/// units); classes: 3; one checkpoint at step 10.
struct TestDocument {
    var members: [(key: String, json: String)] = [
        ("format", #""lesion.run/1""#),
        ("experiment", #""e""#),
        ("model", #""m""#),
        ("classes", "3"),
        ("layers", #"[{"name":"fc1","units":2,"kind":"dense"},{"name":"fc2","units":3}]"#),
        ("checkpoints", #"[{"step":10}]"#),
    ]

    /// The document with member `key` set to the raw JSON `json` (added if absent).
    func with(_ key: String, _ json: String) -> TestDocument {
        var copy = self
        if let index = copy.members.firstIndex(where: { $0.key == key }) {
            copy.members[index].json = json
        } else {
            copy.members.append((key, json))
        }
        return copy
    }

    /// The document without member `key`.
    func without(_ key: String) -> TestDocument {
        var copy = self
        copy.members.removeAll { $0.key == key }
        return copy
    }

    /// The document whose single checkpoint (step 10) has the given raw members,
    /// e.g. `"units":{...}`.
    func checkpoint(_ members: String) -> TestDocument {
        with("checkpoints", "[{\"step\":10,\(members)}]")
    }

    /// The document with one checkpoint having these `units`.
    func units(_ json: String) -> TestDocument { checkpoint("\"units\":{\(json)}") }

    /// The document with one checkpoint having these `curves` (raw array contents).
    func curves(_ json: String) -> TestDocument { checkpoint("\"curves\":[\(json)]") }

    /// The JSON text.
    var json: String {
        "{" + members.map { "\"\($0.key)\":\($0.json)" }.joined(separator: ",") + "}"
    }
}

/// Parses `json`, failing the test on an error.
func parse(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> ParsedDocument? {
    do {
        return try RunDocumentReader.parse(json)
    } catch {
        XCTFail("unexpected refusal: \(error)", file: file, line: line)
        return nil
    }
}

/// The error parsing `json` gives, failing the test when it parses.
func refusal(_ json: String, file: StaticString = #filePath, line: UInt = #line) -> RunFormatError? {
    do {
        _ = try RunDocumentReader.parse(json)
        XCTFail("expected a refusal", file: file, line: line)
        return nil
    } catch {
        return error
    }
}

/// The error parsing `bytes` gives, failing the test when they parse.
func refusal(bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> RunFormatError? {
    do {
        _ = try RunDocumentReader.parse(bytes)
        XCTFail("expected a refusal", file: file, line: line)
        return nil
    } catch {
        return error
    }
}

/// Asserts that `json` is refused at exactly `path` with a message containing
/// `message`, and that `line` is set exactly for syntax errors (pass `syntaxLine`).
func assertRefused(
    _ json: String, path: String, message: String, syntaxLine: Int? = nil,
    file: StaticString = #filePath, line: UInt = #line
) {
    guard let error = refusal(json, file: file, line: line) else { return }
    XCTAssertEqual(error.path, path, "message: \(error.message)", file: file, line: line)
    XCTAssertTrue(
        error.message.contains(message), "message \(error.message.debugDescription) lacks \(message.debugDescription)",
        file: file, line: line)
    XCTAssertEqual(error.line, syntaxLine, "line of \(error)", file: file, line: line)
}
