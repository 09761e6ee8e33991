import LesionStore

/// The database refused a write because this user may only read it.
public struct PermissionError: Error, Sendable, CustomStringConvertible {
    /// What the database said.
    public var underlying: DatabaseError

    /// Wraps the database's refusal.
    public init(_ underlying: DatabaseError) {
        self.underlying = underlying
    }

    public var description: String {
        "permission denied: \(underlying.message). You may only read this database: on PostgreSQL its owner "
            + "can allow writing with `lesion db grant --writer ROLE`; for SQLite check the file's permissions"
    }

    /// Runs `body`, turning a permission or read-only refusal into this error.
    static func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.isReadOnlyOrPermissionDenied {
            throw PermissionError(error)
        }
    }
}
