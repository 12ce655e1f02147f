/// Day-count bases of the charges (docs/calculations.md §1), named once.
public enum DayCount {
    /// Financing and overdraft interest: ACT/360 (money-market year).
    public static let moneyMarketYear = 360
    /// Late-payment interest (Code de commerce L.441-10) and annualised rates: ACT/365.
    public static let calendarYear = 365
    /// Monthly rates, instalment spacing and prices "per 30 days".
    public static let month = 30
}

/// The cost of a decision, split the way a CFO and an accountant read it.
public struct FinancingCost: Sendable, Hashable {
    /// Service commissions and fees that reduce EBE (account 6225).
    public var operating: Money = .zero
    /// Interest and financing fees, below EBE (account 6616), net of discounts captured (excl. VAT).
    public var financial: Money = .zero
    /// Late-payment interest (ECB + 10 points from the day after the due date).
    public var lateInterest: Money = .zero
    /// Fixed late-payment indemnities (40 € per late invoice).
    public var lateIndemnities: Money = .zero
    /// Unrecovered loss on defaulted receivables: amount excl. VAT − insurance indemnity.
    public var creditLosses: Money = .zero
    /// The implicit price increase suppliers ask for longer terms (operating).
    public var priceIncrease: Money = .zero
    /// Early-payment discounts given up by paying later (excl. VAT where the invoice gives it).
    public var lostDiscounts: Money = .zero
    /// VAT paid on commissions, net of the VAT share of discounts captured: cash out, but recoverable, so not a cost.
    public var recoverableVAT: Money = .zero
    /// VAT of defaulted receivables, recovered from the State (bad-debt relief, CGI art. 272): not a cost, and
    /// not a cash movement inside the window (it comes back through a later VAT return).
    public var badDebtVATRelief: Money = .zero
    /// The service commissions included in `operating` or `financial` (for annual minimum fees).
    public var commissions: Money = .zero
    /// Σ(amount financed × days financed), the denominator of the effective annual rate.
    public var financedAmountDays: Int128 = 0

    public init() {}
    /// Late interest and fixed indemnities.
    public var penalties: Money { lateInterest + lateIndemnities }
    /// Cost excluding recoverable VAT.
    public var total: Money { operating + financial + penalties + creditLosses + priceIncrease + lostDiscounts }

    public static func + (a: FinancingCost, b: FinancingCost) -> FinancingCost { a.combined(b, 1) }
    public static func - (a: FinancingCost, b: FinancingCost) -> FinancingCost { a.combined(b, -1) }

    private func combined(_ b: FinancingCost, _ sign: Int64) -> FinancingCost {
        func f(_ x: Money, _ y: Money) -> Money { sign > 0 ? x + y : x - y }
        var c = self
        c.operating = f(operating, b.operating); c.financial = f(financial, b.financial)
        c.lateInterest = f(lateInterest, b.lateInterest); c.lateIndemnities = f(lateIndemnities, b.lateIndemnities)
        c.creditLosses = f(creditLosses, b.creditLosses); c.priceIncrease = f(priceIncrease, b.priceIncrease)
        c.lostDiscounts = f(lostDiscounts, b.lostDiscounts); c.recoverableVAT = f(recoverableVAT, b.recoverableVAT)
        c.badDebtVATRelief = f(badDebtVATRelief, b.badDebtVATRelief); c.commissions = f(commissions, b.commissions)
        c.financedAmountDays = sign > 0 ? financedAmountDays + b.financedAmountDays : financedAmountDays - b.financedAmountDays
        return c
    }
}

/// What a verdict assumes about one effect rather than knows.
public struct EffectAssumptions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// An unlisted supplier is assumed to accept the negotiated term.
    public static let supplierAcceptance = EffectAssumptions(rawValue: 1)
    /// The amount excluding VAT was derived from the scenario's default VAT rate.
    public static let derivedVAT = EffectAssumptions(rawValue: 2)
}

/// What a decision does to the cash of one invoice: it replaces the invoice's ordinary settlement
/// with its own labelled movements.
public struct FinancingEffect: Sendable, Hashable {
    public var ref: InvoiceRef
    public var decision: Decision
    /// The ordinary receipt/payment is cancelled (it is replaced by `movements`).
    public var replacesSettlement: Bool
    public var movements: [Movement]
    public var cost: FinancingCost
    /// The decision breaks the law (paying after the legal maximum term).
    public var legalBreach: Bool
    /// A note for the user (e.g. "term capped at 60 days by L.441-10").
    public var note: String?
    /// What the figures assume rather than know.
    public var assumptions: EffectAssumptions = []

    public init(ref: InvoiceRef, decision: Decision, replacesSettlement: Bool, movements: [Movement], cost: FinancingCost,
                legalBreach: Bool, note: String?, assumptions: EffectAssumptions = []) {
        self.ref = ref; self.decision = decision; self.replacesSettlement = replacesSettlement; self.movements = movements
        self.cost = cost; self.legalBreach = legalBreach; self.note = note; self.assumptions = assumptions
    }

    /// The latest day this effect touches: its movements and, when it replaces it, the invoice's ordinary settlement.
    public func latestDay(settlement: Day) -> Day {
        var d = replacesSettlement ? settlement : Day(raw: Int32.min)
        for m in movements where m.day > d { d = m.day }
        return d
    }

    /// Adds (sign 1) or removes (sign −1) this effect's cash to a ledger.
    func apply(to ledger: inout CashLedger, engine: ForecastEngine, sign: Int64) {
        if replacesSettlement {
            let inv = engine.invoice(ref)
            let st = engine.settlement(ref)
            if ref.kind == .receivable {
                ledger.add(Money(cents: -sign * inv.amount.cents), on: st.day, as: .receipt)
            } else {
                ledger.add(Money(cents: sign * inv.amount.cents), on: st.day, as: .disbursement)
            }
        }
        for m in movements { ledger.add(Money(cents: sign * m.amount.cents), on: m.day, as: m.category) }
    }
}

/// Why a decision cannot apply to an invoice, as data; `reason` says it in words a user can act on.
public struct Refusal: Sendable, Hashable, Error, CustomStringConvertible {
    public enum Why: Sendable, Hashable {
        case wrongKind(InvoiceKind)
        case alreadyPaid, disputed
        /// A credit note [avoir] (negative amount): never factored, financed or negotiated.
        case creditNote
        /// Expected before the start (receivable): not eligible for factoring.
        case overdue(expected: Day, start: Day)
        /// Past its due date at the start: factors do not finance it, and it cannot be renegotiated.
        case pastDue(due: Day, start: Day)
        case noInstrument(kind: String, name: String)
        case aboveMaximum(amount: Money, maximum: Money, instrument: String, name: String)
        case belowMinimum(amount: Money, minimum: Money, instrument: String, name: String)
        case excludedCustomer(customer: String, contract: String)
        /// The invoice alone is above a cap of the instrument (per customer/supplier, or the programme's).
        case aboveCap(amount: Money, limit: Money, perCounterparty: Bool, instrument: String, name: String)
        case nothingToFinance(collection: Day, funding: Day)
        case supplierRefuses(supplier: String)
        case supplierUnlisted(supplier: String)
        case unknownInvoice(id: String, kind: InvoiceKind)
        case notAReceivableToDefault(id: String)
        case onlyReceivablesDefault
    }
    public var ref: InvoiceRef
    public var decision: Decision
    /// The invoice id ("" when unknown).
    public var invoiceId: String
    public var why: Why

    public init(ref: InvoiceRef, decision: Decision, invoiceId: String, why: Why) {
        self.ref = ref; self.decision = decision; self.invoiceId = invoiceId; self.why = why
    }

    /// The reason in words, amounts in plain decimals (`RefusalText` in TresoIO formats them the French way).
    public var reason: String { reason(amount: { $0.formatted() }) }

    /// The reason in words, with amounts written by `amount`.
    public func reason(amount: (Money) -> String) -> String {
        let head = invoiceId.isEmpty ? "" : invoiceId + ": "
        switch why {
        case .wrongKind(let k): return head + (k == .receivable ? "only a receivable can be factored" : "\(decision.label) applies to payables only")
        case .alreadyPaid: return head + "already paid"
        case .disputed: return head + "disputed invoices are never eligible"
        case .creditNote: return head + "a credit note is never factored or financed"
        case .overdue(let e, let s): return head + "overdue (expected \(e.iso), before the start \(s.iso)): not eligible for factoring"
        case .pastDue(let d, _):
            return head + (decision.appliesTo == .receivable
                           ? "past its due date \(d.iso): factors do not finance past-due invoices"
                           : "already due (\(d.iso)): a term is never extended retroactively")
        case .noInstrument(let k, let n): return head + "no \(k) named \"\(n)\""
        case .aboveMaximum(let a, let m, let i, let n): return head + "\(amount(a)) exceeds the \(amount(m)) maximum of \(i) \"\(n)\""
        case .belowMinimum(let a, let m, let i, let n): return head + "\(amount(a)) is below the \(amount(m)) minimum of \(i) \"\(n)\""
        case .excludedCustomer(let c, let n): return head + "customer \"\(c)\" is excluded from contract \"\(n)\""
        case .aboveCap(let a, let l, let per, let i, let n):
            return head + "\(amount(a)) alone exceeds the \(amount(l)) \(per ? (i == "contract" ? "per-customer" : "per-supplier") : "programme") limit of \(i) \"\(n)\""
        case .nothingToFinance(let c, let f): return head + "expected collection \(c.iso) is not after the funding date \(f.iso): nothing to finance"
        case .supplierRefuses(let s): return head + "supplier \"\(s)\" refuses longer terms ([negotiation.suppliers])"
        case .supplierUnlisted(let s): return head + "supplier \"\(s)\" is not listed as accepting longer terms (unlisted = \"refuse\")"
        case .unknownInvoice(let id, let k): return "\(id): no open \(k.rawValue) with this id"
        case .notAReceivableToDefault(let id): return "\(id): no open receivable with this id to mark as defaulted"
        case .onlyReceivablesDefault: return "only a receivable can default"
        }
    }
    public var description: String { reason }
}

extension ForecastEngine {
    /// The effect of `decision` on one invoice, or why it is refused. `defaulted`: the customer never pays
    /// (by default, whether the scenario's what-if says so). `.none` gives the invoice's base effect (a default's
    /// loss, a late payment's penalties) or nil. Formulas: docs/calculations.md (one section per instrument).
    public func effect(of decision: Decision, on ref: InvoiceRef, defaulted: Bool? = nil) -> Result<FinancingEffect?, Refusal> {
        let inv = invoice(ref)
        let isDefaulted = defaulted ?? isDefaulted(ref)
        func refuse(_ why: Refusal.Why) -> Result<FinancingEffect?, Refusal> {
            .failure(Refusal(ref: ref, decision: decision, invoiceId: inv.id, why: why))
        }
        if decision == .none { return .success(baseEffect(ref, defaulted: isDefaulted)) }
        if let k = decision.appliesTo, k != ref.kind { return refuse(.wrongKind(k)) }
        switch inv.status {
        case .paid: return refuse(.alreadyPaid)
        case .disputed: return refuse(.disputed)
        case .open: break
        }
        if inv.isCreditNote { return refuse(.creditNote) }
        switch decision {
        case .none: return .success(nil)
        case .factor(let name): return factoringEffect(ref, contract: name, defaulted: isDefaulted).map { Optional($0) }
        case .reverseFactor(let name): return reverseFactoringEffect(ref, program: name).map { Optional($0) }
        case .supplierFinancing(let name): return supplierFinancingEffect(ref, program: name).map { Optional($0) }
        case .splitPayment(let name): return splitPaymentEffect(ref, partner: name).map { Optional($0) }
        case .negotiate: return negotiationEffect(ref).map { $0 }
        case .payLate(let days): return latePaymentEffect(ref, days: days).map { Optional($0) }
        }
    }

    /// One movement of an invoice's effect.
    func movement(_ ref: InvoiceRef, _ day: Day, _ amount: Money, _ what: MovementDetail, _ instrument: String = "",
                  _ category: MovementCategory = .financing) -> Movement {
        Movement(day: day, amount: amount, category: category, source: .invoice(ref), reference: invoice(ref).id, detail: what,
                 instrument: instrument)
    }

    /// The invoice's amount excluding VAT: amount − VAT when the invoice gives its VAT, else
    /// round(amount / (1 + default VAT rate)) — a derivation the verdict states as an assumption.
    public func amountExclVAT(_ inv: Invoice) -> (amount: Money, derived: Bool) {
        if let v = inv.vatAmount { return (inv.amount - v, false) }
        let r = scenario.defaultVATRate
        let n = Int128(inv.amount.cents) * Int128(Rate.scale), d = Int128(Rate.scale) + Int128(r.nanos)
        return (Money(cents: Int64(clamping: divideRoundingHalfAwayFromZero(n, d))), true)
    }

    /// Late interest and the fixed indemnity owed for paying `inv` on `payDay` (nil when it is not late: paid
    /// on or before the first business day on or after its due date). Interest runs from the day after the due
    /// date: days = payDay − due, at the ECB rate of the half-year that day falls in + the penalty points, /365.
    public func latePenalty(_ inv: Invoice, due: Day? = nil, paidOn payDay: Day) -> (days: Int, interest: Money, indemnity: Money)? {
        // A supplier's credit note owes us: nothing is late on our side.
        guard !inv.isCreditNote else { return nil }
        return ForecastEngine.latePenalty(amount: inv.amount, due: due ?? inv.dueDate, paidOn: payDay, terms: scenario.instruments.negotiation,
                                   table: table)
    }

    /// The one late-penalty rule, on plain values (the engine sums it over every late payable without copying invoices).
    static func latePenalty(amount: Money, due: Day, paidOn payDay: Day, terms: NegotiationTerms,
                            table: SettlementTable) -> (days: Int, interest: Money, indemnity: Money)? {
        guard payDay > table.following(due) else { return nil }
        let days = payDay - due
        let interest = Money.charge(amount, rate: terms.lateRate(from: due + 1), times: days, over: DayCount.calendarYear)
        return (days, interest, terms.fixedIndemnity)
    }

    /// Adds the late penalties of paying `inv`'s supplier on `payDay` to an effect under construction.
    func addLatePenalty(_ ref: InvoiceRef, due: Day? = nil, supplierPaidOn payDay: Day, moves: inout [Movement], cost: inout FinancingCost) {
        guard let p = latePenalty(invoice(ref), due: due, paidOn: payDay) else { return }
        if p.interest != .zero { moves.append(movement(ref, payDay, -p.interest, .lateInterest(days: p.days))) }
        if p.indemnity != .zero { moves.append(movement(ref, payDay, -p.indemnity, .lateIndemnity)) }
        cost.lateInterest += p.interest
        cost.lateIndemnities += p.indemnity
        // The supplier's unwilling credit: the amount × the days late, in the effective rate's denominator.
        cost.financedAmountDays += Int128(invoice(ref).amount.cents) * Int128(p.days)
    }

    /// The VAT share of a discount on an invoice that gives its VAT (the deductible VAT falls by as much), else zero.
    func vatShare(of discount: Money, _ inv: Invoice) -> Money {
        guard let v = inv.vatAmount, inv.amount > .zero else { return .zero }
        let n = Int128(discount.cents) * Int128(v.cents)
        return Money(cents: Int64(clamping: divideRoundingHalfAwayFromZero(n, Int128(inv.amount.cents))))
    }

    /// What happens to an invoice in every plan without a decision: a defaulted receivable is never collected
    /// (its loss excl. VAT is a cost); a payable settled after its due date owes late interest and the indemnity.
    func baseEffect(_ ref: InvoiceRef, defaulted: Bool) -> FinancingEffect? {
        let inv = invoice(ref)
        guard inv.status == .open else { return nil }
        if ref.kind == .receivable {
            guard defaulted else { return nil }
            let (excl, derived) = amountExclVAT(inv)
            var cost = FinancingCost()
            cost.creditLosses = excl
            cost.badDebtVATRelief = inv.amount - excl
            return FinancingEffect(ref: ref, decision: .none, replacesSettlement: true, movements: [], cost: cost, legalBreach: false,
                                   note: "defaulted: never collected", assumptions: derived ? .derivedVAT : [])
        }
        var moves: [Movement] = []
        var cost = FinancingCost()
        addLatePenalty(ref, supplierPaidOn: settlement(ref).day, moves: &moves, cost: &cost)
        guard !moves.isEmpty || cost.total != .zero else { return nil }
        return FinancingEffect(ref: ref, decision: .none, replacesSettlement: false, movements: moves, cost: cost, legalBreach: false,
                               note: "paid after its due date \(inv.dueDate.iso): late interest and indemnity")
    }

    /// The decisions a user can cycle through for an invoice, each with its refusal if it cannot apply.
    public func options(for ref: InvoiceRef) -> [(decision: Decision, refusal: Refusal?)] {
        scenario.instruments.decisions(for: ref.kind).map { d in
            if case .failure(let r) = effect(of: d, on: ref) { return (d, r) }
            return (d, nil)
        }
    }
}
