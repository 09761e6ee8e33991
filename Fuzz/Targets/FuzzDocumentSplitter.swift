/// libFuzzer target: `DocumentSplitter`, which cuts `*.jsonl` files and standard
/// input into documents.
///
/// The first byte picks the layout and the chunk size the stream hands out; the rest
/// is the input. Cutting it in small chunks must give exactly the documents that one
/// chunk gives (the chunk borders are invisible), every document's bytes must be a
/// piece of the input, and no document of a `.lines` layout holds a line break.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocumentSplitter(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let control = data[0]
    let input = Array(UnsafeBufferPointer(start: data + 1, count: count - 1))
    let layouts: [DocumentSplitter.Layout] = [.whole, .lines, .stream]
    let layout = layouts[Int(control % 3)]
    let step = Int(control / 3) % 17 + 1
    let whole = split(input, layout, step: Int.max)
    let chunked = split(input, layout, step: step)
    guard whole.count == chunked.count,
        zip(whole, chunked).allSatisfy({ $0.line == $1.line && $0.bytes == $1.bytes })
    else {
        fatalError("chunks of \(step) bytes cut the input differently from one chunk")
    }
    let total = whole.reduce(0) { $0 + $1.bytes.count }
    if total > input.count { fatalError("the documents hold more bytes than the input") }
    if layout == .lines, whole.contains(where: { $0.bytes.contains(UInt8(ascii: "\n")) }) {
        fatalError("a line of a .lines input holds a line break")
    }
    if layout == .whole, whole.count != 1 || whole[0].bytes != input {
        fatalError("a .whole input is not one document of every byte")
    }
    return 0
}

private func split(_ input: [UInt8], _ layout: DocumentSplitter.Layout, step: Int) -> [RawDocument] {
    let splitter = DocumentSplitter(stream: MemoryByteStream(input, step: step), layout: layout, source: "fuzz")
    var documents: [RawDocument] = []
    // The splitter reads from memory, which cannot fail.
    while let document = try! splitter.next() {
        documents.append(document)
    }
    return documents
}
