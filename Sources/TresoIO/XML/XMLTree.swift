import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TresoCore

/// A parsed XML element: namespace URI + local name (prefixes are resolved away, so `rsm:`, `ram:`
/// or a default namespace all compare equal), attributes, text and children.
/// Built by Foundation's XMLParser (libxml2 on Linux); the readers query it, they never scan text.
final class XElement: @unchecked Sendable {
    let namespace: String
    let name: String
    let attributes: [String: String]
    var text = ""
    var children: [XElement] = []
    /// 1-based line where the element starts in the source (for diagnostics).
    let line: Int
    /// 1-based column just after its start tag, where its text begins (libxml2's position when it
    /// reports the element; 0 when unknown).
    let column: Int

    init(namespace: String, name: String, attributes: [String: String], line: Int, column: Int = 0) {
        self.namespace = namespace; self.name = name; self.attributes = attributes; self.line = line
        self.column = column
    }

    /// First child with this local name (any namespace when `ns` is nil).
    func child(_ name: String, ns: String? = nil) -> XElement? {
        children.first { $0.name == name && (ns == nil || $0.namespace == ns) }
    }

    func all(_ name: String) -> [XElement] { children.filter { $0.name == name } }

    /// Follows a path of local names, each step the first matching child.
    func path(_ names: String...) -> XElement? { path(names) }

    func path(_ names: [String]) -> XElement? {
        var e: XElement? = self
        for n in names { e = e?.child(n) }
        return e
    }

    /// Text of the element at `names`, trimmed; nil when absent or empty.
    func value(_ names: String...) -> String? {
        guard let e = path(names) else { return nil }
        let t = e.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    var trimmedText: String? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    /// Every descendant (depth first) with this local name.
    func descendants(_ name: String) -> [XElement] {
        var out: [XElement] = []
        var stack: [XElement] = children.reversed()
        while let e = stack.popLast() {
            if e.name == name { out.append(e) }
            stack.append(contentsOf: e.children.reversed())
        }
        return out
    }
}

enum XMLTree {
    /// Parses a whole document; a BOM, an XML declaration and comments before the root are fine.
    /// Depth is bounded so a hostile file cannot exhaust the stack of the readers that walk the tree.
    static func parse(_ bytes: [UInt8], displayName: String) -> Result<XElement, Diagnostic> {
        let builder = TreeBuilder()
        let parser = XMLParser(data: Data(utf8Document(bytes)))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        builder.parser = parser
        let ok = parser.parse()
        if let failure = builder.failure {
            return .failure(.error(displayName, line: failure.line, failure.message))
        }
        guard ok, let root = builder.root else {
            let line = parser.lineNumber
            let why = parser.parserError.map { describe($0) } ?? "not well-formed XML"
            return .failure(.error(displayName, line: max(line, 0), "not a readable XML document: \(why)"))
        }
        return .success(root)
    }

    /// FoundationXML traps (swift-corelibs-foundation) when libxml2 hands it a name that is not valid UTF-8, which
    /// a file declared UTF-8 but written in Latin-1 produces: the parser only ever gets valid UTF-8. A UTF-16
    /// file is transcoded; invalid UTF-8 is read as Windows-1252 (its encoding declaration then says UTF-8).
    static func utf8Document(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let le = bytes[0] == 0xFF
            return relabel(bytes.withUnsafeBufferPointer { CSVTextDecoding.transcodeUTF16($0, littleEndian: le) })
        }
        if String(validating: bytes, as: UTF8.self) != nil { return bytes }
        return relabel(bytes.withUnsafeBufferPointer { CSVTextDecoding.windows1252ToUTF8($0, from: 0) })
    }

    /// Drops the `encoding="…"` of the XML declaration, so libxml2 reads the (now UTF-8) bytes as UTF-8.
    private static func relabel(_ b: [UInt8]) -> [UInt8] {
        var start = 0
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        guard b.count > start + 5, Array(b[start..<(start + 5)]) == Array("<?xml".utf8),
              let end = b[start...].firstIndex(of: UInt8(ascii: ">")) else { return b }
        let decl = String(decoding: b[start...end], as: UTF8.self)
        guard let r = decl.range(of: "encoding") else { return b }
        var cut = decl[r.lowerBound...]
        guard let q1 = cut.firstIndex(where: { $0 == "\"" || $0 == "'" }) else { return b }
        let quote = cut[q1]
        cut = cut[cut.index(after: q1)...]
        guard let q2 = cut.firstIndex(of: quote) else { return b }
        let newDecl = String(decl[..<r.lowerBound]) + String(decl[decl.index(after: q2)...])
        return Array(b[..<start]) + Array(newDecl.utf8) + Array(b[(end + 1)...])
    }

    private static func describe(_ error: Error) -> String {
        let ns = error as NSError
        return "XML parser error \(ns.code)"
    }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    static let maxDepth = 256
    var root: XElement?
    var stack: [XElement] = []
    weak var parser: XMLParser?
    var failure: (line: Int, message: String)?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        if stack.count >= Self.maxDepth {
            failure = (parser.lineNumber, "XML nested deeper than \(Self.maxDepth) elements")
            parser.abortParsing()
            return
        }
        let e = XElement(namespace: namespaceURI ?? "", name: elementName, attributes: attributeDict,
                           line: parser.lineNumber, column: max(0, parser.columnNumber + 1))
        if let parent = stack.last { parent.children.append(e) } else if root == nil { root = e }
        stack.append(e)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        _ = stack.popLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
    }
}
