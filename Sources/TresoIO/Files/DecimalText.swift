import Foundation
import TresoCore

/// Amounts as the XML and bank formats write them: `1234.5`, `-12.50`, `18.150`, `1 234,56`
/// (OFX/MT940 use a comma). Decimals beyond the cent must be zeros: a real fraction of a cent is an
/// error rather than a silent rounding.
enum DecimalText {
    /// Largest amount a statement or e-invoice may carry: 10 000 000 000 000.00 (sums of a million of them stay exact).
    static let limit: Int64 = 1_000_000_000_000_000

    static func money(_ text: some StringProtocol) -> Money? {
        guard let m = unbounded(text), m.cents > -limit, m.cents < limit else { return nil }
        return m
    }

    /// Sum that cannot trap: nil when it leaves the range of an amount.
    static func sum(_ amounts: some Sequence<Money>) -> Money? {
        var t: Int128 = 0
        for a in amounts { t += Int128(a.cents) }
        guard t > Int128(Int64.min), t < Int128(Int64.max) else { return nil }
        return Money(cents: Int64(t))
    }

    private static func unbounded(_ text: some StringProtocol) -> Money? {
        var t = text.trimmingSpaces().replacingOccurrences(of: " ", with: "")
        t = t.replacingOccurrences(of: ",", with: ".")
        guard let dot = t.firstIndex(of: ".") else { return Money(decimal: t) }
        var frac = t[t.index(after: dot)...]
        while frac.count > 2, frac.last == "0" { frac = frac.dropLast() }
        guard frac.count <= 2 else { return nil }
        let whole = t[..<dot]
        if frac.isEmpty { return Money(decimal: whole.isEmpty ? "0" : whole) }
        return Money(decimal: (whole.isEmpty || whole == "-" || whole == "+" ? whole + "0" : whole) + "." + frac)
    }

    /// `2024-03-15`, `2024-03-15T10:00:00+01:00`, `20240315` (CII format 102, OFX `20240315120000[...]`).
    static func day(_ text: some StringProtocol) -> Day? {
        let t = text.trimmingSpaces()
        let b = Array(t.utf8)
        if b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") {
            return Day(iso: t.prefix(10))
        }
        if b.count >= 8, b[0..<8].allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            let s = Array(t.prefix(8))
            guard let y = Int(String(s[0..<4])), let m = Int(String(s[4..<6])), let d = Int(String(s[6..<8])) else { return nil }
            return Day(year: y, month: m, day: d)
        }
        return nil
    }
}
