import Foundation
import LesionTestSupport
import XCTest

/// Every command writes a double the same way: `sql`, `query`, `show` and the
/// listings share one JSON writer and one number format.
final class OutputLayerEndToEndTests: TemporaryFolderTestCase {
    /// A model whose unit metric `m` holds doubles with awkward spellings (a sum
    /// that is not 0.3, a tiny and a huge number) and `whole` integral doubles.
    private let document = """
        {"format":"lesion.run/1","experiment":"e","model":"m","attributes":{"batch_norm":false},"classes":2,
         "layers":[{"name":"fc","units":4}],
         "checkpoints":[{"step":1,"metrics":{"test_accuracy":0.30000000000000004},
           "units":{"fc":{"m":[3.0,0.30000000000000004,1e-300,1.7976931348623157e308],"whole":[3.0,7.0,11.0,2.0]}}}]}
        """

    /// The JSON number tokens of `text` that follow `"key": `.
    private func tokens(_ key: String, in text: String) -> [String] {
        let pattern = try? NSRegularExpression(pattern: "\"\(key)\": ?([-0-9.eE+]+)")
        let range = NSRange(text.startIndex..., in: text)
        return (pattern?.matches(in: text, range: range) ?? []).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    func testSqlAndQuerySpellTheSameDoubleTheSameWay() throws {
        try TestBackend.forEach { db in
            let path = try SampleDocuments.write(document, to: "m.json", in: folder)
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location, path]).status, 0)

            let query = try LesionProcess.run(["query", "compare", "--db", db.location, "--metric", "m", "--format", "json"])
            XCTAssertEqual(query.status, 0, query.stderr)
            let sql = try LesionProcess.run([
                "sql", "--db", db.location, "--format", "json",
                "SELECT MIN(value) AS min, MAX(value) AS max FROM unit_measurements WHERE metric = 'm'",
            ])
            XCTAssertEqual(sql.status, 0, sql.stderr)
            XCTAssertEqual(tokens("min", in: query.stdout), ["1e-300"], "\(db) query: \(query.stdout)")
            XCTAssertEqual(tokens("min", in: sql.stdout), ["1e-300"], "\(db) sql: \(sql.stdout)")
            XCTAssertEqual(tokens("max", in: query.stdout), tokens("max", in: sql.stdout), "\(db)")
            XCTAssertEqual(tokens("max", in: sql.stdout), ["1.7976931348623157e+308"], "\(db)")

            // An integral double prints as an integer in both (once "2.0" in query, "2" in sql).
            let wholeQuery = try LesionProcess.run(["query", "compare", "--db", db.location, "--metric", "whole", "--format", "json"])
            let wholeSql = try LesionProcess.run([
                "sql", "--db", db.location, "--format", "json", "SELECT MIN(value) AS min FROM unit_measurements WHERE metric = 'whole'",
            ])
            XCTAssertEqual(tokens("min", in: wholeQuery.stdout), ["2"], "\(db) query: \(wholeQuery.stdout)")
            XCTAssertEqual(tokens("min", in: wholeSql.stdout), ["2"], "\(db) sql: \(wholeSql.stdout)")
            let shown = try LesionProcess.run(["show", "--db", db.location, "e/m", "--format", "json"])
            XCTAssertEqual(tokens("test_accuracy", in: shown.stdout), ["0.30000000000000004"], "\(db): \(shown.stdout)")
            let models = try LesionProcess.run(["models", "--db", db.location, "--format", "json"])
            XCTAssertEqual(tokens("test_accuracy", in: models.stdout), ["0.30000000000000004"], "\(db): \(models.stdout)")
        }
    }
}
