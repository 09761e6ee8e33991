import Foundation
import LesionTestSupport
import XCTest

/// `lesion export -o`.
final class ExportEndToEndTests: XCTestCase {
    func testExportToFolderWritesOneFilePerModel() throws {
        let folder = try SampleDocuments.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = SampleDocuments.document(model: "a/b") + "\n" + SampleDocuments.document(model: "c") + "\n"
        let path = try SampleDocuments.write(text, to: "in.jsonl", in: folder)
        try TestBackend.forEach { db in
            XCTAssertEqual(try LesionProcess.run(["ingest", "--db", db.location, path]).status, 0)
            let out = folder.appendingPathComponent("out-\(db.backend)")
            let exported = try LesionProcess.run(["export", "--db", db.location, "--model", "c", "-o", out.path])
            XCTAssertEqual(exported.status, 0, exported.stderr)
            let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
            XCTAssertEqual(files, ["exp__c.json"])
            let all = try LesionProcess.run(["export", "--db", db.location, "-o", out.path])
            XCTAssertEqual(all.status, 0)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), ["exp__a_b.json", "exp__c.json"])
        }
    }
}
