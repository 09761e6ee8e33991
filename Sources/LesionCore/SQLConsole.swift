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
        try database.readOnlyTransaction {
            let sql = SQL(userText: text, arguments: parameters)
            var table = ResultTable(columns: try database.columnNames(sql))
            try database.forEachRow(sql) { row in
                table.rows.append((0..<row.columnCount).map(row.value))
            }
            return table
        }
    }
}
