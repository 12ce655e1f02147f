import TresoCore

/// Writes journal entries as a journal (table) or one line per account movement (CSV).
public enum EntriesExport {
    public static func render(_ entries: [JournalEntry], format: OutputFormat, title: String) -> String {
        switch format {
        case .csv, .json:
            var out = csvLine(["entry", "date", "reference", "label", "account", "account_name", "debit", "credit"])
            for (i, e) in entries.enumerated() {
                for l in e.lines {
                    out += csvLine([String(i + 1), e.day.iso, e.reference, e.label, l.account.rawValue, l.account.name,
                                    l.debit.decimalString, l.credit.decimalString])
                }
            }
            return out
        case .table:
            var t = TextTable(headers: ["#", "Date", "Ref", "Account", "Debit", "Credit", "Label"],
                              alignments: [.right, .left, .left, .left, .right, .right, .left])
            var totals: [Account: Money] = [:]
            for (i, e) in entries.enumerated() {
                for (j, l) in e.lines.enumerated() {
                    t.add([j == 0 ? String(i + 1) : "", j == 0 ? e.day.iso : "", j == 0 ? e.reference : "",
                           l.account.rawValue + " " + l.account.name, l.debit == .zero ? "" : l.debit.formatted(),
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
}
