/// The SQL dialects lesion speaks: they differ in placeholders and a few types.
public enum SQLDialect: String, Sendable {
    case sqlite
    case postgresql

    /// The placeholder for the 1-based argument `index`.
    public func placeholder(_ index: Int) -> String {
        switch self {
        case .sqlite: return "?\(index)"
        case .postgresql: return "$\(index)"
        }
    }

    /// The folder of `Schema/` holding this dialect's migrations.
    public var schemaFolder: String { rawValue }
}
