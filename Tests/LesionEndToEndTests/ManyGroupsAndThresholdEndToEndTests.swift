import Foundation
import LesionTestSupport
import XCTest

/// `compare` over three or more groups and `selectivity-importance --threshold`,
/// through the binary, in every output format. (Their numbers are checked against
/// scipy on the bundled fixtures by `AnalysisCases`.)
final class ManyGroupsAndThresholdEndToEndTests: TemporaryFolderTestCase {
    /// Three models, seeds 0, 1, 2, whose selectivities are shifted apart.
    private func ingestThreeSeeds(_ db: TestDatabase) throws {
        let text = (0..<3).map {
            SampleDocuments.document(model: "m\($0)", seed: $0, offset: Double($0) * 0.05)
        }.joined(separator: "\n") + "\n"
        let path = try SampleDocuments.write(text, to: "three.jsonl", in: folder)
        XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location, path]).status, 0)
    }

    func testCompareOfThreeGroupsReportsKruskalWallisInEveryFormat() throws {
        try TestBackend.forEach { db in
            try ingestThreeSeeds(db)
            let arguments = ["query", "compare", "--by", "seed", "--db", db.location, "--format"]
            let json = try LesionProcess.run(arguments + ["json"])
            XCTAssertEqual(json.status, 0, json.stderr)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let test = try XCTUnwrap(object["test"] as? [String: Any], "\(db)")
            XCTAssertEqual(test["df"] as? Int, 2)
            let h = try XCTUnwrap(test["h"] as? Double)
            // 24 units in all: ε² = H/23, and p is the χ²₂ tail e^(−H/2).
            XCTAssertEqual(try XCTUnwrap(test["epsilon_squared"] as? Double), h / 23, accuracy: 1e-15)
            XCTAssertEqual(try XCTUnwrap(test["p"] as? Double), exp(-h / 2), accuracy: 1e-15)
            XCTAssertNil(test["u"])
            let answer = try XCTUnwrap(object["answer"] as? String)
            XCTAssertTrue(answer.contains("Kruskal–Wallis H = "), answer)

            let table = try LesionProcess.run(arguments + ["table"])
            XCTAssertTrue(table.stdout.contains("Kruskal–Wallis H (3 groups)"), table.stdout)
            let csv = try LesionProcess.run(arguments + ["csv"])
            XCTAssertTrue(csv.stdout.contains("\nh,df,p,epsilon_squared\n"), csv.stdout)
            let markdown = try LesionProcess.run(arguments + ["markdown"])
            XCTAssertTrue(markdown.stdout.contains("### Kruskal–Wallis H (3 groups)"), markdown.stdout)
        }
    }

    func testThresholdSplitsAtTheValueAndIsRecordedInParameters() throws {
        try TestBackend.forEach { db in
            try ingestThreeSeeds(db)
            let run = try LesionProcess.run([
                "query", "selectivity-importance", "--threshold", "0.5", "--by", "none",
                "--db", db.location, "--format", "json",
            ])
            XCTAssertEqual(run.status, 0, run.stderr)
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let parameters = try XCTUnwrap(object["parameters"] as? [String: Any])
            XCTAssertEqual(parameters["threshold"] as? Double, 0.5)
            XCTAssertTrue(parameters["fraction"] is NSNull, "\(parameters)")
            // The documents' selectivities, as SampleDocuments writes them (step 100).
            var above = 0
            for seed in 0..<3 {
                for layer in 0..<2 {
                    for unit in 0..<4 where Double((unit * 7 + layer + 100) % 10) / 10 + Double(seed) * 0.05 >= 0.5 {
                        above += 1
                    }
                }
            }
            let pooled = try XCTUnwrap(object["pooled"] as? [String: Any])
            XCTAssertEqual(pooled["selective_n"] as? Int, above, "\(db)")
            XCTAssertEqual(pooled["unselective_n"] as? Int, 24 - above, "\(db)")
        }
    }

    func testThresholdWithFractionIsAUsageError() throws {
        let run = try LesionProcess.run([
            "query", "selectivity-importance", "--threshold", "0.5", "--fraction", "0.1",
            "--db", folder.appendingPathComponent("none.sqlite").path,
        ])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("--threshold replaces --fraction"), run.stderr)
    }
}
