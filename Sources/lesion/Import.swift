import ArgumentParser
import Foundation
import LesionCore
import LesionImport
import LesionRunFormat

extension Lesion {
    /// `lesion import FORMAT`: other tools' per-unit results as unit metrics.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store other tools' per-unit results (Network Dissection, SAELens, Neuronpedia, tables, NumPy arrays) as unit metrics of a checkpoint.",
            discussion: """
                Each importer builds a run document and stores it as `lesion ingest` would: \
                into a stored model (--into EXPERIMENT/MODEL --step N; a stored step is \
                annotated), or a new one with --create --create-layers NAME:UNITS. A refused \
                file names its line or record and stores nothing; importing twice changes nothing.

                Examples:
                  # the files are the real tool outputs that lesion's tests use
                  lesion import netdissect tally.csv --into places365/alexnet --step 0 --layer features \
                    --create --create-layers features:256
                  lesion import table neurons.csv --into gpt2-xl/openai --step 0 --layer-column layer \
                    --unit-column neuron --layer-name 'h{}.mlp' --column score=explanation_score
                  lesion import saelens sparsity.safetensors --into mamba-130m/sae --step 0   # cfg.json beside it
                  lesion import npy effects.npy --metric patching_effect --layer blocks.3.attn --into m/x --step 0 --emit

                Exit codes: 0 stored or unchanged; 1 the file was refused; 2 usage error.
                """,
            subcommands: [NetDissect.self, Table.self, Neuronpedia.self, SAELens.self, Npy.self])
    }
}

/// The options every importer shares: target, layer mapping, what to do with the document.
struct ImportOptions: ParsableArguments {
    @OptionGroup(title: "Database") var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("The model: EXPERIMENT/MODEL.", valueName: "experiment/model"))
    var into: String

    @Option(name: .long, help: "The checkpoint's step: a stored step is annotated, a new one added.")
    var step: Int

    @Flag(name: .long, help: "Create the model if it is not stored, with --create-layers (and --classes, --attribute).")
    var create = false

    @Option(name: .customLong("create-layers"), help: ArgumentHelp("The new model's layers in depth order.", valueName: "name:units,…"))
    var createLayers: String?

    @Option(name: .long, help: "The new model's number of classes (leave out for a model without classes).")
    var classes: Int?

    @Option(name: .long, help: ArgumentHelp("An attribute of the new model, typed as --where values (repeatable).", valueName: "name=value"))
    var attribute: [String] = []

    @Option(name: .long, help: "The model's layer the file is about (overrides the file's own layer names).")
    var layer: String?

    @Option(name: .customLong("layer-name"), help: ArgumentHelp("Maps the file's layer values to layer names: {} is replaced by the value.", valueName: "template"))
    var layerName: String?

    @Flag(name: .long, help: "Print the run document (JSONL) instead of storing it.")
    var emit = false

    @Flag(name: .long, help: "Check the document against the format and the database, and store nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Replace the stored checkpoint whole instead of refusing items that differ.")
    var replace = false

    /// Builds the request, runs it and reports as ingest does.
    func run(_ format: ImportRequest.Format, file: String) throws {
        var creation: ImportRequest.Creation?
        if create {
            guard let createLayers else {
                throw UsageError("--create needs --create-layers NAME:UNITS[,NAME:UNITS…], e.g. --create-layers features:256")
            }
            let layers: [Layer]
            do { layers = try ImportTarget.layers(parsing: createLayers) } catch { throw UsageError(error.description) }
            if let classes, classes < 2 { throw UsageError("--classes \(classes): a model has at least 2 classes (leave it out for none)") }
            creation = ImportRequest.Creation(
                layers: layers, classes: classes, attributes: try attribute.map(ImportRequest.attribute(parsing:)))
        } else if createLayers != nil || classes != nil || !attribute.isEmpty {
            throw UsageError("--create-layers, --classes and --attribute describe a new model: add --create")
        }
        let request = ImportRequest(
            format: format, file: file, into: into, step: step, creation: creation,
            mapping: LayerMapping(layer: layer, template: layerName))
        do {
            if emit {
                let runner = ImportRunner(database: creation == nil ? try database.open() : nil)
                let document = try runner.document(request)
                Terminal.write(String(decoding: document.json, as: UTF8.self) + "\n")
                return
            }
            let reporter = TerminalIngestReporter(verbose: false)
            let summary = try ImportRunner(database: try database.open())
                .store(request, options: .init(replace: replace, dryRun: dryRun), reporter: reporter)
            Terminal.write(IngestSummaryText.line(summary, dryRun: dryRun) + "\n")
            if summary.refused > 0 { throw CommandFailure(message: "", code: 1) }
        } catch let refusal as ImportRefusal {
            throw CommandFailure(message: "\(refusal)")
        } catch let usage as ImportUsageError {
            throw UsageError(usage.description)
        }
    }
}

extension Lesion.Import {
    /// `lesion import netdissect`.
    struct NetDissect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "netdissect",
            abstract: "Network Dissection's per-layer result CSV (NetDissect-Lite tally.csv, or the original's <layer>-result.csv).",
            discussion: """
                Stores concept and concept_category (text), concept_iou, and for each concept \
                category C concept_C (text) and concept_iou_C. Columns are read by name; the \
                file's unit is 1-based (lesion's unit = unit − 1). One file is one layer: --layer.

                Examples:
                  # the AlexNet tally of NetDissect-Lite, as a new model; then into a stored step
                  lesion import netdissect netdissect-lite_alexnet-features_tally.csv \\
                    --into netdissect/alexnet-places365 --step 0 --layer features \\
                    --create --create-layers features:256
                  lesion import netdissect conv5-result.csv --into digits/mlp-seed2 --step 3000 --layer conv5
                """)

        @OptionGroup var common: ImportOptions
        @Argument(help: "The result CSV.") var file: String

        func run() throws { try common.run(.netdissect, file: file) }
    }

    /// `lesion import table`.
    struct Table: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "table",
            abstract: "Any CSV/TSV with one row per unit (explanations and scores, a pandas to_csv, …).",
            discussion: """
                A column whose every non-empty cell is a number (JSON syntax, NaN, inf, -inf) is \
                a number metric, any other a text metric; empty cells are null. The delimiter is \
                a tab for *.tsv, else a comma.

                Examples:
                  # OpenAI's explanations of 960 GPT-2 XL neurons; layer 0 → h0.mlp
                  lesion import table gpt2-xl_openai-explanations_960-neurons_ev-correlation.csv \\
                    --into gpt2-xl/openai --step 0 --layer-column layer --unit-column neuron \\
                    --layer-name 'h{}.mlp' --column score=explanation_score --column explanation=explanation \
                    --create --create-layers "$(seq -f 'h%g.mlp:6400' -s, 0 47)"
                  lesion import table scores.tsv --into exp/model --step 100 --layer fc1 --unit-column unit --unit-base 1
                """)

        @OptionGroup var common: ImportOptions

        @Option(name: .customLong("unit-column"), help: "The column holding the unit number.")
        var unitColumn: String

        @Option(name: .customLong("unit-base"), help: "The file's first unit number: 0 (default) or 1.")
        var unitBase = 0

        @Option(name: .customLong("layer-column"), help: "The column holding the layer (mapped with --layer-name).")
        var layerColumn: String?

        @Option(name: .customLong("column"), help: ArgumentHelp("Import FILECOLUMN as METRIC (repeatable); without it every other column under its own name.", valueName: "filecolumn=metric"))
        var columns: [String] = []

        @Argument(help: "The CSV or TSV file.") var file: String

        func validate() throws {
            guard unitBase == 0 || unitBase == 1 else { throw ValidationError("--unit-base is 0 or 1") }
        }

        func run() throws {
            let pairs: [(file: String, metric: String)]
            do { pairs = try columns.map(TableImporter.Options.column(parsing:)) } catch { throw UsageError(error.description) }
            let options = TableImporter.Options(
                unitColumn: unitColumn, unitBase: unitBase, layerColumn: layerColumn, columns: pairs,
                delimiter: file.lowercased().hasSuffix(".tsv") ? 9 : UInt8(ascii: ","))
            try common.run(.table(options), file: file)
        }
    }

    /// `lesion import neuronpedia`.
    struct Neuronpedia: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "neuronpedia",
            abstract: "A Neuronpedia dataset export: explanations/ or features/ batch-N.jsonl(.gz).",
            discussion: """
                Explanations give explanation and explanation_model (text; of several per \
                feature the latest createdAt is kept); features give activation_frequency and \
                max_activation. The feature number is index; the layer is the source id.

                Examples:
                  # 197 explanations of Gemma Scope 2 features, layer 24
                  lesion import neuronpedia neuronpedia_gemma-3-12b-it_24-gemmascope-2-res-262k_explanations_batch-0.jsonl \\
                    --into gemma-3-12b-it/gemmascope-2-res-262k --step 0 --model-id gemma-3-12b-it \\
                    --create --create-layers 24-gemmascope-2-res-262k:262144
                """)

        @OptionGroup var common: ImportOptions

        @Option(name: .customLong("model-id"), help: "Refuse lines whose modelId is another model.")
        var modelId: String?

        @Argument(help: "The export file.") var file: String

        func run() throws { try common.run(.neuronpedia(modelId: modelId), file: file) }
    }

    /// `lesion import saelens`.
    struct SAELens: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "saelens",
            abstract: "SAELens sparsity.safetensors (with cfg.json), or an SAEBench core eval_results.json.",
            discussion: """
                sparsity.safetensors → log10_activation_frequency; the config's d_sae must equal \
                the layer's units and its hook name is the default layer. SAEBench: each field of \
                eval_result_details becomes a number metric; consistent_activation_heuristic −1 \
                (a feature that never fires) is stored as null; name the layer with --layer.

                Examples:
                  # an SAE on mamba-130m, whose config is not beside the file, so --cfg; then SAEBench
                  lesion import saelens saelens_mamba-130m_blocks.12.hook_resid_post_sparsity.safetensors \\
                    --cfg saelens_mamba-130m_blocks.12.hook_resid_post_cfg.json \\
                    --into mamba-130m/sae-blocks.12 --step 0 --create --create-layers blocks.12.hook_resid_post:12288
                  lesion import saelens saebench-core_pythia70m_sweep_gated_blocks.3_trainer_5_eval_results.json \\
                    --layer blocks.3.hook_resid_post --into pythia-70m/gated-sae-5 --step 0 \\
                    --create --create-layers blocks.3.hook_resid_post:4096
                """)

        @OptionGroup var common: ImportOptions

        @Option(name: .long, help: "The SAE's cfg.json, when it is not beside the file.")
        var cfg: String?

        @Argument(help: "sparsity.safetensors or eval_results.json.") var file: String

        func run() throws { try common.run(.saelens(cfg: cfg), file: file) }
    }

    /// `lesion import npy`.
    struct Npy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "npy",
            abstract: "A NumPy array saved with np.save: [units], [units, classes], or [layers, units] with --split-layers.",
            discussion: """
                float16/32/64, integer and bool dtypes, C or Fortran order, either byte order. \
                Pickled (object) arrays are refused: lesion never unpickles.

                Examples:
                  # a TransformerLens patching result [2, 24, 16]: index 0, one layer per row
                  lesion import npy pythia-1.4b_ccs_act_patching_z_1001.npy --metric patching_effect \\
                    --take 0 --split-layers "$(seq -s, 0 23)" --layer-name 'blocks.{}.attn' \\
                    --into pythia-1.4b/ccs-patching --step 1001 \\
                    --create --create-layers "$(seq -f 'blocks.%g.attn:16' -s, 0 23)"
                  lesion import npy class_means.npy --metric class_means --layer fc1 --into exp/model --step 100
                """)

        @OptionGroup var common: ImportOptions

        @Option(name: .long, help: "The metric's name.")
        var metric: String

        @Option(name: .customLong("split-layers"), help: ArgumentHelp("The layers of a [layers, units] array, in order.", valueName: "a,b,…"))
        var splitLayers: String?

        @Option(name: .long, help: "Take this index of the first axis first.")
        var take: Int?

        @Argument(help: "The .npy file.") var file: String

        func validate() throws {
            if splitLayers != nil, common.layer != nil {
                throw ValidationError("give either --layer or --split-layers")
            }
        }

        func run() throws {
            let layers = splitLayers.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
            try common.run(.npy(NpyImporter.Options(metric: metric, splitLayers: layers, take: take)), file: file)
        }
    }
}
