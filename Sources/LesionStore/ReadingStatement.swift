/// Tells, from its first keyword, whether a PostgreSQL statement may run in a
/// read-only console. `BEGIN READ ONLY` refuses writes to the database, but some
/// statements count as reading there and still act: `COPY … TO 'file'` writes a
/// file on the server, `SET ROLE` changes who the session is, `COMMIT` ends the
/// read-only transaction. This admits only the statements that produce rows from a
/// query, before anything is sent to the server.
enum ReadingStatement {
    /// First keywords of statements that only read.
    static let readingKeywords: Set<String> = ["SELECT", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN"]

    /// True when `sql` starts (after white space, comments and opening parentheses)
    /// with one of `readingKeywords`.
    static func isReading(_ sql: String) -> Bool {
        readingKeywords.contains(firstKeyword(sql).uppercased())
    }

    /// The first word of `sql`, after white space, `--` and `/* */` comments (nested,
    /// as PostgreSQL allows) and opening parentheses.
    static func firstKeyword(_ sql: String) -> String {
        let bytes = Array(sql.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "(") || (0x09...0x0D).contains(byte) {
                index += 1
            } else if byte == UInt8(ascii: "-"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "-") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                var depth = 0
                repeat {
                    if bytes[index] == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                        depth += 1
                        index += 2
                    } else if bytes[index] == UInt8(ascii: "*"), index + 1 < bytes.count,
                        bytes[index + 1] == UInt8(ascii: "/")
                    {
                        depth -= 1
                        index += 2
                    } else {
                        index += 1
                    }
                } while depth > 0 && index < bytes.count
            } else {
                break
            }
        }
        var end = index
        while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
        return String(decoding: bytes[index..<end], as: UTF8.self)
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "_")
    }
}
