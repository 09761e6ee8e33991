import Foundation
import LesionStore
import LesionTestSupport
import XCTest

/// `lesion import` through the built binary on every backend, with the real tool
/// outputs of `shared/samples/`: what is stored, provenance, idempotence, and
/// corrupted copies that must leave the database as it was.
final class ImportEndToEndTests: TemporaryFolderTestCase {
    private let sparsity = SharedSamples.path(SharedSamples.sparsity)
    private let saeConfig = SharedSamples.path(SharedSamples.saeConfig)

    /// The values of one stored unit metric, by unit (nil for NULL).
    private func stored(_ db: TestDatabase, layer: String, metric: String) throws -> [Int: Double?] {
        let rows = try db.database.fetchAll("""
            SELECT v.unit, v.value FROM unit_values v JOIN unit_metrics um ON um.id = v.unit_metric_id \
            JOIN layers l ON l.id = um.layer_id WHERE l.name = \(layer) AND um.name = \(metric)
            """) { (unit: $0.int(0) ?? -1, value: $0.isNull(1) ? nil : $0.number(1)) }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.unit, $0.value) })
    }

    /// SHA-256 of a file, by coreutils (not lesion's own hash).
    private func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(output.prefix(64))
    }

    private func saelensArguments(_ db: TestDatabase, file: String? = nil) -> [String] {
        ["import", "saelens", file ?? sparsity, "--cfg", saeConfig, "--db", db.location,
         "--into", "mamba-130m/sae-blocks.12", "--step", "0", "--create",
         "--create-layers", "blocks.12.hook_resid_post:12288", "--classes", "2", "--attribute", "d_in=768"]
    }

    func testSAELensDensitiesAreStoredBitExactOnceWithProvenance() throws {
        let bytes = try SharedSamples.bytes(SharedSamples.sparsity)
        let reference: [Float] = bytes.withUnsafeBytes { raw in (0..<12_288).map { raw.loadUnaligned(fromByteOffset: 80 + 4 * $0, as: Float.self) } }
        let hash = try sha256sum(sparsity)
        try TestBackend.forEach { db in
            let dry = try LesionProcess.run(saelensArguments(db) + ["--dry-run"])
            XCTAssertEqual(dry.status, 0, "\(db): \(dry.stderr)")
            // (The summary counts merged documents too once the run format's merge is in; these checks hold either way.)
            XCTAssertTrue(dry.stdout.hasPrefix("would store 1, ") && dry.stdout.contains("unchanged 0, refused 0 documents; 1 models, 1 checkpoints, 12288 unit values"), "\(db): \(dry.stdout)")
            XCTAssertEqual(try RowCounts.of(db.database)["models"], 0, "\(db)")

            let first = try LesionProcess.run(saelensArguments(db))
            XCTAssertEqual(first.status, 0, "\(db): \(first.stderr)")
            XCTAssertTrue(first.stdout.hasPrefix("stored 1, ") && first.stdout.contains("unchanged 0, refused 0 documents; 1 models, 1 checkpoints, 12288 unit values"), "\(db): \(first.stdout)")
            let values = try stored(db, layer: "blocks.12.hook_resid_post", metric: "log10_activation_frequency")
            XCTAssertEqual(values.count, 12_288)
            for (unit, float) in reference.enumerated() {
                XCTAssertEqual(values[unit]??.bitPattern, Double(float).bitPattern, "\(db): feature \(unit)")
            }
            let ingest = try db.database.fetchAll("SELECT source, content_hash FROM ingests") { ($0.string(0) ?? "", $0.string(1) ?? "") }
            XCTAssertEqual(ingest.map(\.0), ["import saelens: \(sparsity)"], "\(db)")
            XCTAssertEqual(ingest.map(\.1), [hash], "\(db)")
            let attribute = try db.database.fetchAll("SELECT name, kind, number_value FROM model_attributes") { "\($0.string(0) ?? "") \($0.string(1) ?? "") \($0.number(2))" }
            XCTAssertEqual(attribute, ["d_in number 768.0"], "\(db)")

            let counts = try RowCounts.of(db.database)
            let second = try LesionProcess.run(saelensArguments(db))
            XCTAssertEqual(second.status, 0, "\(db): \(second.stderr)")
            XCTAssertTrue(second.stdout.hasPrefix("stored 0, ") && second.stdout.contains("unchanged 1, refused 0 documents"), "\(db): \(second.stdout)")
            XCTAssertEqual(try RowCounts.of(db.database), counts, "\(db)")
        }
    }

    func testEmitPrintsTheDocumentThatIngestStoresTheSame() throws {
        _ = try SharedSamples.bytes(SharedSamples.sparsity)
        try TestBackend.forEach { db in
            let emitted = try LesionProcess.run(saelensArguments(db) + ["--emit"])
            XCTAssertEqual(emitted.status, 0, "\(db): \(emitted.stderr)")
            XCTAssertTrue(emitted.stdout.hasPrefix(#"{"format":"lesion.run/1","experiment":"mamba-130m","model":"sae-blocks.12","attributes":{"d_in":768},"classes":2,"layers":[{"name":"blocks.12.hook_resid_post","units":12288}],"checkpoints":[{"step":0,"units":{"blocks.12.hook_resid_post":{"log10_activation_frequency":["#), "\(db): \(emitted.stdout.prefix(300))")
            XCTAssertEqual(try RowCounts.of(db.database)["ingests"], 0, "\(db): --emit stores nothing")
            let ingested = try LesionProcess.run(["ingest", "--db", db.location, "-"], input: Data(emitted.stdout.utf8))
            XCTAssertEqual(ingested.status, 0, "\(db): \(ingested.stderr)")
            // The import of the same file is then the same checkpoint: unchanged.
            let imported = try LesionProcess.run(saelensArguments(db))
            XCTAssertTrue(imported.stdout.hasPrefix("stored 0, ") && imported.stdout.contains("unchanged 1, refused 0"), "\(db): \(imported.stdout)")
        }
    }

    func testTransformerLensArraySplitIntoLayersOfAStoredModel() throws {
        let path = SharedSamples.path(SharedSamples.patching)
        let bytes = try SharedSamples.bytes(SharedSamples.patching)
        let reference: [Float] = bytes.withUnsafeBytes { raw in (0..<768).map { raw.loadUnaligned(fromByteOffset: 128 + 4 * $0, as: Float.self) } }
        let layers = (0..<24).map { "blocks.\($0).attn" }
        try TestBackend.forEach { db in
            let create = try LesionProcess.run([
                "import", "npy", path, "--db", db.location, "--metric", "patching_effect", "--take", "1",
                "--split-layers", (0..<24).map(String.init).joined(separator: ","), "--layer-name", "blocks.{}.attn",
                "--into", "pythia-1.4b/ccs", "--step", "1001", "--create", "--classes", "2",
                "--create-layers", layers.map { "\($0):16" }.joined(separator: ","),
            ])
            XCTAssertEqual(create.status, 0, "\(db): \(create.stderr)")
            // Into the stored model now (its header read from the database), another step.
            let into = try LesionProcess.run([
                "import", "npy", path, "--db", db.location, "--metric", "patching_effect", "--take", "0",
                "--split-layers", layers.joined(separator: ","), "--into", "pythia-1.4b/ccs", "--step", "1000",
            ])
            XCTAssertEqual(into.status, 0, "\(db): \(into.stderr)")
            for (take, step) in [(1, 1001), (0, 1000)] {
                for (index, layer) in layers.enumerated() {
                    let rows = try db.database.fetchAll("""
                        SELECT v.unit, v.value FROM unit_values v JOIN unit_metrics um ON um.id = v.unit_metric_id \
                        JOIN layers l ON l.id = um.layer_id JOIN checkpoints c ON c.id = um.checkpoint_id \
                        WHERE l.name = \(layer) AND c.step = \(step) ORDER BY v.unit
                        """) { $0.number(1) }
                    XCTAssertEqual(rows, (0..<16).map { Double(reference[take * 384 + index * 16 + $0]) }, "\(db): step \(step) \(layer)")
                }
            }
        }
    }

    func testOpenAIScoresOf960NeuronsByLayerColumn() throws {
        let path = SharedSamples.path(SharedSamples.openAI)
        _ = try SharedSamples.bytes(SharedSamples.openAI)
        try TestBackend.forEach { db in
            let outcome = try LesionProcess.run([
                "import", "table", path, "--db", db.location, "--layer-column", "layer", "--unit-column", "neuron",
                "--layer-name", "h{}.mlp", "--column", "score=explanation_score", "--into", "gpt2-xl/openai", "--step", "0",
                "--create", "--classes", "2", "--create-layers", (0..<48).map { "h\($0).mlp:6400" }.joined(separator: ","),
            ])
            XCTAssertEqual(outcome.status, 0, "\(db): \(outcome.stderr)")
            let scores = try db.database.fetchAll("""
                SELECT l.name, v.unit, v.value FROM unit_values v JOIN unit_metrics um ON um.id = v.unit_metric_id \
                JOIN layers l ON l.id = um.layer_id WHERE um.name = 'explanation_score' AND v.value IS NOT NULL
                """) { "\($0.string(0) ?? "") \($0.int(1) ?? -1) \(Self.shortest($0.number(2)))" }
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let expected = text.split(separator: "\n").dropFirst().map { line -> String in
                let fields = line.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)
                return "h\(fields[0]).mlp \(fields[1]) \(Self.shortest(Double(fields[2])!))"
            }
            XCTAssertEqual(scores.count, 960, "\(db)")
            XCTAssertEqual(Set(scores), Set(expected), "\(db)")
        }
    }

    private static func shortest(_ value: Double) -> String { "\(value)" }

    func testCorruptedCopiesAreRefusedAndNothingIsStored() throws {
        let sparsityBytes = Data(try SharedSamples.bytes(SharedSamples.sparsity))
        let tally = try SharedSamples.bytes(SharedSamples.alexNet)
        let patching = try SharedSamples.bytes(SharedSamples.patching)
        let truncated = folder.appendingPathComponent("truncated.safetensors")
        try sparsityBytes.dropLast(100).write(to: truncated)
        var lying = [UInt8](sparsityBytes)
        lying[0] = 200  // the header length says 200 bytes: it runs into the data
        let lyingFile = folder.appendingPathComponent("lying.safetensors")
        try Data(lying).write(to: lyingFile)
        var lines = String(decoding: tally, as: UTF8.self).components(separatedBy: "\r\n")
        var fields = lines[1].components(separatedBy: ",")
        fields[3] = "n/a"
        lines[1] = fields.joined(separator: ",")
        let badIoU = try SampleDocuments.write(lines.joined(separator: "\r\n"), to: "bad-iou.csv", in: folder)
        let repeated = try SampleDocuments.write("unit,score\n0,0.5\n1,0.25\n0,0.125\n", to: "repeated.csv", in: folder)
        let outside = try SampleDocuments.write("unit,score\n0,0.5\n12288,0.25\n", to: "outside.csv", in: folder)
        var npyLying = [UInt8](patching)
        npyLying[8] = 0x70  // header length 112 instead of 118: six bytes of padding taken for data
        let npyFile = folder.appendingPathComponent("lying.npy")
        try Data(npyLying).write(to: npyFile)

        let target = ["--into", "mamba-130m/sae-blocks.12", "--step", "0", "--create", "--classes", "2",
                      "--create-layers", "blocks.12.hook_resid_post:12288"]
        let cases: [(arguments: [String], message: String)] = [
            (["saelens", truncated.path, "--cfg", saeConfig],
             "\(truncated.path): byte 8: not a readable SAELens sparsity file: tensor \"sparsity\" ends at data byte 49152, but the file holds 49052 bytes of data (truncated?)"),
            (["saelens", lyingFile.path, "--cfg", saeConfig], "\(lyingFile.path): byte 81: not a readable SAELens sparsity file: the JSON header is malformed"),
            (["netdissect", badIoU, "--layer", "blocks.12.hook_resid_post"], "\(badIoU): line 2: score \"n/a\" is not a number"),
            (["table", repeated, "--unit-column", "unit", "--layer", "blocks.12.hook_resid_post"], "\(repeated): line 4: unit 0 (0-based) is repeated (first at line 2)"),
            (["table", outside, "--unit-column", "unit", "--layer", "blocks.12.hook_resid_post"],
             "\(outside): line 3: unit 12288 (0-based) is out of range: layer blocks.12.hook_resid_post has 12288 units, numbered 0–12287"),
            (["npy", npyFile.path, "--metric", "m", "--take", "0", "--split-layers", "a", "--layer-name", "x"], "\(npyFile.path): byte 122: not a readable .npy file: shape (2, 24, 16) of <f4 needs 3072 bytes of data, but the file has 3078"),
        ]
        try TestBackend.forEach { db in
            let before = try RowCounts.of(db.database)
            for (arguments, message) in cases {
                let outcome = try LesionProcess.run(["import"] + arguments + target + ["--db", db.location])
                XCTAssertEqual(outcome.status, 1, "\(db): \(arguments)")
                XCTAssertTrue(outcome.stderr.contains(message), "\(db): \(arguments[1]): \(outcome.stderr)")
                XCTAssertEqual(try RowCounts.of(db.database), before, "\(db): \(arguments[1]) stored something")
            }
        }
    }

    func testGzippedNeuronpediaExportReadsAsThePlainOne() throws {
        let plain = SharedSamples.path(SharedSamples.neuronpedia)
        let gzipped = folder.appendingPathComponent("batch-0.jsonl.gz")
        try Data(try SharedSamples.bytes(SharedSamples.neuronpedia)).write(to: folder.appendingPathComponent("batch-0.jsonl"))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-k", folder.appendingPathComponent("batch-0.jsonl").path]
        try gzip.run()
        gzip.waitUntilExit()
        let target = ["--into", "g/x", "--step", "0", "--create", "--create-layers", "24-gemmascope-2-res-262k:262144"]
        let fromPlain = try LesionProcess.run(["import", "neuronpedia", plain, "--emit"] + target)
        let fromGzip = try LesionProcess.run(["import", "neuronpedia", gzipped.path, "--emit"] + target)
        XCTAssertEqual(fromGzip.status, 0, fromGzip.stderr)
        XCTAssertEqual(fromGzip.stdout, fromPlain.stdout)
        XCTAssertTrue(fromPlain.stdout.contains(#""explanation":["movement leading into somewhere",null,"new listener object creation""#))
    }

    /// SAELens's own layout (the samples are renamed): `cfg.json` beside
    /// `sparsity.safetensors` is found without --cfg, and its hook name is the layer.
    func testConfigBesideTheFileGivesTheWidthAndTheLayer() throws {
        let sae = folder.appendingPathComponent("blocks.12.hook_resid_post")
        try FileManager.default.createDirectory(at: sae, withIntermediateDirectories: true)
        try Data(try SharedSamples.bytes(SharedSamples.sparsity)).write(to: sae.appendingPathComponent("sparsity.safetensors"))
        try Data(try SharedSamples.bytes(SharedSamples.saeConfig)).write(to: sae.appendingPathComponent("cfg.json"))
        let file = sae.appendingPathComponent("sparsity.safetensors").path
        let found = try LesionProcess.run(["import", "saelens", file, "--into", "m/sae", "--step", "0", "--create",
                                           "--create-layers", "blocks.12.hook_resid_post:12288", "--emit"])
        XCTAssertEqual(found.status, 0, found.stderr)
        XCTAssertTrue(found.stdout.contains(#""units":{"blocks.12.hook_resid_post":{"log10_activation_frequency":[-0.08042915165424347,"#), String(found.stdout.prefix(400)))
        let narrow = try LesionProcess.run(["import", "saelens", file, "--into", "m/sae", "--step", "0", "--create",
                                            "--create-layers", "blocks.12.hook_resid_post:4096", "--emit"])
        XCTAssertEqual(narrow.status, 1)
        XCTAssertTrue(narrow.stderr.contains("\(file): \(sae.appendingPathComponent("cfg.json").path) (d_sae) says 12288 units, but layer blocks.12.hook_resid_post of m/sae has 4096"), narrow.stderr)
        try FileManager.default.removeItem(at: sae.appendingPathComponent("cfg.json"))
        let missing = try LesionProcess.run(["import", "saelens", file, "--into", "m/sae", "--step", "0", "--create",
                                             "--create-layers", "blocks.12.hook_resid_post:12288", "--emit"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("name it with --cfg FILE"), missing.stderr)
    }

    func testAModelThatIsNotStoredNeedsCreate() throws {
        try TestBackend.forEach { db in
            let outcome = try LesionProcess.run(["import", "saelens", SharedSamples.path(SharedSamples.saeBench), "--layer", "x",
                                                 "--into", "no/such", "--step", "0", "--db", db.location])
            XCTAssertEqual(outcome.status, 1, "\(db)")
            XCTAssertTrue(outcome.stderr.contains("no stored model is named no/such; `lesion models` lists them; to make it, add --create --create-layers NAME:UNITS"), "\(db): \(outcome.stderr)")
        }
    }

    func testUsageErrorsExitWithTwo() throws {
        let outcome = try LesionProcess.run(["import", "npy", "x.npy", "--metric", "m", "--into", "a/b", "--step", "0", "--create"])
        XCTAssertEqual(outcome.status, 2)
        XCTAssertTrue(outcome.stderr.contains("--create needs --create-layers NAME:UNITS"), outcome.stderr)
        let layers = try LesionProcess.run(["import", "npy", "x.npy", "--metric", "m", "--into", "a/b", "--step", "0", "--create", "--create-layers", "fc1"])
        XCTAssertEqual(layers.status, 2)
        XCTAssertTrue(layers.stderr.contains("--create-layers fc1: each layer is NAME:UNITS with UNITS ≥ 1"), layers.stderr)
        let wide = try LesionProcess.run(["import", "npy", "x.npy", "--metric", "m", "--into", "a/b", "--step", "0", "--create", "--create-layers", "fc1:99999999999"])
        XCTAssertEqual(wide.status, 2)
        XCTAssertTrue(wide.stderr.contains("--create-layers fc1:99999999999: at most 50000000 units per layer"), wide.stderr)
    }
}
