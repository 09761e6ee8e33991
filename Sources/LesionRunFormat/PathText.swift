/// Spelling of JSON paths (`checkpoints[0].units.fc1.class_selectivity[3]`) and of
/// names inside messages.
enum PathText {
    /// The path of member `key` of the object at `parent`: `parent.key` when the key
    /// is a plain identifier, otherwise `parent["key"]` so that dots, spaces and
    /// brackets in a name cannot be misread.
    static func member(_ parent: String, _ key: String) -> String {
        if isIdentifier(key) {
            return parent.isEmpty ? key : parent + "." + key
        }
        return parent + "[" + JSONText.quoted(key) + "]"
    }

    /// The path of element `index` of the array at `parent`.
    static func element(_ parent: String, _ index: Int) -> String {
        parent + "[" + String(index) + "]"
    }

    /// A name as it appears in a message: bare when it is made of letters, digits
    /// and `_ - . / :`, otherwise as a JSON string (so a newline or an empty name
    /// stays visible and cannot break the one-line message).
    static func name(_ name: String) -> String {
        let plain = !name.isEmpty && name.utf8.allSatisfy { byte in
            isIdentifierByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
                || byte == UInt8(ascii: ":")
        }
        return plain ? name : JSONText.quoted(name)
    }

    /// `names` for a message, at most `limit` of them: `fc1, fc2, fc3 and 5 more`.
    static func list(_ names: [String], limit: Int = 8) -> String {
        let shown = names.prefix(limit).map(name).joined(separator: ", ")
        return names.count > limit ? shown + " and \(names.count - limit) more" : shown
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
            first != UInt8(ascii: "-")
        else { return false }
        return key.utf8.allSatisfy(isIdentifierByte)
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
