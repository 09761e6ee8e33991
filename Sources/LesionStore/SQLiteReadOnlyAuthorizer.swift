import CSQLite

/// The authorizer SQLite consults while it prepares a statement inside a read-only
/// transaction (`lesion sql`, the queries). `sqlite3_stmt_readonly` and
/// `query_only` already refuse writes to the database, but not what they count as
/// reading: ATTACH (which creates a file), DETACH, COMMIT, SAVEPOINT, and PRAGMAs
/// such as `optimize`. This refuses those, and every PRAGMA except the reading ones
/// on the main database.
enum SQLiteReadOnlyAuthorizer {
    /// The callback for `sqlite3_set_authorizer`; a C function without context.
    static let callback:
        @convention(c) (
            UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?,
            UnsafePointer<CChar>?
        ) -> Int32 = { _, action, first, second, database, _ in
            switch action {
            case SQLITE_ATTACH, SQLITE_DETACH, SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
                return SQLITE_DENY
            case SQLITE_PRAGMA:
                // first: the pragma's name; second: its argument (nil when none);
                // database: the schema named before it (nil when none).
                guard let first else { return SQLITE_DENY }
                let schema = database.map { String(cString: $0).lowercased() }
                guard schema == nil || schema == "main" else { return SQLITE_DENY }
                return SQLiteReadOnlyAuthorizer.isReading(
                    pragma: String(cString: first).lowercased(), hasArgument: second != nil) ? SQLITE_OK : SQLITE_DENY
            case SQLITE_FUNCTION:
                // second: the function's name.
                if let second, String(cString: second).lowercased() == "load_extension" { return SQLITE_DENY }
                return SQLITE_OK
            default:
                return SQLITE_OK
            }
        }

    /// PRAGMAs that only report, whatever their argument (a table or index name).
    static let reportingPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_info", "index_xinfo", "index_list",
        "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
        "collation_list", "function_list", "module_list", "pragma_list", "database_list", "compile_options",
    ]

    /// Settings whose bare form (no argument) reads the value; with an argument they
    /// would change it.
    static let readableSettings: Set<String> = [
        "application_id", "auto_vacuum", "automatic_index", "busy_timeout", "cache_size", "cache_spill",
        "cell_size_check", "data_version", "defer_foreign_keys", "encoding", "foreign_keys", "freelist_count",
        "journal_mode", "journal_size_limit", "legacy_alter_table", "locking_mode", "max_page_count",
        "mmap_size", "page_count", "page_size", "query_only", "read_uncommitted", "recursive_triggers",
        "schema_version", "secure_delete", "synchronous", "temp_store", "trusted_schema", "user_version",
        "wal_autocheckpoint",
    ]

    /// True for a PRAGMA that only reads.
    static func isReading(pragma: String, hasArgument: Bool) -> Bool {
        reportingPragmas.contains(pragma) || (!hasArgument && readableSettings.contains(pragma))
    }
}
