import XCTest

@testable import LesionRunFormat

/// Number reading: every double must come back exactly.
final class ByteScannerTests: XCTestCase {
    /// Scans `text` as one number.
    private func scan(_ text: String) throws -> ScannedNumber {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { buffer in
            var scanner = ByteScanner(buffer)
            let number = try scanner.scanNumber()
            XCTAssertEqual(scanner.offset, bytes.count, text)
            return number
        }
    }

    func testSpecialValues() throws {
        let cases: [(String, Double)] = [
            ("0", 0), ("1", 1), ("-1", -1), ("0.1", 0.1), ("1e-300", 1e-300), ("5e-324", 5e-324),
            ("4.9406564584124654e-324", 5e-324), ("2.2250738585072014e-308", 2.2250738585072014e-308),
            ("2.2250738585072011e-308", 2.2250738585072011e-308),
            ("1.7976931348623157e308", 1.7976931348623157e308), ("9007199254740993", 9007199254740992),
            ("123456789012345678901234567890", 1.2345678901234568e29), ("1E2", 100), ("1e+2", 100),
            ("0.000001", 1e-6), ("1e-05", 1e-5), ("3.0000000000000001", 3), ("-0.0", -0.0),
            ("2.5e-5", 2.5e-5), ("1.0000000000000002", 1.0000000000000002),
        ]
        for (text, expected) in cases {
            let value = try scan(text).value
            XCTAssertEqual(value.bitPattern, expected.bitPattern, text)
        }
        XCTAssertTrue(try scan("NaN").value.isNaN)
        XCTAssertEqual(try scan("Infinity").value, .infinity)
        XCTAssertEqual(try scan("-Infinity").value, -.infinity)
        XCTAssertTrue(try scan("NaN").isToken)
    }

    func testExactIntegers() throws {
        XCTAssertEqual(try scan("9223372036854775807").exactInteger, Int.max)
        XCTAssertEqual(try scan("-12").exactInteger, -12)
        XCTAssertNil(try scan("9223372036854775808").exactInteger)
        XCTAssertNil(try scan("3.0").exactInteger)
        XCTAssertNil(try scan("3e0").exactInteger)
    }

    func testIntegralValueDecidedFromDigits() throws {
        func integral(_ text: String) throws -> Bool {
            let bytes = Array(text.utf8)
            return try bytes.withUnsafeBytes { buffer in
                var scanner = ByteScanner(buffer)
                let number = try scanner.scanNumber()
                return scanner.isIntegral(number)
            }
        }
        for text in ["3", "3.0", "3e0", "30e-1", "300e-2", "0.3e1", "0", "0.0e-5", "1e300", "-4.000"] {
            XCTAssertTrue(try integral(text), text)
        }
        for text in ["3.5", "3.0000000000000001", "31e-1", "1e-1", "0.03e1", "4503599627370496.5"] {
            XCTAssertFalse(try integral(text), text)
        }
    }

    /// Random bit patterns, written the way Swift (and Python's repr) writes them:
    /// the shortest text that round-trips must read back as the same bits.
    func testRandomDoublesRoundTrip() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            XCTAssertEqual(try scan(value.description).value.bitPattern, value.bitPattern, value.description)
            let written = JSONText.number(value)
            let reread = try scan(written).value
            XCTAssertTrue(reread == value, "\(written)")
        }
    }

    /// Random decimal texts of many shapes against the standard library's parser.
    func testRandomDecimalsAgreeWithTheStandardLibrary() throws {
        var generator = SplitMix64(seed: 11)
        for _ in 0..<200_000 {
            let digits = 1 + Int(generator.next() % 24)
            var text = generator.next() % 2 == 0 ? "-" : ""
            let integerDigits = Int(generator.next() % UInt64(digits + 1))
            let digitText = (0..<digits).map { index -> String in
                let digit = generator.next() % 10
                return String(index == 0 && integerDigits > 1 && digit == 0 ? 1 : digit)
            }.joined()
            if integerDigits == 0 {
                text += "0." + digitText
            } else if integerDigits == digits {
                text += digitText
            } else {
                text += digitText.prefix(integerDigits) + "." + digitText.dropFirst(integerDigits)
            }
            if generator.next() % 2 == 0 {
                text += "e" + String(Int(generator.next() % 640) - 330)
            }
            let expected = try XCTUnwrap(Double(text), text)
            guard expected.isFinite else { continue }
            XCTAssertEqual(try scan(text).value.bitPattern, expected.bitPattern, text)
        }
    }

    func testHalfwayCasesRoundToEven() throws {
        // 2^53 + 1 lies halfway between two doubles: rounds to the even one.
        XCTAssertEqual(try scan("9007199254740993").value, 9007199254740992)
        XCTAssertEqual(try scan("9007199254740995").value, 9007199254740996)
        // Just above halfway must round up.
        XCTAssertEqual(try scan("9007199254740993.0000000001").value, 9007199254740994)
    }
}
