/// The layers a curve perturbed.
///
/// The reader normalizes: a list naming every layer of the document becomes `.all`,
/// and any other list is kept in the document's depth order, so equal scopes compare
/// equal whatever order the document listed them in.
public enum CurveScope: Sendable, Hashable {
    /// Every layer of the model (written as the string `all`).
    case all
    /// Some layers, in depth order, spelled as in `RunDocument.layers`.
    case layers([String])
}
