/// A cursor over JSON bytes that reads one token at a time and refuses anything
/// RFC 8259 does not allow (plus Python's `NaN`, `Infinity` and `-Infinity`).
///
/// It builds no tree: the decoder asks for exactly the token the format expects next,
/// so a million numbers cost a million `Double`s and nothing else. Every read checks
/// bounds, so truncated or garbage input ends in a `SyntaxError`, never a trap.
struct ByteScanner {
    /// The bytes being read.
    let bytes: UnsafeRawBufferPointer
    /// The offset of the next unread byte.
    var offset: Int

    /// Starts reading `bytes` at `offset`.
    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Moves past JSON white space (space, tab, line feed, carriage return).
    @inline(__always)
    mutating func skipWhitespace() {
        let count = bytes.count
        while offset < count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// The byte at the cursor, not consumed; nil at the end.
    @inline(__always)
    func peekByte() -> UInt8? {
        offset < bytes.count ? bytes[offset] : nil
    }

    /// Moves past a leading UTF-8 byte order mark, which RFC 8259 lets a reader ignore
    /// (some Windows tools write one).
    mutating func skipByteOrderMark() {
        if offset == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            offset = 3
        }
    }

    /// The 1-based line of `offset`: one more than the line feeds before it.
    func line(at offset: Int) -> Int {
        var lines = 1
        for index in 0..<min(max(offset, 0), bytes.count) where bytes[index] == 0x0A {
            lines += 1
        }
        return lines
    }

    /// What sits at `offset`, for a message: `'x'`, `byte 0xC3` or `end of input`.
    func found(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of input" }
        let byte = bytes[offset]
        if byte >= 0x21 && byte < 0x7F {
            return "'" + String(UnicodeScalar(byte)) + "'"
        }
        if byte == 0x20 { return "a space" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }

    /// A syntax error at the cursor: `message, found X`.
    func unexpected(_ expectation: String) -> SyntaxError {
        SyntaxError(offset: offset, message: "\(expectation), found \(found(at: offset))")
    }

    /// Consumes `word` (a literal such as `true` or `NaN`) at the cursor.
    mutating func readWord(_ word: StaticString) throws(SyntaxError) {
        let start = offset
        let matched = word.withUTF8Buffer { expected -> Bool in
            guard start + expected.count <= bytes.count else { return false }
            for index in 0..<expected.count where bytes[start + index] != expected[index] {
                return false
            }
            return true
        }
        guard matched else {
            throw SyntaxError(offset: start, message: "invalid literal; expected \(word)")
        }
        offset = start + word.utf8CodeUnitCount
        // A literal must end where a value may end, so `nullx` or `truex` is refused.
        if let next = peekByte(), Self.isWordByte(next) {
            throw SyntaxError(offset: offset, message: "invalid literal; expected \(word)")
        }
    }

    /// A kind of value, named for a type mismatch message ("found an array"), after
    /// checking that the value at the cursor is at least well-formed at its start.
    /// Throws a syntax error when no value can start at the cursor.
    mutating func describeValue() throws(SyntaxError) -> String {
        skipWhitespace()
        let start = offset
        defer { offset = start }
        guard let byte = peekByte() else {
            throw SyntaxError(offset: offset, message: "unexpected end of input")
        }
        switch byte {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""):
            _ = try readString()
            return "a string"
        case UInt8(ascii: "t"):
            try readWord("true")
            return "true"
        case UInt8(ascii: "f"):
            try readWord("false")
            return "false"
        case UInt8(ascii: "n"):
            try readWord("null")
            return "null"
        case UInt8(ascii: "N"), UInt8(ascii: "I"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try scanNumber()
            return describe(number)
        default:
            throw unexpected("expected a value")
        }
    }

    /// A scanned number for a message: `NaN`, `-Infinity`, or `the number 2.5` with
    /// the text as written (cut short when very long).
    func describe(_ number: ScannedNumber) -> String {
        let text = self.text(number.start..<number.end)
        if number.isToken { return text }
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "the number " + shown
    }

    /// The bytes in `range` as text (used for ASCII-only number tokens).
    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Letters and digits: bytes that may not directly follow a literal.
    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
