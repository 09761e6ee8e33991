/// One versioned step of the schema, as written in `Schema/<dialect>/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    /// The number that orders migrations; recorded in the database when applied.
    public let version: Int
    /// The file name without `.sql`, e.g. `0001_initial`.
    public let name: String
    /// The statements to run.
    public let sql: String

    /// The migrations built into this binary for `dialect`, in order.
    public static func all(for dialect: SQLDialect) -> [Migration] {
        switch dialect {
        case .sqlite: return embedded_sqlite
        case .postgresql: return embedded_postgresql
        }
    }
}
