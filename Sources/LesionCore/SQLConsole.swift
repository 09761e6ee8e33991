import LesionStore

/// Runs the read-only SQL of `lesion sql`: the database itself refuses any write.
public struct SQLConsole {
    let database: any Database

    /// A console over `database`.
    public init(database: any Database) {
        self.database = database
    }

    /// Reads a `--param` value: an integer, a number, or text.
    public static func parameter(_ text: String) -> DatabaseValue {
        if let integer = Int64(text) { return .integer(integer) }
        if let number = Double(text), number.isFinite { return .real(number) }
        return .text(text)
    }

    /// Runs `text` with `parameters` bound to its placeholders and returns every row.
    public func run(_ text: String, parameters: [DatabaseValue]) throws -> ResultTable {
        try database.readOnlyTransaction { try read(text, parameters: parameters, rowLimit: nil).table }
    }

    /// Runs `text` as ``run(_:parameters:)`` does, keeping at most `rowLimit` rows and
    /// cutting the statement off after `milliseconds` (the web console's bounds);
    /// `truncated` tells whether rows were left out.
    public func run(
        _ text: String, parameters: [DatabaseValue], rowLimit: Int, milliseconds: Int
    ) throws -> (table: ResultTable, truncated: Bool) {
        try database.readOnlyTransaction {
            try database.withTimeLimit(milliseconds: milliseconds) {
                try read(text, parameters: parameters, rowLimit: rowLimit)
            }
        }
    }

    private func read(_ text: String, parameters: [DatabaseValue], rowLimit: Int?) throws -> (table: ResultTable, truncated: Bool) {
        let sql = SQL(userText: text, arguments: parameters)
        var table = ResultTable(columns: try database.columnNames(sql))
        do {
            try database.forEachRow(sql) { row in
                // Stop reading at once rather than step through rows nobody sees.
                if let rowLimit, table.rows.count >= rowLimit { throw RowLimitReached() }
                table.rows.append((0..<row.columnCount).map(row.value))
            }
        } catch is RowLimitReached {
            return (table, true)
        }
        return (table, false)
    }

    private struct RowLimitReached: Error {}
}
