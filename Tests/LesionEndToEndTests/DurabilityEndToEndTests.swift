import Foundation
import LesionStore
import LesionTestSupport
import XCTest

/// Whole documents only, under SIGKILL and under concurrent writers.
final class DurabilityEndToEndTests: TemporaryFolderTestCase {
    func testKilledIngestLeavesOnlyWholeDocuments() throws {
        let units = 500
        let path = try SampleDocuments.manyDocuments(models: 80, units: units, in: folder)
        try TestBackend.forEach { db in
            let running = try LesionProcess.start(["ingest", "--db", db.location, path])
            // Wait until some documents are in, then kill mid-stream.
            let deadline = Date().addingTimeInterval(60)
            var stored = 0
            while Date() < deadline {
                stored = (try? db.database.fetchOne("SELECT COUNT(*) FROM models") { $0.int(0) ?? 0 } ?? 0) ?? 0
                if stored >= 3 { break }
                usleep(20_000)
            }
            kill(running.process.processIdentifier, SIGKILL)
            let outcome = running.wait()
            XCTAssertEqual(outcome.status, SIGKILL, "\(db): the ingest finished before it could be killed")
            let database = try db.openAnotherConnection()
            if db.backend == .sqlite {
                XCTAssertEqual(try database.fetchOne("PRAGMA integrity_check") { $0.string(0) }, "ok")
            }
            let models = try RowCounts.assertWholeModels(in: database, units: units, "\(db)")
            XCTAssertGreaterThanOrEqual(models, 3, "\(db)")
            XCTAssertLessThan(models, 80, "\(db)")
            // Running the ingest again completes the rest.
            let rerun = try LesionProcess.run(["ingest", "--db", db.location, path])
            XCTAssertEqual(rerun.status, 0, rerun.stderr)
            XCTAssertEqual(try database.fetchOne("SELECT COUNT(*) FROM models") { $0.int(0) }, 80)
        }
    }

    func testConcurrentIngestsStoreEachDocumentOnce() throws {
        // Overlapping inputs: every process shares documents with another.
        var paths: [String] = []
        for process in 0..<4 {
            var text = ""
            for index in (process * 5)..<(process * 5 + 10) {
                text += SampleDocuments.document(model: "m\(index % 20)", units: 50) + "\n"
            }
            paths.append(try SampleDocuments.write(text, to: "part\(process).jsonl", in: folder))
        }
        try TestBackend.forEach { db in
            let processes = db.backend.dialect == .postgresql ? paths + paths : paths
            let running = try processes.map { try LesionProcess.start(["ingest", "--db", db.location, $0]) }
            let outcomes = running.map { $0.wait() }
            for outcome in outcomes {
                XCTAssertEqual(outcome.status, 0, "\(db): \(outcome.stderr)")
                XCTAssertFalse(outcome.stderr.contains("locked"), outcome.stderr)
            }
            let counts = try RowCounts.of(db.database)
            XCTAssertEqual(counts["models"], 20, "\(db)")
            XCTAssertEqual(counts["checkpoints"], 20, "\(db)")
            XCTAssertEqual(counts["unit_values"], 20 * 2 * 50 * 2, "\(db)")
            let stored = outcomes.map { outcome -> Int in
                let words = outcome.stdout.split(separator: " ")
                return words.count > 1 ? Int(words[1].trimmingCharacters(in: CharacterSet(charactersIn: ","))) ?? 0 : 0
            }
            XCTAssertEqual(stored.reduce(0, +), 20, "\(db): each document stored by exactly one process")
        }
    }
}
