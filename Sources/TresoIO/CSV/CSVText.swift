import TresoCore

/// A field of the current row. `start..<end` is the raw content: inside the quotes for a quoted field,
/// untrimmed.
struct FieldSpan {
    var start: Int
    var end: Int
    var quoted: Bool
    /// Quoted and containing `""`.
    var escaped: Bool
}

struct RowScan {
    var count: Int
    /// End of the row's last field (where its line break starts).
    var rowEnd: Int
    /// Start of the next row.
    var next: Int
    /// Line breaks inside quoted fields.
    var innerLineBreaks: Int
    /// Offset of a malformed-quoting problem, if any, and whether it is an unterminated quote.
    var problemAt: Int = -1
    var unterminated = false
}

/// The text being parsed and the fields of the current row.
///
/// Kept small and separate from the parser's state on purpose: helpers called once per field take it
/// by value, and a large `self` would be copied at each such call.
struct CSVText {
    let p: UnsafePointer<UInt8>
    let end: Int
    var delimiter: UInt8 = 0x2C
    var spans: UnsafeMutablePointer<FieldSpan>
    var spanCapacity = 32

    init(p: UnsafePointer<UInt8>, end: Int) {
        self.p = p; self.end = end
        spans = .allocate(capacity: 32)
    }

    func release() { spans.deallocate() }

    mutating func growSpans() {
        let bigger = UnsafeMutablePointer<FieldSpan>.allocate(capacity: spanCapacity * 2)
        bigger.moveInitialize(from: spans, count: spanCapacity)
        spans.deallocate()
        spans = bigger
        spanCapacity *= 2
    }

    // MARK: Scanning

    /// First delimiter, LF or CR at or after `r0` (or `end`), eight bytes at a time.
    @inline(__always) func unquotedFieldEnd(from r0: Int) -> Int {
        var r = r0
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let dd = ones &* UInt64(delimiter)
        let lf = ones &* 0x0A, cr = ones &* 0x0D
        let raw = UnsafeRawPointer(p)
        while r + 8 <= end {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: r, as: UInt64.self))
            let x = w ^ dd, y = w ^ lf, z = w ^ cr
            // The lowest byte flagged by the "has a zero byte" trick is exact.
            let m = (((x &- ones) & ~x) | ((y &- ones) & ~y) | ((z &- ones) & ~z)) & highs
            if m != 0 { return r + (m.trailingZeroBitCount >> 3) }
            r += 8
        }
        let d = delimiter
        while r < end {
            let b = p[r]
            if b == d || b == 0x0A || b == 0x0D { return r }
            r += 1
        }
        return end
    }

    /// Splits one row (which spans several lines when a quoted field holds line breaks) into `spans`.
    @inline(__always)
    mutating func scanRow(at rowStart: Int) -> RowScan {
        let d = delimiter
        var pos = rowStart
        var n = 0
        var breaks = 0
        var problemAt = -1
        while true {
            if n == spanCapacity { growSpans() }
            var q = pos
            while q < end, p[q] == 0x20 || (p[q] == 0x09 && d != 0x09) { q += 1 }
            if q < end && p[q] == 0x22 {
                let contentStart = q + 1
                var r = contentStart
                var escaped = false
                var closed = false
                while r < end {
                    let b = p[r]
                    if b == 0x22 {
                        if r + 1 < end && p[r + 1] == 0x22 { escaped = true; r += 2; continue }
                        closed = true
                        break
                    }
                    if b == 0x0A {
                        breaks += 1
                    } else if b == 0x0D && !(r + 1 < end && p[r + 1] == 0x0A) {
                        breaks += 1
                    }
                    r += 1
                }
                if !closed {
                    spans[n] = FieldSpan(start: contentStart, end: end, quoted: true, escaped: escaped)
                    return RowScan(count: n + 1, rowEnd: end, next: end, innerLineBreaks: breaks, problemAt: q, unterminated: true)
                }
                spans[n] = FieldSpan(start: contentStart, end: r, quoted: true, escaped: escaped)
                n += 1
                r += 1
                while r < end, p[r] == 0x20 || (p[r] == 0x09 && d != 0x09) { r += 1 }
                if r < end, p[r] != d, p[r] != 0x0A, p[r] != 0x0D {
                    if problemAt < 0 { problemAt = r }
                    r = unquotedFieldEnd(from: r)
                }
                pos = r
            } else {
                let r = unquotedFieldEnd(from: pos)
                spans[n] = FieldSpan(start: pos, end: r, quoted: false, escaped: false)
                n += 1
                pos = r
            }
            if pos >= end {
                return RowScan(count: n, rowEnd: end, next: end, innerLineBreaks: breaks, problemAt: problemAt)
            }
            let b = p[pos]
            if b == d { pos += 1; continue }
            let next = (b == 0x0D && pos + 1 < end && p[pos + 1] == 0x0A) ? pos + 2 : pos + 1
            return RowScan(count: n, rowEnd: pos, next: next, innerLineBreaks: breaks, problemAt: problemAt)
        }
    }

    /// The delimiter occurring most in the header line, outside quotes; ties go to `;`, then tab, then `,`.
    mutating func detectDelimiter(from s: Int) {
        var inQuotes = false
        var commas = 0, semicolons = 0, tabs = 0
        var i = s
        while i < end {
            let b = p[i]
            if b == 0x22 { inQuotes.toggle() } else if !inQuotes {
                if b == 0x0A || b == 0x0D { break }
                if b == 0x2C { commas += 1 } else if b == 0x3B { semicolons += 1 } else if b == 0x09 { tabs += 1 }
            }
            i += 1
        }
        if semicolons > 0 && semicolons >= tabs && semicolons >= commas {
            delimiter = 0x3B
        } else if tabs > 0 && tabs >= commas {
            delimiter = 0x09
        } else {
            delimiter = 0x2C
        }
    }

    // MARK: Fields of the current row

    /// The field's content without surrounding blanks.
    @inline(__always) func value(_ f: Int) -> (Int, Int) {
        let s = spans[f]
        return trimBlanks(p, s.start, s.end)
    }

    @inline(__always) func hasValue(_ f: Int) -> Bool {
        let (s, e) = value(f)
        return s < e
    }

    @inline(__always) func isBlankRow(_ n: Int) -> Bool {
        for f in 0..<n {
            let (s, e) = value(f)
            if s < e { return false }
        }
        return true
    }

    /// Where a field's first character is: its opening quote, or its first non-blank character.
    /// A blank field is located at its start.
    func fieldOffset(_ f: Int) -> Int {
        let s = spans[f]
        if s.quoted { return s.start - 1 }
        let (b, e) = trimBlanks(p, s.start, s.end)
        return b < e ? b : s.start
    }

    func unescapedBytes(_ s: Int, _ e: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(e - s)
        var i = s
        while i < e {
            out.append(p[i])
            i += (p[i] == 0x22 && i + 1 < e && p[i + 1] == 0x22) ? 2 : 1
        }
        return out
    }

    @inline(__always) func string(_ f: Int) -> String {
        let (s, e) = value(f)
        if spans[f].escaped { return String(decoding: unescapedBytes(s, e), as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(start: p + s, count: e - s), as: UTF8.self)
    }

    /// The field's text for a message, shortened to 40 characters: only the first bytes are decoded, so
    /// a field of a gigabyte costs no more to quote than a short one.
    func shown(_ f: Int) -> String {
        let (s, e) = value(f)
        let cut = min(e, s + 200)
        let bytes = spans[f].escaped ? unescapedBytes(s, cut) : Array(UnsafeBufferPointer(start: p + s, count: cut - s))
        var text = String(decoding: bytes, as: UTF8.self)
        if text.unicodeScalars.count > 40 || cut < e {
            text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "…"
        }
        return text
    }

    @inline(__always) func asciiUppercaseEquals(_ s: Int, _ e: Int, _ upper: [UInt8]) -> Bool {
        guard e - s == upper.count else { return false }
        for i in 0..<upper.count {
            let b = p[s + i]
            if ((b >= 0x61 && b <= 0x7A) ? b - 0x20 : b) != upper[i] { return false }
        }
        return true
    }

    /// (line, column) of a byte offset inside a row starting at `rowStart` on line `rowLine`.
    /// Columns count Unicode scalars from the start of the physical line, 1-based.
    func location(_ offset: Int, rowStart: Int, rowLine: Int) -> (Int, Int) {
        var line = rowLine, lineStart = rowStart, i = rowStart
        let stop = min(offset, end)
        while i < stop {
            let b = p[i]
            if b == 0x0A {
                line += 1; lineStart = i + 1
            } else if b == 0x0D {
                if i + 1 < end && p[i + 1] == 0x0A { i += 1 }
                line += 1; lineStart = i + 1
            }
            i += 1
        }
        var column = 1
        var j = lineStart
        while j < stop { if p[j] & 0xC0 != 0x80 { column += 1 }; j += 1 }
        return (line, column)
    }
}

/// Remembers recently parsed dates by their ten bytes: a file has a few hundred distinct dates, and
/// building a `Day` costs more than a lookup.
struct DateCache {
    private var keys: UnsafeMutablePointer<UInt64>   // two words per entry: first 8 bytes, last 2 bytes | 1 << 16
    private var days: UnsafeMutablePointer<Day>
    private static let size = 4096

    init() {
        keys = .allocate(capacity: 2 * DateCache.size)
        keys.initialize(repeating: 0, count: 2 * DateCache.size)
        days = .allocate(capacity: DateCache.size)
        days.initialize(repeating: Day(raw: 0), count: DateCache.size)
    }

    func release() { keys.deallocate(); days.deallocate() }

    @inline(__always) mutating func parse(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> DateParseResult {
        guard e - s == 10 else { return parseDate(p, s, e) }
        let k0 = UnsafeRawPointer(p).loadUnaligned(fromByteOffset: s, as: UInt64.self)
        let k1 = UInt64(p[s + 8]) | UInt64(p[s + 9]) << 8 | 1 << 16
        let slot = Int(truncatingIfNeeded: ((k0 ^ (k1 &* 0x9E37_79B9)) &* 0xFF51_AFD7_ED55_8CCD) >> 52)
        if keys[2 * slot] == k0 && keys[2 * slot + 1] == k1 { return .ok(days[slot]) }
        let r = parseDate(p, s, e)
        if case .ok(let d) = r {
            keys[2 * slot] = k0; keys[2 * slot + 1] = k1; days[slot] = d
        }
        return r
    }
}
