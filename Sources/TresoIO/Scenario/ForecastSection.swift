import TresoCore

/// `[[forecast]]` lines (sales and purchases not yet invoiced) and `[vat]` (how VAT returns are computed).
/// Schema: docs/scenario-format.md § Forecast lines and § VAT returns.
enum ForecastSection {
    static let rootKeys = ["forecast", "vat"]
    static let forecastKeys = ["label", "kind", "amount", "every", "dates", "from", "to", "vat_rate", "terms_days", "counterparty", "category", "invoicing"]
    static let vatKeys = ["regime", "basis", "day", "opening", "previous_year", "refund", "refund_delay_days"]
    /// At most this many forecast lines, and dated amounts per line: a scenario file stays a plan, not a ledger.
    static let maxLines = 200
    static let maxDated = 400

    static func read(root: FieldReader, sink: DiagnosticSink) -> (lines: [ForecastLine], vat: VATSettings?) {
        let file = root.file
        var lines: [ForecastLine] = []
        let tables = root.arrayOfTables("forecast")
        if tables.count > maxLines {
            sink.error(file, tables[maxLines].1.position, "\(tables.count) forecast lines: over the limit of \(maxLines) per scenario")
        }
        for (i, (t, node)) in tables.prefix(maxLines).enumerated() {
            let r = root.sub(t, "forecast[\(i + 1)]")
            r.rejectUnknown(forecastKeys)
            let label = r.string("label")
            if label == nil && t["label"] == nil { sink.error(file, node.position, "forecast line \(i + 1) has no 'label'") }
            let name = label ?? String(i + 1)
            var kind: ForecastLine.Kind? = nil
            if let k = r.string("kind") {
                switch k.lowercased() {
                case "sales", "sale", "ventes", "vente": kind = .sales
                case "purchases", "purchase", "achats", "achat": kind = .purchases
                default: if let n = t["kind"] { sink.error(file, n.position, "'kind' = \"\(k)\" is not one of sales, purchases") }
                }
            } else if t["kind"] == nil {
                sink.error(file, node.position, "forecast line '\(name)' has no 'kind' (\"sales\" or \"purchases\")")
            }
            var every = ForecastLine.Every.month
            if let e = r.string("every") {
                switch e.lowercased() {
                case "week", "weekly", "semaine": every = .week
                case "month", "monthly", "mois": every = .month
                case "quarter", "quarterly", "trimestre": every = .quarter
                default: if let n = t["every"] { sink.error(file, n.position, "'every' = \"\(e)\" is not one of week, month, quarter") }
                }
            }
            var invoicing = ForecastLine.Invoicing.end
            if let v = r.string("invoicing") {
                switch v.lowercased() {
                case "end", "period-end", "fin", "fin de période": invoicing = .end
                case "weekly", "week", "hebdomadaire", "semaine": invoicing = .weekly
                case "daily", "day", "quotidien", "jour": invoicing = .daily
                default: if let n = t["invoicing"] { sink.error(file, n.position, "'invoicing' = \"\(v)\" is not one of end, weekly, daily") }
                }
                if t["dates"] != nil, let n = t["invoicing"] {
                    sink.warning(file, n.position, "'invoicing' is ignored for dated amounts: each is invoiced on its date")
                }
            }
            let amount = r.money("amount", allowNegative: false)
            var dated: [(day: Day, amount: Money)] = []
            if let n = r.node("dates") {
                if let a = n.arrayValue {
                    if a.count > maxDated { sink.error(file, n.position, "\(a.count) dated amounts: over the limit of \(maxDated) per line") }
                    for (j, el) in a.prefix(maxDated).enumerated() {
                        guard let et = el.tableValue else {
                            sink.error(file, el.position, "each 'dates' entry must be a table like { on = 2027-01-15, amount = 12000 }")
                            continue
                        }
                        let er = r.sub(et, "dates[\(j + 1)]")
                        er.rejectUnknown(["on", "amount"])
                        let on = er.day("on"), a = er.money("amount", allowNegative: false)
                        if on == nil && et["on"] == nil { sink.error(file, el.position, "dated amount \(j + 1) of '\(name)' has no 'on' date") }
                        if a == nil && et["amount"] == nil { sink.error(file, el.position, "dated amount \(j + 1) of '\(name)' has no 'amount'") }
                        if let on, let a { dated.append((on, a)) }
                    }
                } else {
                    sink.error(file, n.position, "'dates' must be an array of tables like [{ on = 2027-01-15, amount = 12000 }]")
                }
            }
            if amount == nil && t["amount"] == nil && t["dates"] == nil {
                sink.error(file, node.position, "forecast line '\(name)' has no 'amount' (excl. VAT, per period) nor 'dates'")
            }
            if t["amount"] != nil && t["dates"] != nil, let n = t["dates"] {
                sink.error(file, n.position, "forecast line '\(name)' has both 'amount' and 'dates': give one")
            }
            let from = r.day("from"), to = r.day("to")
            if let f = from, let u = to, u < f, let n = t["to"] { sink.error(file, n.position, "'to' is before 'from'") }
            let rate = r.percent("vat_rate", in: 0...100) ?? Rate(percentHundredths: 2000)
            let terms = r.int("terms_days", in: 0...365) ?? 30
            let counterparty = r.string("counterparty").flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
            let category = r.string("category").flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
            if counterparty != nil, category != nil, let n = t["category"] {
                sink.error(file, n.position, "forecast line '\(name)' has both 'counterparty' and 'category': give one "
                           + "(a counterparty's invoices consume its forecast; a category takes the other counterparties')")
            }
            if let label, let kind, amount != nil || !dated.isEmpty {
                var line = ForecastLine(label: label, kind: kind, amount: amount ?? .zero, every: every, dated: dated, from: from, to: to,
                                        vatRate: rate, termsDays: terms, counterparty: counterparty, category: category)
                line.invoicing = invoicing
                lines.append(line)
            }
        }

        var vat: VATSettings? = nil
        if let t = root.table("vat") {
            let r = root.sub(t, "vat")
            r.rejectUnknown(vatKeys)
            var v = VATSettings()
            if let g = r.string("regime") {
                switch g.lowercased() {
                case "monthly", "month", "mensuel", "ca3": v.regime = .monthly
                case "quarterly", "quarter", "trimestriel": v.regime = .quarterly
                case "annual", "yearly", "annuel", "ca12": v.regime = .annual
                default: if let n = t["regime"] { sink.error(file, n.position, "'vat.regime' = \"\(g)\" is not one of monthly, quarterly, annual") }
                }
            }
            if let b = r.string("basis") {
                switch b.lowercased() {
                case "invoices", "invoice", "debits", "débits": v.basis = .invoices
                case "receipts", "receipt", "payments", "encaissements": v.basis = .receipts
                default: if let n = t["basis"] { sink.error(file, n.position, "'vat.basis' = \"\(b)\" is not one of invoices (débits), receipts (encaissements)") }
                }
            }
            if let f = r.string("refund") {
                switch f.lowercased() {
                case "none", "no", "carry", "report": v.refund = .none
                case "annual", "yearly", "annuel": v.refund = .annual
                case "each_return", "each-return", "every_return", "periodic", "monthly", "quarterly", "mensuel", "trimestriel":
                    v.refund = .eachReturn
                    if v.regime == .annual, let n = t["refund"] {
                        sink.warning(file, n.position, "'vat.refund' = \"\(f)\": under CA12 a credit is refunded with the annual return "
                                     + "(a refund at the instalment stage needs a credit from fixed assets, not modelled)")
                    }
                default: if let n = t["refund"] { sink.error(file, n.position, "'vat.refund' = \"\(f)\" is not one of none, annual, each_return") }
                }
            }
            v.refundDelayDays = r.int("refund_delay_days", in: 0...365) ?? 30
            if t["refund_delay_days"] != nil, v.refund == .none, let n = t["refund_delay_days"] {
                sink.warning(file, n.position, "'vat.refund_delay_days' is only used with 'vat.refund' = \"annual\" or \"each_return\"")
            }
            v.day = r.int("day", in: 1...31) ?? 24
            v.opening = r.money("opening") ?? .zero
            v.previousYear = r.money("previous_year") ?? .zero
            if t["previous_year"] != nil, v.regime != .annual, let n = t["previous_year"] {
                sink.warning(file, n.position, "'vat.previous_year' is only used by the annual regime (CA12 instalments)")
            }
            vat = v
        }
        return (lines, vat)
    }
}
