/// A statement whose values are always bound, never spliced into the text.
///
/// Build one with string interpolation: every interpolated value becomes an argument
/// and the dialect renders its placeholder (`?1` for SQLite, `$1` for PostgreSQL).
/// Text that must be spliced (a table name chosen by code, never by input) needs the
/// loud `\(unsafeRaw:)` label.
///
///     let sql: SQL = "SELECT id FROM models WHERE name = \(name)"
public struct SQL: Sendable, ExpressibleByStringInterpolation {
    enum Segment: Sendable {
        case raw(String)
        case argument(DatabaseValue)
        /// Text written in code that differs by dialect (no arguments).
        case perDialect(sqlite: String, postgresql: String)
    }

    var segments: [Segment]
    /// Arguments for placeholders the text already holds (user-written SQL).
    var writtenArguments: [DatabaseValue] = []

    /// User-written SQL with its own placeholders (`?1`/`$1`) and their arguments,
    /// as `lesion sql --param` takes them. The text is run as written.
    public init(userText: String, arguments: [DatabaseValue]) {
        segments = [.raw(userText)]
        writtenArguments = arguments
    }

    /// A statement made of raw text only.
    public init(stringLiteral value: String) {
        segments = [.raw(value)]
    }

    public init(stringInterpolation: StringInterpolation) {
        segments = stringInterpolation.segments
    }

    /// Collects literal text and bound values.
    public struct StringInterpolation: StringInterpolationProtocol {
        var segments: [Segment] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            segments.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            segments.append(.raw(literal))
        }

        /// A bound value.
        public mutating func appendInterpolation(_ value: some DatabaseValueConvertible) {
            segments.append(.argument(value.databaseValue))
        }

        /// A bound value that may be missing: `nil` binds SQL NULL.
        public mutating func appendInterpolation<Value: DatabaseValueConvertible>(_ value: Value?) {
            segments.append(.argument(value?.databaseValue ?? .null))
        }

        /// Text spliced verbatim: only for identifiers and fragments written in code.
        public mutating func appendInterpolation(unsafeRaw text: String) {
            segments.append(.raw(text))
        }

        /// Another statement, its arguments kept bound.
        public mutating func appendInterpolation(_ sql: SQL) {
            segments.append(contentsOf: sql.segments)
        }
    }

    /// Appends another statement.
    /// `name` as a quoted SQL identifier (a table, trigger or role name read from
    /// the catalog or given by the owner): in double quotes, inner quotes doubled.
    /// Both dialects read it the same way.
    public static func quotedIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text written in code, one spelling for each dialect: where the planners need
    /// different shapes of the same question.
    public static func dialects(sqlite: String, postgresql: String) -> SQL {
        var sql = SQL(stringLiteral: "")
        sql.segments = [.perDialect(sqlite: sqlite, postgresql: postgresql)]
        return sql
    }

    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        var result = lhs
        result.segments.append(contentsOf: rhs.segments)
        return result
    }

    /// Joins statements with a separator written in code (", ", " AND ").
    public static func joined(_ parts: [SQL], separator: String) -> SQL {
        var result = SQL(stringLiteral: "")
        for (index, part) in parts.enumerated() {
            if index > 0 { result.segments.append(.raw(separator)) }
            result.segments.append(contentsOf: part.segments)
        }
        return result
    }

    /// The statement text for `dialect`, with its arguments in placeholder order.
    public func rendered(for dialect: SQLDialect) -> (text: String, arguments: [DatabaseValue]) {
        var text = ""
        var arguments: [DatabaseValue] = writtenArguments
        for segment in segments {
            switch segment {
            case .raw(let raw):
                text += raw
            case .argument(let value):
                arguments.append(value)
                text += dialect.placeholder(arguments.count)
            case .perDialect(let sqlite, let postgresql):
                text += dialect == .sqlite ? sqlite : postgresql
            }
        }
        return (text, arguments)
    }
}
