import Foundation
import LesionTestSupport
import XCTest

/// Every analysis, through the binary, against the reference answers that the
/// reference experiment computed independently with numpy and scipy
/// (`Fixtures/expected/`), to 1e-9. Run by `FixturesEndToEndTests` on a database
/// that already holds the fixtures.
enum AnalysisCases {
    struct Case: Decodable {
        var name: String
        var args: [String]
        var expected: String
    }

    /// Runs every case of `folder`'s `cases.json` (a folder under Fixtures) on `db`.
    static func checkEveryCase(
        on db: TestDatabase, folder: String = "expected", minimumCount: Int = 8, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let manifest = LesionProcess.fixture(folder + "/cases.json")
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: URL(fileURLWithPath: manifest)))
        XCTAssertGreaterThanOrEqual(cases.count, minimumCount, file: file, line: line)
        for testCase in cases {
            let outcome = try LesionProcess.run(testCase.args + ["--db", db.location, "--format", "json"])
            XCTAssertEqual(outcome.status, 0, "\(db) \(testCase.name): \(outcome.stderr)", file: file, line: line)
            let actual = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8))
            let expected = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: LesionProcess.fixture(folder + "/" + testCase.expected))))
            var differences: [String] = []
            JSONComparison.compare(expected: expected, actual: actual, path: "", into: &differences)
            XCTAssertTrue(differences.isEmpty, "\(db) \(testCase.name):\n" + differences.prefix(20).joined(separator: "\n"),
                          file: file, line: line)
        }
    }
}
