import Foundation
import LesionImport
import LesionRunFormat
import LesionStore

/// Runs `lesion import`: reads the file with its importer, builds the run document
/// for the target model (the stored header, or the one `--create` gives), and
/// either prints it or stores it through the ingest path, so an import is checked
/// and stored exactly as `lesion ingest` of the same document would be.
public struct ImportRunner {
    let database: (any Database)?

    /// A runner over `database`; nil is enough for `--emit` with `--create`.
    public init(database: (any Database)?) {
        self.database = database
    }

    /// The run document (one line of JSON, no newline) and the SHA-256 of the file.
    /// Throws `ImportRefusal` for a file that cannot be imported, `UsageError` for
    /// options that do not fit, `NotFoundError` for a model that is not stored.
    public func document(_ request: ImportRequest) throws -> (json: [UInt8], fileHash: String) {
        let fileBytes = try Self.readFile(request.file)
        let tables = try Self.tables(request, fileBytes: fileBytes)
        let target = try self.target(request)
        let json = try ImportDocument.json(tables, target: target, mapping: request.mapping, file: request.file)
        return (json, SHA256.hex(fileBytes))
    }

    /// Builds and stores the document; the summary counts it as ingest would.
    public func store(_ request: ImportRequest, options: Ingester.Options, reporter: IngestReporter) throws -> IngestSummary {
        guard let database else { throw UsageError("storing an import needs a database") }
        let (json, hash) = try document(request)
        let ingester = Ingester(database: database, options: options, reporter: reporter)
        return try ingester.ingest(
            document: json, source: "import \(request.format.name): \(request.file)", contentHash: hash)
    }

    /// The importer's tables from the file's bytes (decompressed where it is .gz).
    static func tables(_ request: ImportRequest, fileBytes: [UInt8]) throws -> [UnitTable] {
        let file = request.file
        let bytes = file.hasSuffix(".gz") ? try Gunzip.bytes(fileBytes, name: file) : fileBytes
        switch request.format {
        case .netdissect:
            return [try NetDissectImporter.read(bytes, file: file)]
        case .table(let options):
            return try TableImporter.read(bytes, file: file, options: options)
        case .neuronpedia(let modelId):
            return try NeuronpediaImporter.read(bytes, file: file, modelId: modelId)
        case .saelens(let cfg):
            if SAELensImporter.isJSON(bytes) {
                return [try SAELensImporter.readSAEBench(bytes, file: file)]
            }
            let cfgFile = cfg ?? (URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("cfg.json").path)
            guard FileManager.default.fileExists(atPath: cfgFile) else {
                throw UsageError("\(file): the SAE's config is not at \(cfgFile); name it with --cfg FILE")
            }
            return [try SAELensImporter.readSparsity(bytes, file: file, cfg: try readFile(cfgFile), cfgFile: cfgFile)]
        case .npy(let options):
            return try NpyImporter.read(bytes, file: file, options: options)
        }
    }

    /// The model the document goes into: `--create`'s header, else the stored one.
    func target(_ request: ImportRequest) throws -> ImportTarget {
        if let creation = request.creation {
            guard let slash = request.into.firstIndex(of: "/"), slash != request.into.startIndex,
                  request.into.index(after: slash) != request.into.endIndex else {
                throw UsageError("--into \(request.into): name the model as EXPERIMENT/MODEL")
            }
            return ImportTarget(
                experiment: String(request.into[..<slash]), model: String(request.into[request.into.index(after: slash)...]),
                classes: creation.classes, layers: creation.layers, attributes: creation.attributes, step: request.step)
        }
        guard let database else { throw UsageError("reading the stored model \(request.into) needs a database") }
        let model: ModelName
        do {
            model = try ModelCatalog(database: database).find(request.into)
        } catch let error as NotFoundError {
            throw NotFoundError(description: "\(error.description); to make it, add --create --create-layers NAME:UNITS")
        }
        let classes = try database.fetchOne("SELECT classes FROM models WHERE id = \(model.id)", { try $0.decodeIfPresent(Int.self, at: 0) }) ?? nil
        let layers = try database.fetchAll(
            "SELECT name, units, kind FROM layers WHERE model_id = \(model.id) ORDER BY depth",
            { Layer(name: try $0.decode(String.self, at: 0), units: try $0.decode(Int.self, at: 1), kind: $0.string(2)) })
        return ImportTarget(
            experiment: model.experiment, model: model.model, classes: classes, layers: layers,
            attributes: try AttributeReader(database: database).attributes(modelId: model.id), step: request.step)
    }

    /// The whole file, as bytes.
    static func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw InputError(source: path, reason: reason)
        }
        return [UInt8](data)
    }
}

/// Decompresses a whole gzip file held in memory, with the stream reader ingest uses.
enum Gunzip {
    static func bytes(_ compressed: [UInt8], name: String) throws -> [UInt8] {
        let stream = try GzipByteStream(upstream: MemoryByteStream(compressed), name: name)
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
            if count == 0 { return out }
            out.append(contentsOf: chunk[0..<count])
        }
    }
}

/// Bytes already in memory, read as a stream.
final class MemoryByteStream: ByteStream {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
        }
        offset += count
        return count
    }
}
