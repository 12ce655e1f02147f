import TresoCore

/// What a scenario tells the invoice readers beyond the file itself: its currency and exchange rates,
/// extra status words, and payment terms for rows without a due date. Schema: docs/scenario-format.md
/// (`currency`, `[fx]`, `[import.status]`, `payment_terms_days`, `[payment_terms]`).
public struct InvoiceImportOptions: Sendable {
    /// The scenario currency (ISO 4217).
    public var currency: String
    /// Rates in the scenario currency per unit of another currency (`GBP = 1.17`), keyed by upper-case code.
    public var fx: [String: Rate]
    /// Extra status words (as written in the file) → status; matched like the built-in words, accents and case ignored.
    public var statuses: [String: InvoiceStatus]
    /// Terms for any row without a due date; per-counterparty terms win.
    public var defaultTerms: PaymentTerms?
    /// Terms per counterparty name (case and accents ignored).
    public var termsByCounterparty: [String: PaymentTerms]

    public init(currency: String = "EUR", fx: [String: Rate] = [:], statuses: [String: InvoiceStatus] = [:],
                defaultTerms: PaymentTerms? = nil, termsByCounterparty: [String: PaymentTerms] = [:]) {
        self.currency = currency.trimmingSpaces().uppercased()
        self.fx = fx
        var s: [String: InvoiceStatus] = [:]
        for (k, v) in statuses { s[normalizeHeaderName(k)] = v }
        self.statuses = s
        self.defaultTerms = defaultTerms
        var t: [String: PaymentTerms] = [:]
        for (k, v) in termsByCounterparty { t[normalizeHeaderName(k)] = v }
        self.termsByCounterparty = t
    }

    /// The terms that apply to `counterparty` (its own, else the default).
    func terms(for counterparty: String) -> PaymentTerms? {
        if !termsByCounterparty.isEmpty, let t = termsByCounterparty[normalizeHeaderName(counterparty)] { return t }
        return defaultTerms
    }

    var hasTerms: Bool { defaultTerms != nil || !termsByCounterparty.isEmpty }
}

/// Payment terms as contracts and ERPs write them: `30`, `30 jours`, `60 days net`, `net 45`,
/// `45 jours fin de mois`, `30 days end of month`, `comptant` / `à réception` (0 days).
///
/// Due date = issue date + days; with "fin de mois" / "end of month" the due date is then moved to the
/// last day of its month (the usual reading of "45 jours fin de mois": count 45 days, then go to the end
/// of that month).
public struct PaymentTerms: Sendable, Hashable {
    public var days: Int
    public var endOfMonth: Bool
    public init(days: Int, endOfMonth: Bool = false) { self.days = days; self.endOfMonth = endOfMonth }

    public init?(text: String) {
        let words = normalizeHeaderName(text).split(separator: " ").map(String.init)
        guard !words.isEmpty else { return nil }
        var days: Int? = nil
        var eom = false
        var i = 0
        let filler: Set<String> = ["jours", "jour", "j", "days", "day", "d", "net", "nets", "a", "de", "date", "facture",
                                   "invoice", "le", "the", "of", "from", "apres", "after", "emission", "issue"]
        while i < words.count {
            let w = words[i]
            if let n = Int(w), n >= 0, n <= 3650, days == nil {
                days = n
            } else if w.hasSuffix("j") || w.hasSuffix("d"), let n = Int(w.dropLast()), n >= 0, n <= 3650, days == nil {
                days = n
            } else if w == "fin" || w == "end", i + 2 < words.count, words[i + 1] == "de" || words[i + 1] == "of",
                      words[i + 2] == "mois" || words[i + 2] == "month" {
                eom = true; i += 2
            } else if w == "fdm" || w == "eom" {
                eom = true
            } else if w == "comptant" || w == "immediate" || w == "reception" || w == "cash" {
                days = days ?? 0
            } else if !filler.contains(w) {
                return nil
            }
            i += 1
        }
        guard let days else { return nil }
        self.days = days
        endOfMonth = eom
    }

    public func dueDate(issued: Day) -> Day {
        let d = issued + days
        return endOfMonth ? d.endOfMonth : d
    }

    /// `30 days`, `45 days end of month`.
    public var text: String { "\(days) days" + (endOfMonth ? " end of month" : "") }
}

/// An invoice the reader left out of the projection, and why (rows with an error; disputed invoices
/// are listed separately).
public struct ExcludedInvoice: Sendable, Hashable {
    public var id: String
    public var line: Int
    public var reason: String
    public init(id: String, line: Int, reason: String) { self.id = id; self.line = line; self.reason = reason }
}

/// What a file needs from the scenario to load completely: `treso init` writes these as keys to fill.
public struct ImportNeeds: Sendable, Hashable {
    /// Currencies found without an `[fx]` rate, with how many rows use each.
    public var missingRates: [String: Int] = [:]
    /// Rows without a due date and no payment terms to infer one.
    public var missingDueDates = 0
    /// Status values treso does not know, with how many rows use each.
    public var unknownStatuses: [String: Int] = [:]
    public init() {}

    mutating func merge(_ o: ImportNeeds) {
        for (k, v) in o.missingRates { missingRates[k, default: 0] += v }
        missingDueDates += o.missingDueDates
        for (k, v) in o.unknownStatuses { unknownStatuses[k, default: 0] += v }
    }
}

/// `amount` (in minor units of another currency) × `rate` (scenario currency per unit), rounded once to the
/// cent, half away from zero. Nil when the result does not fit an amount.
public func convertCurrency(_ amount: Money, rate: Rate) -> Money? {
    let v = divideRoundingHalfAwayFromZero(Int128(amount.cents) * Int128(rate.nanos), Int128(Rate.scale))
    guard v > -1_000_000_000_000_000, v < 1_000_000_000_000_000 else { return nil }
    return Money(cents: Int64(v))
}

/// A what-if on an exchange rate: every invoice converted from `currency` is converted again at
/// rate × (1 + shock), from its original amount, rounded once (`treso project|compare --fx-shock USD=-10`).
public enum FXShock {
    /// Applies the shock to `scenario`; returns how many invoices moved and the change of receivables − payables
    /// in the scenario currency, or nil when no invoice is in `currency`.
    @discardableResult
    public static func apply(_ scenario: inout Scenario, currency: String, shock: Rate) -> (count: Int, netChange: Money)? {
        var count = 0
        var net: Int64 = 0
        func shocked(_ list: inout [Invoice], sign: Int64) {
            for i in list.indices {
                guard let o = list[i].origin, o.currency == currency, let original = o.currencyAmount, let rate = o.rate else { continue }
                let num = Int128(original.cents) * Int128(rate.nanos) * (Int128(Rate.scale) + Int128(shock.nanos))
                let v = divideRoundingHalfAwayFromZero(num, Int128(Rate.scale) * Int128(Rate.scale))
                guard v > -1_000_000_000_000_000, v < 1_000_000_000_000_000 else { continue }
                let before = list[i].amount
                let after = Money(cents: Int64(v))
                if let vat = list[i].vatAmount, before.cents != 0 {
                    list[i].vatAmount = Money(cents: Int64(clamping: divideRoundingHalfAwayFromZero(Int128(vat.cents) * Int128(after.cents), Int128(before.cents))))
                }
                list[i].amount = after
                net += sign * (after.cents - before.cents)
                count += 1
            }
        }
        shocked(&scenario.receivables, sign: 1)
        shocked(&scenario.payables, sign: -1)
        return count == 0 ? nil : (count, Money(cents: net))
    }
}
