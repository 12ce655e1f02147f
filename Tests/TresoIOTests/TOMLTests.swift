import Testing
import TestSupport
import TresoCore
@testable import TresoIO

// MARK: - Helpers

private func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> TOMLDocument? {
    do throws(TOMLError) {
        return try TOMLDocument.parse(text)
    } catch {
        Issue.record("unexpected parse error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

private func parseError(_ text: String) -> TOMLError? {
    do throws(TOMLError) {
        _ = try TOMLDocument.parse(text)
        return nil
    } catch {
        return error
    }
}

/// Expects `text` to fail at exactly `line`:`column` with a message containing `message`.
private func expectError(_ text: String, _ line: Int, _ column: Int, _ message: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    guard let error = parseError(text) else {
        Issue.record("expected an error for \(text.debugDescription)", sourceLocation: sourceLocation)
        return
    }
    #expect(error.line == line && error.column == column,
            "expected \(line):\(column), got \(error)", sourceLocation: sourceLocation)
    #expect(error.message.contains(message), "message was: \(error.message)", sourceLocation: sourceLocation)
}

private func node(_ doc: TOMLDocument?, _ path: String...) -> TOMLNode? {
    doc?.node(at: path)
}

private func editor(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> TOMLEditor? {
    do throws(TOMLError) {
        return try TOMLEditor(text: text)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

private func pos(_ line: Int, _ column: Int) -> TOMLPosition { TOMLPosition(line: line, column: column) }


// MARK: - Reader: values

@Suite struct TOMLReaderValueTests {
    @Test func scalarsOfEveryType() throws {
        let doc = parse("""
        str = "Demo"
        int = 42
        neg = -17
        pos = +99
        big = 9_223_372_036_854_775_807
        small = -9223372036854775808
        hex = 0xDEAD_beef
        oct = 0o755
        bin = 0b1101
        zero = 0
        money = 25_000.10
        rate = 9.5
        exp = -1e3
        exp2 = 6.626E-34
        exp3 = 1e+06
        pinf = inf
        ninf = -inf
        nan = +nan
        yes = true
        no = false
        day = 2026-12-01
        leap = 2024-02-29
        odt = 1979-05-27T07:32:00Z
        odt2 = 1979-05-27 00:32:00.999999-07:00
        ldt = 1979-05-27T07:32:00
        lt = 07:32:00.5
        """)
        #expect(node(doc, "str")?.stringValue == "Demo")
        #expect(node(doc, "int")?.integerValue == 42)
        #expect(node(doc, "neg")?.integerValue == -17)
        #expect(node(doc, "pos")?.integerValue == 99)
        #expect(node(doc, "big")?.integerValue == Int64.max)
        #expect(node(doc, "small")?.integerValue == Int64.min)
        #expect(node(doc, "hex")?.integerValue == 0xDEAD_BEEF)
        #expect(node(doc, "oct")?.integerValue == 0o755)
        #expect(node(doc, "bin")?.integerValue == 13)
        #expect(node(doc, "zero")?.integerValue == 0)
        guard case .float(let money)? = node(doc, "money")?.value else { Issue.record("money is not a float"); return }
        #expect(money == "25_000.10")
        #expect(node(doc, "money")?.literal == "25_000.10")
        #expect(node(doc, "money")?.numberLiteral == "25000.10")
        #expect(node(doc, "rate")?.numberLiteral == "9.5")
        guard case .float(let exp)? = node(doc, "exp")?.value else { Issue.record("exp is not a float"); return }
        #expect(exp == "-1e3")
        #expect(node(doc, "exp")?.numberLiteral == nil)
        #expect(node(doc, "exp2")?.literal == "6.626E-34")
        #expect(node(doc, "exp3")?.typeName == "float")
        for key in ["pinf", "ninf", "nan"] {
            #expect(node(doc, key)?.typeName == "float")
            #expect(node(doc, key)?.numberLiteral == nil)
        }
        guard case .float(let ninf)? = node(doc, "ninf")?.value else { Issue.record("ninf"); return }
        #expect(ninf == "-inf")
        #expect(node(doc, "yes")?.boolValue == true)
        #expect(node(doc, "no")?.boolValue == false)
        #expect(node(doc, "day")?.dayValue == Day(iso: "2026-12-01"))
        #expect(node(doc, "leap")?.dayValue == Day(iso: "2024-02-29"))
        guard case .dateTime(let odt)? = node(doc, "odt")?.value else { Issue.record("odt"); return }
        #expect(odt == "1979-05-27T07:32:00Z")
        guard case .dateTime(let odt2)? = node(doc, "odt2")?.value else { Issue.record("odt2"); return }
        #expect(odt2 == "1979-05-27 00:32:00.999999-07:00")
        #expect(node(doc, "ldt")?.typeName == "date-time")
        #expect(node(doc, "lt")?.typeName == "time")
        #expect(node(doc, "lt")?.literal == "07:32:00.5")
        #expect(node(doc, "day")?.typeName == "date")
        #expect(node(doc, "yes")?.typeName == "boolean")
        #expect(node(doc, "int")?.typeName == "integer")
        #expect(node(doc, "str")?.typeName == "string")
        #expect(node(doc, "str")?.literal == "\"Demo\"")
    }

    @Test func numberLiteralNormalisation() {
        let doc = parse("""
        a = +3.5
        b = -0.25
        c = 1_000
        d = 0xFF
        e = -1_234.500_1
        """)
        #expect(node(doc, "a")?.numberLiteral == "3.5")
        #expect(node(doc, "b")?.numberLiteral == "-0.25")
        #expect(node(doc, "c")?.numberLiteral == "1000")
        #expect(node(doc, "d")?.numberLiteral == "255")
        #expect(node(doc, "e")?.numberLiteral == "-1234.5001")
        #expect(node(doc, "e")?.literal == "-1_234.500_1")
        #expect(Money(decimal: node(doc, "c")?.numberLiteral ?? "") == Money(cents: 100_000))
    }

    @Test func basicStringEscapes() {
        let doc = parse(#"""
        a = "tab\there \"q\" back\\slash \b\f\n\r end"
        u = "\u00E9\u20AC \U0001F600"
        raw = 'C:\Users\nodejs\templates'
        quoted = '<\i\c*\s*>'
        empty = ""
        unicode = "café €"
        """#)
        #expect(node(doc, "a")?.stringValue == "tab\there \"q\" back\\slash \u{08}\u{0C}\n\r end")
        #expect(node(doc, "u")?.stringValue == "é€ 😀")
        #expect(node(doc, "raw")?.stringValue == #"C:\Users\nodejs\templates"#)
        #expect(node(doc, "quoted")?.stringValue == #"<\i\c*\s*>"#)
        #expect(node(doc, "empty")?.stringValue == "")
        #expect(node(doc, "unicode")?.stringValue == "café €")
    }

    @Test func multiLineStrings() {
        let doc = parse(#"""
        a = """
        Roses are red
        Violets are blue"""
        b = """
        The quick brown \
          fox jumps over \
            the lazy dog."""
        c = """\
               The quick brown \
               fox.\
               """
        d = """Here are two quotation marks: "". Simple enough."""
        e = """Here are three quotation marks: ""\"."""
        f = """"This," she said, "is just a pointless statement.""""
        g = '''
        The first newline is
        trimmed in raw strings.
           All other whitespace
           is preserved. \n
        '''
        h = ''''That,' she said, 'is still pointless.''''
        i = """trailing backslash then spaces \   
        next"""
        """#)
        #expect(node(doc, "a")?.stringValue == "Roses are red\nViolets are blue")
        #expect(node(doc, "b")?.stringValue == "The quick brown fox jumps over the lazy dog.")
        #expect(node(doc, "c")?.stringValue == "The quick brown fox.")
        #expect(node(doc, "d")?.stringValue == "Here are two quotation marks: \"\". Simple enough.")
        #expect(node(doc, "e")?.stringValue == "Here are three quotation marks: \"\"\".")
        #expect(node(doc, "f")?.stringValue == "\"This,\" she said, \"is just a pointless statement.\"")
        #expect(node(doc, "g")?.stringValue == "The first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved. \\n\n")
        #expect(node(doc, "h")?.stringValue == "'That,' she said, 'is still pointless.'")
        #expect(node(doc, "i")?.stringValue == "trailing backslash then spaces next")
    }

    @Test func keys() {
        let doc = parse("""
        bare_key-1 = 1
        "quoted key" = 2
        'literal.key' = 3
        site."google.com" = true
        fruit . color = "red"
        fruit.flavour = "sweet"
        3.14159 = "pi"
        "" = "empty"
        "\\u00e9" = "escaped key"
        """)
        #expect(node(doc, "bare_key-1")?.integerValue == 1)
        #expect(node(doc, "quoted key")?.integerValue == 2)
        #expect(node(doc, "literal.key")?.integerValue == 3)
        #expect(node(doc, "site", "google.com")?.boolValue == true)
        #expect(node(doc, "fruit", "color")?.stringValue == "red")
        #expect(node(doc, "fruit", "flavour")?.stringValue == "sweet")
        #expect(node(doc, "3", "14159")?.stringValue == "pi")
        #expect(node(doc, "")?.stringValue == "empty")
        #expect(node(doc, "é")?.stringValue == "escaped key")
        #expect(doc?.root.keys == ["bare_key-1", "quoted key", "literal.key", "site", "fruit", "3", "", "é"])
    }

    @Test func arrays() {
        let doc = parse("""
        ints = [1, 2, 3]
        empty = []
        nested = [[1, 2], ["a", 'b'], [[]]]
        mixed = [0.1, "x", 2026-01-01, { a = 1 }]
        multi = [
          "one",   # first
          # a comment line
          "two",
        ]
        trailing = [1,2,]
        """)
        #expect(node(doc, "ints")?.arrayValue?.compactMap(\.integerValue) == [1, 2, 3])
        #expect(node(doc, "empty")?.arrayValue?.count == 0)
        let nested = node(doc, "nested")?.arrayValue
        #expect(nested?.count == 3)
        #expect(nested?[1].arrayValue?.compactMap(\.stringValue) == ["a", "b"])
        #expect(nested?[2].arrayValue?.first?.arrayValue?.isEmpty == true)
        let mixed = node(doc, "mixed")?.arrayValue
        #expect(mixed?.map(\.typeName) == ["float", "string", "date", "table"])
        #expect(mixed?[3].tableValue?["a"]?.integerValue == 1)
        #expect(node(doc, "multi")?.arrayValue?.compactMap(\.stringValue) == ["one", "two"])
        #expect(node(doc, "trailing")?.arrayValue?.count == 2)
        #expect(node(doc, "ints")?.literal == "")
        #expect(node(doc, "ints")?.typeName == "array")
    }

    @Test func tablesInlineTablesAndArraysOfTables() {
        let doc = parse("""
        title = "root"

        [owner]
        name = "Tom"
        dob = 1979-05-27

        [a.b.c]
        deep = true

        [a]
        shallow = 1

        [fruit]
        apple.color = "red"
        apple.taste.sweet = true

        [fruit.apple.texture]
        smooth = true

        [[products]]
        name = "Hammer"
        sku = 738594937

        [[products]]  # empty element

        [[products]]
        name = "Nail"
        [products.dims]
        length = 3
        [[products.variants]]
        colour = "grey"

        [inline]
        point = { x = 1, y = 2 }
        nested = { a.b = 1, c = { d = "e" } }
        empty = {}
        """)
        #expect(node(doc, "title")?.stringValue == "root")
        #expect(node(doc, "owner", "name")?.stringValue == "Tom")
        #expect(node(doc, "owner")?.typeName == "table")
        #expect(node(doc, "a", "b", "c", "deep")?.boolValue == true)
        #expect(node(doc, "a", "shallow")?.integerValue == 1)
        #expect(doc?.root["a"]?.tableValue?.keys == ["b", "shallow"])
        #expect(node(doc, "fruit", "apple", "color")?.stringValue == "red")
        #expect(node(doc, "fruit", "apple", "taste", "sweet")?.boolValue == true)
        #expect(node(doc, "fruit", "apple", "texture", "smooth")?.boolValue == true)
        let products = node(doc, "products")?.arrayValue
        #expect(products?.count == 3)
        #expect(products?[0].tableValue?["name"]?.stringValue == "Hammer")
        #expect(products?[1].tableValue?.entries.isEmpty == true)
        #expect(products?[2].tableValue?.node(at: ["dims", "length"])?.integerValue == 3)
        #expect(products?[2].tableValue?["variants"]?.arrayValue?.first?.tableValue?["colour"]?.stringValue == "grey")
        #expect(node(doc, "inline", "point", "y")?.integerValue == 2)
        #expect(node(doc, "inline", "nested", "a", "b")?.integerValue == 1)
        #expect(node(doc, "inline", "nested", "c", "d")?.stringValue == "e")
        #expect(node(doc, "inline", "empty")?.tableValue?.entries.isEmpty == true)
        #expect(doc?.root.keys == ["title", "owner", "a", "fruit", "products", "inline"])
    }

    @Test func byteOrderMarkAndCRLF() {
        let text = "\u{FEFF}# comment\r\nname = \"Demo\"\r\n[t]\r\nx = 1 # c\r\ns = \"\"\"\r\nline1\r\nline2\"\"\"\r\ny = [\r\n  1,\r\n  2,\r\n]\r\n"
        let doc = parse(text)
        #expect(node(doc, "name")?.stringValue == "Demo")
        #expect(node(doc, "name")?.keyPosition == pos(2, 1))
        #expect(node(doc, "t", "x")?.integerValue == 1)
        #expect(node(doc, "t", "s")?.stringValue == "line1\nline2")
        #expect(node(doc, "t", "y")?.arrayValue?.count == 2)
        // The byte-order mark is not a column.
        #expect(node(parse("\u{FEFF}a = 1"), "a")?.keyPosition == pos(1, 1))
        #expect(node(parse("\u{FEFF}a = 1"), "a")?.position == pos(1, 5))
        // A file with only a BOM, or nothing, is an empty document.
        #expect(parse("\u{FEFF}")?.root.entries.isEmpty == true)
        #expect(parse("")?.root.entries.isEmpty == true)
        #expect(parse("  \n\t\n# only comments\n")?.root.entries.isEmpty == true)
    }
}

// MARK: - Reader: positions

@Suite struct TOMLReaderPositionTests {
    static let text = """
    # treso scenario
    name = "Demo"          # company
    opening_balance = 25_000.10

    [overdraft]
      annual_rate = 9.5
    limit.amount = 10000

    [[invoice]]
    id = "F-1"
    due = 2026-12-01
    lines = [ 10, 20,
              30 ]
    "café" = "crème"
    box = { w = 2 }
    """

    @Test func keyAndValuePositions() {
        let doc = parse(Self.text)
        #expect(node(doc, "name")?.keyPosition == pos(2, 1))
        #expect(node(doc, "name")?.position == pos(2, 8))
        #expect(node(doc, "opening_balance")?.keyPosition == pos(3, 1))
        #expect(node(doc, "opening_balance")?.position == pos(3, 19))
        #expect(node(doc, "opening_balance")?.literal == "25_000.10")
        #expect(node(doc, "overdraft")?.position == pos(5, 1))
        #expect(node(doc, "overdraft")?.keyPosition == pos(5, 2))
        #expect(node(doc, "overdraft")?.tableValue?.position == pos(5, 1))
        #expect(node(doc, "overdraft", "annual_rate")?.keyPosition == pos(6, 3))
        #expect(node(doc, "overdraft", "annual_rate")?.position == pos(6, 17))
        #expect(node(doc, "overdraft", "limit")?.keyPosition == pos(7, 1))
        #expect(node(doc, "overdraft", "limit", "amount")?.keyPosition == pos(7, 7))
        #expect(node(doc, "overdraft", "limit", "amount")?.position == pos(7, 16))
        #expect(doc?.root.position == pos(1, 1))
    }

    @Test func arrayOfTablesAndElementPositions() {
        let doc = parse(Self.text)
        let invoices = node(doc, "invoice")
        #expect(invoices?.position == pos(9, 1))
        #expect(invoices?.keyPosition == pos(9, 3))
        guard let invoice = invoices?.arrayValue?.first else { Issue.record("no invoice"); return }
        #expect(invoice.position == pos(9, 1))
        #expect(invoice.tableValue?.position == pos(9, 1))
        let table = invoice.tableValue
        #expect(table?["id"]?.keyPosition == pos(10, 1))
        #expect(table?["id"]?.position == pos(10, 6))
        #expect(table?["due"]?.position == pos(11, 7))
        let lines = table?["lines"]?.arrayValue
        #expect(table?["lines"]?.position == pos(12, 9))
        #expect(lines?.map(\.position) == [pos(12, 11), pos(12, 15), pos(13, 11)])
        #expect(lines?.map(\.keyPosition) == [pos(12, 11), pos(12, 15), pos(13, 11)])
        // Columns count characters, not bytes: "café" is 6 characters with its quotes.
        #expect(table?["café"]?.keyPosition == pos(14, 1))
        #expect(table?["café"]?.position == pos(14, 10))
        #expect(table?["box"]?.position == pos(15, 7))
        #expect(table?["box"]?.tableValue?.position == pos(15, 7))
        #expect(table?["box"]?.tableValue?["w"]?.keyPosition == pos(15, 9))
        #expect(table?["box"]?.tableValue?["w"]?.position == pos(15, 13))
    }
}

// MARK: - Reader: errors

@Suite struct TOMLReaderErrorTests {
    @Test func duplicateKeys() {
        expectError("a = 1\nb = 2\na = 3", 3, 1, "duplicate key `a` (first defined on line 1)")
        expectError("x.y = 1\nx.y = 2", 2, 3, "duplicate key `x.y`")
        expectError("[t]\n\"k\" = 1\nk = 2", 3, 1, "duplicate key `k`")
        expectError("p = { a = 1, a = 2 }", 1, 14, "duplicate key `a`")
        expectError("a = 1\na.b = 2", 2, 1, "key `a` already has a value")
    }

    @Test func redefiningTables() {
        expectError("[a]\nx = 1\n[b]\n[a]", 4, 2, "table `a` is already defined (line 1)")
        expectError("[a.b]\n[a . b]", 2, 6, "table `a.b` is already defined")
        expectError("[fruit]\napple.color = \"red\"\n[fruit.apple]", 3, 8, "already defined by dotted keys on line 2")
        expectError("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", 4, 3, "cannot add keys to table `b.c` with dotted keys")
        expectError("[[a]]\n[a]", 2, 2, "`a` is already an array of tables")
        expectError("[a]\n[[a]]", 2, 3, "`a` is already a table")
        expectError("a = [1]\n[[a]]", 2, 3, "cannot append to `a`: it is a static array")
        expectError("a = 1\n[a]", 2, 2, "key `a` already has a value")
        expectError("a = 1\n[a.b]", 2, 2, "key `a` already has a value")
    }

    @Test func insertingIntoInlineTables() {
        expectError("a = { b = 1 }\n[a]", 2, 2, "already defined as an inline table")
        expectError("a = { b = 1 }\na.c = 2", 2, 1, "cannot add keys to inline table `a`")
        expectError("a = { b = 1 }\n[a.x]", 2, 2, "cannot add to inline table `a`")
        expectError("a = { b = { c = 1 }, b.d = 2 }", 1, 22, "cannot add keys to inline table `b`")
        expectError("a = { b = 1,\n c = 2 }", 1, 13, "newlines are not allowed inside an inline table")
        expectError("a = { b = 1, }", 1, 14, "trailing comma is not allowed")
        expectError("a = { b = 1", 1, 5, "unterminated inline table")
    }

    @Test func strings() {
        expectError(#"s = "a\qb""#, 1, 7, #"invalid escape sequence `\q`"#)
        expectError(#"s = "\e""#, 1, 6, #"invalid escape sequence `\e`"#)
        expectError(#"s = "\uD800""#, 1, 6, "U+D800 is not a Unicode scalar value")
        expectError(#"s = "\u12""#, 1, 6, "needs 4 hexadecimal digits")
        expectError(#"s = "\U00110000""#, 1, 6, "not a Unicode scalar value")
        expectError("a = 1\ns = \"abc\nb = 2", 2, 5, "unterminated string")
        expectError("s = 'abc", 1, 5, "unterminated string")
        expectError("\n\ns = \"\"\"abc\n\ndef", 3, 5, "unterminated multi-line string")
        expectError("s = '''abc''", 1, 5, "unterminated multi-line string")
        expectError("s = \"a\u{01}b\"", 1, 7, "control character U+0001 must be escaped")
        expectError("s = \"\"\"a\\ b\"\"\"", 1, 9, "invalid escape sequence")
        expectError("s = " + String(repeating: "\"", count: 9), 1, 13, "unexpected `\"` after value")
        #expect(node(parse("s = " + String(repeating: "\"", count: 7)), "s")?.stringValue == "\"")
        #expect(node(parse("s = " + String(repeating: "\"", count: 8)), "s")?.stringValue == "\"\"")
        expectError("\"\"\"k\"\"\" = 1", 1, 1, "a key cannot be a multi-line string")
    }

    @Test func numbers() {
        expectError("n = 12abc", 1, 5, "invalid number `12abc`")
        expectError("n = 1__0", 1, 5, "invalid number `1__0`")
        expectError("n = _1", 1, 5, "expected a value, found `_`")
        expectError("n = 1_", 1, 5, "invalid number `1_`")
        expectError("n = 1.", 1, 5, "invalid number `1.`")
        expectError("n = 1.e5", 1, 5, "invalid number")
        expectError("n = 1e", 1, 5, "invalid number")
        expectError("n = 0x", 1, 5, "invalid number")
        expectError("n = +0x10", 1, 5, "invalid number")
        expectError("n = 0b102", 1, 5, "invalid number")
        expectError("n = 0xG", 1, 5, "invalid number")
        expectError("n = 0x_1", 1, 5, "invalid number `0x_1`")
        expectError("n = 0x1__2", 1, 5, "invalid number")
        expectError("n = 0b1_", 1, 5, "invalid number")
        expectError("n = 1e_5", 1, 5, "invalid number")
        expectError("x = 1\n  n = 0_0", 2, 7, "leading zeros")
        #expect(node(parse("n = 0x1_f"), "n")?.integerValue == 31)
        #expect(node(parse("n = 1_2.3_4e5_6"), "n")?.literal == "1_2.3_4e5_6")
        #expect(node(parse("n = -0"), "n")?.integerValue == 0)
        expectError("n = .5", 1, 5, "expected a value, found `.`")
        expectError("n = 012", 1, 5, "leading zeros are not allowed in `012`")
        expectError("n = -01", 1, 5, "leading zeros")
        expectError("n = 03.14", 1, 5, "leading zeros")
        expectError("n = 9223372036854775808", 1, 5, "does not fit in 64 bits")
        expectError("n = -9223372036854775809", 1, 5, "does not fit in 64 bits")
        expectError("n = 0x8000000000000000", 1, 5, "does not fit in 64 bits")
        expectError("n = infinity", 1, 5, "invalid value `infinity`")
        expectError("n = +inf0", 1, 5, "invalid number")
    }

    @Test func datesAndTimes() {
        expectError("d = 2026-02-30", 1, 5, "invalid date `2026-02-30`")
        expectError("x = 1\nd = 2026-13-01", 2, 5, "invalid date `2026-13-01`")
        expectError("d = 2025-02-29", 1, 5, "invalid date")
        expectError("d = 2026-1-01", 1, 5, "invalid date")
        expectError("d = 2026-12-011", 1, 5, "invalid date or time")
        expectError("t = 24:00:00", 1, 5, "invalid time")
        expectError("t = 12:60:00", 1, 5, "invalid time")
        expectError("t = 12:30", 1, 5, "expected HH:MM:SS")
        expectError("d = 2026-12-01T", 1, 5, "invalid time")
        expectError("d = 2026-12-01T10:00:00+25:00", 1, 5, "invalid time offset")
        expectError("d = 2026-12-01T10:00:00.", 1, 5, "expected digits after `.`")
    }

    @Test func structure() {
        expectError("name \"Demo\"", 1, 6, "expected `=` after key `name`, found `\"`")
        expectError("[a]\nkey", 2, 4, "expected `=` after key `key`, found end of file")
        expectError("a.b\n= 1", 1, 4, "expected `=` after key `a.b`, found end of line")
        expectError("a = 1 2", 1, 7, "unexpected `2` after value")
        expectError("a = \"x\" y", 1, 9, "unexpected `y` after value")
        expectError("a = true1", 1, 5, "invalid value `true1`")
        expectError("[t] x = 1", 1, 5, "unexpected `x` after table header")
        expectError("a = ", 1, 5, "expected a value, found end of file")
        expectError("a =\nb = 1", 1, 4, "expected a value, found end of line")
        expectError("a = hello", 1, 5, "invalid value `hello` (strings must be in quotes)")
        expectError("= 1", 1, 1, "expected a key, found `=`")
        expectError("a = [1 2]", 1, 8, "expected `,` or `]` in array, found `2`")
        expectError("a = [1,,2]", 1, 8, "expected a value, found `,`")
        expectError("a = [1,\n2", 1, 5, "unterminated array")
        expectError("[a", 1, 3, "expected `]` to close the table header")
        expectError("[[a]", 1, 5, "expected `]]`")
        expectError("[a]]", 1, 4, "unexpected `]` after table header")
        expectError("[]", 1, 2, "expected a key, found `]`")
        expectError("a = 1\r", 1, 6, "carriage return without line feed")
        expectError("# bad \u{07} comment", 1, 7, "control character U+0007 is not allowed in a comment")
        expectError("a = 1 # ok\nb = 2 # \u{7F}", 2, 9, "control character U+007F")
        expectError("a = \u{00E9}", 1, 5, "expected a value, found `é`")
    }

    @Test func errorDescriptionAndDiagnostic() {
        guard let error = parseError("a = 1\na = 2") else { Issue.record("expected an error"); return }
        #expect(error.description == "2:1: duplicate key `a` (first defined on line 1)")
        #expect(error.diagnostic(file: "scenario.toml").description == "scenario.toml:2:1: error: duplicate key `a` (first defined on line 1)")
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deepArray = "a = " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(parseError(deepArray)?.message.contains("nested too deeply") == true)
        let deepInline = "a = " + String(repeating: "{b=", count: 5000) + "1" + String(repeating: "}", count: 5000)
        #expect(parseError(deepInline)?.message.contains("nested too deeply") == true)
        let deepHeader = "[" + Array(repeating: "k", count: 5000).joined(separator: ".") + "]"
        #expect(parseError(deepHeader)?.message.contains("nested too deeply") == true)
        let deepDotted = Array(repeating: "k", count: 5000).joined(separator: ".") + " = 1"
        #expect(parseError(deepDotted)?.message.contains("nested too deeply") == true)
        // 100 levels are fine.
        let ok = "a = " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(parseError(ok) == nil)
    }
}

// MARK: - Fuzz

@Suite struct TOMLFuzzTests {
    static let seed = """
    # treso scenario
    name = "Demo \\u00e9 \\"q\\""   # company
    opening_balance = 25_000.10
    start = 2026-01-01
    stamp = 2026-01-01T08:00:00+01:00
    tags = [ "a", 'b', [1, 0x1F, 0o7, 0b1], { k = 1.5e3 } , ]
    notes = \"\"\"
    multi \\
      line\"\"\"
    raw = '''
    literal'''

    [overdraft]
    annual_rate = 9.5
    limit.amount = -10_000
    flags = { on = true, off = false }

    [[invoice]]
    id = "F-1"
    due = 2026-12-01
    [invoice.meta]
    t = 07:30:00

    [[invoice]]
    id = "F-2"
    """

    @Test func randomMutationsNeverCrash() {
        var rng = SeededRandom(seed: 0x7E50_2026)
        let base = Array(Self.seed.utf8)
        let interesting: [UInt8] = Array("\"'[]{}=.,#\\\n\r\t 0129aeE+-_xob:TZ".utf8) + [0x00, 0x7F, 0xC3, 0xA9, 0xFF]
        var successes = 0
        var failures = 0
        for round in 0..<600 {
            var bytes = base
            let mutations = 1 + Int(rng.next() % 4)
            for _ in 0..<mutations {
                guard !bytes.isEmpty else { break }
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 6 {
                case 0: bytes[at] = interesting[Int(rng.next() % UInt64(interesting.count))]
                case 1: bytes.insert(interesting[Int(rng.next() % UInt64(interesting.count))], at: at)
                case 2: bytes.remove(at: at)
                case 3: bytes.removeSubrange(at...)  // truncation
                case 4: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                default:
                    let end = min(bytes.count, at + 1 + Int(rng.next() % 16))
                    bytes.insert(contentsOf: Array(bytes[at..<end]), at: at) // duplicate a run
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            do throws(TOMLError) {
                let doc = try TOMLDocument.parse(text)
                successes += 1
                _ = doc.root.keys
                // Whatever parses must also be editable without breaking the file.
                var edit = try TOMLEditor(text: text)
                do throws(TOMLError) {
                    try edit.set(["overdraft", "annual_rate"], literal: "1.25")
                    let again = try TOMLDocument.parse(edit.text)
                    #expect(again.node(at: ["overdraft", "annual_rate"])?.literal == "1.25", "round \(round)")
                } catch {
                    // A refused edit must leave the text untouched.
                    #expect(edit.text == text, "round \(round)")
                }
            } catch {
                failures += 1
                #expect(error.line >= 1 && error.column >= 1, "round \(round): \(error)")
            }
        }
        // The mutations must exercise both paths, or the test proves nothing.
        #expect(successes > 20)
        #expect(failures > 100)
    }

    @Test func everyTruncationNeverCrashes() {
        let base = Array(Self.seed.utf8)
        var failures = 0
        for length in 0...base.count {
            let text = String(decoding: base[0..<length], as: UTF8.self)
            if parseError(text) != nil { failures += 1 }
        }
        #expect(failures > 0)
        #expect(parseError(Self.seed) == nil)
    }
}

// MARK: - Editor

@Suite struct TOMLEditorTests {
    static let scenario = """
    # Scenario
    name = "Demo"   # company name
    opening_balance = 25_000.10 # EUR

    [overdraft]
    annual_rate = 8.0  # percent
    limit = 10000

    # Bank
    [bank]
      iban = "FR76"
    """

    @Test func setExistingKeyKeepsCommentAndEverythingElse() throws {
        guard var e = editor(Self.scenario) else { return }
        try e.set(["overdraft", "annual_rate"], literal: "9.5")
        #expect(e.text == Self.scenario.replacingOccurrences("annual_rate = 8.0  # percent", "annual_rate = 9.5  # percent"))
        try e.set(["name"], literal: tomlQuoted("Acme \"SA\""))
        #expect(e.text.split(separator: "\n", omittingEmptySubsequences: false)[1] == #"name = "Acme \"SA\""   # company name"#)
        try e.set(["opening_balance"], literal: "30000.00")
        let doc = try TOMLDocument.parse(e.text)
        #expect(doc.node(at: ["overdraft", "annual_rate"])?.numberLiteral == "9.5")
        #expect(doc.node(at: ["name"])?.stringValue == "Acme \"SA\"")
        #expect(doc.node(at: ["opening_balance"])?.literal == "30000.00")
        #expect(e.document.node(at: ["opening_balance"])?.literal == "30000.00")
        // Only the three values changed: every other line is byte-identical.
        let before = Self.scenario.split(separator: "\n", omittingEmptySubsequences: false)
        let after = e.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(before.count == after.count)
        let changed = zip(before, after).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(changed == [1, 2, 5])
    }

    @Test func setReplacesMultiLineAndCompoundValues() throws {
        let text = "list = [\n  1,\n  2,\n] # kept\nbox = { a = 1 }\nafter = true\n"
        guard var e = editor(text) else { return }
        try e.set(["list"], literal: "[3]")
        try e.set(["box"], literal: "{ a = 2, b = 3 }")
        #expect(e.text == "list = [3] # kept\nbox = { a = 2, b = 3 }\nafter = true\n")
    }

    @Test func insertMissingKeyIntoExistingTable() throws {
        guard var e = editor(Self.scenario) else { return }
        try e.set(["overdraft", "fee"], literal: "25")
        #expect(e.text == Self.scenario.replacingOccurrences("limit = 10000\n", "limit = 10000\nfee = 25\n"))
        // Indentation of the table's last key is reused; a file without final newline is handled.
        try e.set(["bank", "bic"], literal: "\"AGRIFRPP\"")
        #expect(e.text.hasSuffix("[bank]\n  iban = \"FR76\"\n  bic = \"AGRIFRPP\"\n"))
        // A root key goes after the last root key.
        try e.set(["currency"], literal: "\"EUR\"")
        #expect(e.text.contains("opening_balance = 25_000.10 # EUR\ncurrency = \"EUR\"\n\n[overdraft]"))
        let doc = try TOMLDocument.parse(e.text)
        #expect(doc.node(at: ["overdraft", "fee"])?.integerValue == 25)
        #expect(doc.node(at: ["bank", "bic"])?.stringValue == "AGRIFRPP")
        #expect(doc.node(at: ["currency"])?.stringValue == "EUR")
        #expect(doc.node(at: ["overdraft"])?.tableValue?.keys == ["annual_rate", "limit", "fee"])
    }

    @Test func insertIntoEmptyTableAndDottedTable() throws {
        guard var e = editor("[empty]\n\n[other]\nx = 1\n") else { return }
        try e.set(["empty", "k"], literal: "true")
        #expect(e.text == "[empty]\nk = true\n\n[other]\nx = 1\n")

        guard var d = editor("server.port = 80 # http\nname = \"x\"\n\n[t]\n") else { return }
        try d.set(["server", "host"], literal: "\"localhost\"")
        #expect(d.text == "server.port = 80 # http\nserver.host = \"localhost\"\nname = \"x\"\n\n[t]\n")
        try d.set(["server", "port"], literal: "8080")
        #expect(d.text.hasPrefix("server.port = 8080 # http\n"))
    }

    @Test func insertRootKeyWhenRootHasNone() throws {
        guard var e = editor("# treso scenario\n\n# Bank\n[bank]\nx = 1\n") else { return }
        try e.set(["name"], literal: "\"Demo\"")
        #expect(e.text == "# treso scenario\n\nname = \"Demo\"\n\n# Bank\n[bank]\nx = 1\n")
        guard var empty = editor("") else { return }
        try empty.set(["name"], literal: "\"Demo\"")
        #expect(empty.text == "name = \"Demo\"\n")
    }

    @Test func createMissingTable() throws {
        guard var e = editor(Self.scenario) else { return }
        try e.set(["company", "siren"], literal: "\"123456789\"")
        #expect(e.text == Self.scenario + "\n\n[company]\nsiren = \"123456789\"\n")
        try e.set(["loan", "terms", "months"], literal: "36")
        #expect(e.text.hasSuffix("siren = \"123456789\"\n\n[loan.terms]\nmonths = 36\n"))
        // A table that only exists as a parent of another header gets its own section.
        try e.set(["loan", "bank"], literal: "\"BNP\"")
        #expect(e.text.hasSuffix("[loan.terms]\nmonths = 36\n\n[loan]\nbank = \"BNP\"\n"))
        let doc = try TOMLDocument.parse(e.text)
        #expect(doc.node(at: ["company", "siren"])?.stringValue == "123456789")
        #expect(doc.node(at: ["loan", "terms", "months"])?.integerValue == 36)
        #expect(doc.node(at: ["loan", "bank"])?.stringValue == "BNP")
        #expect(doc.node(at: ["overdraft", "annual_rate"])?.literal == "8.0")
        // Keys that need quotes are quoted.
        try e.set(["odd table", "a.b"], literal: "1")
        #expect(e.text.hasSuffix("[\"odd table\"]\n\"a.b\" = 1\n"))
        #expect(try TOMLDocument.parse(e.text).node(at: ["odd table", "a.b"])?.integerValue == 1)
    }

    @Test func refusedEditsLeaveTheTextUnchanged() throws {
        let text = "limits = { max = 3 } # inline\n[[invoice]]\nid = 1\n[t]\nv = 1\n"
        guard var e = editor(text) else { return }
        for (path, literal) in [(["invoice", "id"], "2"), (["t"], "1"),
                                (["t", "v"], "9.5 # comment"), (["t", "v"], "abc"), (["t", "v"], ""),
                                (["t", "v"], "1\nw = 2"), (["t", "v"], " 1"), ([], "1"), (["limits", "max", "x"], "1")] {
            #expect(throws: TOMLError.self, "\(path) = \(literal)") { try e.set(path, literal: literal) }
            #expect(e.text == text)
        }
        // The whole inline table can be replaced.
        try e.set(["limits"], literal: "{ max = 4 }")
        #expect(e.text.hasPrefix("limits = { max = 4 } # inline\n"))
        #expect(throws: TOMLError.self) { try TOMLEditor(text: "a = ") }
    }

    /// Issue 9: `overdraft = { … }` could not be saved after editing terms. A key inside an inline table
    /// is now edited in place; every other byte of the file stays as it was.
    @Test func keysInsideInlineTablesAreEditedInPlace() throws {
        let text = "# top\r\nopening_balance = 1 # ob\r\noverdraft = { limit = 1_000,  annual_rate = 9.5 } # kept\r\nempty = {}\r\n[t]\r\nv = { a = { b = 1 } }\r\n"
        guard var e = editor(text) else { return }
        try e.set(["overdraft", "limit"], literal: "25000.00")
        #expect(e.text == text.replacingOccurrences("limit = 1_000", "limit = 25000.00"))
        try e.set(["overdraft", "highest_overdraft_rate"], literal: "0.05")
        #expect(e.text.contains("overdraft = { limit = 25000.00,  annual_rate = 9.5, highest_overdraft_rate = 0.05 } # kept\r\n"))
        try e.set(["empty", "x"], literal: "\"y\"")
        #expect(e.text.contains("\r\nempty = { x = \"y\" }\r\n"))
        try e.set(["t", "v", "a", "b"], literal: "2")
        try e.set(["t", "v", "a", "c"], literal: "3")
        #expect(e.text.hasSuffix("[t]\r\nv = { a = { b = 2, c = 3 } }\r\n"))
        let doc = try TOMLDocument.parse(e.text)
        #expect(doc.node(at: ["overdraft", "limit"])?.literal == "25000.00")
        #expect(doc.node(at: ["overdraft", "annual_rate"])?.literal == "9.5")
        #expect(doc.node(at: ["t", "v", "a", "c"])?.integerValue == 3)
        #expect(e.text.hasPrefix("# top\r\nopening_balance = 1 # ob\r\n"))

        try e.remove(["overdraft", "limit"])
        #expect(e.text.contains("overdraft = { annual_rate = 9.5, highest_overdraft_rate = 0.05 } # kept"))
        try e.remove(["overdraft", "highest_overdraft_rate"])
        #expect(e.text.contains("overdraft = { annual_rate = 9.5 } # kept"))
        // A dotted key inside an inline table is refused with a message saying what to write.
        guard var d = editor("a = { b.c = 1 }\n") else { return }
        #expect(throws: TOMLError.self) { try d.set(["a", "b", "c"], literal: "2") }
        #expect(d.text == "a = { b.c = 1 }\n")
    }

    @Test func removeDeletesOnlyTheKeyLines() throws {
        let text = "a = 1 # one\nb = [\n  2,\n] # two\n# about c\nc = 3\n[t]\nx.y = 4\nz = 5"
        guard var e = editor(text) else { return }
        try e.remove(["a"])
        #expect(e.text == "b = [\n  2,\n] # two\n# about c\nc = 3\n[t]\nx.y = 4\nz = 5")
        try e.remove(["b"])
        #expect(e.text == "# about c\nc = 3\n[t]\nx.y = 4\nz = 5")
        try e.remove(["t", "z"])
        #expect(e.text == "# about c\nc = 3\n[t]\nx.y = 4\n")
        try e.remove(["t", "x", "y"])
        #expect(e.text == "# about c\nc = 3\n[t]\n")
        // Missing keys are a no-op.
        try e.remove(["nope"])
        try e.remove(["t", "nope", "deeper"])
        #expect(e.text == "# about c\nc = 3\n[t]\n")
        #expect(throws: TOMLError.self) { try e.remove(["t"]) }
        #expect(try TOMLDocument.parse(e.text).root.keys == ["c", "t"])
    }

    static let invoices = """
    name = "Demo"

    # Invoices, newest last
    [[invoice]]
    id = "F-1"   # first
    amount = 100.00
    [invoice.meta]
    note = "x"

    # second
    [[invoice]]
    id = "F-2"

    # Bank
    [bank]
    iban = "FR76"
    """

    @Test func replaceArrayOfTablesWithTwoExistingBlocks() throws {
        guard var e = editor(Self.invoices) else { return }
        try e.replaceArrayOfTables("invoice", with: [
            "[[invoice]]\nid = \"F-9\"\namount = 9.99\n",
            "\n[[invoice]]\r\nid = \"F-10\"\n\n",
            "[[invoice]]\nid = \"F-11\"\n[invoice.meta]\nnote = \"y\"",
        ])
        #expect(e.text == """
        name = "Demo"

        # Invoices, newest last
        [[invoice]]
        id = "F-9"
        amount = 9.99

        [[invoice]]
        id = "F-10"

        [[invoice]]
        id = "F-11"
        [invoice.meta]
        note = "y"

        # Bank
        [bank]
        iban = "FR76"
        """)
        let doc = try TOMLDocument.parse(e.text)
        let list = doc.node(at: ["invoice"])?.arrayValue
        #expect(list?.compactMap { $0.tableValue?["id"]?.stringValue } == ["F-9", "F-10", "F-11"])
        #expect(list?.last?.tableValue?.node(at: ["meta", "note"])?.stringValue == "y")
        #expect(doc.node(at: ["bank", "iban"])?.stringValue == "FR76")

        // Saving again with the same blocks is stable.
        let once = e.text
        try e.replaceArrayOfTables("invoice", with: [
            "[[invoice]]\nid = \"F-9\"\namount = 9.99\n", "[[invoice]]\nid = \"F-10\"", "[[invoice]]\nid = \"F-11\"\n[invoice.meta]\nnote = \"y\"",
        ])
        #expect(e.text == once)
    }

    @Test func replaceArrayOfTablesWithOneExistingBlock() throws {
        let text = "a = 1\n\n# the only one\n[[loan]]\nprincipal = 1000 # k\n\n[x]\ny = 2\n"
        guard var e = editor(text) else { return }
        try e.replaceArrayOfTables("loan", with: ["[[loan]]\nprincipal = 2000", "[[loan]]\nprincipal = 3000"])
        #expect(e.text == "a = 1\n\n# the only one\n[[loan]]\nprincipal = 2000\n\n[[loan]]\nprincipal = 3000\n\n[x]\ny = 2\n")
        // Down to zero: the blocks go, the comment above stays, blank lines do not pile up.
        try e.replaceArrayOfTables("loan", with: [])
        #expect(e.text == "a = 1\n\n# the only one\n\n[x]\ny = 2\n")
        #expect(try TOMLDocument.parse(e.text).node(at: ["loan"]) == nil)
    }

    @Test func replaceArrayOfTablesWithNoExistingBlock() throws {
        guard var e = editor("a = 1\n[x]\ny = 2") else { return }
        try e.replaceArrayOfTables("invoice", with: ["[[invoice]]\nid = \"F-1\"\n"])
        #expect(e.text == "a = 1\n[x]\ny = 2\n\n[[invoice]]\nid = \"F-1\"\n")
        guard var empty = editor("") else { return }
        try empty.replaceArrayOfTables("invoice", with: ["[[invoice]]\nid = 1", "[[invoice]]\nid = 2"])
        #expect(empty.text == "[[invoice]]\nid = 1\n\n[[invoice]]\nid = 2\n")
        // Nothing to remove and nothing to add: no change.
        guard var none = editor("a = 1\n") else { return }
        try none.replaceArrayOfTables("invoice", with: [])
        #expect(none.text == "a = 1\n")
    }

    @Test func replaceArrayOfTablesKeepsUnrelatedSectionsBetweenBlocks() throws {
        let text = "[[inv]]\nid = 1\n\n[bank]\niban = \"x\"\n\n[[inv]]\nid = 2\n"
        guard var e = editor(text) else { return }
        try e.replaceArrayOfTables("inv", with: ["[[inv]]\nid = 3"])
        #expect(e.text == "[[inv]]\nid = 3\n\n[bank]\niban = \"x\"\n\n")
        let doc = try TOMLDocument.parse(e.text)
        #expect(doc.node(at: ["inv"])?.arrayValue?.count == 1)
        #expect(doc.node(at: ["bank", "iban"])?.stringValue == "x")
    }

    @Test func replaceArrayOfTablesRefusesBadBlocks() throws {
        guard var e = editor(Self.invoices) else { return }
        for blocks in [["id = \"no header\""], ["[[invoice]]\nid = 1\n[[invoice]]\nid = 2"], ["[[invoice]]\nid = "], ["[[other]]\nid = 1"]] {
            #expect(throws: TOMLError.self, "\(blocks)") { try e.replaceArrayOfTables("invoice", with: blocks) }
            #expect(e.text == Self.invoices)
        }
        #expect(throws: TOMLError.self) { try e.replaceArrayOfTables("bank", with: []) }
        #expect(throws: TOMLError.self) { try e.replaceArrayOfTables("name", with: []) }
        #expect(throws: TOMLError.self) { try e.replaceArrayOfTables("bad name!", with: []) }
        #expect(e.text == Self.invoices)
    }

    @Test func crlfFilesStayCRLF() throws {
        let text = "a = 1 # c\r\n[t]\r\nx = 1\r\n"
        guard var e = editor(text) else { return }
        try e.set(["t", "y"], literal: "2")
        try e.set(["a"], literal: "3")
        try e.set(["u", "z"], literal: "4")
        #expect(e.text == "a = 3 # c\r\n[t]\r\nx = 1\r\ny = 2\r\n\r\n[u]\r\nz = 4\r\n")
        try e.replaceArrayOfTables("l", with: ["[[l]]\nk = 1\n"])
        #expect(e.text.hasSuffix("z = 4\r\n\r\n[[l]]\r\nk = 1\r\n"))
        #expect(!e.text.replacingOccurrences("\r\n", "").contains("\n"))
    }

    @Test func bomIsKept() throws {
        guard var e = editor("\u{FEFF}a = 1\n") else { return }
        try e.set(["a"], literal: "2")
        try e.set(["b"], literal: "3")
        #expect(e.text == "\u{FEFF}a = 2\nb = 3\n")
    }

    @Test func roundTripOfManyEdits() throws {
        guard var e = editor(Self.scenario) else { return }
        try e.set(["overdraft", "annual_rate"], literal: "9.5")
        try e.set(["overdraft", "start"], literal: "2026-12-01")
        try e.set(["company", "name"], literal: tomlQuoted("Société \\ \"Générale\"\n\t"))
        try e.remove(["opening_balance"])
        try e.replaceArrayOfTables("invoice", with: ["[[invoice]]\nid = \"F-1\"\namount = 25_000.10"])
        let doc = try TOMLDocument.parse(e.text)
        #expect(doc.node(at: ["overdraft", "annual_rate"])?.numberLiteral == "9.5")
        #expect(doc.node(at: ["overdraft", "start"])?.dayValue == Day(iso: "2026-12-01"))
        #expect(doc.node(at: ["company", "name"])?.stringValue == "Société \\ \"Générale\"\n\t")
        #expect(doc.node(at: ["opening_balance"]) == nil)
        #expect(doc.node(at: ["invoice"])?.arrayValue?.first?.tableValue?["amount"]?.numberLiteral == "25000.10")
        #expect(e.text.contains("# Scenario\n"))
        #expect(e.text.contains("annual_rate = 9.5  # percent\n"))
        #expect(e.text.contains("# Bank\n[bank]"))
    }

    @Test func quotingHelpers() throws {
        for s in ["", "plain", "quote \" and \\ backslash", "ctl \u{01}\u{1F}\u{7F} \u{08}\u{0C}\n\r\t", "unicode é € 😀"] {
            let doc = try TOMLDocument.parse("v = " + tomlQuoted(s))
            #expect(doc.node(at: ["v"])?.stringValue == s)
        }
        #expect(tomlQuoted("a\"b") == #""a\"b""#)
        #expect(tomlKey("annual_rate") == "annual_rate")
        #expect(tomlKey("a.b") == #""a.b""#)
        #expect(tomlKey("") == #""""#)
    }
}

private extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

