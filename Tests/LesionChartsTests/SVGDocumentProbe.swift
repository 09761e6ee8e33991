import Foundation
#if canImport(FoundationXML)
import FoundationXML  // On Linux XMLParser lives in FoundationXML, not Foundation.
#endif

/// Parses an SVG document with XMLParser and counts what the tests look for.
final class SVGDocumentProbe: NSObject, XMLParserDelegate {
    /// Whether the document parsed as well-formed XML.
    private(set) var isWellFormed = false
    /// The root element's attributes.
    private(set) var rootAttributes: [String: String] = [:]
    /// Element name → count.
    private(set) var elementCounts: [String: Int] = [:]
    /// Counts of elements by the class of their nearest enclosing `<g>` with a class.
    private(set) var countsByGroup: [String: [String: Int]] = [:]
    /// Text content of every `<text>` element, in document order.
    private(set) var texts: [String] = []
    /// Attributes of every element, in document order.
    private(set) var elements: [(name: String, attributes: [String: String])] = []

    private var groupStack: [String?] = []
    private var currentText: String?

    /// Parses `svg`; check `isWellFormed` afterwards.
    init(svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        isWellFormed = parser.parse()
    }

    /// How many `name` elements lie inside a group whose class is `group`.
    func count(_ name: String, inGroup group: String) -> Int { countsByGroup[group]?[name] ?? 0 }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        if elements.isEmpty { rootAttributes = attributeDict }
        elements.append((elementName, attributeDict))
        elementCounts[elementName, default: 0] += 1
        if let group = groupStack.last(where: { $0 != nil }) ?? nil {
            countsByGroup[group, default: [:]][elementName, default: 0] += 1
        }
        if elementName == "g" { groupStack.append(attributeDict["class"]) }
        if elementName == "text" { currentText = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        currentText? += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        if elementName == "g" { groupStack.removeLast() }
        if elementName == "text", let text = currentText {
            texts.append(text)
            currentText = nil
        }
    }
}
