import Foundation

/// Reads run documents (format `lesion.run/1`) from bytes: strict JSON (RFC 8259
/// plus `NaN`, `Infinity`, `-Infinity`) and every rule of the contract, in one pass
/// over the bytes with no intermediate JSON tree.
public enum RunDocumentReader {
    /// Parses and validates exactly one document occupying all of `bytes` (white
    /// space and a leading byte order mark allowed around it).
    ///
    /// Errors: a `RunFormatError` whose `line` (1-based, within `bytes`) is set for
    /// malformed JSON and nil for a rule of the format broken by well-formed JSON.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RunFormatError) -> ParsedDocument {
        var decoder = DocumentDecoder(bytes)
        decoder.scanner.skipByteOrderMark()
        decoder.scanner.skipWhitespace()
        guard decoder.scanner.offset < bytes.count else {
            throw RunFormatError(
                path: "", message: "no document: the input is empty",
                line: decoder.scanner.line(at: decoder.scanner.offset))
        }
        let raw = try decoder.readDocument()
        decoder.scanner.skipWhitespace()
        guard decoder.scanner.offset == bytes.count else {
            throw decoder.failure(decoder.scanner.unexpected("unexpected content after the document"), at: "")
        }
        return try DocumentValidator.validate(raw)
    }

    /// Parses and validates exactly one document in `bytes`; see `parse(_:)`.
    public static func parse(_ bytes: [UInt8]) throws(RunFormatError) -> ParsedDocument {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(RunFormatError) in try parse(buffer) }
        }
        return try result.get()
    }

    /// Parses and validates exactly one document in `data`; see `parse(_:)`.
    public static func parse(_ data: Data) throws(RunFormatError) -> ParsedDocument {
        let result = data.withUnsafeBytes { buffer in
            Result { () throws(RunFormatError) in try parse(buffer) }
        }
        return try result.get()
    }

    /// Parses and validates exactly one document in the UTF-8 of `text`; see
    /// `parse(_:)`.
    public static func parse(_ text: String) throws(RunFormatError) -> ParsedDocument {
        try parse(Array(text.utf8))
    }
}
