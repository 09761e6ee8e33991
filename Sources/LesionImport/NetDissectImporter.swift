import LesionRunFormat

/// Network Dissection's per-layer result CSV (`tally.csv` of NetDissect-Lite,
/// `<layer>-result.csv` of the original): `unit,category,label,score`, then
/// `C-label, C-truth, C-activation, C-intersect, C-iou` per concept category C.
/// Columns are found by name, never by position (the two tools order categories
/// differently); `unit` is 1-based; rows come sorted by score.
public enum NetDissectImporter {
    /// The file's one layer (named by `--layer`): `concept`, `concept_category`,
    /// `concept_iou`, and `concept_C`, `concept_iou_C` for each category C.
    public static func read(_ bytes: [UInt8], file: String) throws(ImportRefusal) -> UnitTable {
        let csv: CSVTable
        do {
            csv = try CSVTable(bytes: bytes)
        } catch {
            throw ImportRefusal(file: file, place: error.place, "not a readable CSV file: \(error.message)")
        }
        func column(_ name: String) throws(ImportRefusal) -> Int {
            guard let index = csv.column(name) else {
                throw ImportRefusal(file: file, place: "line 1",
                    "not a Network Dissection result: the header has no \(name) column (expected unit,category,label,score,…)")
            }
            return index
        }
        let unitColumn = try column("unit")
        let categoryColumn = try column("category")
        let labelColumn = try column("label")
        let scoreColumn = try column("score")
        // Categories in the file's order, each with its label and IoU columns.
        var categories: [(name: String, label: Int, iou: Int)] = []
        for name in csv.header where name.hasSuffix("-label") {
            let category = String(name.dropLast("-label".count))
            categories.append((category, try column(name), try column(category + "-iou")))
        }
        var metrics = ["concept", "concept_category", "concept_iou"]
        var textMetrics: Set<String> = ["concept", "concept_category"]
        for category in categories {
            metrics += ["concept_" + category.name, "concept_iou_" + category.name]
            textMetrics.insert("concept_" + category.name)
        }
        var table = UnitTable(fileLayer: nil, metrics: metrics, textMetrics: textMetrics)
        for row in 0..<csv.count {
            let line = csv.lines[row]
            let place = "line \(line)"  // cheap next to the row's parsing; used only in messages
            let unitText = csv[row, unitColumn]
            guard let unit = Int(unitText) else {
                throw ImportRefusal(file: file, place: place, "unit \(JSONText.quoted(unitText)) is not an integer")
            }
            guard unit >= 1 else {
                throw ImportRefusal(file: file, place: place, "unit \(unit) is out of range: NetDissect numbers units from 1")
            }
            func number(_ index: Int) throws(ImportRefusal) -> ImportedValue {
                let text = csv[row, index]
                if text.isEmpty { return .null }
                guard let value = JSONValue.parseNumber(Substring(text)) else {
                    throw ImportRefusal(file: file, place: place, "\(csv.header[index]) \(JSONText.quoted(text)) is not a number")
                }
                return .number(value)
            }
            var values = [textOrNull(csv[row, labelColumn]), textOrNull(csv[row, categoryColumn]), try number(scoreColumn)]
            for category in categories {
                values.append(textOrNull(csv[row, category.label]))
                values.append(try number(category.iou))
            }
            table.append(unit: unit - 1, place: line, values: values)
        }
        return table
    }
}
