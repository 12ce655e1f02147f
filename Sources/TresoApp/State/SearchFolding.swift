import TresoCore

/// Text as the filter compares it: lowercased, accents removed (`Électricité` → `electricite`), so that a user
/// typing on a keyboard without accents finds every row. Latin letters used in French, German, Spanish,
/// Italian and Portuguese names are folded; other characters are kept lowercased.
public func foldForSearch(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for ch in text.lowercased().unicodeScalars {
        if ch.isASCII { out.unicodeScalars.append(ch); continue }
        if let f = foldTable[ch.value] { out += f } else { out.unicodeScalars.append(ch) }
    }
    return out
}

private let foldTable: [UInt32: String] = {
    var t: [UInt32: String] = [:]
    let groups: [(String, String)] = [
        ("àáâãäåāăą", "a"), ("çćĉċč", "c"), ("ďđ", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"), ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"), ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"), ("śŝşšș", "s"), ("ţťŧț", "t"), ("ùúûüũūŭůűų", "u"), ("ŵ", "w"), ("ýÿŷ", "y"), ("źżž", "z"),
    ]
    for (letters, base) in groups { for s in letters.unicodeScalars { t[s.value] = base } }
    t[0x0153] = "oe"; t[0x00E6] = "ae"; t[0x00DF] = "ss"
    // Typographic apostrophe and dashes as typed on a keyboard.
    t[0x2019] = "'"; t[0x2013] = "-"; t[0x2014] = "-"
    return t
}()

/// One word of the filter: text to find, or a comparison on the amount or the expected settlement date.
/// `>10000`, `<=500.50`: the amount; `>2026-12-15`, `<31/12/2026`: the expected settlement;
/// `2026-12-01..2026-12-31`: settling within the range (inclusive).
enum FilterTerm: Equatable {
    case text([UInt8])
    case amount(op: Comparison, Money)
    case settles(op: Comparison, Day)
    case settlesWithin(Day, Day)

    enum Comparison: Equatable {
        case above, atLeast, below, atMost
        func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
            switch self {
            case .above: return a > b
            case .atLeast: return a >= b
            case .below: return a < b
            case .atMost: return a <= b
            }
        }
    }

    var isText: Bool { if case .text = self { return true }; return false }

    static func parse(_ word: Substring) -> FilterTerm {
        let folded = foldForSearch(String(word))
        let halves = word.split(separator: "..", maxSplits: 1, omittingEmptySubsequences: false)
        if halves.count == 2, let lo = Day(flexible: halves[0]), let hi = Day(flexible: halves[1]) {
            return .settlesWithin(min(lo, hi), max(lo, hi))
        }
        var op: Comparison?
        var rest = word
        for (prefix, o) in [(">=", Comparison.atLeast), ("<=", .atMost), (">", .above), ("<", .below)] where word.hasPrefix(prefix) {
            op = o
            rest = word.dropFirst(prefix.count)
            break
        }
        if let op, !rest.isEmpty {
            if let d = Day(flexible: rest) { return .settles(op: op, d) }
            let plain = rest.replacingOccurrences(of: ",", with: ".").filter { $0 != " " && $0 != "_" }
            if let m = Money(decimal: plain) { return .amount(op: op, m) }
        }
        return .text(Array(folded.utf8))
    }
}

extension Substring {
    fileprivate func replacingOccurrences(of a: String, with b: String) -> String {
        split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
    }
}
