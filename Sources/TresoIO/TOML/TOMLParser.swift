import TresoCore

// The TOML 1.0 reader. See TOML.swift for why it exists and what it guarantees.
//
// It builds a tree of reference-type tables while reading (TOML's "table already defined" rules need
// to know how each table came to exist), then converts that tree to the public value types. The editor
// reuses the same tree, which also records where each value's bytes are and where a new key line
// could go.

/// ASCII bytes the reader cares about.
enum Byte {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22          // "
    static let hash: UInt8 = 0x23           // #
    static let apostrophe: UInt8 = 0x27     // '
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let colon: UInt8 = 0x3A
    static let equals: UInt8 = 0x3D
    static let lbracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let rbracket: UInt8 = 0x5D
    static let underscore: UInt8 = 0x5F
    static let lbrace: UInt8 = 0x7B
    static let rbrace: UInt8 = 0x7D
    static let del: UInt8 = 0x7F

    static func isDigit(_ c: UInt8) -> Bool { c >= zero && c <= nine }
    static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isLetter(c) }
    static func isHex(_ c: UInt8) -> Bool { isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) }
    static func hexValue(_ c: UInt8) -> UInt32 {
        isDigit(c) ? UInt32(c - zero) : UInt32((c | 0x20) - 0x61 + 10)
    }
    /// Control characters TOML forbids in strings and comments (everything below U+0020 but tab, and DEL).
    static func isForbiddenControl(_ c: UInt8) -> Bool { (c < 0x20 && c != tab) || c == del }
}

/// A table while reading. Reference type so dotted keys and headers can reach into it.
final class PTable {
    enum Kind {
        case root
        /// Created only as the parent of a header (`a` in `[a.b]`); may still be defined later.
        case implicit
        /// Defined by a `[header]`.
        case header
        /// Created by a dotted key (`a` in `a.b = 1`).
        case dotted
        /// One `[[header]]` element.
        case arrayElement
        /// The top of an inline table `{ … }` (converted to a value once closed).
        case inline
    }

    var kind: Kind
    var keys: [String] = []
    var items: [String: PEntry] = [:]
    var position: TOMLPosition
    var keyPosition: TOMLPosition
    /// Nesting level (root = 0), capped so conversion and destruction cannot exhaust the stack.
    let depth: Int
    /// For a dotted table: its key path relative to the table of the section it was written in.
    var prefix: [String] = []
    /// Byte offset just after the last line that defines a key in this table (or after its header):
    /// where the editor inserts a new key. Nil for a root without keys and for implicit tables.
    var insertAfter: Int?
    /// Byte offset of the start of that line (its indentation is reused for inserted keys).
    var lastLineStart: Int?

    init(kind: Kind, position: TOMLPosition, keyPosition: TOMLPosition, depth: Int) {
        self.kind = kind
        self.position = position
        self.keyPosition = keyPosition
        self.depth = depth
    }

    func add(_ key: String, _ entry: PEntry) {
        keys.append(key)
        items[key] = entry
    }
}

/// An array of tables while reading.
final class PTableArray {
    var elements: [PTable] = []
    let position: TOMLPosition
    let keyPosition: TOMLPosition

    init(position: TOMLPosition, keyPosition: TOMLPosition) {
        self.position = position
        self.keyPosition = keyPosition
    }
}

/// A value (scalar, array or inline table) and where its bytes are.
struct PValue {
    var node: TOMLNode
    /// The value's bytes in the source.
    var range: Range<Int>
    /// Byte offset where the key of this value starts (first part of a dotted key).
    var keyStart: Int

    var isInlineTable: Bool {
        if case .table = node.value { return true }
        return false
    }
}

enum PEntry {
    case value(PValue)
    case table(PTable)
    case tables(PTableArray)
}

/// A `[header]` or `[[header]]` section (or the root section, before any header).
struct TOMLSection {
    var path: [String]
    var isArray: Bool
    /// Byte offset of the start of the header's line (the root section: the start of the text).
    var lineStart: Int
    /// Byte offset just after the section's last header or key-value line (its newline included).
    var contentEnd: Int
}

/// One part of a (possibly dotted) key and where it starts.
struct KeySegment {
    var name: String
    var offset: Int
}

struct TOMLParser {
    static let maxDepth = 128

    let b: [UInt8]
    /// Read position.
    var i: Int
    /// Offset of the first byte after the byte-order mark, if any.
    let bodyStart: Int
    /// Byte offset where each line starts; line 1 starts after the byte-order mark.
    let lineStarts: [Int]
    let root: PTable
    /// The table that key-value lines currently go into.
    var current: PTable
    var sections: [TOMLSection]

    init(_ bytes: [UInt8]) {
        b = bytes
        let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        bodyStart = bom
        i = bom
        var starts = [bom]
        for (k, c) in bytes.enumerated() where c == Byte.lf {
            starts.append(k + 1)
        }
        lineStarts = starts
        let origin = TOMLPosition(line: 1, column: 1)
        root = PTable(kind: .root, position: origin, keyPosition: origin, depth: 0)
        current = root
        sections = [TOMLSection(path: [], isArray: false, lineStart: bom, contentEnd: bom)]
    }

    // MARK: Positions and messages

    /// Index into `lineStarts` of the line containing `offset`.
    func lineIndex(_ offset: Int) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    func lineStart(of offset: Int) -> Int {
        lineStarts[lineIndex(offset)]
    }

    func position(_ offset: Int) -> TOMLPosition {
        let line = lineIndex(offset)
        var column = 1
        var k = lineStarts[line]
        let end = min(offset, b.count)
        while k < end {
            if b[k] & 0xC0 != 0x80 { column += 1 }
            k += 1
        }
        return TOMLPosition(line: line + 1, column: column)
    }

    func error(_ offset: Int, _ message: String) -> TOMLError {
        TOMLError(position(offset), message)
    }

    /// What is at `offset`, for messages: "`x`", "end of line", "end of file"…
    func describe(_ offset: Int) -> String {
        guard offset >= 0, offset < b.count else { return "end of file" }
        let c = b[offset]
        switch c {
        case Byte.lf:
            return "end of line"
        case Byte.cr:
            return offset + 1 < b.count && b[offset + 1] == Byte.lf ? "end of line" : "a carriage return"
        case Byte.tab:
            return "a tab"
        case Byte.space:
            return "a space"
        case 0x21...0x7E:
            return "`" + String(decoding: [c], as: UTF8.self) + "`"
        case 0x00..<0x20, Byte.del:
            return "control character " + Self.scalarName(UInt32(c))
        default:
            var end = offset + 1
            while end < b.count, end - offset < 4, b[end] & 0xC0 == 0x80 { end += 1 }
            return "`" + String(decoding: b[offset..<end], as: UTF8.self) + "`"
        }
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func scalarName(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Text from `start` up to the next separator, for messages about a malformed value.
    func token(from start: Int) -> String {
        var k = start
        while k < b.count {
            switch b[k] {
            case Byte.space, Byte.tab, Byte.lf, Byte.cr, Byte.comma, Byte.rbracket, Byte.rbrace, Byte.hash: break
            default: k += 1; continue
            }
            break
        }
        return String(decoding: b[min(start, k)..<k], as: UTF8.self)
    }

    static func dotted(_ segments: some Sequence<KeySegment>) -> String {
        segments.map { tomlKey($0.name) }.joined(separator: ".")
    }

    // MARK: Document structure

    mutating func parseDocument() throws(TOMLError) {
        while true {
            skipWhitespace()
            guard i < b.count else { return }
            switch b[i] {
            case Byte.lbracket:
                try parseHeader()
            case Byte.lf, Byte.cr, Byte.hash:
                try endOfLine(after: "")
            default:
                let lineStart = lineStart(of: i)
                let touched = try parseKeyValue(into: current)
                try endOfLine(after: "value")
                for table in touched {
                    table.insertAfter = i
                    table.lastLineStart = lineStart
                }
                if let last = sections.indices.last { sections[last].contentEnd = i }
            }
        }
    }

    mutating func skipWhitespace() {
        while i < b.count, b[i] == Byte.space || b[i] == Byte.tab { i += 1 }
    }

    /// Expects optional whitespace, an optional comment, then a newline or the end of the text.
    mutating func endOfLine(after what: String) throws(TOMLError) {
        skipWhitespace()
        if i < b.count, b[i] == Byte.hash { try skipComment() }
        guard i < b.count else { return }
        if b[i] == Byte.lf { i += 1; return }
        if b[i] == Byte.cr {
            if i + 1 < b.count, b[i + 1] == Byte.lf { i += 2; return }
            throw error(i, "carriage return without line feed; lines must end with LF or CRLF")
        }
        let found = describe(i)
        throw error(i, what.isEmpty ? "unexpected \(found)" : "unexpected \(found) after \(what); expected a new line or a # comment")
    }

    /// From `#` up to (not including) the end of the line.
    mutating func skipComment() throws(TOMLError) {
        i += 1
        while i < b.count {
            let c = b[i]
            if c == Byte.lf { return }
            if c == Byte.cr {
                if i + 1 < b.count, b[i + 1] == Byte.lf { return }
                throw error(i, "carriage return without line feed; lines must end with LF or CRLF")
            }
            if Byte.isForbiddenControl(c) {
                throw error(i, "control character \(Self.scalarName(UInt32(c))) is not allowed in a comment")
            }
            i += 1
        }
    }

    /// Whitespace, comments and newlines (inside arrays).
    mutating func skipTrivia() throws(TOMLError) {
        while true {
            skipWhitespace()
            guard i < b.count else { return }
            switch b[i] {
            case Byte.hash: try skipComment()
            case Byte.lf: i += 1
            case Byte.cr:
                guard i + 1 < b.count, b[i + 1] == Byte.lf else {
                    throw error(i, "carriage return without line feed; lines must end with LF or CRLF")
                }
                i += 2
            default: return
            }
        }
    }

    // MARK: Keys

    static func isBareKeyByte(_ c: UInt8) -> Bool {
        Byte.isAlnum(c) || c == Byte.minus || c == Byte.underscore
    }

    mutating func parseKey() throws(TOMLError) -> [KeySegment] {
        var segments: [KeySegment] = []
        while true {
            skipWhitespace()
            segments.append(try parseSimpleKey())
            skipWhitespace()
            if i < b.count, b[i] == Byte.dot {
                i += 1
                continue
            }
            return segments
        }
    }

    mutating func parseSimpleKey() throws(TOMLError) -> KeySegment {
        let start = i
        guard i < b.count else { throw error(i, "expected a key, found end of file") }
        switch b[i] {
        case Byte.quote:
            if startsTriple(Byte.quote) { throw error(start, "a key cannot be a multi-line string") }
            return KeySegment(name: try parseBasicString(), offset: start)
        case Byte.apostrophe:
            if startsTriple(Byte.apostrophe) { throw error(start, "a key cannot be a multi-line string") }
            return KeySegment(name: try parseLiteralString(), offset: start)
        default:
            while i < b.count, Self.isBareKeyByte(b[i]) { i += 1 }
            guard i > start else { throw error(start, "expected a key, found \(describe(start))") }
            return KeySegment(name: String(decoding: b[start..<i], as: UTF8.self), offset: start)
        }
    }

    // MARK: Key-value pairs and headers

    /// Reads `key = value` and stores it in `table`. Returns the tables that received a key
    /// (`table` and the tables on a dotted key's path).
    @discardableResult
    mutating func parseKeyValue(into table: PTable) throws(TOMLError) -> [PTable] {
        let keyStart = i
        let segments = try parseKey()
        skipWhitespace()
        guard i < b.count, b[i] == Byte.equals else {
            throw error(i, "expected `=` after key `\(Self.dotted(segments))`, found \(describe(i))")
        }
        i += 1
        skipWhitespace()
        let valueStart = i
        guard let last = segments.last else { throw error(keyStart, "expected a key") }

        // Resolve the dotted path before reading the value, so errors come out in reading order.
        var target = table
        var touched = [table]
        for (n, segment) in segments.dropLast().enumerated() {
            let path = Self.dotted(segments[0...n])
            switch target.items[segment.name] {
            case nil:
                let sub = try makeTable(.dotted, parent: target, at: segment.offset, keyAt: segment.offset)
                sub.prefix = target.prefix + [segment.name]
                target.add(segment.name, .table(sub))
                target = sub
            case .table(let sub)?:
                switch sub.kind {
                case .dotted:
                    target = sub
                case .implicit:
                    // Only a header's parent so far: dotted keys now define it.
                    sub.kind = .dotted
                    sub.prefix = target.prefix + [segment.name]
                    target = sub
                case .header, .arrayElement, .root, .inline:
                    throw error(segment.offset, "cannot add keys to table `\(path)` with dotted keys: it is defined by a header on line \(sub.position.line)")
                }
            case .tables(let array)?:
                throw error(segment.offset, "cannot add keys to `\(path)` with dotted keys: it is an array of tables (line \(array.position.line))")
            case .value(let value)?:
                if value.isInlineTable {
                    throw error(segment.offset, "cannot add keys to inline table `\(path)` (line \(value.node.keyPosition.line)): an inline table is complete once written")
                }
                throw error(segment.offset, "key `\(path)` already has a value (line \(value.node.keyPosition.line)); it cannot also be a table")
            }
            touched.append(target)
        }
        if let existing = target.items[last.name] {
            let line: Int
            switch existing {
            case .value(let v): line = v.node.keyPosition.line
            case .table(let t): line = t.keyPosition.line
            case .tables(let a): line = a.keyPosition.line
            }
            throw error(last.offset, "duplicate key `\(Self.dotted(segments))` (first defined on line \(line))")
        }

        var node = try parseValue(depth: target.depth + 1)
        node.keyPosition = position(last.offset)
        target.add(last.name, .value(PValue(node: node, range: valueStart..<i, keyStart: keyStart)))
        return touched
    }

    func makeTable(_ kind: PTable.Kind, parent: PTable, at offset: Int, keyAt keyOffset: Int) throws(TOMLError) -> PTable {
        let depth = parent.depth + 1
        guard depth <= Self.maxDepth else {
            throw error(keyOffset, "tables are nested too deeply (more than \(Self.maxDepth) levels)")
        }
        return PTable(kind: kind, position: position(offset), keyPosition: position(keyOffset), depth: depth)
    }

    mutating func parseHeader() throws(TOMLError) {
        let start = i
        let isArray = i + 1 < b.count && b[i + 1] == Byte.lbracket
        i += isArray ? 2 : 1
        let segments = try parseKey()
        guard i < b.count, b[i] == Byte.rbracket else {
            throw error(i, "expected `\(isArray ? "]]" : "]")` to close the table header, found \(describe(i))")
        }
        i += 1
        if isArray {
            guard i < b.count, b[i] == Byte.rbracket else {
                throw error(i, "expected `]]` to close the array-of-tables header, found \(describe(i))")
            }
            i += 1
        }
        guard let last = segments.last else { throw error(start, "expected a key") }
        let headerPosition = position(start)

        var parent = root
        for (n, segment) in segments.dropLast().enumerated() {
            let path = Self.dotted(segments[0...n])
            switch parent.items[segment.name] {
            case nil:
                let sub = try makeTable(.implicit, parent: parent, at: start, keyAt: segment.offset)
                parent.add(segment.name, .table(sub))
                parent = sub
            case .table(let sub)?:
                parent = sub
            case .tables(let array)?:
                guard let element = array.elements.last else { throw error(segment.offset, "empty array of tables `\(path)`") }
                parent = element
            case .value(let value)?:
                if value.isInlineTable {
                    throw error(segment.offset, "cannot add to inline table `\(path)` (line \(value.node.keyPosition.line)): an inline table is complete once written")
                }
                throw error(segment.offset, "key `\(path)` already has a value (line \(value.node.keyPosition.line)); it cannot also be a table")
            }
        }

        let path = Self.dotted(segments)
        let table: PTable
        if isArray {
            switch parent.items[last.name] {
            case nil:
                let array = PTableArray(position: headerPosition, keyPosition: position(last.offset))
                table = try makeTable(.arrayElement, parent: parent, at: start, keyAt: start)
                array.elements.append(table)
                parent.add(last.name, .tables(array))
            case .tables(let array)?:
                table = try makeTable(.arrayElement, parent: parent, at: start, keyAt: start)
                array.elements.append(table)
            case .table(let sub)?:
                throw error(last.offset, "`\(path)` is already a table (line \(sub.position.line)); it cannot also be an array of tables")
            case .value(let value)?:
                if case .array = value.node.value {
                    throw error(last.offset, "cannot append to `\(path)`: it is a static array (line \(value.node.keyPosition.line))")
                }
                if value.isInlineTable {
                    throw error(last.offset, "`\(path)` is already an inline table (line \(value.node.keyPosition.line))")
                }
                throw error(last.offset, "key `\(path)` already has a value (line \(value.node.keyPosition.line)); it cannot also be an array of tables")
            }
        } else {
            switch parent.items[last.name] {
            case nil:
                table = try makeTable(.header, parent: parent, at: start, keyAt: last.offset)
                parent.add(last.name, .table(table))
            case .table(let sub)?:
                switch sub.kind {
                case .implicit:
                    sub.kind = .header
                    sub.position = headerPosition
                    sub.keyPosition = position(last.offset)
                    table = sub
                case .dotted:
                    throw error(last.offset, "table `\(path)` is already defined by dotted keys on line \(sub.keyPosition.line)")
                case .header, .arrayElement, .root, .inline:
                    throw error(last.offset, "table `\(path)` is already defined (line \(sub.position.line))")
                }
            case .tables(let array)?:
                throw error(last.offset, "`\(path)` is already an array of tables (line \(array.position.line)); it cannot also be a table")
            case .value(let value)?:
                if value.isInlineTable {
                    throw error(last.offset, "table `\(path)` is already defined as an inline table (line \(value.node.keyPosition.line))")
                }
                throw error(last.offset, "key `\(path)` already has a value (line \(value.node.keyPosition.line)); it cannot also be a table")
            }
        }

        try endOfLine(after: "table header")
        table.insertAfter = i
        table.lastLineStart = lineStart(of: start)
        current = table
        sections.append(TOMLSection(path: segments.map(\.name), isArray: isArray, lineStart: lineStart(of: start), contentEnd: i))
    }

    // MARK: Values

    mutating func parseValue(depth: Int) throws(TOMLError) -> TOMLNode {
        let start = i
        guard i < b.count else { throw error(i, "expected a value, found end of file") }
        let value: TOMLValue
        var isScalar = true
        switch b[i] {
        case Byte.quote:
            value = .string(startsTriple(Byte.quote) ? try parseMultilineBasicString() : try parseBasicString())
        case Byte.apostrophe:
            value = .string(startsTriple(Byte.apostrophe) ? try parseMultilineLiteralString() : try parseLiteralString())
        case Byte.lbracket:
            value = .array(try parseArray(depth: depth))
            isScalar = false
        case Byte.lbrace:
            value = .table(try parseInlineTable(depth: depth))
            isScalar = false
        case Byte.zero...Byte.nine, Byte.plus, Byte.minus:
            value = try parseNumberOrDate()
        case let c where Byte.isLetter(c):
            value = try parseWord()
        case Byte.lf, Byte.cr, Byte.hash:
            throw error(start, "expected a value, found \(describe(start))")
        default:
            throw error(start, "expected a value, found \(describe(start))")
        }
        let position = position(start)
        let literal = isScalar ? String(decoding: b[start..<i], as: UTF8.self) : ""
        return TOMLNode(value: value, position: position, keyPosition: position, literal: literal)
    }

    /// `true`, `false`, `inf`, `nan`; anything else bare is an error.
    mutating func parseWord() throws(TOMLError) -> TOMLValue {
        let start = i
        var end = i
        while end < b.count, Self.isBareKeyByte(b[end]) { end += 1 }
        let word = String(decoding: b[start..<end], as: UTF8.self)
        switch word {
        case "true": i = end; return .bool(true)
        case "false": i = end; return .bool(false)
        case "inf", "nan": i = end; return .float(word)
        default:
            throw error(start, "invalid value `\(word)` (strings must be in quotes)")
        }
    }

    mutating func parseArray(depth: Int) throws(TOMLError) -> [TOMLNode] {
        let start = i
        guard depth <= Self.maxDepth else {
            throw error(start, "arrays and tables are nested too deeply (more than \(Self.maxDepth) levels)")
        }
        i += 1
        var items: [TOMLNode] = []
        while true {
            try skipTrivia()
            guard i < b.count else { throw error(start, "unterminated array: missing `]`") }
            if b[i] == Byte.rbracket {
                i += 1
                return items
            }
            items.append(try parseValue(depth: depth + 1))
            try skipTrivia()
            guard i < b.count else { throw error(start, "unterminated array: missing `]`") }
            switch b[i] {
            case Byte.comma:
                i += 1
            case Byte.rbracket:
                i += 1
                return items
            default:
                throw error(i, "expected `,` or `]` in array, found \(describe(i))")
            }
        }
    }

    mutating func parseInlineTable(depth: Int) throws(TOMLError) -> TOMLTable {
        Self.convert(try parseInlineTableTree(depth: depth))
    }

    /// The inline table starting at `i` (its `{`) as a tree whose values keep their byte ranges, for the
    /// editor; the table's `insertAfter` is the offset of its closing `}`.
    mutating func parseInlineTableTree(depth: Int) throws(TOMLError) -> PTable {
        let start = i
        guard depth <= Self.maxDepth else {
            throw error(start, "arrays and tables are nested too deeply (more than \(Self.maxDepth) levels)")
        }
        let table = PTable(kind: .inline, position: position(start), keyPosition: position(start), depth: depth)
        i += 1
        skipWhitespace()
        if i < b.count, b[i] == Byte.rbrace {
            table.insertAfter = i
            i += 1
            return table
        }
        while true {
            skipWhitespace()
            guard i < b.count else { throw error(start, "unterminated inline table: missing `}`") }
            if b[i] == Byte.lf || b[i] == Byte.cr {
                throw error(i, "newlines are not allowed inside an inline table; close it with `}` on this line or use a [table] section")
            }
            try parseKeyValue(into: table)
            skipWhitespace()
            guard i < b.count else { throw error(start, "unterminated inline table: missing `}`") }
            switch b[i] {
            case Byte.comma:
                i += 1
                skipWhitespace()
                if i < b.count, b[i] == Byte.rbrace {
                    throw error(i, "a trailing comma is not allowed in an inline table")
                }
            case Byte.rbrace:
                table.insertAfter = i
                i += 1
                return table
            case Byte.lf, Byte.cr:
                throw error(i, "newlines are not allowed inside an inline table; close it with `}` on this line or use a [table] section")
            default:
                throw error(i, "expected `,` or `}` in inline table, found \(describe(i))")
            }
        }
    }

    // MARK: Strings

    func startsTriple(_ q: UInt8) -> Bool {
        i + 2 < b.count && b[i] == q && b[i + 1] == q && b[i + 2] == q
    }

    mutating func parseBasicString() throws(TOMLError) -> String {
        let start = i
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < b.count else { throw error(start, "unterminated string: missing closing `\"`") }
            let c = b[i]
            switch c {
            case Byte.quote:
                i += 1
                return String(decoding: out, as: UTF8.self)
            case Byte.backslash:
                try parseEscape(into: &out, stringStart: start)
            case Byte.lf, Byte.cr:
                throw error(start, "unterminated string: missing closing `\"` before the end of the line (use \"\"\" for a multi-line string)")
            default:
                if Byte.isForbiddenControl(c) {
                    throw error(i, "control character \(Self.scalarName(UInt32(c))) must be escaped in a string")
                }
                out.append(c)
                i += 1
            }
        }
    }

    mutating func parseLiteralString() throws(TOMLError) -> String {
        let start = i
        i += 1
        let contentStart = i
        while true {
            guard i < b.count else { throw error(start, "unterminated string: missing closing `'`") }
            let c = b[i]
            switch c {
            case Byte.apostrophe:
                let s = String(decoding: b[contentStart..<i], as: UTF8.self)
                i += 1
                return s
            case Byte.lf, Byte.cr:
                throw error(start, "unterminated string: missing closing `'` before the end of the line (use ''' for a multi-line string)")
            default:
                if Byte.isForbiddenControl(c) {
                    throw error(i, "control character \(Self.scalarName(UInt32(c))) is not allowed in a literal string")
                }
                i += 1
            }
        }
    }

    /// At a backslash: appends the escaped character.
    mutating func parseEscape(into out: inout [UInt8], stringStart: Int) throws(TOMLError) {
        let start = i
        i += 1
        guard i < b.count else { throw error(stringStart, "unterminated string") }
        let c = b[i]
        i += 1
        switch c {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case Byte.quote: out.append(Byte.quote)
        case Byte.backslash: out.append(Byte.backslash)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = c == UInt8(ascii: "u") ? 4 : 8
            var v: UInt32 = 0
            for _ in 0..<count {
                guard i < b.count, Byte.isHex(b[i]) else {
                    throw error(start, "invalid escape sequence: `\\\(c == UInt8(ascii: "u") ? "u" : "U")` needs \(count) hexadecimal digits")
                }
                v = v << 4 | Byte.hexValue(b[i])
                i += 1
            }
            guard let scalar = Unicode.Scalar(v) else {
                throw error(start, "invalid escape sequence: \(Self.scalarName(v)) is not a Unicode scalar value")
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            i -= 1
            let shown: String
            if c >= 0x21 && c <= 0x7E {
                shown = "`\\" + String(decoding: [c], as: UTF8.self) + "`"
            } else {
                shown = "backslash followed by " + describe(i)
            }
            throw error(start, "invalid escape sequence \(shown)")
        }
    }

    mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        let start = i
        i += 3
        skipNewlineAfterOpeningDelimiter()
        var out: [UInt8] = []
        while true {
            guard i < b.count else { throw error(start, "unterminated multi-line string: missing closing `\"\"\"`") }
            let c = b[i]
            switch c {
            case Byte.quote:
                if takeQuotes(Byte.quote, into: &out) { return String(decoding: out, as: UTF8.self) }
            case Byte.backslash:
                // A backslash at the end of a line trims the newline and all whitespace that follows.
                var j = i + 1
                while j < b.count, b[j] == Byte.space || b[j] == Byte.tab { j += 1 }
                if j < b.count, b[j] == Byte.lf || (b[j] == Byte.cr && j + 1 < b.count && b[j + 1] == Byte.lf) {
                    i = j
                    while i < b.count {
                        if b[i] == Byte.space || b[i] == Byte.tab || b[i] == Byte.lf {
                            i += 1
                        } else if b[i] == Byte.cr, i + 1 < b.count, b[i + 1] == Byte.lf {
                            i += 2
                        } else {
                            break
                        }
                    }
                } else {
                    try parseEscape(into: &out, stringStart: start)
                }
            default:
                try takeMultilineByte(c, into: &out, control: "must be escaped in a string")
            }
        }
    }

    mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        let start = i
        i += 3
        skipNewlineAfterOpeningDelimiter()
        var out: [UInt8] = []
        while true {
            guard i < b.count else { throw error(start, "unterminated multi-line string: missing closing `'''`") }
            let c = b[i]
            switch c {
            case Byte.apostrophe:
                if takeQuotes(Byte.apostrophe, into: &out) { return String(decoding: out, as: UTF8.self) }
            default:
                try takeMultilineByte(c, into: &out, control: "is not allowed in a literal string")
            }
        }
    }

    /// One byte of a multi-line string's body other than its delimiters and escapes: a newline (CRLF is
    /// kept as LF) or a character; `control` says why a forbidden control character is refused.
    mutating func takeMultilineByte(_ c: UInt8, into out: inout [UInt8], control: String) throws(TOMLError) {
        switch c {
        case Byte.lf:
            out.append(Byte.lf)
            i += 1
        case Byte.cr:
            guard i + 1 < b.count, b[i + 1] == Byte.lf else {
                throw error(i, "carriage return without line feed in a multi-line string")
            }
            out.append(Byte.lf)
            i += 2
        default:
            if Byte.isForbiddenControl(c) {
                throw error(i, "control character \(Self.scalarName(UInt32(c))) \(control)")
            }
            out.append(c)
            i += 1
        }
    }

    mutating func skipNewlineAfterOpeningDelimiter() {
        if i < b.count, b[i] == Byte.lf {
            i += 1
        } else if i + 1 < b.count, b[i] == Byte.cr, b[i + 1] == Byte.lf {
            i += 2
        }
    }

    /// At a run of quote characters inside a multi-line string: fewer than three are content;
    /// three to five close the string, the extra one or two being content. Returns true when closed.
    mutating func takeQuotes(_ q: UInt8, into out: inout [UInt8]) -> Bool {
        var n = 0
        while i + n < b.count, b[i + n] == q { n += 1 }
        if n < 3 {
            out.append(contentsOf: repeatElement(q, count: n))
            i += n
            return false
        }
        let extra = min(n - 3, 2)
        out.append(contentsOf: repeatElement(q, count: extra))
        i += 3 + extra // a sixth quote is left for the caller to reject
        return true
    }

    // MARK: Numbers, dates and times

    func isDigit(at k: Int) -> Bool { k < b.count && Byte.isDigit(b[k]) }
    func byte(at k: Int) -> UInt8? { k < b.count ? b[k] : nil }

    mutating func parseNumberOrDate() throws(TOMLError) -> TOMLValue {
        let s = i
        if isDigit(at: s), isDigit(at: s + 1) {
            if isDigit(at: s + 2), isDigit(at: s + 3), byte(at: s + 4) == Byte.minus {
                return try parseDateOrDateTime()
            }
            if byte(at: s + 2) == Byte.colon {
                try parseTime(valueStart: s)
                try checkDateTimeEnd(valueStart: s)
                return .dateTime(String(decoding: b[s..<i], as: UTF8.self))
            }
        }
        return try parseNumber()
    }

    /// Value of `count` decimal digits at `k`, or nil.
    func digits(_ k: Int, _ count: Int) -> Int? {
        guard k >= 0, k + count <= b.count else { return nil }
        var v = 0
        for j in k..<(k + count) {
            guard Byte.isDigit(b[j]) else { return nil }
            v = v * 10 + Int(b[j] - Byte.zero)
        }
        return v
    }

    mutating func parseDateOrDateTime() throws(TOMLError) -> TOMLValue {
        let s = i
        guard let year = digits(s, 4), byte(at: s + 4) == Byte.minus,
              let month = digits(s + 5, 2), byte(at: s + 7) == Byte.minus,
              let day = digits(s + 8, 2) else {
            throw error(s, "invalid date `\(token(from: s))`: expected YYYY-MM-DD")
        }
        guard month >= 1, month <= 12, day >= 1, day <= Day.daysInMonth(year: year, month: month) else {
            throw error(s, "invalid date `\(token(from: s))`: \(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2)) does not exist")
        }
        i = s + 10
        var hasTime = false
        if let c = byte(at: i) {
            if c == UInt8(ascii: "T") || c == UInt8(ascii: "t") {
                hasTime = true
            } else if c == Byte.space, isDigit(at: i + 1) {
                hasTime = true
            }
        }
        if hasTime {
            i += 1
            try parseTime(valueStart: s)
            if let c = byte(at: i) {
                if c == UInt8(ascii: "Z") || c == UInt8(ascii: "z") {
                    i += 1
                } else if c == Byte.plus || c == Byte.minus {
                    guard let h = digits(i + 1, 2), byte(at: i + 3) == Byte.colon, let m = digits(i + 4, 2),
                          h <= 23, m <= 59 else {
                        throw error(s, "invalid time offset in `\(token(from: s))`: expected +HH:MM or -HH:MM")
                    }
                    i += 6
                }
            }
            try checkDateTimeEnd(valueStart: s)
            return .dateTime(String(decoding: b[s..<i], as: UTF8.self))
        }
        try checkDateTimeEnd(valueStart: s)
        guard let d = Day(year: year, month: month, day: day) else {
            throw error(s, "date `\(token(from: s))` is outside the supported range (years 0001 to 9999)")
        }
        return .date(d)
    }

    /// `HH:MM:SS` with optional fraction.
    mutating func parseTime(valueStart s: Int) throws(TOMLError) {
        guard let h = digits(i, 2), byte(at: i + 2) == Byte.colon, let m = digits(i + 3, 2),
              byte(at: i + 5) == Byte.colon, let sec = digits(i + 6, 2) else {
            throw error(s, "invalid time in `\(token(from: s))`: expected HH:MM:SS")
        }
        guard h <= 23, m <= 59, sec <= 60 else {
            throw error(s, "invalid time in `\(token(from: s))`: \(Self.pad(h, 2)):\(Self.pad(m, 2)):\(Self.pad(sec, 2)) does not exist")
        }
        i += 8
        if byte(at: i) == Byte.dot {
            guard isDigit(at: i + 1) else {
                throw error(s, "invalid time in `\(token(from: s))`: expected digits after `.`")
            }
            i += 1
            while isDigit(at: i) { i += 1 }
        }
    }

    func checkDateTimeEnd(valueStart s: Int) throws(TOMLError) {
        if let c = byte(at: i), Byte.isAlnum(c) || c == Byte.minus || c == Byte.colon || c == Byte.dot || c == Byte.plus || c == Byte.underscore {
            throw error(s, "invalid date or time `\(token(from: s))`")
        }
    }

    enum NumberProblem: Error { case invalid, leadingZero, outOfRange }

    mutating func parseNumber() throws(TOMLError) -> TOMLValue {
        let s = i
        while i < b.count {
            let c = b[i]
            if Byte.isAlnum(c) || c == Byte.underscore || c == Byte.dot {
                i += 1
            } else if (c == Byte.plus || c == Byte.minus) && (i == s || b[i - 1] == UInt8(ascii: "e") || b[i - 1] == UInt8(ascii: "E")) {
                i += 1
            } else {
                break
            }
        }
        let text = String(decoding: b[s..<i], as: UTF8.self)
        switch Self.number(b[s..<i]) {
        case .success(let value):
            return value
        case .failure(.leadingZero):
            throw error(s, "leading zeros are not allowed in `\(text)`")
        case .failure(.outOfRange):
            throw error(s, "integer `\(text)` does not fit in 64 bits")
        case .failure(.invalid):
            throw error(s, text.isEmpty ? "expected a value, found \(describe(s))" : "invalid number `\(text)`")
        }
    }

    /// Validates a number token. Floats are returned as their text.
    static func number(_ token: ArraySlice<UInt8>) -> Result<TOMLValue, NumberProblem> {
        let t = Array(token)
        let n = t.count
        let text = String(decoding: t, as: UTF8.self)
        var k = 0
        var negative = false
        if k < n, t[k] == Byte.plus || t[k] == Byte.minus {
            negative = t[k] == Byte.minus
            k += 1
        }
        let unsigned = t[k...]
        if unsigned.elementsEqual("inf".utf8) || unsigned.elementsEqual("nan".utf8) {
            return .success(.float(text))
        }

        // 0x, 0o, 0b: no sign allowed.
        if n >= 2, t[0] == Byte.zero, t[1] == UInt8(ascii: "x") || t[1] == UInt8(ascii: "o") || t[1] == UInt8(ascii: "b") {
            let radix: UInt64 = t[1] == UInt8(ascii: "x") ? 16 : (t[1] == UInt8(ascii: "o") ? 8 : 2)
            var v: UInt64 = 0
            var sawDigit = false
            var previousUnderscore = false
            for c in t[2...] {
                if c == Byte.underscore {
                    guard sawDigit, !previousUnderscore else { return .failure(.invalid) }
                    previousUnderscore = true
                    continue
                }
                let d: UInt64
                if Byte.isHex(c) { d = UInt64(Byte.hexValue(c)) } else { return .failure(.invalid) }
                guard d < radix else { return .failure(.invalid) }
                let (m, o1) = v.multipliedReportingOverflow(by: radix)
                let (a, o2) = m.addingReportingOverflow(d)
                guard !o1, !o2, a <= UInt64(Int64.max) else { return .failure(.outOfRange) }
                v = a
                sawDigit = true
                previousUnderscore = false
            }
            guard sawDigit, !previousUnderscore else { return .failure(.invalid) }
            return .success(.integer(Int64(v)))
        }

        // Decimal: int part, optional fraction, optional exponent.
        func scanDigits(_ from: Int) -> Int? {
            guard from < n, Byte.isDigit(t[from]) else { return nil }
            var j = from + 1
            while j < n {
                if Byte.isDigit(t[j]) {
                    j += 1
                } else if t[j] == Byte.underscore {
                    guard j + 1 < n, Byte.isDigit(t[j + 1]) else { return nil }
                    j += 2
                } else {
                    break
                }
            }
            return j
        }
        let intStart = k
        guard let intEnd = scanDigits(k) else { return .failure(.invalid) }
        k = intEnd
        var isFloat = false
        if k < n, t[k] == Byte.dot {
            guard let e = scanDigits(k + 1) else { return .failure(.invalid) }
            k = e
            isFloat = true
        }
        if k < n, t[k] == UInt8(ascii: "e") || t[k] == UInt8(ascii: "E") {
            var e = k + 1
            if e < n, t[e] == Byte.plus || t[e] == Byte.minus { e += 1 }
            guard let end = scanDigits(e) else { return .failure(.invalid) }
            k = end
            isFloat = true
        }
        guard k == n else { return .failure(.invalid) }
        let intDigits = t[intStart..<intEnd].filter { $0 != Byte.underscore }
        if intDigits.count > 1, intDigits.first == Byte.zero { return .failure(.leadingZero) }
        if isFloat { return .success(.float(text)) }

        var magnitude: UInt64 = 0
        for c in intDigits {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(c - Byte.zero))
            guard !o1, !o2 else { return .failure(.outOfRange) }
            magnitude = a
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return .failure(.outOfRange) }
            return .success(.integer(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)))
        }
        guard magnitude <= UInt64(Int64.max) else { return .failure(.outOfRange) }
        return .success(.integer(Int64(magnitude)))
    }

    // MARK: Conversion to the public types

    static func convert(_ table: PTable) -> TOMLTable {
        var entries: [(key: String, node: TOMLNode)] = []
        entries.reserveCapacity(table.keys.count)
        for key in table.keys {
            guard let entry = table.items[key] else { continue }
            entries.append((key: key, node: node(for: entry)))
        }
        return TOMLTable(entries: entries, position: table.kind == .root ? TOMLPosition(line: 1, column: 1) : table.position)
    }

    static func node(for entry: PEntry) -> TOMLNode {
        switch entry {
        case .value(let v):
            return v.node
        case .table(let t):
            return TOMLNode(value: .table(convert(t)), position: t.position, keyPosition: t.keyPosition, literal: "")
        case .tables(let array):
            let elements = array.elements.map { element in
                TOMLNode(value: .table(convert(element)), position: element.position, keyPosition: element.position, literal: "")
            }
            return TOMLNode(value: .array(elements), position: array.position, keyPosition: array.keyPosition, literal: "")
        }
    }
}

