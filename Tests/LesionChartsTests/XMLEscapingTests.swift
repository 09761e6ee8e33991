import XCTest
@testable import LesionCharts

final class XMLEscapingTests: XCTestCase {
    func testEntities() {
        XCTAssertEqual(XMLEscaping.escape("<a & \"b\" 'c'>"), "&lt;a &amp; &quot;b&quot; &#39;c&#39;&gt;")
    }

    func testNonLatinTextIsKept() {
        XCTAssertEqual(XMLEscaping.escape("選択性 ρ Δ"), "選択性 ρ Δ")
    }

    func testCharactersXMLForbidsAreReplaced() {
        XCTAssertEqual(XMLEscaping.escape("a\u{0}b\u{1F}c\u{FFFE}"), "a b c\u{FFFD}")
    }
}
