import Foundation
import LesionStore
import XCTest

/// The schema compiled into the binary is the one in `Schema/` (run
/// `Schema/embed.sh` after changing a file there).
final class EmbeddedSchemaTests: XCTestCase {
    /// The package root, found from this file's path: Tests/LesionStoreTests/….
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEmbeddedMigrationsEqualTheFiles() throws {
        for dialect in [SQLDialect.sqlite, .postgresql] {
            let folder = Self.packageRoot.appendingPathComponent("Schema").appendingPathComponent(dialect.schemaFolder)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.range(of: #"^[0-9]{4}_.*\.sql$"#, options: .regularExpression) != nil }
                .sorted()
            XCTAssertFalse(files.isEmpty, "no migrations in \(folder.path)")
            let embedded = Migration.all(for: dialect)
            XCTAssertEqual(embedded.map(\.name), files.map { String($0.dropLast(4)) }, "\(dialect): run Schema/embed.sh")
            for (migration, file) in zip(embedded, files) {
                var text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                if text.hasSuffix("\n") { text.removeLast() }  // the literal drops the last newline
                XCTAssertEqual(migration.version, Int(file.prefix(4)), "\(dialect) \(file)")
                XCTAssertTrue(migration.sql == text, "\(dialect) \(file) differs from the embedded text: run Schema/embed.sh")
            }
        }
    }

    func testBothDialectsHaveTheSameMigrations() {
        XCTAssertEqual(Migration.all(for: .sqlite).map(\.name), Migration.all(for: .postgresql).map(\.name))
    }
}
