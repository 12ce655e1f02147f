/// # TOML for treso: a hand-written TOML 1.0 reader and a comment-preserving editor
///
/// Scenario files are TOML. We read them with our own parser instead of TOMLKit (the TOML package
/// available on this machine) for three reasons, each a hard requirement of the product:
///
/// 1. **Money must be exact.** TOMLKit converts `25000.10` to a `Double`: a binary float cannot hold
///    most decimal amounts exactly, and the text the user wrote is lost.
///    Here a float is kept as the literal text the user wrote (`TOMLValue.float("25_000.10")`, with
///    `TOMLNode.numberLiteral` giving `"25000.10"`), for `Money(decimal:)` and `Rate(percent:)` to
///    read exactly.
/// 2. **Every config error must say `file:line:key`.** TOMLKit does not expose where a key or value
///    sits in the file. Here every `TOMLNode` carries the 1-based line and column of its key and of its
///    value, and every `TOMLError` carries the exact line and column of the problem.
/// 3. **Saving must keep the user's file.** TOMLKit re-serialises a whole document, dropping the
///    user's comments and layout. `TOMLEditor` instead edits the original text in place: it replaces only a
///    value's bytes, inserts or removes single lines, and replaces `[[array]]` blocks, then re-parses
///    the result to prove it still means what was intended.
///
/// The reader works on the UTF-8 bytes of the text (one pass, no regular expressions, no Foundation),
/// accepts a UTF-8 byte-order mark and CRLF line endings, and never traps: every index is
/// bounds-checked, there are no force unwraps, and nesting depth is capped so hostile input cannot
/// exhaust the stack. Columns count Unicode scalars, not bytes, so they match what editors show.
///
/// Parse errors are reported through typed throws: `throws(TOMLError)`.
import TresoCore

/// A 1-based line and column (columns count Unicode scalars; a byte-order mark is not counted).
public struct TOMLPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: TOMLPosition, b: TOMLPosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    /// `12:5`
    public var description: String { "\(line):\(column)" }
}

/// A syntax or semantic error in a TOML text, or a refused edit.
///
/// `line` and `column` are 1-based. Editor errors that concern no particular place in the file
/// (an invalid literal, an empty key path) use line 0 and column 0.
public struct TOMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public init(_ position: TOMLPosition, _ message: String) {
        self.init(line: position.line, column: position.column, message: message)
    }

    public var position: TOMLPosition { TOMLPosition(line: line, column: column) }

    /// `3:14: duplicate key `name`` (just the message when there is no position).
    public var description: String {
        line > 0 ? "\(line):\(column): \(message)" : message
    }

    /// The error as a diagnostic for `file` (`file:line:column: error: message`).
    public func diagnostic(file: String) -> Diagnostic {
        .error(file, line: line, column: column, message)
    }
}

/// A TOML value. Numbers that are not integers are kept as written, never as `Double`.
public indirect enum TOMLValue: Sendable {
    case string(String)
    case integer(Int64)
    /// The literal text as written, e.g. "25000.00", "9.5", "-1e3", "inf", "25_000.10".
    case float(String)
    case bool(Bool)
    /// A local date (`2026-12-01`).
    case date(Day)
    /// Any other date-time form, as written: offset date-time, local date-time or local time.
    case dateTime(String)
    case array([TOMLNode])
    case table(TOMLTable)
}

/// A value together with where it came from.
public struct TOMLNode: Sendable {
    public var value: TOMLValue
    /// Where the value starts. For a `[table]` or `[[array]]` element: its header's `[`.
    public var position: TOMLPosition
    /// Where the key naming this value starts (the last part of a dotted key, e.g. `b` in `a.b = 1`).
    /// For array elements: the element's own position.
    public var keyPosition: TOMLPosition
    /// The exact source text of a scalar value (e.g. "25_000.00", "\"Demo\""); "" for tables and arrays.
    public var literal: String

    public init(value: TOMLValue, position: TOMLPosition, keyPosition: TOMLPosition, literal: String) {
        self.value = value
        self.position = position
        self.keyPosition = keyPosition
        self.literal = literal
    }

    /// A short name of the value's type for messages: "string", "integer", "float", "boolean",
    /// "date", "date-time", "time", "array", "table".
    public var typeName: String {
        switch value {
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .bool: return "boolean"
        case .date: return "date"
        case .dateTime(let text): return text.utf8.contains(UInt8(ascii: "-")) ? "date-time" : "time"
        case .array: return "array"
        case .table: return "table"
        }
    }

    /// Normalised decimal text of an integer or float (underscores and a leading `+` removed):
    /// "25000.00", "42", "-3.5". Hexadecimal, octal and binary integers are given in decimal.
    /// Nil for non-numbers and for floats written with an exponent, `inf` or `nan`.
    public var numberLiteral: String? {
        switch value {
        case .integer(let v):
            return String(v)
        case .float(let text):
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count)
            for c in text.utf8 {
                switch c {
                case UInt8(ascii: "_"): continue
                case UInt8(ascii: "+") where out.isEmpty: continue
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"): out.append(c)
                default: return nil // exponent, inf, nan
                }
            }
            return String(decoding: out, as: UTF8.self)
        default:
            return nil
        }
    }

    public var stringValue: String? {
        if case .string(let s) = value { return s }
        return nil
    }

    public var integerValue: Int64? {
        if case .integer(let v) = value { return v }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let v) = value { return v }
        return nil
    }

    public var dayValue: Day? {
        if case .date(let d) = value { return d }
        return nil
    }

    public var tableValue: TOMLTable? {
        if case .table(let t) = value { return t }
        return nil
    }

    public var arrayValue: [TOMLNode]? {
        if case .array(let a) = value { return a }
        return nil
    }
}

/// A table: its entries in source order.
public struct TOMLTable: Sendable {
    public var entries: [(key: String, node: TOMLNode)]
    /// The `[header]` position; 1:1 for the root table; the `{` for an inline table; the key for a
    /// table created by dotted keys.
    public var position: TOMLPosition

    public init(entries: [(key: String, node: TOMLNode)] = [], position: TOMLPosition = TOMLPosition(line: 1, column: 1)) {
        self.entries = entries
        self.position = position
    }

    public subscript(key: String) -> TOMLNode? {
        for entry in entries where entry.key == key { return entry.node }
        return nil
    }

    public var keys: [String] { entries.map(\.key) }

    /// The node at a path of keys through nested tables (`["overdraft", "annual_rate"]`).
    public func node(at path: [String]) -> TOMLNode? {
        guard let first = path.first, let node = self[first] else { return nil }
        if path.count == 1 { return node }
        guard case .table(let sub) = node.value else { return nil }
        return sub.node(at: Array(path.dropFirst()))
    }
}

/// A parsed TOML document.
public struct TOMLDocument: Sendable {
    public var root: TOMLTable

    public init(root: TOMLTable) {
        self.root = root
    }

    /// Parses a complete TOML 1.0 text. Typed throws: the only error is `TOMLError`.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLDocument {
        var parser = TOMLParser(Array(text.utf8))
        try parser.parseDocument()
        return TOMLDocument(root: TOMLParser.convert(parser.root))
    }

    /// The node at a path of keys from the root (`["overdraft", "annual_rate"]`).
    public func node(at path: [String]) -> TOMLNode? {
        root.node(at: path)
    }
}

/// A TOML basic string literal for `s`, with quotes, backslashes and control characters escaped:
/// `tomlQuoted("Acme \"SA\"")` is `"Acme \"SA\""`.
public func tomlQuoted(_ s: String) -> String {
    var out: [UInt8] = [UInt8(ascii: "\"")]
    out.reserveCapacity(s.utf8.count + 2)
    let hex = Array("0123456789ABCDEF".utf8)
    for c in s.utf8 {
        switch c {
        case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
        case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
        case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case 0x00..<0x20, 0x7F:
            out += Array("\\u00".utf8)
            out.append(hex[Int(c >> 4)])
            out.append(hex[Int(c & 0x0F)])
        default:
            out.append(c)
        }
    }
    out.append(UInt8(ascii: "\""))
    return String(decoding: out, as: UTF8.self)
}

/// A key as it must be written in TOML: bare when it only uses `A-Za-z0-9_-`, quoted otherwise.
public func tomlKey(_ s: String) -> String {
    let bare = !s.isEmpty && s.utf8.allSatisfy(TOMLParser.isBareKeyByte)
    return bare ? s : tomlQuoted(s)
}
