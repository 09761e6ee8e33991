import CLibPQ

/// A named prepared statement on one PostgreSQL connection. The server frees it
/// when the connection closes; prepared statements survive a rollback, so the
/// cache stays valid across transactions.
struct PostgresStatement {
    /// What a statement is prepared for: its text and its argument types (the same
    /// text bound once with an integer and once with NULL is prepared twice).
    struct Key: Hashable {
        let sql: String
        let types: [Oid]
    }

    /// The server-side name, `stmt_N`.
    let name: String
    let key: Key
}

/// The type OIDs lesion binds and reads (from `pg_type`).
enum PostgresType {
    static let unknown: Oid = 0
    static let bool: Oid = 16
    static let bytea: Oid = 17
    static let int8: Oid = 20
    static let int2: Oid = 21
    static let int4: Oid = 23
    static let text: Oid = 25
    static let oid: Oid = 26
    static let float4: Oid = 700
    static let float8: Oid = 701
    static let numeric: Oid = 1700
}
