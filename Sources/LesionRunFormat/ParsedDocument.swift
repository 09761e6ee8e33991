/// What the reader gives back for one valid input: the document and what it noticed.
public struct ParsedDocument: Sendable {
    /// The validated document, with derived `class_selectivity` added.
    public var document: RunDocument
    /// Things worth telling the user that do not refuse the document, each starting
    /// with the JSON path it concerns (e.g. a given selectivity that disagrees with the
    /// class means).
    public var warnings: [String]
    /// JSON paths of the unit metrics computed on reading rather than given, e.g.
    /// `checkpoints[0].units.fc1.class_selectivity`.
    public var derived: [String]

    /// Makes a parsed document.
    public init(document: RunDocument, warnings: [String] = [], derived: [String] = []) {
        self.document = document
        self.warnings = warnings
        self.derived = derived
    }

    /// Whether the `class_selectivity` of `layer` in checkpoint number `checkpoint`
    /// (index into `document.checkpoints`) was derived from `class_means` on reading
    /// rather than given.
    public func derivedSelectivity(checkpoint: Int, layer: String) -> Bool {
        let path = PathText.member(
            PathText.member(PathText.member("checkpoints[\(checkpoint)]", "units"), layer), "class_selectivity")
        return derived.contains(path)
    }
}
