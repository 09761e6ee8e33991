import Foundation
import LesionTestSupport
import XCTest

/// Grouping by a label, thresholds and class-importance (analyses.md, "Additions
/// (turn 2)") through the built binary on every backend: the deterministic labelled
/// experiment of `Fixtures/statistics/labelled` against its scipy reference answers,
/// and the real NetDissect sample against scipy run on the CSV itself.
final class LabelledAnalysesEndToEndTests: TemporaryFolderTestCase {
    private func json(_ outcome: LesionProcess.Outcome) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any], outcome.stdout)
    }

    func testLabelledExperimentAnswersAsScipy() throws {
        let runs = LesionProcess.fixture("statistics/labelled/runs.jsonl")
        try TestBackend.forEach { db in
            let ingest = try LesionProcess.run(["ingest", "--db", db.location, runs])
            XCTAssertEqual(ingest.status, 0, "\(db): \(ingest.stderr)")
            try AnalysisCases.checkEveryCase(on: db, folder: "statistics/labelled", minimumCount: 9)

            // What --by resolved to.
            for (by, kind) in [("concept_category", "label"), ("architecture", "attribute"), ("layer", "layer"), ("none", "none")] {
                let run = try LesionProcess.run([
                    "query", "compare", "--metric", "concept_iou", "--by", by, "--db", db.location, "--format", "json",
                ])
                XCTAssertEqual(run.status, 0, run.stderr)
                let parameters = try XCTUnwrap(try json(run)["parameters"] as? [String: Any])
                XCTAssertEqual(parameters["by_kind"] as? String, kind, "\(db) --by \(by)")
            }

            // The null group is last, shown as (none) in tables and null in JSON.
            let table = try LesionProcess.run([
                "query", "compare", "--metric", "concept_iou", "--by", "concept_category", "--db", db.location, "--format", "table",
            ])
            let rows = table.stdout.split(separator: "\n").map(String.init)
            let names = rows.compactMap { $0.split(separator: " ").first.map(String.init) }
            XCTAssertEqual(Array(names.drop { $0 != "color" }.prefix(5)), ["color", "object", "part", "texture", "(none)"], table.stdout)
            XCTAssertTrue(table.stdout.contains("Kruskal–Wallis H (5 groups)"), table.stdout)
            XCTAssertTrue(table.stdout.contains("40 (no label concept_category)"), table.stdout)

            // An unknown name is a usage error naming what exists.
            let unknown = try LesionProcess.run(["query", "compare", "--by", "colour", "--db", db.location])
            XCTAssertEqual(unknown.status, 2, unknown.stderr)
            XCTAssertTrue(unknown.stderr.contains("Attributes: architecture, seed."), unknown.stderr)
            XCTAssertTrue(unknown.stderr.contains("Labels: concept_category, side."), unknown.stderr)

            // class-importance in every format, and both charts as SVG.
            let arguments = ["query", "class-importance", "--selectivity", "concept_iou", "--db", db.location]
            let csv = try LesionProcess.run(arguments + ["--format", "csv"])
            XCTAssertEqual(csv.status, 0, csv.stderr)
            XCTAssertTrue(csv.stdout.hasPrefix("group,n,hits,hit_rate,chance,binomial_p,rho_preferred,"), csv.stdout)
            let markdown = try LesionProcess.run(arguments + ["--format", "markdown"])
            XCTAssertTrue(markdown.stdout.contains("| group | n | hits |"), markdown.stdout)
            let answer = try json(try LesionProcess.run(arguments + ["--format", "json"]))["answer"] as? String
            XCTAssertTrue(answer?.contains("against chance") ?? false, answer ?? "")
            for plot in ["hit-rate", "scatter"] {
                let svg = folder.appendingPathComponent("\(plot).svg").path
                let drawn = try LesionProcess.run(arguments + ["--plot", plot, "--svg", svg, "--format", "csv"])
                XCTAssertEqual(drawn.status, 0, drawn.stderr)
                let text = try String(contentsOfFile: svg, encoding: .utf8)
                XCTAssertTrue(text.hasPrefix("<svg") || text.hasPrefix("<?xml"), String(text.prefix(80)))
                XCTAssertTrue(text.contains(plot == "scatter" ? "concept_iou vs the preferred class" : "chance"), plot)
            }
        }
    }

    /// The real NetDissect-Lite result of AlexNet's `features` layer, stored as a
    /// model without classes, compared by concept category (six categories).
    func testNetDissectSampleComparedByConceptCategoryAsScipy() throws {
        let csvPath = try XCTUnwrap(SharedSamples.path("netdissect/netdissect-lite_alexnet-features_tally.csv"))
        let document = try Self.netDissectDocument(csvPath)
        let path = try SampleDocuments.write(document, to: "alexnet.jsonl", in: folder)

        // scipy on the CSV itself: groups by category in code point order.
        let script = """
            import csv, json, sys
            import numpy as np
            from scipy import stats
            groups = {}
            with open(sys.argv[1], newline="") as f:
                for row in csv.DictReader(f):
                    groups.setdefault(row["category"], []).append(float(row["score"]))
            keys = sorted(groups)
            h, p = stats.kruskal(*[groups[k] for k in keys])
            n = sum(len(v) for v in groups.values())
            print(json.dumps({"groups": [{"group": k, "n": len(groups[k]), "mean": float(np.mean(groups[k])),
                "median": float(np.median(groups[k])), "sd": float(np.std(groups[k], ddof=1))} for k in keys],
                "h": float(h), "p": float(p), "epsilon_squared": float(h) / (n - 1), "df": len(keys) - 1}))
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, csvPath]
        let pipe = Pipe()
        python.standardOutput = pipe
        try python.run()
        let referenceData = pipe.fileHandleForReading.readDataToEndOfFile()
        python.waitUntilExit()
        XCTAssertEqual(python.terminationStatus, 0)
        let reference = try XCTUnwrap(try JSONSerialization.jsonObject(with: referenceData) as? [String: Any])
        let referenceGroups = try XCTUnwrap(reference["groups"] as? [[String: Any]])
        XCTAssertEqual(referenceGroups.count, 6)

        try TestBackend.forEach { db in
            let ingest = try LesionProcess.run(["ingest", "--db", db.location, path])
            XCTAssertEqual(ingest.status, 0, "\(db): \(ingest.stderr)")
            let run = try LesionProcess.run([
                "query", "compare", "--metric", "concept_iou", "--by", "concept_category", "--db", db.location, "--format", "json",
            ])
            XCTAssertEqual(run.status, 0, run.stderr)
            let object = try json(run)
            let groups = try XCTUnwrap(object["groups"] as? [[String: Any]])
            XCTAssertEqual(groups.count, 6, "\(db)")
            for (actual, expected) in zip(groups, referenceGroups) {
                XCTAssertEqual(actual["group"] as? String, expected["group"] as? String)
                XCTAssertEqual(actual["n"] as? Int, expected["n"] as? Int)
                for key in ["mean", "median", "sd"] {
                    let e = try XCTUnwrap(expected[key] as? Double), a = try XCTUnwrap(actual[key] as? Double)
                    XCTAssertEqual(a, e, accuracy: 1e-9 * max(1, abs(e)), "\(db) \(key)")
                }
            }
            let test = try XCTUnwrap(object["test"] as? [String: Any])
            XCTAssertEqual(test["df"] as? Int, 5)
            for key in ["h", "p", "epsilon_squared"] {
                let e = try XCTUnwrap(reference[key] as? Double), a = try XCTUnwrap(test[key] as? Double)
                XCTAssertEqual(a, e, accuracy: 1e-9 * max(1, abs(e)), "\(db) \(key)")
                if key == "p" { XCTAssertEqual(a / e, 1, accuracy: 1e-6, "\(db) p relative") }
            }
            XCTAssertEqual((object["parameters"] as? [String: Any])?["by_kind"] as? String, "label")
        }
    }

    /// A run document of the tally: unit is 1-based; columns found by the header; CRLF
    /// or LF line ends. concept and concept_category are labels, concept_iou the score.
    static func netDissectDocument(_ path: String) throws -> String {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map(String.init).filter { !$0.isEmpty }
        let header = try XCTUnwrap(lines.first).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let unitColumn = try XCTUnwrap(header.firstIndex(of: "unit"))
        let categoryColumn = try XCTUnwrap(header.firstIndex(of: "category"))
        let labelColumn = try XCTUnwrap(header.firstIndex(of: "label"))
        let scoreColumn = try XCTUnwrap(header.firstIndex(of: "score"))
        let units = lines.count - 1
        var concept = [String?](repeating: nil, count: units)
        var category = [String?](repeating: nil, count: units)
        var iou = [Double?](repeating: nil, count: units)
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let unit = try XCTUnwrap(Int(cells[unitColumn])) - 1
            concept[unit] = cells[labelColumn].isEmpty ? nil : cells[labelColumn]
            category[unit] = cells[categoryColumn]
            iou[unit] = Double(cells[scoreColumn])
        }
        func strings(_ values: [String?]) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: values.map { (value: String?) -> Any in value ?? NSNull() }), as: UTF8.self)
        }
        // Numbers as JSON writes them back exactly (the shortest round-trip digits).
        let numbers = "[" + iou.map { $0.map { "\($0)" } ?? "null" }.joined(separator: ",") + "]"
        return #"{"format":"lesion.run/1","experiment":"netdissect","model":"alexnet-places365","layers":[{"name":"features","units":\#(units)}],"checkpoints":[{"step":0,"units":{"features":{"concept":\#(try strings(concept)),"concept_category":\#(try strings(category)),"concept_iou":\#(numbers)}}}]}"# + "\n"
    }
}
