import Foundation
import TresoCore

/// Amounts as the XML and bank formats write them: `1234.5`, `-12.50`, `18.150`, `1 234,56`
/// (OFX/MT940 use a comma). Decimals beyond the cent must be zeros: a real fraction of a cent is an
/// error rather than a silent rounding.
enum DecimalText {
    /// Largest amount a statement or e-invoice may carry: `ScenarioLimits.maxAmount`, the limit every
    /// amount treso reads stays within (1 000 000 000.00), so that sums of them cannot overflow.
    static let limit: Int64 = ScenarioLimits.maxAmount.cents

    /// The amount, or nil when it is unreadable or over `limit` (`limitProblem` says which).
    static func money(_ text: some StringProtocol) -> Money? {
        guard let m = unbounded(text), m.cents.magnitude <= limit.magnitude else { return nil }
        return m
    }

    /// "amount 2 000 000 000.00 is over the limit of 1 000 000 000.00 per amount" when `text` is an amount
    /// over `limit` (one too large for any integer counts too); nil when it is within it or unreadable.
    static func limitProblem(_ text: some StringProtocol, what: String = "amount") -> String? {
        if let m = unbounded(text) {
            return ScenarioLimits.amountProblem(m, what: what)
        }
        // Digits beyond what cents can hold: over the limit rather than "unreadable".
        let t = text.trimmingSpaces()
        let whole = t.prefix { $0 != "." && $0 != "," }.filter { $0 != " " && $0 != "+" && $0 != "-" }
        guard whole.count > 13, whole.allSatisfy({ $0.isASCII && $0.isNumber }),
              t.allSatisfy({ ($0.isASCII && $0.isNumber) || " .,+-".contains($0) }) else { return nil }
        return "\(what) \(t.prefix(40)) is over the limit of \(ScenarioLimits.maxAmount.formatted()) per amount"
    }

    /// An error at the element holding an amount over `limit` (file:line:column, naming the limit), or nil.
    static func limitDiagnostic(_ e: XElement?, file: String, what: String) -> Diagnostic? {
        guard let e, let text = e.trimmedText, let problem = limitProblem(text, what: what) else { return nil }
        return .error(file, line: e.line, column: e.column, problem)
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
