/// libFuzzer target: gzip input (`GzipByteStream` over zlib), as `lesion ingest`
/// reads `*.gz` files.
///
/// Any bytes must either inflate or throw an `InputError`. The first byte picks the
/// chunk size of the compressed stream and of the reads; inflating in small chunks
/// must give exactly what one large read gives.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzipInput(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let control = Int(data[0])
    let input = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    let whole = inflateAll(input, upstreamStep: Int.max, readSize: 1 << 16)
    let chunked = inflateAll(input, upstreamStep: control % 13 + 1, readSize: control / 13 % 19 + 1)
    switch (whole, chunked) {
    case (.success(let a), .success(let b)) where a.prefix(outputCap) == b.prefix(outputCap): break
    case (.failure, .failure): break
    // Output that fits before an error may differ with the chunking; the outcome may not.
    default: fatalError("chunked inflation disagrees with one read: \(whole) vs \(chunked)")
    }
    return 0
}

/// Output beyond this is not compared nor read (a zip bomb is not a finding).
private let outputCap = 1 << 20

/// Everything the gzip stream yields, up to about `outputCap` bytes.
private func inflateAll(_ input: [UInt8], upstreamStep: Int, readSize: Int) -> Result<[UInt8], InputError> {
    do {
        let stream = try GzipByteStream(upstream: MemoryByteStream(input, step: upstreamStep), name: "fuzz.gz")
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: readSize)
        while output.count < outputCap {
            let count = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
            if count == 0 { break }
            output.append(contentsOf: buffer[..<count])
        }
        return .success(output)
    } catch let error as InputError {
        return .failure(error)
    } catch {
        fatalError("an error that is not an InputError: \(error)")
    }
}
