/// A factoring contract [contrat d'affacturage]: a bank's global contract or a fintech's spot offer.
public struct FactoringContract: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable { case global, spot }
    public var name: String
    public var kind: Kind = .global
    /// What the service commission is a percentage of.
    public enum FeeBase: String, Sendable, Hashable, CaseIterable {
        /// The invoice amount (VAT included): classic factoring.
        case invoice
        /// The amount advanced: spot / fintech offers ("1 % à 5 % du montant financé").
        case advance
    }
    /// Where the commission is booked: a service fee reduces EBE (6225); a pure financing fee is financial (6616).
    public enum FeeClass: String, Sendable, Hashable, CaseIterable { case operating, financial }
    /// What the credit insurer's quota applies to.
    public enum InsuranceBase: String, Sendable, Hashable, CaseIterable {
        case exclVAT = "excl_vat", inclVAT = "incl_vat"
    }
    /// Share of the invoice (VAT included) paid at funding.
    public var advanceRate: Rate = Rate(percentHundredths: 9000)
    /// Service commission on the invoice amount [commission d'affacturage], an operating charge (6225).
    public var commissionRate: Rate = .zero
    public var minimumCommission: Money = .zero
    /// VAT charged on the commission (recoverable); 0 for a VAT-exempt financing fee.
    public var vatRate: Rate = Rate(percentHundredths: 2000)
    /// The commission's base; nil = the kind's default (invoice for global, advance for spot).
    public var feeBaseSetting: FeeBase? = nil
    public var feeBase: FeeBase { feeBaseSetting ?? (kind == .spot ? .advance : .invoice) }
    public var feeClass: FeeClass = .operating
    public var insuranceBase: InsuranceBase = .exclVAT
    /// Financing commission on the advance, ACT/360, charged at funding (6616).
    public var annualRate: Rate = .zero
    /// Extra days of interest the factor counts after the expected collection.
    public var graceDays: Int = 0
    /// Business days from assignment (or issue) to funding.
    public var fundingDelayDays: Int = 2
    /// With recourse, the factor reclaims the advance `reclaimDays` after the due date when the customer defaults.
    public var recourse: Bool = true
    public var reclaimDays: Int = 30
    /// Notified or confidential: same cash timing, a different customer relationship.
    public var notified: Bool = true
    /// Credit insurance: share of a defaulted invoice paid `indemnityDelayDays` after the due date.
    public var insuranceCoverage: Rate = .zero
    public var indemnityDelayDays: Int = 0
    public var minimumInvoice: Money? = nil
    public var maximumInvoice: Money? = nil
    public var excludedCustomers: [String] = []
    /// Global contracts: commissions below this yearly floor are topped up (prorated to the horizon).
    public var annualMinimumFee: Money = .zero
    /// The most the contract finances for one customer over the plan [plafond par débiteur]: the sum of that
    /// customer's invoices factored under it (VAT included). nil: no cap.
    public var maxPerCustomer: Money? = nil
    /// The most the contract finances in all over the plan [plafond du contrat]: the sum of every invoice factored
    /// under it (VAT included). nil: no cap.
    public var programmeLimit: Money? = nil

    public init(name: String) { self.name = name }
}

/// Reverse factoring [affacturage inversé]: our payment to a supplier moves to due + extension, for a fee.
public struct ReverseFactoringProgram: Sendable, Hashable {
    public var name: String
    public var extensionDays: Int = 60
    public var annualRate: Rate = .zero
    /// Whether the program pays the supplier early enough to capture its early-payment discount.
    public var capturesDiscounts: Bool = false
    /// The most the program finances for one supplier over the plan: the sum of that supplier's invoices under it
    /// (VAT included). nil: no cap.
    public var maxPerSupplier: Money? = nil
    /// The most the program finances in all over the plan [plafond du programme]. nil: no cap.
    public var programmeLimit: Money? = nil
    public init(name: String) { self.name = name }
}

/// A cap on what one instrument finances over a plan: in all (`counterparty` nil) or for one counterparty.
/// The amount counted is each financed invoice's amount, VAT included, once, whatever its dates.
public struct FinancingCap: Sendable, Hashable, Comparable {
    /// Receivable: a factoring contract (per customer); payable: a reverse-factoring program (per supplier).
    public var kind: InvoiceKind
    public var instrument: String
    /// The customer or supplier (as written on its first invoice counted), nil for the programme limit.
    public var counterparty: String?
    public var limit: Money
    public init(kind: InvoiceKind, instrument: String, counterparty: String?, limit: Money) {
        self.kind = kind; self.instrument = instrument; self.counterparty = counterparty; self.limit = limit
    }
    public static func < (a: FinancingCap, b: FinancingCap) -> Bool {
        (a.kind == .receivable ? 0 : 1, a.instrument, a.counterparty ?? "") < (b.kind == .receivable ? 0 : 1, b.instrument, b.counterparty ?? "")
    }
}

/// A cap a plan exceeds: how much it finances against the limit.
public struct CapBreach: Sendable, Hashable {
    public var cap: FinancingCap
    public var financed: Money
    /// In words, e.g. `contract "bank": 130000.00 financed for "Durand SA", over its per-customer limit of 100000.00`.
    public func text(amount: (Money) -> String = { $0.formatted() }) -> String {
        let whose = cap.counterparty.map { " for \"\($0)\"" } ?? " in all"
        let which = cap.counterparty == nil ? "programme limit" : (cap.kind == .receivable ? "per-customer limit" : "per-supplier limit")
        let what = cap.kind == .receivable ? "contract" : "program"
        return "\(what) \"\(cap.instrument)\": \(amount(financed)) financed\(whose), over its \(which) of \(amount(cap.limit))"
    }
}

extension Instruments {
    /// The caps of the instrument a decision uses, for an invoice of `counterparty`: (key, limit) pairs whose key
    /// is the instrument's name and, for a per-counterparty cap, the counterparty's name folded to lower case.
    public func caps(of d: Decision, counterparty: String) -> [(key: CapKey, limit: Money)] {
        var out: [(CapKey, Money)] = []
        switch d {
        case .factor(let n):
            guard let c = factoringContract(n) else { return [] }
            if let l = c.programmeLimit { out.append((CapKey(kind: .receivable, instrument: n, counterparty: nil), l)) }
            if let l = c.maxPerCustomer { out.append((CapKey(kind: .receivable, instrument: n, counterparty: counterparty.lowercased()), l)) }
        case .reverseFactor(let n):
            guard let p = reverseProgram(n) else { return [] }
            if let l = p.programmeLimit { out.append((CapKey(kind: .payable, instrument: n, counterparty: nil), l)) }
            if let l = p.maxPerSupplier { out.append((CapKey(kind: .payable, instrument: n, counterparty: counterparty.lowercased()), l)) }
        default: break
        }
        return out
    }

    /// Whether any instrument carries a cap (plans skip the bookkeeping otherwise).
    public var hasCaps: Bool {
        factoring.contains { $0.programmeLimit != nil || $0.maxPerCustomer != nil }
            || reverseFactoring.contains { $0.programmeLimit != nil || $0.maxPerSupplier != nil }
    }
}

/// Which cap an amount counts against: an instrument, and a counterparty (lower-cased) for a per-counterparty cap.
public struct CapKey: Sendable, Hashable, Comparable {
    /// Receivable: a factoring contract; payable: a reverse-factoring program.
    public var kind: InvoiceKind
    public var instrument: String
    public var counterparty: String?
    public init(kind: InvoiceKind, instrument: String, counterparty: String?) {
        self.kind = kind; self.instrument = instrument; self.counterparty = counterparty
    }
    public static func < (a: CapKey, b: CapKey) -> Bool {
        (a.kind == .receivable ? 0 : 1, a.instrument, a.counterparty ?? "") < (b.kind == .receivable ? 0 : 1, b.instrument, b.counterparty ?? "")
    }
}

/// Supplier-invoice financing [avance sur facture fournisseur]: a platform pays the supplier, we repay after a term.
public struct SupplierFinancingProgram: Sendable, Hashable {
    public var name: String
    public var termDays: Int = 60
    public var monthlyRate: Rate = .zero
    public var maximumAmount: Money? = nil
    public init(name: String) { self.name = name }
}

/// B2B split payment [paiement fractionné]: n instalments 30 days apart, a fee with the first.
public struct SplitPaymentProgram: Sendable, Hashable {
    public var name: String
    public var instalments: Int = 3
    public var feeRate: Rate = .zero
    public var maximumAmount: Money? = nil
    public init(name: String) { self.name = name }
}

/// Payment-term negotiation and the cost of paying late without agreement (Code de commerce L.441-10).
public struct NegotiationTerms: Sendable, Hashable {
    public enum CapMethod: String, Sendable, Hashable, CaseIterable {
        /// 60 days from the invoice date.
        case daysFromIssue = "days_from_issue"
        /// 45 days end of month: the last day of the month in which issue + 45 days falls.
        case endOfMonth45 = "45_end_of_month"
    }
    public var targetDays: Int = 60
    public var capDays: Int = 60
    public var capMethod: CapMethod = .daysFromIssue
    /// ECB main refinancing rate; late interest = ECB + `latePenaltyPoints`.
    public var ecbRate: Rate = Rate(percentHundredths: 215)
    /// The ECB rate per half-year ("2026-H2" → 2.15 %), overriding `ecbRate` for late payments whose
    /// lateness starts in that half-year (the rate in force on 1 January or 1 July applies to the half-year).
    public var ecbRates: [String: Rate] = [:]
    public var latePenaltyPoints: Rate = Rate(percentHundredths: 1000)
    public var fixedIndemnity: Money = Money(cents: 4000)
    /// Whether a supplier not listed in `suppliers` accepts the target term (an assumption, printed).
    public var unlistedAccept: Bool = true
    /// Per supplier (exact name, else case-insensitive): accepts or refuses, and at most how many days from issue.
    public var suppliers: [String: SupplierStance] = [:]
    /// Implicit price increase a supplier asks per extra 30 days of term (an operating cost), nil = none.
    public var priceIncreasePer30Days: Rate? = nil

    public struct SupplierStance: Sendable, Hashable {
        public var accepts: Bool
        /// The longest term (days from issue) the supplier grants; nil = the target.
        public var maxDays: Int?
        public init(accepts: Bool, maxDays: Int? = nil) { self.accepts = accepts; self.maxDays = maxDays }
    }

    public init() {}

    /// The listed stance of a supplier (exact name first, then case-insensitively), nil when unlisted.
    public func stance(of supplier: String) -> SupplierStance? {
        if suppliers.isEmpty { return nil }
        if let s = suppliers[supplier] { return s }
        let f = supplier.lowercased()
        return suppliers.first { $0.key.lowercased() == f }?.value
    }

    /// The half-year key of a day: "2026-H1" (January–June) or "2026-H2".
    public static func halfYear(_ d: Day) -> String { String(d.year) + (d.month <= 6 ? "-H1" : "-H2") }

    /// Late-interest rate (ECB + points) for a lateness starting on `firstLateDay`.
    public func lateRate(from firstLateDay: Day) -> Rate {
        (ecbRates.isEmpty ? ecbRate : (ecbRates[NegotiationTerms.halfYear(firstLateDay)] ?? ecbRate)) + latePenaltyPoints
    }

    /// The latest legal due date of an invoice issued on `issue`.
    public func legalCap(issue: Day) -> Day {
        switch capMethod {
        case .daysFromIssue: return issue + capDays
        case .endOfMonth45: return (issue + 45).endOfMonth
        }
    }
}

/// All the financing offers a scenario can use, by name.
public struct Instruments: Sendable, Hashable {
    public var factoring: [FactoringContract] = []
    public var reverseFactoring: [ReverseFactoringProgram] = []
    public var supplierFinancing: [SupplierFinancingProgram] = []
    public var splitPayment: [SplitPaymentProgram] = []
    public var negotiation = NegotiationTerms()
    public init() {}

    /// Every decision an invoice of `kind` can take, in the order the planner cycles through them ("none" first).
    public func decisions(for kind: InvoiceKind) -> [Decision] {
        if kind == .receivable { return [.none] + factoring.map { .factor($0.name) } }
        return [.none] + reverseFactoring.map { .reverseFactor($0.name) } + supplierFinancing.map { .supplierFinancing($0.name) }
            + splitPayment.map { .splitPayment($0.name) } + [.negotiate]
    }

    public func factoringContract(_ name: String) -> FactoringContract? { factoring.first { $0.name == name } }
    public func reverseProgram(_ name: String) -> ReverseFactoringProgram? { reverseFactoring.first { $0.name == name } }
    public func supplierProgram(_ name: String) -> SupplierFinancingProgram? { supplierFinancing.first { $0.name == name } }
    public func splitProgram(_ name: String) -> SplitPaymentProgram? { splitPayment.first { $0.name == name } }
}
