import LesionStore
import LesionTestSupport
import XCTest

/// The SQLite and PostgreSQL schemas say the same thing: the same tables and views
/// with the same columns (and types), primary and unique keys, indexes and foreign
/// keys. On PostgreSQL three references are statement-level triggers rather than
/// FOREIGN KEY clauses (Schema/postgresql/0002); they are read back from the
/// triggers' arguments, and ReferenceTests checks that they behave as foreign keys.
final class SchemaEquivalenceTests: XCTestCase {
    /// What both dialects must agree on, read from each database's catalog.
    struct Shape: Equatable {
        var tables: [String: [String]] = [:]  // table -> "column type [NOT NULL]"
        var views: [String: [String]] = [:]  // view -> columns
        var primaryKeys: [String: [String]] = [:]
        var uniqueKeys: [String: Set<[String]>] = [:]
        var indexes: Set<String> = []  // named indexes made with CREATE INDEX
        var foreignKeys: [String: Set<String>] = [:]
    }

    func testBothDialectsHaveTheSameShape() throws {
        guard TestBackend.available.contains(.postgresql) else {
            print("SchemaEquivalenceTests skipped: needs PostgreSQL (\(TestBackend.postgresVariable))")
            return
        }
        let sqlite = try TestBackend.sqlite.withFreshDatabase { try Self.sqliteShape($0.database) }
        let postgres = try TestBackend.postgresql.withFreshDatabase { try Self.postgresShape($0.database) }
        XCTAssertFalse(sqlite.tables.isEmpty)
        XCTAssertEqual(Set(sqlite.tables.keys), Set(postgres.tables.keys))
        for table in sqlite.tables.keys.sorted() {
            if table == "lesion_migrations" {
                // The Migrator creates the ledger with the same text on both: INTEGER
                // is 64-bit on SQLite and 32-bit on PostgreSQL, which is fine there.
                XCTAssertEqual(sqlite.tables[table]?.map { $0.split(separator: " ")[0] }, postgres.tables[table]?.map { $0.split(separator: " ")[0] })
            } else {
                XCTAssertEqual(sqlite.tables[table], postgres.tables[table], "columns of \(table)")
            }
            XCTAssertEqual(sqlite.primaryKeys[table], postgres.primaryKeys[table], "primary key of \(table)")
            XCTAssertEqual(sqlite.uniqueKeys[table] ?? [], postgres.uniqueKeys[table] ?? [], "unique keys of \(table)")
            XCTAssertEqual(sqlite.foreignKeys[table] ?? [], postgres.foreignKeys[table] ?? [], "foreign keys of \(table)")
        }
        XCTAssertEqual(sqlite.views, postgres.views)
        XCTAssertEqual(sqlite.indexes, postgres.indexes)
    }

    static func sqliteShape(_ database: any Database) throws -> Shape {
        var shape = Shape()
        let objects = try database.fetchAll(
            "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
        ) { ($0.string(0) ?? "", $0.string(1) ?? "") }
        let types = ["INTEGER": "bigint", "REAL": "double precision", "TEXT": "text", "BLOB": "bytea"]
        for (name, type) in objects {
            let columns = try database.fetchAll("SELECT name, type, \"notnull\", pk FROM pragma_table_info(\(name)) ORDER BY cid") {
                (name: $0.string(0) ?? "", type: $0.string(1) ?? "", notNull: $0.int(2) == 1, pk: $0.int(3) ?? 0)
            }
            if type == "view" {
                shape.views[name] = columns.map(\.name)
                continue
            }
            shape.tables[name] = columns.map { column in
                "\(column.name) \(types[column.type] ?? column.type)" + (column.notNull || column.pk > 0 ? " NOT NULL" : "")
            }
            shape.primaryKeys[name] = columns.filter { $0.pk > 0 }.sorted { $0.pk < $1.pk }.map(\.name)
            let uniques = try database.fetchAll("SELECT name FROM pragma_index_list(\(name)) WHERE origin = 'u'") { $0.string(0) ?? "" }
            for index in uniques {
                let columns = try database.fetchAll("SELECT name FROM pragma_index_info(\(index)) ORDER BY seqno") { $0.string(0) ?? "" }
                shape.uniqueKeys[name, default: []].insert(columns)
            }
            let references = try database.fetchAll(
                "SELECT id, \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(\(name)) ORDER BY id, seq"
            ) { (id: $0.int(0) ?? 0, from: $0.string(1) ?? "", table: $0.string(2) ?? "", to: $0.string(3) ?? "", onDelete: $0.string(4) ?? "") }
            for id in Set(references.map(\.id)) {
                let parts = references.filter { $0.id == id }
                let onDelete = parts[0].onDelete == "NO ACTION" ? "" : " ON DELETE \(parts[0].onDelete)"
                shape.foreignKeys[name, default: []].insert(
                    "FOREIGN KEY (\(parts.map(\.from).joined(separator: ", "))) REFERENCES \(parts[0].table)(\(parts.map(\.to).joined(separator: ", ")))\(onDelete)")
            }
        }
        shape.indexes = Set(try database.fetchAll("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL") { $0.string(0) ?? "" })
        return shape
    }

    static func postgresShape(_ database: any Database) throws -> Shape {
        var shape = Shape()
        let objects = try database.fetchAll(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = current_schema()"
        ) { ($0.string(0) ?? "", $0.string(1) ?? "") }
        for (name, type) in objects {
            let columns = try database.fetchAll("""
                SELECT column_name, data_type, is_nullable FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = \(name) ORDER BY ordinal_position
                """) { (name: $0.string(0) ?? "", type: $0.string(1) ?? "", nullable: $0.string(2) == "YES") }
            if type == "VIEW" {
                shape.views[name] = columns.map(\.name)
                continue
            }
            shape.tables[name] = columns.map { "\($0.name) \($0.type)" + ($0.nullable ? "" : " NOT NULL") }
            let keys = try database.fetchAll("""
                SELECT tc.constraint_type, tc.constraint_name, kcu.column_name
                FROM information_schema.table_constraints tc
                JOIN information_schema.key_column_usage kcu
                  ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name
                WHERE tc.table_schema = current_schema() AND tc.table_name = \(name)
                  AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE')
                ORDER BY tc.constraint_name, kcu.ordinal_position
                """) { (type: $0.string(0) ?? "", constraint: $0.string(1) ?? "", column: $0.string(2) ?? "") }
            for constraint in Set(keys.map(\.constraint)) {
                let parts = keys.filter { $0.constraint == constraint }
                if parts[0].type == "PRIMARY KEY" {
                    shape.primaryKeys[name] = parts.map(\.column)
                } else {
                    shape.uniqueKeys[name, default: []].insert(parts.map(\.column))
                }
            }
            if shape.primaryKeys[name] == nil { shape.primaryKeys[name] = [] }
            let references = try database.fetchAll("""
                SELECT pg_get_constraintdef(oid) FROM pg_constraint
                WHERE contype = 'f' AND conrelid = (quote_ident(current_schema()) || '.' || quote_ident(\(name)))::regclass
                """) { $0.string(0) ?? "" }
            if !references.isEmpty { shape.foreignKeys[name] = Set(references) }
        }
        for (table, reference) in try triggerReferences(database) {
            shape.foreignKeys[table, default: []].insert(reference)
        }
        shape.indexes = Set(try database.fetchAll("""
            SELECT i.indexname FROM pg_indexes i
            WHERE i.schemaname = current_schema()
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)
            """) { $0.string(0) ?? "" })
        return shape
    }

    /// The references kept by `lesion_require_parents` (insert and update of the child)
    /// and `lesion_delete_children` (delete of the parent), written as the foreign key
    /// they stand for: "FOREIGN KEY (c) REFERENCES p(id)", plus " ON DELETE CASCADE"
    /// when the parent's delete trigger names this child.
    static func triggerReferences(_ database: any Database) throws -> [(table: String, reference: String)] {
        let triggers = try database.fetchAll("""
            SELECT event_object_table, event_manipulation, action_statement FROM information_schema.triggers
            WHERE trigger_schema = current_schema()
            """) { (table: $0.string(0) ?? "", event: $0.string(1) ?? "", action: $0.string(2) ?? "") }
        func arguments(_ action: String, of function: String) -> [String]? {
            guard action.contains("FUNCTION \(function)(") else { return nil }
            return action.split(separator: "'", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }
        var references: [(table: String, reference: String)] = []
        for child in triggers {
            guard child.event == "INSERT", let args = arguments(child.action, of: "lesion_require_parents"), args.count == 2 else { continue }
            let (parent, column) = (args[0], args[1])
            let checksUpdates = triggers.contains {
                $0.table == child.table && $0.event == "UPDATE" && arguments($0.action, of: "lesion_require_parents") == args
            }
            guard checksUpdates else { continue }
            let cascades = triggers.contains {
                $0.table == parent && $0.event == "DELETE" && arguments($0.action, of: "lesion_delete_children") == [child.table, column]
            }
            references.append((child.table, "FOREIGN KEY (\(column)) REFERENCES \(parent)(id)" + (cascades ? " ON DELETE CASCADE" : "")))
        }
        return references
    }
}
