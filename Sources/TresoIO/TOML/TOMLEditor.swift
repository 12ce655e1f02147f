import TresoCore

/// Edits a TOML text in place, keeping everything the user wrote that the edit does not concern:
/// comments (including the one at the end of an edited line), blank lines, key order, quoting style,
/// line endings (LF or CRLF) and a byte-order mark.
///
/// Every edit is checked by re-parsing the new text and looking the edited key up again; if the result
/// would not parse, or would not mean what was asked, the edit throws and the text is left unchanged.
///
/// Keys inside inline tables (`overdraft = { limit = 50000, annual_rate = 6.5 }`) are edited in place
/// like any other: a value's bytes are replaced, a missing key is added before the closing `}` as
/// `, key = value`, a removed key takes its comma with it; the rest of the line is untouched. Arrays of
/// tables are only changed with `replaceArrayOfTables`.
public struct TOMLEditor: Sendable {
    private var bytes: [UInt8]
    /// The document as the current text reads.
    public private(set) var document: TOMLDocument

    public init(text: String) throws(TOMLError) {
        let bytes = Array(text.utf8)
        let parser = try Self.analyze(bytes)
        self.bytes = bytes
        document = TOMLDocument(root: TOMLParser.convert(parser.root))
    }

    /// The edited text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Sets `path` (e.g. ["overdraft", "annual_rate"] or ["opening_balance"]) to the given raw TOML literal
    /// (e.g. "9.5", "\"Acme\"", "2026-12-01"): replaces the value text in place, keeping the line's comment
    /// and the key order; if the key is missing, inserts `key = literal` after the last key of that table
    /// (creating the `[table]` section at the end of the file if the table does not exist).
    ///
    /// A key missing from the root goes after the last root key or, when the root has none, just before
    /// the first section (above the comment lines directly over its header). A key missing from a table
    /// made of dotted keys (`server.port = 1`) is inserted as a dotted key next to its siblings.
    public mutating func set(_ path: [String], literal: String) throws(TOMLError) {
        guard let last = path.last else { throw Self.failure("cannot set a value: the key path is empty") }
        try Self.validate(literal: literal)
        let parser = try Self.analyze(bytes)
        let nl = newline
        let valueBytes = Array(literal.utf8)
        var new = bytes

        let parent = try Self.parentTable(of: path, in: parser.root, bytes: bytes, verb: "set", valueParentIsMissing: false)

        if parent == nil {
            new = appendingSection(to: new, header: Array(path.dropLast()), keyLine: Self.keyLine([last], valueBytes), newline: nl)
        } else if let table = parent {
            switch table.items[last] {
            case .value(let value)?:
                new.replaceSubrange(value.range, with: valueBytes)
            case .table(let sub)?:
                throw TOMLError(sub.keyPosition, "cannot set `\(Self.dotted(path))`: it is a table, not a value")
            case .tables(let array)?:
                throw TOMLError(array.keyPosition, "cannot set `\(Self.dotted(path))`: it is an array of tables (use replaceArrayOfTables)")
            case nil:
                switch table.kind {
                case .root, .header, .dotted:
                    let line = Self.keyLine(table.prefix + [last], valueBytes)
                    if let at = table.insertAfter {
                        let indent = table.lastLineStart.map { indentation(in: new, lineStart: $0) } ?? []
                        Self.insert(indent + line + nl, at: at, into: &new, newline: nl)
                    } else if parser.sections.count > 1 {
                        // A root without keys: the key goes before the first section and the comments over it.
                        let at = Self.startOfCommentBlock(above: parser.sections[1].lineStart, in: new, floor: parser.bodyStart)
                        Self.insert(line + nl + nl, at: at, into: &new, newline: nl)
                    } else {
                        Self.insert(line + nl, at: new.count, into: &new, newline: nl)
                    }
                case .implicit:
                    new = appendingSection(to: new, header: Array(path.dropLast()), keyLine: Self.keyLine([last], valueBytes), newline: nl)
                case .inline:
                    // `{ a = 1 }` becomes `{ a = 1, b = 2 }`; `{}` becomes `{ b = 2 }`.
                    guard let brace = table.insertAfter, brace < new.count, new[brace] == Byte.rbrace else {
                        throw Self.failure("cannot set `\(Self.dotted(path))`: its inline table could not be read back")
                    }
                    var at = brace
                    while at > 0, new[at - 1] == Byte.space || new[at - 1] == Byte.tab { at -= 1 }
                    let pair = Self.keyLine([last], valueBytes)
                    if table.keys.isEmpty {
                        new.replaceSubrange(at..<brace, with: [Byte.space] + pair + [Byte.space])
                    } else {
                        new.insert(contentsOf: [Byte.comma, Byte.space] + pair, at: at)
                    }
                case .arrayElement:
                    throw Self.failure("cannot set `\(Self.dotted(path))`: its table cannot be edited by key path")
                }
            }
        }

        let check = try commit(new, action: "set `\(Self.dotted(path))`")
        guard case .value(let value)? = Self.lookup(path, in: check.root, bytes: new), value.range.upperBound <= new.count,
              Array(new[value.range]) == valueBytes else {
            throw Self.failure("cannot set `\(Self.dotted(path))`: the edited file would not read back the same value")
        }
        bytes = new
        document = TOMLDocument(root: TOMLParser.convert(check.root))
    }

    /// The table that holds `path`'s last key, walking from `root`; nil when a table on the way does not
    /// exist (or, with `valueParentIsMissing`, is a plain value). An inline table on the way is read again
    /// from `bytes` as a tree whose values keep their byte ranges, so its keys are edited in place. An array
    /// of tables on the way, or a dotted table inside an inline table, cannot be edited key by key: that is
    /// an error naming the part of the path at fault.
    static func parentTable(of path: [String], in root: PTable, bytes: [UInt8], verb: String,
                            valueParentIsMissing: Bool) throws(TOMLError) -> PTable? {
        var table = root
        for n in path.indices.dropLast() {
            let shown = dotted(path[...n])
            switch table.items[path[n]] {
            case .table(let sub)?:
                if table.kind == .inline {
                    throw TOMLError(sub.keyPosition, "cannot \(verb) `\(dotted(path))`: `\(shown)` is a dotted key inside an inline table; write it as `\(tomlKey(path[n])) = { … }`")
                }
                table = sub
            case nil:
                return nil
            case .tables(let array)?:
                throw TOMLError(array.keyPosition, "cannot \(verb) `\(dotted(path))`: `\(shown)` is an array of tables (use replaceArrayOfTables)")
            case .value(let value)?:
                if value.isInlineTable {
                    var parser = TOMLParser(bytes)
                    parser.i = value.range.lowerBound
                    guard parser.i < bytes.count, bytes[parser.i] == Byte.lbrace,
                          let inline = try? parser.parseInlineTableTree(depth: table.depth + 1) else {
                        throw TOMLError(value.node.keyPosition, "cannot \(verb) `\(dotted(path))`: the inline table `\(shown)` could not be read back")
                    }
                    table = inline
                    continue
                }
                if valueParentIsMissing { return nil }
                throw TOMLError(value.node.keyPosition, "cannot \(verb) `\(dotted(path))`: `\(shown)` is a \(value.node.typeName), not a table")
            }
        }
        return table
    }

    /// Removes a key line (and nothing else): the lines from the key to the end of its value, with the
    /// comment at the end of that line. Removing a key that does not exist does nothing.
    public mutating func remove(_ path: [String]) throws(TOMLError) {
        guard let last = path.last else { throw Self.failure("cannot remove a value: the key path is empty") }
        let parser = try Self.analyze(bytes)
        guard let table = try Self.parentTable(of: path, in: parser.root, bytes: bytes, verb: "remove", valueParentIsMissing: true) else { return }
        let value: PValue
        switch table.items[last] {
        case nil:
            return
        case .value(let v)?:
            value = v
        case .table(let sub)?:
            throw TOMLError(sub.keyPosition, "cannot remove `\(Self.dotted(path))`: it is a table, not a value")
        case .tables(let array)?:
            throw TOMLError(array.keyPosition, "cannot remove `\(Self.dotted(path))`: it is an array of tables (use replaceArrayOfTables)")
        }
        var new = bytes
        if table.kind == .inline {
            // `{ a = 1, b = 2 }` loses `b = 2` and the comma before it (or after it, for the first key).
            new.removeSubrange(Self.pairRange(keyStart: value.keyStart, valueEnd: value.range.upperBound, in: new))
        } else {
            let start = parser.lineStart(of: value.keyStart)
            let end = Self.endOfLine(after: value.range.upperBound, in: new)
            new.removeSubrange(start..<end)
        }
        let check = try commit(new, action: "remove `\(Self.dotted(path))`")
        if case .value? = Self.lookup(path, in: check.root, bytes: new) {
            throw Self.failure("cannot remove `\(Self.dotted(path))`: it is still defined after the edit")
        }
        bytes = new
        document = TOMLDocument(root: TOMLParser.convert(check.root))
    }

    /// Replaces the whole block of every `[[name]]` array-of-tables element (header line through the line
    /// before the next header) with `blocks` (each a full TOML text starting with its `[[name]]` header),
    /// put where the first old block was, or appended at the end of the file if there was none.
    /// Comments directly above the first old block stay.
    ///
    /// Precisely: an element's block runs from its header line to its last key line, and includes any
    /// sub-table sections of the element (`[name.sub]`, `[[name.sub]]`) that follow it. Blank and comment
    /// lines between two consecutive old blocks go with them; those after the last block stay (they
    /// usually belong to the next section). New blocks are separated by one blank line.
    /// `name` is a TOML key, possibly dotted (`loans.draws`), but not inside another array of tables.
    public mutating func replaceArrayOfTables(_ name: String, with blocks: [String]) throws(TOMLError) {
        let path = try Self.parseName(name)
        let parser = try Self.analyze(bytes)
        let nl = newline

        var table = parser.root
        var exists = true
        for n in path.indices {
            let shown = Self.dotted(path[...n])
            let isLast = n == path.count - 1
            switch table.items[path[n]] {
            case nil:
                exists = false
            case .table(let sub)?:
                if isLast { throw TOMLError(sub.keyPosition, "`\(shown)` is a table, not an array of tables") }
                table = sub
            case .tables(let array)?:
                if !isLast {
                    throw TOMLError(array.keyPosition, "cannot replace `[[\(Self.dotted(path))]]`: `\(shown)` is itself an array of tables")
                }
            case .value(let value)?:
                throw TOMLError(value.node.keyPosition, "`\(shown)` is a \(value.node.typeName), not an array of tables")
            }
            if !exists { break }
        }

        // Old blocks: each element header with the sub-table sections after it.
        var ranges: [Range<Int>] = []
        var k = 0
        let sections = parser.sections
        while k < sections.count {
            let section = sections[k]
            guard exists, section.isArray, section.path == path else { k += 1; continue }
            var j = k + 1
            while j < sections.count, sections[j].path.count > path.count, Array(sections[j].path.prefix(path.count)) == path {
                j += 1
            }
            ranges.append(section.lineStart..<max(section.lineStart, sections[j - 1].contentEnd))
            k = j
        }

        // New text: blocks trimmed of surrounding blank lines, in the file's line-ending style, one blank line apart.
        var content: [UInt8] = []
        for (n, block) in blocks.enumerated() {
            if n > 0 { content += nl }
            content += Self.normalizedBlock(block, newline: nl)
        }

        var new = bytes
        if let first = ranges.first {
            var merged = [first]
            for r in ranges.dropFirst() {
                if let previous = merged.last, Self.isTrivia(new[previous.upperBound..<r.lowerBound]) {
                    merged[merged.count - 1] = previous.lowerBound..<r.upperBound
                } else {
                    merged.append(r)
                }
            }
            for r in merged.dropFirst().reversed() {
                new.removeSubrange(r)
            }
            new.replaceSubrange(first.lowerBound..<merged[0].upperBound, with: content)
            if blocks.isEmpty {
                Self.collapseBlankLines(at: first.lowerBound, in: &new, floor: parser.bodyStart)
            }
        } else {
            guard !blocks.isEmpty else { return }
            if new.count > parser.bodyStart {
                if new.last != Byte.lf { new += nl }
                if !Self.endsWithBlankLine(new, floor: parser.bodyStart) { new += nl }
            }
            new += content
        }

        let check = try commit(new, action: "replace `[[\(Self.dotted(path))]]`")
        var count = 0
        if case .tables(let array)? = Self.lookup(path, in: check.root, bytes: new) { count = array.elements.count }
        guard count == blocks.count else {
            throw Self.failure("cannot replace `[[\(Self.dotted(path))]]`: the \(blocks.count) new block(s) define \(count) element(s); each block must start with its own `[[\(Self.dotted(path))]]` header")
        }
        bytes = new
        document = TOMLDocument(root: TOMLParser.convert(check.root))
    }

    // MARK: Helpers

    /// The bytes of one `key = value` pair of an inline table with the comma that separates it from a
    /// neighbour: the following comma and spaces when there is one, else the preceding spaces and comma.
    static func pairRange(keyStart: Int, valueEnd: Int, in text: [UInt8]) -> Range<Int> {
        func isBlank(_ c: UInt8) -> Bool { c == Byte.space || c == Byte.tab }
        var after = valueEnd
        while after < text.count, isBlank(text[after]) { after += 1 }
        if after < text.count, text[after] == Byte.comma {
            after += 1
            while after < text.count, isBlank(text[after]) { after += 1 }
            return keyStart..<after
        }
        var before = keyStart
        while before > 0, isBlank(text[before - 1]) { before -= 1 }
        if before > 0, text[before - 1] == Byte.comma {
            return (before - 1)..<valueEnd
        }
        return keyStart..<valueEnd
    }

    static func analyze(_ bytes: [UInt8]) throws(TOMLError) -> TOMLParser {
        var parser = TOMLParser(bytes)
        try parser.parseDocument()
        return parser
    }

    static func failure(_ message: String) -> TOMLError {
        TOMLError(line: 0, column: 0, message: message)
    }

    /// Re-parses an edited text; the edit is refused if it does not parse.
    private func commit(_ new: [UInt8], action: String) throws(TOMLError) -> TOMLParser {
        do throws(TOMLError) {
            return try Self.analyze(new)
        } catch {
            throw Self.failure("cannot \(action): the file would become invalid (\(error.message)); nothing was changed")
        }
    }

    /// The entry at `path` in the text `bytes` was parsed from (inline tables on the way are read again
    /// from `bytes`, so a value inside one comes with its byte range).
    static func lookup(_ path: [String], in root: PTable, bytes: [UInt8]) -> PEntry? {
        var table = root
        for (n, key) in path.enumerated() {
            guard let entry = table.items[key] else { return nil }
            if n == path.count - 1 { return entry }
            switch entry {
            case .table(let sub):
                table = sub
            case .value(let value) where value.isInlineTable:
                var parser = TOMLParser(bytes)
                parser.i = value.range.lowerBound
                guard let inline = try? parser.parseInlineTableTree(depth: table.depth + 1) else { return nil }
                table = inline
            default:
                return nil
            }
        }
        return nil
    }

    /// The literal must be exactly one TOML value: no surrounding spaces, comment or extra lines.
    static func validate(literal: String) throws(TOMLError) {
        let prefix = Array("v = ".utf8)
        let probe = prefix + Array(literal.utf8)
        var parser = TOMLParser(probe)
        do throws(TOMLError) {
            try parser.parseDocument()
        } catch {
            throw failure("invalid TOML value `\(literal)`: \(error.message)")
        }
        guard parser.root.keys == ["v"], parser.sections.count == 1,
              case .value(let value)? = parser.root.items["v"],
              value.range == prefix.count..<probe.count else {
            throw failure("invalid TOML value `\(literal)`: expected exactly one value")
        }
    }

    static func parseName(_ name: String) throws(TOMLError) -> [String] {
        var parser = TOMLParser(Array(name.utf8))
        let segments: [KeySegment]
        do throws(TOMLError) {
            segments = try parser.parseKey()
        } catch {
            throw failure("invalid array-of-tables name `\(name)`: \(error.message)")
        }
        guard parser.i == parser.b.count, !segments.isEmpty else {
            throw failure("invalid array-of-tables name `\(name)`")
        }
        return segments.map(\.name)
    }

    static func dotted(_ path: some Sequence<String>) -> String {
        path.map(tomlKey).joined(separator: ".")
    }

    static func keyLine(_ path: [String], _ value: [UInt8]) -> [UInt8] {
        Array(dotted(path).utf8) + Array(" = ".utf8) + value
    }

    /// CRLF if the text already uses it, LF otherwise.
    private var newline: [UInt8] {
        var k = 0
        while k < bytes.count {
            if bytes[k] == Byte.lf { return k > 0 && bytes[k - 1] == Byte.cr ? [Byte.cr, Byte.lf] : [Byte.lf] }
            k += 1
        }
        return [Byte.lf]
    }

    private func indentation(in text: [UInt8], lineStart: Int) -> [UInt8] {
        var k = lineStart
        while k < text.count, text[k] == Byte.space || text[k] == Byte.tab { k += 1 }
        return Array(text[min(lineStart, k)..<k])
    }

    /// Inserts `line` at a line start, first ending the previous line if the text does not end with a newline.
    static func insert(_ line: [UInt8], at offset: Int, into text: inout [UInt8], newline: [UInt8]) {
        let at = min(max(0, offset), text.count)
        var chunk = line
        if at > 0, text[at - 1] != Byte.lf {
            chunk = newline + chunk
        }
        text.insert(contentsOf: chunk, at: at)
    }

    /// `[header]` and its first key at the end of the text, after a blank line.
    private func appendingSection(to text: [UInt8], header: [String], keyLine: [UInt8], newline nl: [UInt8]) -> [UInt8] {
        var new = text
        let bom = new.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        if new.count > bom {
            if new.last != Byte.lf { new += nl }
            if !Self.endsWithBlankLine(new, floor: bom) { new += nl }
        }
        new += Array("[\(Self.dotted(header))]".utf8) + nl + keyLine + nl
        return new
    }

    /// Offset just after the newline that ends the line containing `offset` (or the end of the text).
    static func endOfLine(after offset: Int, in text: [UInt8]) -> Int {
        var k = offset
        while k < text.count {
            if text[k] == Byte.lf { return k + 1 }
            k += 1
        }
        return text.count
    }

    /// The start of the line before the one starting at `lineStart`, or nil at the top.
    static func previousLineStart(_ lineStart: Int, in text: [UInt8], floor: Int) -> Int? {
        guard lineStart > floor else { return nil }
        var k = lineStart - 1 // the previous line's newline
        while k > floor, text[k - 1] != Byte.lf { k -= 1 }
        return k
    }

    static func trimmedLine(at start: Int, in text: [UInt8]) -> ArraySlice<UInt8> {
        var k = start
        while k < text.count, text[k] == Byte.space || text[k] == Byte.tab { k += 1 }
        var end = k
        while end < text.count, text[end] != Byte.lf { end += 1 }
        var e = end
        while e > k, text[e - 1] == Byte.cr || text[e - 1] == Byte.space || text[e - 1] == Byte.tab { e -= 1 }
        return text[k..<e]
    }

    /// Moves up over the comment lines directly above the line starting at `lineStart`.
    static func startOfCommentBlock(above lineStart: Int, in text: [UInt8], floor: Int) -> Int {
        var at = lineStart
        while let previous = previousLineStart(at, in: text, floor: floor) {
            guard trimmedLine(at: previous, in: text).first == Byte.hash else { break }
            at = previous
        }
        return at
    }

    /// Only blank lines and comment lines.
    static func isTrivia(_ slice: ArraySlice<UInt8>) -> Bool {
        var atLineStart = true
        var inComment = false
        for c in slice {
            if c == Byte.lf {
                atLineStart = true
                inComment = false
                continue
            }
            if inComment { continue }
            if c == Byte.space || c == Byte.tab || c == Byte.cr { continue }
            if c == Byte.hash, atLineStart {
                inComment = true
                continue
            }
            return false
        }
        return true
    }

    static func endsWithBlankLine(_ text: [UInt8], floor: Int) -> Bool {
        guard text.last == Byte.lf else { return false }
        var k = text.count - 2
        if k >= floor, text[k] == Byte.cr { k -= 1 }
        return k < floor || text[k] == Byte.lf
    }

    /// After removing blocks at a line start: if the line above is blank (or this is the top of the
    /// file), the blank lines that now follow are removed too, so removals do not pile up blank lines.
    static func collapseBlankLines(at offset: Int, in text: inout [UInt8], floor: Int) {
        guard offset <= text.count else { return }
        let aboveIsBlank: Bool
        if let previous = previousLineStart(offset, in: text, floor: floor) {
            aboveIsBlank = trimmedLine(at: previous, in: text).isEmpty
        } else {
            aboveIsBlank = true
        }
        guard aboveIsBlank else { return }
        var end = offset
        while end < text.count, trimmedLine(at: end, in: text).isEmpty {
            let next = endOfLine(after: end, in: text)
            guard next > end, next <= text.count, text[next - 1] == Byte.lf else { break }
            end = next
        }
        text.removeSubrange(offset..<end)
    }

    /// A block without leading/trailing blank lines, in the given line-ending style, ending with a newline.
    static func normalizedBlock(_ block: String, newline nl: [UInt8]) -> [UInt8] {
        var lines: [ArraySlice<UInt8>] = Array(block.utf8).split(separator: Byte.lf, omittingEmptySubsequences: false)
            .map { line in line.last == Byte.cr ? line.dropLast() : line }
        while let first = lines.first, first.allSatisfy({ $0 == Byte.space || $0 == Byte.tab }) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy({ $0 == Byte.space || $0 == Byte.tab }) { lines.removeLast() }
        var out: [UInt8] = []
        for line in lines {
            out += line
            out += nl
        }
        return out
    }
}
