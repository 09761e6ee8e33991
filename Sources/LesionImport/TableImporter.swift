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
            for row in 0..<csv.count {
                if csv.isEmpty(row: row, column: column.index) { numbers.append(.null); continue }
                guard let value = csv.number(row: row, column: column.index) ?? number(csv[row, column.index]) else {
                    isNumeric = false
                    break
                }
                numbers.append(.number(value))
            }
            if isNumeric {
                parsed.append(numbers)
            } else {
                textMetrics.insert(column.metric)
                parsed.append((0..<csv.count).map { textOrNull(csv[$0, column.index]) })
            }
        }
        let metrics = selected.map(\.metric)
        // Rows grouped by layer value, in order of first appearance.
        var groups: [(layer: String?, line: Int, rows: [Int], units: [Int], lines: [Int])] = []
        var groupOfLayer: [String: Int] = [:]
        for row in 0..<csv.count {
            let line = csv.lines[row]
            let unitText = csv[row, unitIndex]
            guard let unit = Int(unitText) else {
                throw ImportRefusal(file: file, place: "line \(line)", "\(options.unitColumn) \(JSONText.quoted(unitText)) is not an integer unit number")
            }
            guard unit >= options.unitBase else {
                throw ImportRefusal(file: file, place: "line \(line)", "unit \(unit) is out of range: this file numbers units from \(options.unitBase) (--unit-base)")
            }
            let layer = layerIndex.map { csv[row, $0] }
            let key = layer ?? ""
            let position: Int
            if let known = groupOfLayer[key] {
                position = known
            } else {
                position = groups.count
                groupOfLayer[key] = position
                groups.append((layer, line, [], [], []))
            }
            groups[position].rows.append(row)
            groups[position].units.append(unit - options.unitBase)
            groups[position].lines.append(line)
        }
        if groups.isEmpty {
            return [UnitTable(fileLayer: nil, metrics: metrics, textMetrics: textMetrics)]
        }
        return groups.map { group in
            var table = UnitTable(fileLayer: group.layer, metrics: metrics, textMetrics: textMetrics)
            table.layerPlace = group.layer == nil ? nil : "line \(group.line)"
            // One layer's rows are the whole file unless a layer column splits it.
            let columns = groups.count == 1 ? parsed : parsed.map { column in group.rows.map { column[$0] } }
            table.setRows(units: group.units, places: group.lines, columns: columns)
            return table
        }
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
