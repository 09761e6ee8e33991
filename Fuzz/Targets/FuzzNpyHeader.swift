/// libFuzzer target: the `.npy` reader: magic, versions 1.0–3.0, the header literal, dtype, order and shape, and the data's length.
///
/// Any bytes must either be read or throw (a refusal that names the byte or line);
/// a trap, overflow, out-of-bounds read or leak is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNpyHeader(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    _ = try? NpyArray.check(bytes)
    return 0
}
