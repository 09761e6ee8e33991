import LesionStore
import LesionTestSupport
import XCTest

/// Per-class vectors are stored packed (schema v5); the `unit_class_values` view
/// unpacks them in SQL by arithmetic. Both must give back every double bit for bit:
/// signs, zeros of both signs, subnormals, the extremes, and NaN as NULL.
final class PackedDoublesTests: XCTestCase {
    static let awkward: [Double] = [
        0.1, -1.5, 0.0, -0.0, 5e-324, -2.2250738585072014e-308, 2.2250738585072009e-308,
        1.7976931348623157e308, -4.9406564584124654e-320, 0.448071906136141895338, .nan, 1, 123456789.125,
    ]

    func testEncodingIsBigEndianBinary64AndDecodesToTheSameBits() throws {
        XCTAssertEqual(PackedDoubles.encode([1.0]), [0x3f, 0xf0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(PackedDoubles.encode([-2.0, .nan]), [0xc0, 0, 0, 0, 0, 0, 0, 0, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0])
        let decoded = try XCTUnwrap(PackedDoubles.decode(PackedDoubles.encode(Self.awkward)))
        XCTAssertEqual(decoded.map(\.bitPattern), Self.awkward.map(\.bitPattern))
        XCTAssertNil(PackedDoubles.decode([1, 2, 3]))
    }

    func testTheUnitClassValuesViewUnpacksEveryValueExactly() throws {
        try TestBackend.forEach { db in
            let database = db.database
            let ids = try ReferenceTests.storeModel(database, checkpoints: 1)[0]
            try database.execute("""
                INSERT INTO unit_class_vectors (unit_metric_id, unit, vector, model_id) \
                VALUES (\(ids.unitMetric), \(7), \(DatabaseValue.blob(PackedDoubles.encode(Self.awkward))), \(ids.model))
                """)
            // The view names at most `models.classes` classes.
            try database.execute("UPDATE models SET classes = \(Self.awkward.count) WHERE id = \(ids.model)")
            let rows = try database.fetchAll("""
                SELECT class, value FROM unit_class_values WHERE unit_metric_id = \(ids.unitMetric) AND unit = \(7) ORDER BY class
                """) { (class: try $0.decode(Int.self, at: 0), value: $0.double(1)) }
            XCTAssertEqual(rows.map(\.class), Array(0..<Self.awkward.count), "\(db)")
            for (row, expected) in zip(rows, Self.awkward) {
                if expected.isNaN {
                    XCTAssertNil(row.value, "\(db) class \(row.class)")
                } else {
                    XCTAssertEqual(row.value?.bitPattern, expected.bitPattern, "\(db) class \(row.class): \(String(describing: row.value)) for \(expected)")
                }
            }
        }
    }
}
