import Foundation
import TresoCore

/// CFONB 120 (French "relevé de compte sur support informatique"): fixed 120-character records,
/// with or without line breaks. 01 = previous balance, 04 = operation, 05 = operation complement,
/// 07 = new balance. Amounts carry their sign in the last character ("overpunch": `{` and A–I are
/// +0…+9, `}` and J–R are −0…−9), with the number of decimals in position 20.
enum CFONBReader {
    struct Record { var text: [Character]; var line: Int }

    static func read(_ bytes: [UInt8], file: String) -> BankStatementReader.Result {
        var r = BankStatementReader.Result()
        var current: BankStatement?
        var lastTx: Int?
        for rec in records(BankText.decode(bytes)) {
            let code = field(rec, 1, 2)
            let account = field(rec, 3, 7) + "-" + field(rec, 12, 16) + "-" + field(rec, 22, 32).trimmingSpaces()
            let currency = field(rec, 17, 19).trimmingSpaces()
            switch code {
            case "01":
                if let c = current {
                    r.diagnostics.append(.warning(file, line: c.line, "statement of account \(c.account) has no closing record 07"))
                    r.statements.append(c)
                }
                if let d = limitDiagnostic(rec, file: file, what: "opening balance") { r.diagnostics.append(d) }
                current = BankStatement(file: file, format: .cfonb120, account: account, currency: currency.isEmpty ? nil : currency,
                                        openingBalance: amount(rec), openingDate: date(field(rec, 35, 40)),
                                        closingBalance: nil, closingDate: nil, transactions: [], line: rec.line)
                lastTx = nil
            case "04":
                guard current != nil else {
                    r.diagnostics.append(.error(file, line: rec.line, "operation record 04 outside a statement (no 01 before it): skipped"))
                    continue
                }
                guard let a = amount(rec) else {
                    r.diagnostics.append(limitDiagnostic(rec, file: file, what: "operation amount", then: ": operation skipped")
                        ?? .error(file, line: rec.line, column: 91, "unreadable amount '\(field(rec, 91, 104))': operation skipped"))
                    continue
                }
                guard let booked = date(field(rec, 35, 40)) else {
                    r.diagnostics.append(.error(file, line: rec.line, column: 35, "unreadable date '\(field(rec, 35, 40))' (DDMMYY): operation skipped"))
                    continue
                }
                let ref = field(rec, 105, 120).trimmingSpaces()
                current?.transactions.append(BankTransaction(
                    bookingDate: booked, valueDate: date(field(rec, 43, 48)), amount: a,
                    label: field(rec, 49, 79).trimmingSpaces(), references: ref.isEmpty ? [] : [ref], line: rec.line))
                lastTx = (current?.transactions.count ?? 1) - 1
            case "05":
                guard let i = lastTx, var c = current else { continue }
                let qualifier = field(rec, 46, 48)
                let info = field(rec, 49, 118).trimmingSpaces()
                guard !info.isEmpty else { continue }
                // NPY: payer's name, NBE: beneficiary's name; LIB / RCN / REF: label and references.
                if qualifier == "NPY" || qualifier == "NBE" {
                    if c.transactions[i].counterparty == nil { c.transactions[i].counterparty = info }
                } else if qualifier == "REF" || qualifier == "RCN" {
                    c.transactions[i].references.append(info)
                }
                c.transactions[i].label += " " + info
                current = c
            case "07":
                if let d = limitDiagnostic(rec, file: file, what: "closing balance") { r.diagnostics.append(d) }
                if var c = current {
                    c.closingBalance = amount(rec)
                    c.closingDate = date(field(rec, 35, 40))
                    r.statements.append(c)
                    current = nil
                } else {
                    r.diagnostics.append(.error(file, line: rec.line, "closing record 07 without its opening 01: skipped"))
                }
            default:
                r.diagnostics.append(.error(file, line: rec.line, "unknown CFONB 120 record type '\(code)' (expected 01, 04, 05 or 07): skipped"))
            }
        }
        if let c = current {
            r.diagnostics.append(.warning(file, line: c.line, "statement of account \(c.account) has no closing record 07"))
            r.statements.append(c)
        }
        return r
    }

    /// Lines of 120 characters; a line holding several records end to end (no line breaks) is cut.
    static func records(_ text: String) -> [Record] {
        var out: [Record] = []
        var lineNo = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            var line = Array(raw)
            while let l = line.last, l == "\r" { line.removeLast() }
            if line.allSatisfy({ $0 == " " }) { continue }
            if line.count > 120 {
                var i = 0
                while i < line.count {
                    let chunk = Array(line[i..<min(i + 120, line.count)])
                    if !chunk.allSatisfy({ $0 == " " }) { out.append(Record(text: chunk, line: lineNo)) }
                    i += 120
                }
            } else {
                out.append(Record(text: line, line: lineNo))
            }
        }
        return out
    }

    /// 1-based inclusive columns; short records are padded with spaces.
    static func field(_ r: Record, _ from: Int, _ to: Int) -> String {
        var s = ""
        for i in (from - 1)..<to { s.append(i < r.text.count ? r.text[i] : " ") }
        return s
    }

    static func date(_ ddmmyy: String) -> Day? {
        let d = Array(ddmmyy)
        guard d.count == 6, d.allSatisfy(\.isASCII), let dd = Int(String(d[0..<2])), let mm = Int(String(d[2..<4])),
              let yy = Int(String(d[4..<6])) else { return nil }
        return Day(year: yy < 80 ? 2000 + yy : 1900 + yy, month: mm, day: dd)
    }

    /// Positions 91–104, sign in the last character, decimals in position 20.
    /// Nil when unreadable or over `ScenarioLimits.maxAmount` (`limitDiagnostic` says so).
    static func amount(_ r: Record) -> Money? {
        guard let m = unboundedAmount(r), m.cents.magnitude <= DecimalText.limit.magnitude else { return nil }
        return m
    }

    static func unboundedAmount(_ r: Record) -> Money? {
        let decimals = Int(field(r, 20, 20)) ?? 2
        return overpunch(field(r, 91, 104), decimals: decimals)
    }

    /// An error at column 91 when the record's amount is over `ScenarioLimits.maxAmount`, naming the limit.
    static func limitDiagnostic(_ r: Record, file: String, what: String, then suffix: String = "") -> Diagnostic? {
        guard let m = unboundedAmount(r), let problem = ScenarioLimits.amountProblem(m, what: what) else { return nil }
        return .error(file, line: r.line, column: 91, problem + suffix)
    }

    static func overpunch(_ text: String, decimals: Int) -> Money? {
        let chars = Array(text.replacingOccurrences(of: " ", with: "0"))
        guard let last = chars.last, decimals >= 0, decimals <= 4 else { return nil }
        let positive = "{ABCDEFGHI", negative = "}JKLMNOPQR"
        var digit: Int, sign: Int64
        if let i = positive.firstIndex(of: last) { digit = positive.distance(from: positive.startIndex, to: i); sign = 1 }
        else if let i = negative.firstIndex(of: last) { digit = negative.distance(from: negative.startIndex, to: i); sign = -1 }
        else if let d = last.wholeNumberValue { digit = d; sign = 1 }
        else { return nil }
        var units: Int64 = 0
        for c in chars.dropLast() {
            guard let d = c.wholeNumberValue, c.isASCII else { return nil }
            let (m, o1) = units.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return nil }
            units = s
        }
        let (m, o1) = units.multipliedReportingOverflow(by: 10)
        let (v, o2) = m.addingReportingOverflow(Int64(digit))
        guard !o1, !o2 else { return nil }
        // To cents: scale up (0–1 decimals) or down (3–4 decimals, only when exact).
        var cents = v
        switch decimals {
        case 0: let (c, o) = v.multipliedReportingOverflow(by: 100); guard !o else { return nil }; cents = c
        case 1: let (c, o) = v.multipliedReportingOverflow(by: 10); guard !o else { return nil }; cents = c
        case 2: break
        default:
            var div: Int64 = 1
            for _ in 2..<decimals { div *= 10 }
            guard v % div == 0 else { return nil }
            cents = v / div
        }
        return Money(cents: sign * cents)
    }
}
