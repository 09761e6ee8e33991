import LesionRunFormat

/// Any CSV/TSV with one row per unit: a unit column, optionally a layer column,
/// and metric columns. A column whose every non-empty cell is a number (JSON
/// number syntax, `NaN`, `inf`, `-inf`) is a number metric, any other a text
/// metric; empty cells are null.
public enum TableImporter {
    /// What `lesion import table` was told about the file.
    public struct Options: Sendable {
        public var unitColumn: String
        /// 0 or 1: the number the file gives its first unit.
        public var unitBase: Int
        public var layerColumn: String?
        /// `FILECOLUMN=METRIC` pairs, in order; empty means every other column under its own name.
        public var columns: [(file: String, metric: String)]
        public var delimiter: UInt8

        public init(unitColumn: String, unitBase: Int = 0, layerColumn: String? = nil,
                    columns: [(file: String, metric: String)] = [], delimiter: UInt8 = UInt8(ascii: ",")) {
            self.unitColumn = unitColumn
            self.unitBase = unitBase
            self.layerColumn = layerColumn
            self.columns = columns
            self.delimiter = delimiter
        }

        /// Reads one `--column FILECOLUMN=METRIC` (split at the last `=`).
        public static func column(parsing text: String) throws(ImportUsageError) -> (file: String, metric: String) {
            guard let equals = text.lastIndex(of: "="), equals > text.startIndex, text.index(after: equals) < text.endIndex else {
                throw ImportUsageError("--column \(text): expected FILECOLUMN=METRIC, e.g. --column score=explanation_score")
            }
            return (String(text[..<equals]), String(text[text.index(after: equals)...]))
        }
    }

    /// One table per layer value, in order of first appearance.
    public static func read(_ bytes: [UInt8], file: String, options: Options) throws(ImportRefusal) -> [UnitTable] {
        let csv: CSVTable
        do {
            csv = try CSVTable(bytes: bytes, delimiter: options.delimiter)
        } catch {
            throw ImportRefusal(file: file, place: error.place, "not a readable CSV file: \(error.message)")
        }
        func index(_ name: String, _ option: String) throws(ImportRefusal) -> Int {
            guard let index = csv.column(name) else {
                throw ImportRefusal(file: file, place: "line 1",
                    "\(option) \(name): the header has no such column (it has \(csv.header.joined(separator: ", ")))")
            }
            return index
        }
        let unitIndex = try index(options.unitColumn, "--unit-column")
        let layerIndex: Int?
        if let layerColumn = options.layerColumn {
            layerIndex = try index(layerColumn, "--layer-column")
        } else {
            layerIndex = nil
        }
        var selected: [(index: Int, metric: String)] = []
        if options.columns.isEmpty {
            for (position, name) in csv.header.enumerated() where position != unitIndex && position != layerIndex {
                selected.append((position, name))
            }
        } else {
            for pair in options.columns {
                selected.append((try index(pair.file, "--column"), pair.metric))
            }
        }
        // A column is numeric when every non-empty cell parses as a number.
        var parsed: [[ImportedValue]] = []
        var textMetrics: Set<String> = []
        for column in selected {
            var numbers: [ImportedValue] = []
            numbers.reserveCapacity(csv.records.count)
            var isNumeric = true
            for record in csv.records {
                let cell = record[column.index]
                if cell.isEmpty { numbers.append(.null); continue }
                guard let value = number(cell) else { isNumeric = false; break }
                numbers.append(.number(value))
            }
            if isNumeric {
                parsed.append(numbers)
            } else {
                textMetrics.insert(column.metric)
                parsed.append(csv.records.map { textOrNull($0[column.index]) })
            }
        }
        let metrics = selected.map(\.metric)
        var tables: [UnitTable] = []
        var tableOfLayer: [String: Int] = [:]
        for (row, (record, line)) in zip(csv.records, csv.lines).enumerated() {
            let place = "line \(line)"
            let unitText = record[unitIndex]
            guard let unit = Int(unitText) else {
                throw ImportRefusal(file: file, place: place, "\(options.unitColumn) \(JSONText.quoted(unitText)) is not an integer unit number")
            }
            guard unit >= options.unitBase else {
                throw ImportRefusal(file: file, place: place, "unit \(unit) is out of range: this file numbers units from \(options.unitBase) (--unit-base)")
            }
            let layer = layerIndex.map { record[$0] }
            let key = layer ?? ""
            let position: Int
            if let known = tableOfLayer[key] {
                position = known
            } else {
                position = tables.count
                tableOfLayer[key] = position
                var table = UnitTable(fileLayer: layer, metrics: metrics, textMetrics: textMetrics)
                table.layerPlace = layer == nil ? nil : place
                tables.append(table)
            }
            tables[position].rows.append(UnitTable.Row(unit: unit - options.unitBase, place: place, values: parsed.map { $0[row] }))
        }
        if tables.isEmpty {
            tables.append(UnitTable(fileLayer: nil, metrics: metrics, textMetrics: textMetrics))
        }
        return tables
    }

    /// A cell as a number: JSON number syntax, `NaN`, `inf`, `-inf` (and the
    /// `Infinity` spellings run documents use); nil for anything else.
    static func number(_ cell: String) -> Double? {
        switch cell {
        case "inf", "Infinity": return .infinity
        case "-inf", "-Infinity": return -.infinity
        case "NaN", "nan": return .nan
        default: return JSONValue.parseNumber(Substring(cell))
        }
    }
}
