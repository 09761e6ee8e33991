import Foundation
import LesionStore
import LesionTestSupport
import XCTest

/// The recorded fixtures, through the binary: every analysis against the scipy
/// reference answers, and ingest → export → ingest into a fresh database giving
/// the same rows. One test, so that the fixtures are ingested once per backend.
final class FixturesEndToEndTests: XCTestCase {
    func testFixturesAnswerAsScipyAndRoundTripThroughExport() throws {
        let runs = LesionProcess.fixture("runs")
        try TestBackend.forEach { first in
            let ingest = try LesionProcess.run(["ingest", "--db", first.location, runs])
            XCTAssertEqual(ingest.status, 0, "\(first): \(ingest.stderr)")
            try AnalysisCases.checkEveryCase(on: first)
            let exported = try LesionProcess.run(["export", "--db", first.location])
            XCTAssertEqual(exported.status, 0, exported.stderr)
            XCTAssertFalse(exported.stdout.isEmpty)
            try first.backend.withFreshDatabase { second in
                let again = try LesionProcess.run(["ingest", "--db", second.location, "-"], input: Data(exported.stdout.utf8))
                XCTAssertEqual(again.status, 0, again.stderr)
                var expected = try RowCounts.of(first.database)
                var actual = try RowCounts.of(second.database)
                // Provenance differs by design: one ingest row per document read.
                expected["ingests"] = nil
                actual["ingests"] = nil
                XCTAssertEqual(actual, expected, "\(first)")
                let reexported = try LesionProcess.run(["export", "--db", second.location])
                XCTAssertEqual(reexported.stdout, exported.stdout, "\(first): export of the re-ingested database differs")
                // The values themselves, not only their number.
                let dump = "SELECT experiment, model, step, layer, unit, metric, value FROM unit_measurements ORDER BY 1, 2, 3, 4, 5, 6"
                let a = try first.database.fetchAll(SQL(stringLiteral: dump)) { row in (0..<7).map { row.value($0) } }
                let b = try second.database.fetchAll(SQL(stringLiteral: dump)) { row in (0..<7).map { row.value($0) } }
                XCTAssertEqual(a, b)
            }
            let twice = try LesionProcess.run(["ingest", "--db", first.location, runs])
            XCTAssertEqual(twice.status, 0)
            XCTAssertTrue(twice.stdout.hasPrefix("stored 0, "), twice.stdout)
        }
    }

}
