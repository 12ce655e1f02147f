import TresoCore

/// What `treso check --format json` prints: per kind, the open invoices and credit notes that will be
/// projected (count, exact total in the scenario currency), what is excluded and why, the opening
/// balance, every diagnostic, and the exposure per foreign currency. Contract: docs/scenario-format.md.
public enum CheckReport {
    public static func json(_ loaded: LoadedScenario, diagnostics: [Diagnostic]) -> String {
        let s = loaded.scenario
        func side(_ kind: InvoiceKind) -> JSON {
            let list = s?.invoices(kind) ?? []
            let total = list.reduce(Money.zero) { $0 + $1.amount }
            var excluded: [JSON] = []
            for inv in loaded.disputed[kind] ?? [] {
                excluded.append(.object([("id", .string(inv.id)), ("reason", .string("disputed")), ("line", .int(Int(inv.line)))]))
            }
            for r in loaded.rejected[kind] ?? [] {
                excluded.append(.object([("id", .string(r.id)), ("reason", .string(r.reason)), ("line", .int(r.line))]))
            }
            return .object([
                ("count", .int(list.count)),
                ("total", .money(total)),
                ("credit_notes", .int(list.filter(\.isCreditNote).count)),
                ("partly_paid", .int(list.filter { $0.origin?.isPartlyPaid == true }.count)),
                ("inferred_due_dates", .int(list.filter { $0.origin?.dueDateInferred == true }.count)),
                ("paid_skipped", .int(loaded.paidSkipped[kind] ?? 0)),
                ("excluded", .array(excluded)),
            ])
        }
        let diags: [JSON] = diagnostics.map { d in
            .object([("file", .string(d.file)), ("line", .int(d.line)), ("column", .int(d.column)),
                     ("severity", .string(d.severity.rawValue)), ("message", .string(d.message))])
        }
        var fields: [(String, JSON)] = [
            ("receivables", side(.receivable)),
            ("payables", side(.payable)),
            ("opening_balance", s.map { .money($0.openingBalance) } ?? .null),
            ("currency", s.map { .string($0.currency) } ?? .null),
            ("exposure", .array(s.map { exposure($0).map(\.json) } ?? [])),
            ("diagnostics", .array(diags)),
        ]
        if let b = loaded.bank { fields.insert(("bank", bankJSON(b)), at: 4) }
        if s == nil { fields.append(("usable", .bool(false))) }
        return JSON.object(fields).render() + "\n"
    }

    /// The contract's "bank" object (docs/bank-statements.md), plus the matches with their reasons.
    static func bankJSON(_ b: BankSummary) -> JSON {
        .object([
            ("accounts", .array(b.accounts.map { a in
                .object([("account", .string(a.account)), ("closing_balance", .money(a.closingBalance)),
                         ("closing_date", .string(a.closingDate.iso)), ("currency", a.currency.map { .string($0) } ?? .null),
                         ("file", .string(a.file))])
            })),
            ("transactions", .int(b.transactions)),
            ("matched", .int(b.matches.count)),
            ("unmatched", .int(b.unmatched.count)),
            ("einvoices", .int(b.einvoiceDocuments)),
            ("matches", .array(b.matches.map { m in
                .object([("invoice", .string(m.invoiceID)), ("kind", .string(m.kind.rawValue)),
                         ("date", .string(m.transaction.bookingDate.iso)), ("amount", .money(m.applied)),
                         ("remaining", .money(m.remaining)), ("reason", .string(m.reason))])
            })),
        ])
    }

    /// Open amounts per foreign currency: in that currency and converted at the scenario's rate.
    public struct CurrencyExposure: Sendable, Equatable {
        public var currency: String
        public var rate: Rate
        public var receivables: Money
        public var payables: Money
        /// Receivables − payables, in the scenario currency (as converted).
        public var netConverted: Money

        var json: JSON {
            .object([("currency", .string(currency)), ("rate", .string(rate.fractionString)),
                     ("receivables", .money(receivables)), ("payables", .money(payables)), ("net_converted", .money(netConverted))])
        }
    }

    public static func exposure(_ s: Scenario) -> [CurrencyExposure] {
        var by: [String: CurrencyExposure] = [:]
        for kind in InvoiceKind.allCases {
            for inv in s.invoices(kind) {
                guard let o = inv.origin, let code = o.currency, let amount = o.currencyAmount, let rate = o.rate else { continue }
                var e = by[code] ?? CurrencyExposure(currency: code, rate: rate, receivables: .zero, payables: .zero, netConverted: .zero)
                if kind == .receivable { e.receivables += amount; e.netConverted += inv.amount } else { e.payables += amount; e.netConverted -= inv.amount }
                by[code] = e
            }
        }
        return by.values.sorted { $0.currency < $1.currency }
    }
}

extension Rate {
    /// The rate as a plain decimal number (`1.17`), trailing zeros trimmed.
    public var fractionString: String {
        let neg = nanos < 0
        let v = neg ? -Int128(nanos) : Int128(nanos)
        let whole = v / Int128(Rate.scale), frac = v % Int128(Rate.scale)
        var f = String(frac)
        while f.count < 9 { f = "0" + f }
        while f.last == "0" { f.removeLast() }
        return (neg ? "-" : "") + String(whole) + (f.isEmpty ? "" : "." + f)
    }
}
