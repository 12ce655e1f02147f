import TresoCore

/// The scenario keys that say how exports are read: `[fx]`, `[import]` (`status`, `net_credit_notes`),
/// `payment_terms_days`, `[payment_terms]` and `fec`. Schema: docs/scenario-format.md.
struct ImportSection {
    static let rootKeys = ["fx", "import", "payment_terms_days", "payment_terms", "fec"]

    var options: InvoiceImportOptions
    /// Net each credit note against the same counterparty's open invoices.
    var netCreditNotes = false
    /// A FEC file, relative to the scenario folder.
    var fec: String?

    static func read(root: FieldReader, currency: String, file: String, sink: DiagnosticSink) -> ImportSection {
        var fx: [String: Rate] = [:]
        if let t = root.table("fx") {
            for (code, n) in t.entries {
                guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter && $0.isUppercase }) else {
                    sink.error(file, n.keyPosition, "fx: '\(code)' is not an ISO 4217 currency code such as GBP or USD")
                    continue
                }
                guard let lit = n.numberLiteral, let r = Rate(fraction: lit), r > .zero else {
                    sink.error(file, n.position, "fx.\(code) must be a positive rate in \(currency) per \(code), such as 1.1700")
                    continue
                }
                if code == currency { sink.warning(file, n.keyPosition, "fx.\(code) is the scenario currency: ignored") }
                fx[code] = r
            }
        }
        var statuses: [String: InvoiceStatus] = [:]
        var net = false
        if let t = root.table("import") {
            let r = root.sub(t, "import")
            r.rejectUnknown(["status", "net_credit_notes"])
            net = r.bool("net_credit_notes") ?? false
            if let st = r.table("status") {
                for (word, n) in st.entries {
                    guard let v = n.stringValue, let s = InvoiceStatusWords.table[normalizeHeaderName(v)]
                            ?? InvoiceStatus(rawValue: v.lowercased()) else {
                        sink.error(file, n.position, "import.status.\"\(word)\" must be \"open\", \"paid\" or \"disputed\"")
                        continue
                    }
                    statuses[word] = s
                }
            }
        }
        var defaultTerms: PaymentTerms? = nil
        if let d = root.int("payment_terms_days", in: 0...3650) { defaultTerms = PaymentTerms(days: d) }
        var byParty: [String: PaymentTerms] = [:]
        if let t = root.table("payment_terms") {
            for (party, n) in t.entries {
                if case .integer(let v) = n.value, v >= 0, v <= 3650 {
                    byParty[party] = PaymentTerms(days: Int(v))
                } else if let s = n.stringValue, let terms = PaymentTerms(text: s) {
                    byParty[party] = terms
                } else {
                    sink.error(file, n.position, "payment_terms.\"\(party)\" must be days (30) or terms such as \"45 jours fin de mois\" or \"60 days net\"")
                }
            }
        }
        let options = InvoiceImportOptions(currency: currency, fx: fx, statuses: statuses, defaultTerms: defaultTerms,
                                           termsByCounterparty: byParty)
        return ImportSection(options: options, netCreditNotes: net, fec: root.string("fec"))
    }
}

/// Nets credit notes against the same counterparty's open invoices, earliest due first, when the scenario
/// says so (`[import] net_credit_notes = true`). An invoice fully covered leaves the projection; one
/// partly covered keeps the rest (its `origin.invoicedAmount` says the full amount); a credit note larger
/// than the invoices keeps its remainder. Each netting is reported, so nothing disappears unnamed.
enum CreditNoteNetting {
    static func net(_ invoices: [Invoice], file: String) -> ([Invoice], [Diagnostic]) {
        guard invoices.contains(where: { $0.isCreditNote }) else { return (invoices, []) }
        var list = invoices
        var removed = Set<Int>()
        var notes: [Diagnostic] = []
        var byParty: [String: [Int]] = [:]
        for (i, inv) in list.enumerated() where !inv.isCreditNote { byParty[inv.counterparty, default: []].append(i) }
        for key in byParty.keys { byParty[key]?.sort { (list[$0].dueDate, $0) < (list[$1].dueDate, $1) } }
        for c in list.indices where list[c].isCreditNote {
            var left = -list[c].amount.cents
            var used: [String] = []
            for i in byParty[list[c].counterparty] ?? [] where left > 0 && !removed.contains(i) {
                let take = min(left, list[i].amount.cents)
                guard take > 0 else { continue }
                let before = list[i].amount
                let after = Money(cents: before.cents - take)
                if after == .zero {
                    removed.insert(i)
                } else {
                    let o = list[i].origin
                    list[i].vatAmount = list[i].vatAmount.map {
                        Money(cents: Int64(divideRoundingHalfAwayFromZero(Int128($0.cents) * Int128(after.cents), Int128(before.cents))))
                    }
                    list[i].origin = InvoiceOrigin(invoicedAmount: o?.invoicedAmount ?? before, currency: o?.currency,
                                                   currencyAmount: o?.currencyAmount, rate: o?.rate, dueTerms: o?.dueTerms)
                    list[i].amount = after
                }
                left -= take
                used.append("\(list[i].id) (\(Money(cents: take).decimalString))")
            }
            guard !used.isEmpty else { continue }
            if left == 0 { removed.insert(c) } else { list[c].amount = Money(cents: -left) }
            notes.append(.warning(file, line: Int(list[c].line),
                "credit note '\(list[c].id)' netted against \(used.joined(separator: ", "))"
                + (left > 0 ? "; \(Money(cents: left).decimalString) remains to refund" : "")))
        }
        let kept = list.indices.filter { !removed.contains($0) }.map { list[$0] }
        return (kept, notes)
    }
}
