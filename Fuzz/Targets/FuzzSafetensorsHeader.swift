/// libFuzzer target: the safetensors reader: the 8-byte length, the JSON header, offsets and shapes, then every F32/F64 tensor read.
///
/// Any bytes must either be read or throw (a refusal that names the byte or line);
/// a trap, overflow, out-of-bounds read or leak is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensorsHeader(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    _ = try? SafetensorsFile.check(bytes)
    return 0
}
