/// libFuzzer target: the CSV reader (`CSVTable`, RFC 4180, both delimiters), every cell read as text and as a number.
///
/// Any bytes must either be read or throw (a refusal that names the byte or line);
/// a trap, overflow, out-of-bounds read or leak is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVTable(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    _ = try? CSVTable.check(bytes)
    return 0
}
