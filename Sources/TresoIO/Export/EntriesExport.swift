import TresoCore

/// Writes journal entries as a journal (table) or one line per account movement (CSV).
public enum EntriesExport {
    public static func render(_ entries: [JournalEntry], format: OutputFormat, title: String) -> String {
        switch format {
        case .csv: return sheet(entries).csv()
        case .json: return json(entries)
        case .table:
            var t = TextTable(headers: ["#", "Date", "Ref", "Account", "Debit", "Credit", "Label"],
                              alignments: [.right, .left, .left, .left, .right, .right, .left])
            var totals: [Account: Money] = [:]
            for (i, e) in entries.enumerated() {
                for (j, l) in e.lines.enumerated() {
                    t.add([j == 0 ? String(i + 1) : "", j == 0 ? e.day.iso : "", j == 0 ? e.reference : "",
                           l.number + " " + l.name, l.debit == .zero ? "" : l.debit.formatted(),
                           l.credit == .zero ? "" : l.credit.formatted(), j == 0 ? e.label : ""])
                    totals[l.account, default: .zero] += l.debit - l.credit
                }
                t.addSeparator()
            }
            var out = title + "\n\n" + (entries.isEmpty ? "No financing operation in this plan.\n" : t.render())
            let ebe = Account.allCases.filter(\.reducesEBE).reduce(Money.zero) { $0 + (totals[$1] ?? .zero) }
            let below = [Account.financingInterest, .bankInterest, .latePenalties].reduce(Money.zero) { $0 + (totals[$1] ?? .zero) }
                - (totals[.discountsReceived].map { -$0 } ?? .zero)
            out += "\nImpact on EBE (operating charges, 6225 + 607): " + (-ebe).formatted() + "\n"
            out += "Financial result (6615 + 6616 + 6711 − 765): " + (-below).formatted() + "\n"
            if let loss = totals[.creditLosses], loss != .zero {
                out += "Credit losses (654, below EBE): " + (-loss).formatted() + "\n"
            }
            out += "Deductible VAT (44566, recoverable): " + (totals[.deductibleVAT] ?? .zero).formatted() + "\n"
            return out
        }
    }

    /// One row per account line of an entry: debit and credit are both positive, as in a journal (the accounting
    /// convention, not the cash sign of the other exports: docs/calculations.md § Signs).
    public static func sheet(_ entries: [JournalEntry]) -> Sheet {
        var s = Sheet(name: "Entries", headers: ["entry", "date", "reference", "label", "account", "account_name", "debit", "credit"])
        for (i, e) in entries.enumerated() {
            for l in e.lines {
                s.rows.append([.int(i + 1), .day(e.day), .text(e.reference), .text(e.label), .text(l.number),
                               .text(l.name), .money(l.debit), .money(l.credit)])
            }
        }
        return s
    }

    /// `{"entries": [{"entry": 1, "date": …, "lines": [{"account": "411", "debit": "…", "credit": "…"}]}]}`.
    public static func json(_ entries: [JournalEntry]) -> String {
        let list: [JSON] = entries.enumerated().map { i, e in
            .object([("entry", .int(i + 1)), ("date", .day(e.day)), ("reference", .string(e.reference)), ("label", .string(e.label)),
                     ("lines", .array(e.lines.map { l in
                         .object([("account", .string(l.number)), ("account_name", .string(l.name)),
                                  ("debit", .money(l.debit)), ("credit", .money(l.credit))])
                     }))])
        }
        return JSON.object([("entries", .array(list))]).render() + "\n"
    }
}
