import Foundation
import LesionRunFormat
import LesionStore

/// Writes stored models back out as run documents: ingest then export loses nothing.
public struct Exporter {
    let database: any Database

    /// An exporter over `database`.
    public init(database: any Database) {
        self.database = database
    }

    /// Writes every model `filter` selects as one JSONL line to `write`;
    /// returns the number of models written.
    @discardableResult
    public func exportLines(_ filter: ModelFilter, write: (String) throws -> Void) throws -> Int {
        let loader = DocumentLoader(database: database)
        let models = try ModelCatalog(database: database).models(filter)
        for model in models {
            try write(RunDocumentWriter.json(try loader.document(modelId: model.id)) + "\n")
        }
        return models.count
    }

    /// Writes one `.json` file per selected model into `folder` (created if
    /// needed); returns the paths written.
    public func exportFiles(_ filter: ModelFilter, to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let loader = DocumentLoader(database: database)
        var used = Set<String>()
        var written: [String] = []
        for model in try ModelCatalog(database: database).models(filter) {
            var name = Exporter.fileStem(model)
            if used.contains(name) {
                name += "-" + SHA256.hex("\(model.experiment)\u{1}\(model.model)").prefix(8)
            }
            used.insert(name)
            let path = (folder as NSString).appendingPathComponent(name + ".json")
            let text = RunDocumentWriter.json(try loader.document(modelId: model.id)) + "\n"
            do {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw InputError(source: path, reason: "cannot write: \(error.localizedDescription)")
            }
            written.append(path)
        }
        return written
    }

    /// A file name for a model: its names with anything but letters, digits,
    /// `.`, `-` and `_` replaced, so that it is safe on every file system.
    static func fileStem(_ model: ModelName) -> String {
        func clean(_ text: String) -> String {
            String(text.unicodeScalars.map { scalar -> Character in
                let ok = (scalar.value < 128) && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
                return ok ? Character(scalar) : "_"
            }.prefix(100))
        }
        return clean(model.experiment) + "__" + clean(model.model)
    }
}
