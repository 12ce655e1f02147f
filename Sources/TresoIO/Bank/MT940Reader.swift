import Foundation
import TresoCore

/// SWIFT MT940 customer statements: `:25:` account, `:60F:`/`:60M:` opening balance, `:61:` lines
/// (value date, optional entry date, C/D/RC/RD, amount with a decimal comma, type, reference),
/// `:86:` information for the line before it, `:62F:`/`:62M:` closing balance. Several statements
/// per file (separated by `-` or a new `:20:`).
enum MT940Reader {
    struct Field { var tag: String; var value: String; var line: Int }

    static func read(_ bytes: [UInt8], file: String) -> BankStatementReader.Result {
        var r = BankStatementReader.Result()
        var current: BankStatement?
        var account = ""
        func finish() {
            if let c = current { r.statements.append(c) }
            current = nil
        }
        for f in fields(BankText.decode(bytes)) {
            switch f.tag {
            case "20": finish()
            case "25": account = f.value.trimmingSpaces(); finish()
            case "60F", "60M":
                finish()
                let b = balance(f.value)
                if b == nil {
                    r.diagnostics.append(limitDiagnostic(f, file: file, what: "opening balance")
                        ?? .error(file, line: f.line, "unreadable opening balance ':\(f.tag):\(f.value)'"))
                }
                current = BankStatement(file: file, format: .mt940, account: account, currency: b?.currency,
                                        openingBalance: b?.amount, openingDate: b?.day, closingBalance: nil, closingDate: nil,
                                        transactions: [], line: f.line)
            case "61":
                guard current != nil else {
                    r.diagnostics.append(.error(file, line: f.line, "statement line :61: before any opening balance :60F:: skipped"))
                    continue
                }
                guard let t = statementLine(f.value, line: f.line) else {
                    r.diagnostics.append(limitDiagnostic(f, file: file, what: "statement line amount", then: ": skipped")
                        ?? .error(file, line: f.line, "unreadable statement line ':61:\(f.value.prefix(40))': skipped"))
                    continue
                }
                current?.transactions.append(t)
            case "86":
                guard var c = current, var t = c.transactions.popLast() else { continue }
                let info = f.value.replacingOccurrences(of: "\n", with: "")
                t.label = [t.label, info].filter { !$0.isEmpty }.joined(separator: " ")
                if t.counterparty == nil { t.counterparty = counterparty(in: f.value) }
                c.transactions.append(t)
                current = c
            case "62F", "62M":
                if let b = balance(f.value) {
                    current?.closingBalance = b.amount; current?.closingDate = b.day
                } else {
                    r.diagnostics.append(limitDiagnostic(f, file: file, what: "closing balance")
                        ?? .error(file, line: f.line, "unreadable closing balance ':\(f.tag):\(f.value)'"))
                }
                if f.tag == "62F" { finish() }
            default: break
            }
        }
        finish()
        return r
    }

    /// Fields `:TAG:value`, continuation lines appended (with a newline) to the field before them.
    static func fields(_ text: String) -> [Field] {
        var out: [Field] = []
        var lineNo = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            var line = String(raw)
            while line.hasSuffix("\r") { line.removeLast() }
            if line.first == ":", let end = line.dropFirst().firstIndex(of: ":") {
                let tag = String(line[line.index(after: line.startIndex)..<end])
                if tag.count >= 2, tag.count <= 3, tag.prefix(2).allSatisfy(\.isNumber) {
                    out.append(Field(tag: tag, value: String(line[line.index(after: end)...]), line: lineNo))
                    continue
                }
            }
            if line == "-" || line.hasPrefix("{") || line.hasPrefix("-}") { out.append(Field(tag: "-", value: "", line: lineNo)); continue }
            if !out.isEmpty, out[out.count - 1].tag != "-", !line.isEmpty { out[out.count - 1].value += "\n" + line }
        }
        return out
    }

    static func yymmdd(_ s: Substring) -> Day? {
        guard s.count == 6, s.allSatisfy({ $0.isASCII && $0.isNumber }), let v = Int(s) else { return nil }
        let yy = v / 10000, mm = (v / 100) % 100, dd = v % 100
        return Day(year: yy < 80 ? 2000 + yy : 1900 + yy, month: mm, day: dd)
    }

    /// An error at the amount of a balance (`:60F:`, `:62F:`) or statement line (`:61:`) that is over
    /// `ScenarioLimits.maxAmount`, at its line and column; nil when the amount is within it or unreadable.
    static func limitDiagnostic(_ f: Field, file: String, what: String, then suffix: String = "") -> Diagnostic? {
        let first = Array(f.value.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        var k = 0
        if f.tag == "61" {
            k = 6
            if k + 4 <= first.count, first[k..<(k + 4)].allSatisfy({ $0.isASCII && $0.isNumber }) { k += 4 }
            if k + 1 < first.count, first[k] == "R" { k += 1 }
            if k < first.count, first[k] == "C" || first[k] == "D" { k += 1 }
            if k < first.count, first[k].isLetter { k += 1 }
        } else {
            while k < first.count, first[k] == " " { k += 1 }
            k += 10  // C/D, YYMMDD, currency
        }
        guard k < first.count else { return nil }
        let amount = String(first[k...].prefix { $0.isNumber || $0 == "," })
        guard let problem = DecimalText.limitProblem(amount.hasSuffix(",") ? amount + "00" : amount, what: what) else { return nil }
        return .error(file, line: f.line, column: f.tag.count + 3 + k, problem + suffix)
    }

    /// `C110522EUR3236,28`
    static func balance(_ v: String) -> (amount: Money, day: Day, currency: String)? {
        let s = Substring(v.trimmingSpaces())
        guard s.count >= 11, let mark = s.first, mark == "C" || mark == "D",
              let day = yymmdd(s.dropFirst().prefix(6)) else { return nil }
        let currency = String(s.dropFirst(7).prefix(3))
        guard let a = DecimalText.money(s.dropFirst(10)) else { return nil }
        return (mark == "D" ? -a : a, day, currency)
    }

    /// `1105240524D9,N192NONREF//bankref` + optional second line (supplementary details).
    static func statementLine(_ v: String, line: Int) -> BankTransaction? {
        let firstLine = v.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? v
        var s = Substring(firstLine)
        guard let value = yymmdd(s.prefix(6)) else { return nil }
        s = s.dropFirst(6)
        var booked = value
        if s.prefix(4).count == 4, s.prefix(4).allSatisfy({ $0.isNumber }), let mmdd = Int(s.prefix(4)) {
            // Entry date MMDD, in the value date's year (or the next/previous one around new year).
            var y = value.year
            if value.month == 12 && mmdd / 100 == 1 { y += 1 } else if value.month == 1 && mmdd / 100 == 12 { y -= 1 }
            if let d = Day(year: y, month: mmdd / 100, day: mmdd % 100) { booked = d }
            s = s.dropFirst(4)
        }
        var negative: Bool
        if s.hasPrefix("RC") { negative = true; s = s.dropFirst(2) }
        else if s.hasPrefix("RD") { negative = false; s = s.dropFirst(2) }
        else if s.hasPrefix("C") { negative = false; s = s.dropFirst() }
        else if s.hasPrefix("D") { negative = true; s = s.dropFirst() }
        else { return nil }
        if let f = s.first, f.isLetter { s = s.dropFirst() } // funds code
        let amountText = s.prefix { $0.isNumber || $0 == "," }
        guard !amountText.isEmpty, let a = DecimalText.money(amountText.hasSuffix(",") ? amountText + "00" : amountText) else { return nil }
        s = s.dropFirst(amountText.count)
        s = s.dropFirst(4) // transaction type: N/F/S + 3 characters
        let parts = s.components(separatedBy: "//")
        var refs: [String] = []
        if let own = parts.first, !own.isEmpty, own != "NONREF" { refs.append(own) }
        if parts.count > 1, !parts[1].isEmpty { refs.append(parts[1]) }
        return BankTransaction(bookingDate: booked, valueDate: value, amount: negative ? -a : a, label: "",
                               references: refs, line: line)
    }

    /// Structured :86: fields: German `?32`/`?33` (name), SEPA-style `/NAME/…/`.
    static func counterparty(in info: String) -> String? {
        let flat = info.replacingOccurrences(of: "\n", with: "")
        if let r = flat.range(of: "?32") {
            let rest = flat[r.upperBound...]
            var name = String(rest.prefix { $0 != "?" })
            if let r2 = rest.range(of: "?33") { name += String(rest[r2.upperBound...].prefix { $0 != "?" }) }
            let t = name.trimmingSpaces()
            return t.isEmpty ? nil : t
        }
        if let r = flat.range(of: "/NAME/") {
            let t = String(flat[r.upperBound...].prefix { $0 != "/" }).trimmingSpaces()
            return t.isEmpty ? nil : t
        }
        return nil
    }
}
