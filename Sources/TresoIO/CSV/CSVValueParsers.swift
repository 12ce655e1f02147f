import TresoCore

// Field values parsed straight from the file's bytes: no String, no Double.

@inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }

/// Length of the blank (space, tab, U+00A0, U+202F, U+2009) starting at `i`, or 0.
@inline(__always) func blankLength(_ p: UnsafePointer<UInt8>, _ i: Int, _ e: Int) -> Int {
    let b = p[i]
    if b == 0x20 || b == 0x09 { return 1 }
    if b == 0xC2, i + 1 < e, p[i + 1] == 0xA0 { return 2 }
    if b == 0xE2, i + 2 < e, p[i + 1] == 0x80, p[i + 2] == 0xAF || p[i + 2] == 0x89 { return 3 }
    return 0
}

/// Length of the blank ending just before `e`, or 0.
@inline(__always) func blankLengthBefore(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int {
    let b = p[e - 1]
    if b == 0x20 || b == 0x09 { return 1 }
    if b == 0xA0, e - 2 >= s, p[e - 2] == 0xC2 { return 2 }
    if (b == 0xAF || b == 0x89), e - 3 >= s, p[e - 3] == 0xE2, p[e - 2] == 0x80 { return 3 }
    return 0
}

/// Trims blanks on both sides of `[s, e)`.
@inline(__always) func trimBlanks(_ p: UnsafePointer<UInt8>, _ s0: Int, _ e0: Int) -> (Int, Int) {
    var s = s0, e = e0
    // Fast exit: most fields start and end with a visible ASCII byte.
    if s < e {
        let f = p[s], l = p[e - 1]
        if f > 0x20 && f < 0x80 && l > 0x20 && l < 0x80 { return (s, e) }
    }
    while s < e { let k = blankLength(p, s, e); if k == 0 { break }; s += k }
    while e > s { let k = blankLengthBefore(p, s, e); if k == 0 { break }; e -= k }
    return (s, e)
}

enum DateParseResult: Equatable {
    case ok(Day)
    case badFormat
    case noSuchDay
}

/// `YYYY-MM-DD` (also `/` or `.`), `DD/MM/YYYY` (also `.` or `-`; day and month may have one digit,
/// as Excel writes them), `DD/MM/YY` (20YY) or `YYYYMMDD`. A time after a space or `T` (`2026-11-03 00:00:00`) is ignored.
@inline(__always) func parseDate(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> DateParseResult {
    if e - s == 10, p[s + 4] == 0x2D, p[s + 7] == 0x2D {
        let y0 = p[s] &- 48, y1 = p[s + 1] &- 48, y2 = p[s + 2] &- 48, y3 = p[s + 3] &- 48
        let m0 = p[s + 5] &- 48, m1 = p[s + 6] &- 48, d0 = p[s + 8] &- 48, d1 = p[s + 9] &- 48
        if y0 < 10, y1 < 10, y2 < 10, y3 < 10, m0 < 10, m1 < 10, d0 < 10, d1 < 10 {
            let y = Int(y0) * 1000 + Int(y1) * 100 + Int(y2) * 10 + Int(y3)
            guard let d = Day(year: y, month: Int(m0) * 10 + Int(m1), day: Int(d0) * 10 + Int(d1)) else { return .noSuchDay }
            return .ok(d)
        }
    }
    return parseDateSlow(p, s, e)
}

func parseDateSlow(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> DateParseResult {
    // `YYYYMMDD` (FEC and some ERPs).
    if e - s == 8, (s..<e).allSatisfy({ isDigit(p[$0]) }) {
        func n(_ a: Int, _ k: Int) -> Int { (a..<(a + k)).reduce(0) { $0 * 10 + Int(p[$1] - 48) } }
        guard let day = Day(year: n(s, 4), month: n(s + 4, 2), day: n(s + 6, 2)) else { return .noSuchDay }
        return .ok(day)
    }
    var i = s
    func number(_ maxDigits: Int) -> (value: Int, digits: Int) {
        var v = 0, n = 0
        while i < e, n < maxDigits, isDigit(p[i]) { v = v * 10 + Int(p[i] - 48); i += 1; n += 1 }
        return (v, n)
    }
    let a = number(4)
    guard a.digits > 0, i < e else { return .badFormat }
    let sep = p[i]
    guard sep == 0x2D || sep == 0x2F || sep == 0x2E else { return .badFormat }
    i += 1
    let b = number(2)
    guard b.digits > 0, i < e, p[i] == sep else { return .badFormat }
    i += 1
    let c = number(4)
    guard c.digits > 0 else { return .badFormat }
    if i < e {
        // Only a time may follow: " 00:00:00" or "T00:00".
        guard p[i] == 0x20 || p[i] == 0x54, i + 1 < e, isDigit(p[i + 1]) else { return .badFormat }
    }
    let y: Int, m: Int, d: Int
    if a.digits == 4, c.digits <= 2 {
        (y, m, d) = (a.value, b.value, c.value)
    } else if a.digits <= 2, c.digits == 4 {
        (y, m, d) = (c.value, b.value, a.value)
    } else if a.digits <= 2, c.digits == 2 {
        // `dd/mm/yy`: a two-digit year is 2000 + yy (exports of open items are recent).
        (y, m, d) = (2000 + c.value, b.value, a.value)
    } else {
        return .badFormat
    }
    guard let day = Day(year: y, month: m, day: d) else { return .noSuchDay }
    return .ok(day)
}

enum AmountParseResult: Equatable {
    /// Signed cents and the currency written next to the number, if any (`€` → `EUR`).
    case ok(cents: Int64, currency: String?)
    case invalid
    case tooManyDecimals(ambiguousThousands: Bool)
    case tooLarge
}

/// Fast path for the canonical form (`12345.67`, `12345`, `0.5`); anything else goes to `parseAmountSlow`.
@inline(__always) func parseAmount(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, decimalComma: Bool) -> AmountParseResult {
    var i = s
    var v: Int64 = 0
    let intEnd = min(e, s + 15)
    while i < intEnd {
        let d = p[i] &- 48
        if d >= 10 { break }
        v = v &* 10 &+ Int64(d)
        i += 1
    }
    let intDigits = i - s
    if intDigits > 0 {
        if i == e { return .ok(cents: v &* 100, currency: nil) }
        if p[i] == 0x2E {
            let left = e - i - 1
            if left == 2 {
                let d0 = p[i + 1] &- 48, d1 = p[i + 2] &- 48
                if d0 < 10, d1 < 10 { return .ok(cents: v &* 100 &+ Int64(d0) &* 10 &+ Int64(d1), currency: nil) }
            } else if left == 1 {
                let d0 = p[i + 1] &- 48
                if d0 < 10 { return .ok(cents: v &* 100 &+ Int64(d0) &* 10, currency: nil) }
            }
        }
    }
    return parseAmountSlow(p, s, e, decimalComma: decimalComma)
}

/// Every other way people write an amount:
/// - signs: leading `+`/`-`/`−`, trailing `-`, or parentheses `(123,45)` for a negative;
/// - a currency next to the number: `€`, `$`, `£` or a three-letter code, before or after;
/// - separators: decimal `.` or `,`; thousands space, U+00A0, U+202F, U+2009, `'`, `’`, or the
///   other of `.`/`,`.
///
/// Which separator is the decimal one is decided per value: when both `.` and `,` appear, the last one
/// is decimal; a separator that appears more than once is a thousands separator; a single `.` or `,` is
/// decimal, **except** the ambiguous `1,234` / `1.234` (one separator, 1–3 digits before, exactly 3
/// after). That case follows the file's habit, guessed from its delimiter (`decimalComma` is true for
/// `;` and tab files, where `,` is the decimal comma): the file's decimal separator stays decimal, so
/// `1,234` in a `;` file has three decimals and is rejected rather than silently read as 1 234,00,
/// while the other separator is read as thousands (`1.234` in a `;` file is 1 234,00; `"1,234"` in a
/// `,` file is 1 234.00). Thousands groups must have exactly three digits.
func parseAmountSlow(_ p: UnsafePointer<UInt8>, _ s0: Int, _ e0: Int, decimalComma: Bool) -> AmountParseResult {
    var s = s0, e = e0
    var negative = false
    var sawSign = false, sawParens = false
    var currency: String? = nil
    // Peel decorations off both ends until nothing changes.
    while true {
        (s, e) = trimBlanks(p, s, e)
        guard s < e else { return .invalid }
        if !sawParens, !sawSign, p[s] == 0x28, p[e - 1] == 0x29 { sawParens = true; negative.toggle(); s += 1; e -= 1; continue }
        if !sawSign, p[s] == 0x2D || p[s] == 0x2B {
            sawSign = true; if p[s] == 0x2D { negative.toggle() }; s += 1; continue
        }
        if !sawSign, e - s >= 3, p[s] == 0xE2, p[s + 1] == 0x88, p[s + 2] == 0x92 { sawSign = true; negative.toggle(); s += 3; continue }
        if !sawSign, e - s >= 2, p[e - 1] == 0x2D || p[e - 1] == 0x2B, isDigit(p[e - 2]) || p[e - 2] == 0x20 {
            sawSign = true; if p[e - 1] == 0x2D { negative.toggle() }; e -= 1; continue
        }
        if currency == nil {
            if let (code, len) = currencyMark(p, s, e, atStart: true) { currency = code; s += len; continue }
            if let (code, len) = currencyMark(p, s, e, atStart: false) { currency = code; e -= len; continue }
        }
        break
    }
    // Pass 1: separators.
    let dot = 1, comma = 2, space = 3, apostrophe = 4
    func separator(at i: Int) -> (kind: Int, len: Int) {
        switch p[i] {
        case 0x2E: return (dot, 1)
        case 0x2C: return (comma, 1)
        case 0x27: return (apostrophe, 1)
        case 0x20: return (space, 1)
        case 0xC2 where i + 1 < e && p[i + 1] == 0xA0: return (space, 2)
        case 0xE2 where i + 2 < e && p[i + 1] == 0x80 && (p[i + 2] == 0xAF || p[i + 2] == 0x89): return (space, 3)
        case 0xE2 where i + 2 < e && p[i + 1] == 0x80 && p[i + 2] == 0x99: return (apostrophe, 3)
        default: return (0, 0)
        }
    }
    var counts = (0, 0, 0, 0, 0) // by kind
    var lastKind = 0, lastPos = -1
    var digitsBeforeFirst = -1, digitsSinceLast = 0
    var i = s
    var prevWasSep = true
    while i < e {
        if isDigit(p[i]) { digitsSinceLast += 1; prevWasSep = false; i += 1; continue }
        let (k, len) = separator(at: i)
        guard k != 0 else { return .invalid }
        // Two separators in a row, or a leading thousands separator, are not a number.
        if prevWasSep && !(i == s && (k == dot || k == comma)) { return .invalid }
        switch k { case dot: counts.1 += 1; case comma: counts.2 += 1; case space: counts.3 += 1; default: counts.4 += 1 }
        if digitsBeforeFirst < 0 { digitsBeforeFirst = digitsSinceLast }
        lastKind = k; lastPos = i; digitsSinceLast = 0; prevWasSep = true
        i += len
    }
    if prevWasSep && lastPos >= 0 { return .invalid } // "12," or "12."
    func count(_ k: Int) -> Int { k == dot ? counts.1 : k == comma ? counts.2 : k == space ? counts.3 : counts.4 }
    let totalSeps = counts.1 + counts.2 + counts.3 + counts.4
    var decimalPos = -1
    var ambiguous = false
    if totalSeps > 0, lastKind == dot || lastKind == comma, count(lastKind) == 1 {
        if totalSeps > 1 {
            decimalPos = lastPos
        } else if digitsSinceLast == 3, digitsBeforeFirst >= 1, digitsBeforeFirst <= 3 {
            ambiguous = true
            let fileDecimal = decimalComma ? comma : dot
            if lastKind == fileDecimal { decimalPos = lastPos }
        } else {
            decimalPos = lastPos
        }
    }
    // Pass 2: thousands groups and value.
    var thousandsKind = 0
    var value: Int64 = 0
    var intDigits = 0, decimals = 0
    var group = 0, groupsSeen = 0
    i = s
    var inDecimals = false
    while i < e {
        let b = p[i]
        if isDigit(b) {
            if inDecimals {
                decimals += 1
                if decimals > 2 { return .tooManyDecimals(ambiguousThousands: ambiguous) }
            } else {
                intDigits += 1
                if intDigits > 15 { return .tooLarge }
            }
            value = value &* 10 &+ Int64(b - 48)
            group += 1
            i += 1
            continue
        }
        let (k, len) = separator(at: i)
        if i == decimalPos {
            if groupsSeen > 0 && group != 3 { return .invalid }
            inDecimals = true
        } else {
            if thousandsKind == 0 { thousandsKind = k } else if thousandsKind != k { return .invalid }
            if groupsSeen == 0 ? (group < 1 || group > 3) : group != 3 { return .invalid }
            groupsSeen += 1
        }
        group = 0
        i += len
    }
    if !inDecimals && groupsSeen > 0 && group != 3 { return .invalid }
    if intDigits == 0 && decimals == 0 { return .invalid }
    if inDecimals && decimals == 0 { return .invalid }
    let cents = decimals == 0 ? value &* 100 : (decimals == 1 ? value &* 10 : value)
    return .ok(cents: negative ? -cents : cents, currency: currency)
}

/// `€`, `$`, `£` or a three-letter code at the start or the end of `[s, e)`: (code, byte length).
private func currencyMark(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int, atStart: Bool) -> (String, Int)? {
    let n = e - s
    func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    if atStart {
        if n >= 3, p[s] == 0xE2, p[s + 1] == 0x82, p[s + 2] == 0xAC { return ("EUR", 3) }
        if n >= 1, p[s] == 0x24 { return ("USD", 1) }
        if n >= 2, p[s] == 0xC2, p[s + 1] == 0xA3 { return ("GBP", 2) }
        if n >= 3, isLetter(p[s]), isLetter(p[s + 1]), isLetter(p[s + 2]), n == 3 || !isLetter(p[s + 3]) {
            return (String(decoding: [p[s] & 0xDF, p[s + 1] & 0xDF, p[s + 2] & 0xDF], as: UTF8.self), 3)
        }
    } else {
        if n >= 3, p[e - 3] == 0xE2, p[e - 2] == 0x82, p[e - 1] == 0xAC { return ("EUR", 3) }
        if n >= 1, p[e - 1] == 0x24 { return ("USD", 1) }
        if n >= 2, p[e - 2] == 0xC2, p[e - 1] == 0xA3 { return ("GBP", 2) }
        if n >= 3, isLetter(p[e - 3]), isLetter(p[e - 2]), isLetter(p[e - 1]), n == 3 || !isLetter(p[e - 4]) {
            return (String(decoding: [p[e - 3] & 0xDF, p[e - 2] & 0xDF, p[e - 1] & 0xDF], as: UTF8.self), 3)
        }
    }
    return nil
}

/// Early-payment discount such as `2/10`, `2,5/10`, `2 % / 10 j`, or `2/10 net 30` (the net term is the due date's business).
func parseDiscount(_ text: String) -> EarlyPaymentDiscount? {
    var t = text.lowercased()
    if let r = t.firstRange(of: "net") { t = String(t[..<r.lowerBound]) }
    t = String(t.filter { $0 != " " && $0 != "%" && $0 != "\u{00A0}" && $0 != "\u{202F}" })
    for suffix in ["jours", "days", "j", "d"] where t.hasSuffix(suffix) { t.removeLast(suffix.count); break }
    t = String(t.map { $0 == "," ? "." : $0 })
    guard !t.isEmpty else { return nil }
    return EarlyPaymentDiscount(text: t)
}
