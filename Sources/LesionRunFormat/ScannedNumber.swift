/// One number token as read: its value and what its spelling says about it.
struct ScannedNumber {
    /// The nearest double to the written value (NaN or ±Infinity for those tokens).
    var value: Double
    /// The exact value when the token is a plain integer literal (no fraction, no
    /// exponent) that fits in `Int`; nil otherwise.
    var exactInteger: Int?
    /// Whether the token is `NaN`, `Infinity` or `-Infinity` rather than a JSON number.
    var isToken: Bool
    /// Where the token starts and ends in the scanned bytes.
    var start: Int
    var end: Int
}
