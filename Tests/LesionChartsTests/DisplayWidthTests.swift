import XCTest
@testable import LesionCharts

final class DisplayWidthTests: XCTestCase {
    func testColumns() {
        XCTAssertEqual(DisplayWidth.columns("fc1"), 3)
        XCTAssertEqual(DisplayWidth.columns("⣿⠁●"), 3)
        XCTAssertEqual(DisplayWidth.columns("選択"), 4)
        XCTAssertEqual(DisplayWidth.columns("e\u{301}"), 1)
        XCTAssertEqual(DisplayWidth.columns("\u{1B}[38;5;25m●\u{1B}[0m"), 1)
        XCTAssertEqual(DisplayWidth.columns("ρ=-0.04"), 7)
    }

    func testTruncationRespectsWideCharacters() {
        XCTAssertEqual(DisplayWidth.truncated("abcdef", toColumns: 4), "abc…")
        XCTAssertEqual(DisplayWidth.truncated("選択性", toColumns: 4), "選…")
        XCTAssertEqual(DisplayWidth.truncated("abc", toColumns: 3), "abc")
        XCTAssertEqual(DisplayWidth.truncated("abc", toColumns: 0), "")
    }

    func testSanitizedReplacesControls() {
        XCTAssertEqual(DisplayWidth.sanitized("a\nb\u{1B}c\u{9B}d"), "a b c d")
        XCTAssertEqual(DisplayWidth.sanitized("  x \t", trimmed: true), "x")
    }
}
