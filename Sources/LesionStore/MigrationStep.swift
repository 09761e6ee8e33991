/// A part of a migration that SQL cannot do exactly, run by the migrator in Swift
/// inside the migration's transaction. A migration file names it on a line of its
/// own, `-- lesion:step <name>`; the SQL before that line runs first, then the
/// step, then the SQL after it.
///
/// SQLite's v5 needs one: packing unit_class_values into unit_class_vectors means
/// turning doubles into bytes, and SQLite's SQL can only print a double with 15
/// digits (PostgreSQL's twin does it in SQL, with float8send).
public enum MigrationStep: String, Sendable, CaseIterable {
    /// unit_class_values (one row per unit and class) → unit_class_vectors (one
    /// row per unit, ``PackedDoubles``).
    case packUnitClassValues = "pack_unit_class_values"

    /// What to do about a unit whose classes have a gap (PostgreSQL's migration says the same).
    static let gapHint = "store the missing value (NULL for undefined) or delete the unit's rows, then run `lesion migrate` again"

    /// The line that names a step in a migration file.
    static let marker = "-- lesion:step "

    /// Runs the step on `database`, inside the migration's transaction.
    func run(on database: any Database) throws {
        switch self {
        case .packUnitClassValues:
            try packUnitClassValues(database)
        }
    }

    /// Streams the old rows in key order and writes one vector per unit as its
    /// last class goes by; a unit whose classes have a gap is refused, never packed
    /// shifted.
    private func packUnitClassValues(_ database: any Database) throws {
        try database.bulkLoad(table: "unit_class_vectors", columns: ["unit_metric_id", "unit", "model_id", "vector"]) { writer in
            var key: (metric: Int64, unit: Int64, model: Int64)?
            var values: [Double] = []
            func flush() throws {
                guard let key else { return }
                try writer.add(key.metric)
                try writer.add(key.unit)
                try writer.add(key.model)
                try writer.add(PackedDoubles.encode(values))
                try writer.endRow()
            }
            try database.forEachRow("""
                SELECT unit_metric_id, unit, model_id, class, value FROM unit_class_values \
                ORDER BY unit_metric_id, unit, model_id, class
                """) { row in
                let next = (metric: try row.decode(Int64.self, at: 0), unit: try row.decode(Int64.self, at: 1),
                            model: try row.decode(Int64.self, at: 2))
                let k = try row.decode(Int.self, at: 3)
                if key.map({ $0 != next }) ?? true {
                    try flush()
                    key = next
                    values.removeAll(keepingCapacity: true)
                }
                guard values.count == k else {
                    throw DatabaseError(
                        code: .misuse,
                        message: "unit_class_values has no class \(values.count) for unit \(next.unit) of unit metric "
                            + "\(next.metric); the unit cannot be packed into a vector",
                        hint: MigrationStep.gapHint)
                }
                values.append(row.number(4))
            }
            try flush()
        }
    }
}
