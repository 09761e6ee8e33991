import Foundation
import XCTest

/// The real tool outputs in `shared/samples/` beside the repository (see its
/// SOURCES.md), read in place by the tests: never copied into the project.
public enum SharedSamples {
    /// The repository root, from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The samples folder: `shared/samples` beside the repository (in CI and in the
    /// main checkout), or beside a folder of worktrees one level further up.
    public static let folder: URL = {
        let parent = repositoryRoot.deletingLastPathComponent()
        let candidates = [parent, parent.deletingLastPathComponent()].map { $0.appendingPathComponent("shared/samples") }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }()

    /// The path of `relative` inside the samples folder.
    public static func path(_ relative: String) -> String {
        folder.appendingPathComponent(relative).path
    }

    /// The bytes of `relative`. A missing sample skips the test on a developer's
    /// machine, and fails it in CI (where `shared/` is always beside the clone).
    public static func bytes(_ relative: String) throws -> [UInt8] {
        let path = path(relative)
        guard let data = FileManager.default.contents(atPath: path) else {
            let message = "sample \(path) is missing: the tests read shared/samples beside the repository"
            if ProcessInfo.processInfo.environment["CI"] == "true" { throw MissingSample(description: message) }
            throw XCTSkip(message)
        }
        return [UInt8](data)
    }

    /// A sample that should be there and is not.
    public struct MissingSample: Error, CustomStringConvertible {
        public var description: String
    }

    public static let alexNet = "netdissect/netdissect-lite_alexnet-features_tally.csv"
    public static let resNet = "netdissect/netdissect-lite_resnet18-places365-layer4-objectonly_tally.csv"
    public static let neuronpedia = "neuronpedia/neuronpedia_gemma-3-12b-it_24-gemmascope-2-res-262k_explanations_batch-0.jsonl"
    public static let sparsity = "saelens/saelens_mamba-130m_blocks.12.hook_resid_post_sparsity.safetensors"
    public static let saeConfig = "saelens/saelens_mamba-130m_blocks.12.hook_resid_post_cfg.json"
    public static let saeBench = "saebench/saebench-core_pythia70m_sweep_gated_blocks.3_trainer_5_eval_results.json"
    public static let openAI = "openai-explainer/gpt2-xl_openai-explanations_960-neurons_ev-correlation.csv"
    public static let patching = "transformerlens/pythia-1.4b_ccs_act_patching_z_1001.npy"
}
