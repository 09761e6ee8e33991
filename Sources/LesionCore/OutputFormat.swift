/// How a command prints its results.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// Aligned columns for reading, numbers rounded (the default on a terminal).
    case table
    /// RFC 4180 CSV with a header row, numbers at full precision.
    case csv
    /// JSON, numbers at full precision.
    case json
    /// A GitHub-flavoured Markdown table.
    case markdown
}
