/// One row of a result, valid only inside the closure that receives it: backends
/// read straight from their C result without copying the row first.
public protocol Row {
    /// The number of columns.
    var columnCount: Int { get }
    /// The name of column `index` (0-based).
    func columnName(_ index: Int) -> String
    /// True where column `index` is SQL NULL.
    func isNull(_ index: Int) -> Bool
    /// Column `index` as an integer; `nil` for NULL.
    func int64(_ index: Int) -> Int64?
    /// Column `index` as a double; `nil` for NULL.
    func double(_ index: Int) -> Double?
    /// Column `index` as text; `nil` for NULL.
    func string(_ index: Int) -> String?
    /// Column `index` with its type as the backend reports it.
    func value(_ index: Int) -> DatabaseValue
    /// Calls `body` with the bytes of column `index` where it is a blob (bytea),
    /// read in place without copying them into an array; nil otherwise.
    func withBlob<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R?
}

extension Row {
    /// Column `index` as an `Int`; `nil` for NULL or out of range.
    public func int(_ index: Int) -> Int? {
        int64(index).flatMap { Int(exactly: $0) }
    }

    /// Column `index` as a double where NULL reads as NaN (lesion's "undefined").
    public func number(_ index: Int) -> Double {
        double(index) ?? .nan
    }

    /// All column names, in order.
    public var columnNames: [String] {
        (0..<columnCount).map(columnName)
    }
}
