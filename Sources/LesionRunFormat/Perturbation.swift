/// What a curve does to the units in its scope.
public enum Perturbation: String, Sendable, Hashable, CaseIterable {
    /// A growing fraction of units set to 0.
    case ablation
    /// Gaussian noise of growing standard deviation added to each unit.
    case noise
}
