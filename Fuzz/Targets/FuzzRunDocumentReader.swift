import Foundation

/// libFuzzer target: the run-document reader (`RunDocumentReader.parse`).
///
/// Any bytes must either parse or throw a `RunFormatError`; a trap, overflow,
/// out-of-bounds read or leak is a finding. A document that parses is written back
/// and must parse again: the writer's output is valid input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRunDocumentReader(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: count)
    guard let parsed = try? RunDocumentReader.parse(bytes) else { return 0 }
    var written: [UInt8] = []
    RunDocumentWriter.write(parsed.document, to: &written)
    do {
        _ = try RunDocumentReader.parse(written)
    } catch {
        fatalError("a parsed document, written back, does not parse: \(error)")
    }
    return 0
}
