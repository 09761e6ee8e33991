import Foundation

/// Small run documents written by the tests themselves, for cases that the
/// recorded fixtures cannot reach.
enum SampleDocuments {
    /// A compact, valid document: `layers` layers of `units` units, the given steps,
    /// per-unit selectivity, ablation and per-class accuracy under ablation, and one ablation curve.
    static func document(
        experiment: String = "exp", model: String = "m", steps: [Int] = [100], units: Int = 4, layers: Int = 2,
        classes: Int = 3, seed: Int = 0, offset: Double = 0
    ) -> String {
        let layerNames = (1...layers).map { "fc\($0)" }
        let layerJSON = layerNames.map { #"{"name":"\#($0)","units":\#(units),"kind":"dense"}"# }.joined(separator: ",")
        let checkpoints = steps.map { step -> String in
            let unitsJSON = layerNames.enumerated().map { index, name -> String in
                let selectivity = (0..<units).map { (unit: Int) -> String in
                    let tenths = Double((unit * 7 + index + step) % 10)
                    return String(tenths / 10 + offset)
                }
                let ablated = (0..<units).map { (unit: Int) -> String in
                    let hundredths = Double((unit * 3 + step) % 5)
                    return String(0.9 - hundredths / 100)
                }
                let means = (0..<units).map { (unit: Int) -> String in
                    let row = (0..<classes).map { (c: Int) -> String in String(Double((unit + c * 2 + step) % 7) / 10 + 0.05) }
                    return "[" + row.joined(separator: ",") + "]"
                }
                return #""\#(name)":{"class_selectivity":[\#(selectivity.joined(separator: ","))],"ablated_test_accuracy":[\#(ablated.joined(separator: ","))],"ablated_class_accuracy":[\#(means.joined(separator: ","))]}"#
            }.joined(separator: ",")
            return #"{"step":\#(step),"metrics":{"train_accuracy":0.95,"test_accuracy":0.9,"train_loss":0.1,"test_loss":0.3},"units":{\#(unitsJSON)},"curves":[{"perturbation":"ablation","layers":"all","order":"random","seed":\#(seed),"x":[0,0.5,1],"metrics":{"train_accuracy":[0.95,0.6,0.1]}}]}"#
        }.joined(separator: ",")
        return #"{"format":"lesion.run/1","experiment":\#(quoted(experiment)),"model":\#(quoted(model)),"attributes":{"label_corruption":0.2,"batch_norm":false,"seed":\#(seed)},"classes":\#(classes),"layers":[\#(layerJSON)],"checkpoints":[\#(checkpoints)]}"#
    }

    /// `models` documents (m0, m1, …) of 2 checkpoints × 2 layers × `units` units,
    /// one per line, written to `name` in `folder`.
    static func manyDocuments(models: Int, units: Int, to name: String = "large.jsonl", in folder: URL) throws -> String {
        var text = ""
        for index in 0..<models {
            text += document(model: "m\(index)", steps: [1, 2], units: units) + "\n"
        }
        return try write(text, to: name, in: folder)
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])) ?? Data("[\"\"]".utf8)
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lesion-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes `text` to `name` inside `folder` and returns the path.
    @discardableResult
    static func write(_ text: String, to name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
