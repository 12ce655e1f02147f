import Foundation
import TresoCore

/// Reads the free-text payment terms of an e-invoice when no structured due date exists.
/// Only what is unambiguous is taken: one explicit date ("Zahlbar … bis 04.04.2018"), or one number
/// of days ("30 jours net", "net 30 days", "30 Tage netto", optionally "fin de mois" / "end of
/// month"); a percentage with a number of days is an early-payment discount ("2% à 10 jours",
/// "Payment within 10 days, 2% discount"). Two candidate due dates mean "don't know": nil.
enum PaymentTermsText {
    struct Reading: Equatable {
        var dueDate: Day?
        var discount: EarlyPaymentDiscount?
    }

    static let dayWords: Set<String> = ["jours", "jour", "j", "days", "day", "tage", "tagen", "tag", "dias", "días", "giorni", "dagen", "d"]

    static func read(_ text: String, issueDate: Day) -> Reading {
        let lower = text.lowercased()
        var reading = Reading()
        // XRechnung's machine form: #SKONTO#TAGE=7#PROZENT=2.00#
        if lower.contains("#skonto#") {
            var days: Int?, pct: Rate?
            for part in lower.split(separator: "#") {
                if part.hasPrefix("tage="), let d = Int(part.dropFirst(5)) { days = d }
                if part.hasPrefix("prozent="), let r = Rate(percent: String(part.dropFirst(8))) { pct = r }
            }
            if let d = days, let p = pct, p > .zero, p < .one { reading.discount = EarlyPaymentDiscount(rate: p, days: d) }
        }
        // Clause by clause, so "3% Skonto innerhalb 10 Tagen bis 15.03.2018" is the discount and
        // "Zahlbar innerhalb 30 Tagen netto bis 04.04.2018" the due date.
        var dates: [Day] = []
        var dayCounts: [Int] = []
        var previous: (dates: [Day], counts: [Int])?
        for clause in clauses(lower) {
            let c = scan(clause)
            if let p = c.percent, reading.discount == nil {
                if let n = c.counts.first {
                    reading.discount = EarlyPaymentDiscount(rate: p, days: n)
                } else if let d = c.dates.first, d >= issueDate {
                    reading.discount = EarlyPaymentDiscount(rate: p, days: d - issueDate)
                } else if let prev = previous, prev.dates.isEmpty, prev.counts.count == 1, let n = prev.counts.first,
                          let k = dayCounts.lastIndex(of: n) {
                    // "Payment within 10 days, 2% discount"
                    reading.discount = EarlyPaymentDiscount(rate: p, days: n)
                    dayCounts.remove(at: k)
                }
                previous = nil
                continue
            }
            dates += c.dates
            dayCounts += c.counts
            previous = (c.dates, c.counts)
        }
        let distinctDates = Set(dates)
        let distinctCounts = Set(dayCounts)
        if distinctDates.count == 1, let d = distinctDates.first, d >= issueDate {
            reading.dueDate = d
        } else if distinctDates.isEmpty, distinctCounts.count == 1, let n = distinctCounts.first {
            let endOfMonth = lower.contains("fin de mois") || lower.contains("end of month") || lower.contains("monatsende")
            let base = issueDate + n
            reading.dueDate = endOfMonth ? base.endOfMonth : base
        } else if distinctDates.isEmpty, distinctCounts.isEmpty,
                  ["à réception", "a reception", "upon receipt", "on receipt", "sofort", "immediately", "comptant"].contains(where: lower.contains) {
            reading.dueDate = issueDate
        }
        return reading
    }

    private static func clauses(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        let chars = Array(s)
        for (i, ch) in chars.enumerated() {
            let next = i + 1 < chars.count ? chars[i + 1] : " "
            if ch == ";" || ch == "\n" || ((ch == "," || ch == ".") && (next == " " || i + 1 == chars.count)) {
                out.append(cur); cur = ""
            } else { cur.append(ch) }
        }
        out.append(cur)
        return out.filter { !$0.trimmingSpaces().isEmpty }
    }

    private static func scan(_ clause: String) -> (dates: [Day], counts: [Int], percent: Rate?) {
        let tokens = tokenize(clause)
        var counts: [Int] = []
        var percent: Rate?
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            if let n = Int(t), n >= 0, n <= 366, i + 1 < tokens.count, dayWords.contains(tokens[i + 1]) {
                counts.append(n)
            } else if let n = Int(t), i + 2 < tokens.count, ["or", "ou", "oder", "to", "à", "a", "bis"].contains(tokens[i + 1]),
                      Int(tokens[i + 2]) != nil {
                counts.append(n) // "30 or 60 days": two candidates, ambiguous
            } else if t.hasSuffix("%") || (i + 1 < tokens.count && tokens[i + 1] == "%") {
                let num = t.hasSuffix("%") ? String(t.dropLast()) : t
                if let r = Rate(percent: num.replacingOccurrences(of: ",", with: ".")), r > .zero, r < .one { percent = r }
            }
            i += 1
        }
        return (explicitDates(in: clause), counts, percent)
    }

    private static func tokenize(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        func flush() { if !cur.isEmpty { out.append(cur); cur = "" } }
        for ch in s {
            if ch.isLetter || ch.isNumber || ch == "." || ch == "," {
                // "30j" → "30" "j"; "10days" → "10" "days"
                if let last = cur.last, last.isNumber, ch.isLetter { flush() }
                cur.append(ch)
            } else if ch == "%" {
                cur.append(ch); flush()
            } else {
                flush()
            }
        }
        flush()
        return out.map { t in
            var t = t
            while let l = t.last, l == "." || l == "," { t.removeLast() }
            return t
        }
    }

    /// dd.mm.yyyy, dd/mm/yyyy, yyyy-mm-dd.
    private static func explicitDates(in s: String) -> [Day] {
        let b = Array(s.utf8)
        var out: [Day] = []
        func digits(_ i: Int, _ n: Int) -> Int? {
            guard i >= 0, i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) { guard b[k] >= 48 && b[k] <= 57 else { return nil }; v = v * 10 + Int(b[k] - 48) }
            return v
        }
        func isDigit(_ i: Int) -> Bool { i >= 0 && i < b.count && b[i] >= 48 && b[i] <= 57 }
        var i = 0
        while i < b.count {
            if !isDigit(i - 1) {
                if let d = digits(i, 2), i + 10 <= b.count, (b[i + 2] == 46 || b[i + 2] == 47), b[i + 5] == b[i + 2],
                   let m = digits(i + 3, 2), let y = digits(i + 6, 4), !isDigit(i + 10), let day = Day(year: y, month: m, day: d) {
                    out.append(day); i += 10; continue
                }
                if let y = digits(i, 4), i + 10 <= b.count, b[i + 4] == 45, b[i + 7] == 45,
                   let m = digits(i + 5, 2), let d = digits(i + 8, 2), !isDigit(i + 10), let day = Day(year: y, month: m, day: d) {
                    out.append(day); i += 10; continue
                }
            }
            i += 1
        }
        return out
    }
}
