import Foundation
import LesionStore
import LesionTestSupport
import XCTest

/// push, pull and roles: moving models between databases and sharing one.
final class SharingEndToEndTests: TemporaryFolderTestCase {
    /// Copies from an SQLite file to every backend and back, idempotently,
    /// keeping provenance, refusing differing content unless --replace.
    func testPushAndPullCopyWholeModelsBothWays() throws {
        var text = ""
        for index in 0..<6 { text += SampleDocuments.document(model: "m\(index)", steps: [1, 2], units: 20) + "\n" }
        let path = try SampleDocuments.write(text, to: "runs.jsonl", in: folder)
        try TestBackend.sqlite.withFreshDatabase { local in
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", local.location, path]).status, 0)
            let original = try LesionProcess.run(["export", "--db", local.location]).stdout
            for backend in TestBackend.available {
                try backend.withFreshDatabase { shared in
                    let push = try LesionProcess.run(["push", "--db", local.location, "--to", shared.location, "--where", "seed=0"])
                    XCTAssertEqual(push.status, 0, "\(shared): \(push.stderr)")
                    XCTAssertTrue(push.stdout.hasPrefix("copied 6, unchanged 0, refused 0 models; 12 checkpoints"), push.stdout)
                    XCTAssertEqual(try LesionProcess.run(["export", "--db", shared.location]).stdout, original, "\(shared)")
                    let sources = try shared.database.fetchAll("SELECT DISTINCT source FROM ingests") { $0.string(0) ?? "" }
                    XCTAssertEqual(sources, [path], "\(shared): provenance must be the original ingest's")

                    let again = try LesionProcess.run(["push", "--db", local.location, "--to", shared.location])
                    XCTAssertTrue(again.stdout.hasPrefix("copied 0, unchanged 6, refused 0 models"), again.stdout)

                    // Pull back into a fresh file: the same documents.
                    let back = folder.appendingPathComponent("back-\(backend).db").path
                    let pull = try LesionProcess.run(["pull", "--db", back, "--from", shared.location])
                    XCTAssertEqual(pull.status, 0, pull.stderr)
                    XCTAssertEqual(try LesionProcess.run(["export", "--db", back]).stdout, original)

                    // A model whose content differs is refused, then replaced on request.
                    let changed = try SampleDocuments.write(
                        SampleDocuments.document(model: "m0", steps: [1, 2], units: 20, offset: 0.001), to: "changed.json", in: folder)
                    XCTAssertEqual(try LesionProcess.run(["ingest", "--replace", "--db", back, changed]).status, 0)
                    let refused = try LesionProcess.run(["push", "--db", back, "--to", shared.location, "--model", "m0"])
                    XCTAssertEqual(refused.status, 1)
                    XCTAssertTrue(refused.stderr.contains("exp/m0: checkpoints[0].units.fc1.class_selectivity: step 1 of exp/m0 is already stored with a different unit metric class_selectivity of layer fc1"), refused.stderr)
                    let replaced = try LesionProcess.run(["push", "--replace", "--db", back, "--to", shared.location, "--model", "m0"])
                    XCTAssertEqual(replaced.status, 0, replaced.stderr)
                    XCTAssertTrue(replaced.stdout.hasPrefix("copied 1, unchanged 0, refused 0 models; 2 checkpoints"), replaced.stdout)
                }
            }
        }
    }

    /// A push killed half-way leaves whole models, and running it again completes it.
    func testInterruptedPushLeavesWholeModelsAndResumes() throws {
        var text = ""
        for index in 0..<60 { text += SampleDocuments.document(model: "m\(index)", steps: [1, 2], units: 400) + "\n" }
        let path = try SampleDocuments.write(text, to: "runs.jsonl", in: folder)
        try TestBackend.sqlite.withFreshDatabase { local in
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", local.location, path]).status, 0)
            for backend in TestBackend.available {
                try backend.withFreshDatabase { shared in
                    let running = try LesionProcess.start(["push", "--db", local.location, "--to", shared.location])
                    let deadline = Date().addingTimeInterval(60)
                    while Date() < deadline {
                        let count = (try? shared.database.fetchOne("SELECT COUNT(*) FROM models") { $0.int(0) ?? 0 } ?? 0) ?? 0
                        if count >= 2 { break }
                        usleep(10_000)
                    }
                    kill(running.process.processIdentifier, SIGKILL)
                    XCTAssertEqual(running.wait().status, SIGKILL, "\(shared): the push ended before it was killed")
                    let partial = try shared.openAnotherConnection()
                    let perModel = try partial.fetchAll("""
                        SELECT (SELECT COUNT(*) FROM checkpoints c WHERE c.model_id = m.id) FROM models m
                        """) { $0.int(0) ?? 0 }
                    XCTAssertFalse(perModel.isEmpty)
                    XCTAssertLessThan(perModel.count, 60)
                    XCTAssertTrue(perModel.allSatisfy { $0 == 2 }, "\(shared): a model was copied in part")
                    let resumed = try LesionProcess.run(["push", "--db", local.location, "--to", shared.location])
                    XCTAssertEqual(resumed.status, 0, resumed.stderr)
                    XCTAssertTrue(resumed.stdout.hasPrefix("copied \(60 - perModel.count), unchanged \(perModel.count), refused 0"), resumed.stdout)
                }
            }
        }
    }

    /// A reader may query, export and run sql; its ingest and rm are refused
    /// with a clear message and change nothing.
    func testReaderRoleMayReadButNotWrite() throws {
        guard TestBackend.available.contains(.postgresql) else {
            print("PostgreSQL roles test skipped: no server")
            return
        }
        let path = try SampleDocuments.write(SampleDocuments.document(model: "r"), to: "r.json", in: folder)
        let other = try SampleDocuments.write(SampleDocuments.document(model: "s"), to: "s.json", in: folder)
        try TestBackend.postgresql.withFreshDatabase { db in
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location, path]).status, 0)
            let suffix = UUID().uuidString.prefix(8).lowercased()
            let reader = "lesion_reader_\(suffix)", writer = "lesion_writer_\(suffix)"
            try db.database.executeScript("CREATE ROLE \(reader) LOGIN; CREATE ROLE \(writer) LOGIN")
            defer {
                try? db.database.executeScript("DROP OWNED BY \(reader); DROP OWNED BY \(writer); DROP ROLE \(reader); DROP ROLE \(writer)")
            }
            let grant = try LesionProcess.run(["db", "grant", "--reader", reader, "--writer", writer, "--db", db.location])
            XCTAssertEqual(grant.status, 0, grant.stderr)
            XCTAssertEqual(grant.stdout, "granted read access to \(reader)\ngranted read and write access to \(writer)\n")
            let asReader = db.location + " user=\(reader)"
            let asWriter = db.location + " user=\(writer)"
            let before = try RowCounts.of(db.database)

            let query = try LesionProcess.run(["query", "compare", "--db", asReader, "--format", "json"])
            XCTAssertEqual(query.status, 0, query.stderr)
            XCTAssertEqual(try LesionProcess.run(["export", "--db", asReader]).status, 0)
            XCTAssertEqual(try LesionProcess.run(["sql", "--db", asReader, "SELECT COUNT(*) FROM models"]).stdout, "count\n1\n")
            let ingest = try LesionProcess.run(["ingest", "--db", asReader, other])
            XCTAssertEqual(ingest.status, 1)
            XCTAssertTrue(ingest.stderr.contains("permission denied"), ingest.stderr)
            XCTAssertTrue(ingest.stderr.contains("lesion db grant --writer"), ingest.stderr)
            let remove = try LesionProcess.run(["rm", "--yes", "--db", asReader, "exp/r"])
            XCTAssertEqual(remove.status, 1)
            XCTAssertTrue(remove.stderr.contains("permission denied"), remove.stderr)
            XCTAssertEqual(try RowCounts.of(db.database), before)

            let written = try LesionProcess.run(["ingest", "--db", asWriter, other])
            XCTAssertEqual(written.status, 0, written.stderr)
            XCTAssertEqual(try LesionProcess.run(["rm", "--yes", "--db", asWriter, "exp/r"]).status, 0)
        }
    }

    /// After an upgrade of lesion brings a migration, a writer who may not change
    /// tables is told to ask the owner; once the owner's lesion has migrated, the
    /// writer ingests and removes (through the v2 triggers) as before.
    func testWriterOnAnOlderSchemaIsToldWhoCanMigrate() throws {
        guard TestBackend.available.contains(.postgresql) else { return }
        let path = try SampleDocuments.write(SampleDocuments.document(model: "r"), to: "r.json", in: folder)
        let other = try SampleDocuments.write(SampleDocuments.document(model: "s"), to: "s.json", in: folder)
        try TestBackend.postgresql.withFreshDatabase(migrate: false) { db in
            try Migrator(db.database).migrate(through: 1)
            try db.withRowWriterRole { asWriter in
                let refused = try LesionProcess.run(["ingest", "--db", asWriter, path])
                XCTAssertEqual(refused.status, 1, refused.stderr)
                XCTAssertTrue(refused.stderr.contains("is at schema version 1 and this lesion needs version 5"), refused.stderr)
                XCTAssertTrue(refused.stderr.contains("ask the database's owner to run `lesion migrate`"), refused.stderr)
                XCTAssertEqual(try db.database.fetchOne("SELECT COUNT(*) FROM models") { $0.int(0) }, 0)

                let migrated = try LesionProcess.run(["migrate", "--db", db.location])
                XCTAssertEqual(migrated.status, 0, migrated.stderr)
                XCTAssertEqual(try LesionProcess.run(["ingest", "--db", asWriter, path]).status, 0)
                XCTAssertEqual(try LesionProcess.run(["ingest", "--db", asWriter, other]).status, 0)
                let removed = try LesionProcess.run(["rm", "--yes", "--db", asWriter, "exp/r"])
                XCTAssertEqual(removed.status, 0, removed.stderr)
                XCTAssertEqual(try db.database.fetchOne("SELECT COUNT(*) FROM models") { $0.int(0) }, 1)
                // The removed model's unit values went with it (the v2 cascade, run as the writer).
                let stored = try db.database.fetchOne("SELECT COUNT(*) FROM unit_values") { $0.int(0) ?? 0 } ?? 0
                XCTAssertGreaterThan(stored, 0)
                XCTAssertEqual(try db.database.fetchOne("""
                    SELECT COUNT(*) FROM unit_values v JOIN unit_metrics um ON um.id = v.unit_metric_id
                    """) { $0.int(0) }, stored)
            }
        }
    }
}
