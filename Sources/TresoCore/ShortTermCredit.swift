/// Short-term bank credit as instruments a plan decides on (docs/calculations.md §16): a confirmed credit
/// line drawn by the plan, Dailly assignment of receivables, and trade-bill discounting (escompte of LCR).

/// A confirmed credit line or cash loan [ligne de crédit confirmée, crédit de trésorerie]: drawn and repaid by
/// the plan; interest on the daily drawn balance and a commitment fee on the unused part, both ACT/360 and
/// posted monthly like the overdraft's charges.
public struct CreditLine: Sendable, Hashable {
    public var name: String
    /// Largest amount drawn at any time.
    public var limit: Money = .zero
    /// Annual interest on the daily drawn balance, ACT/360 (financial charge, 6616).
    public var annualRate: Rate = .zero
    /// Annual commitment fee [commission d'engagement] on the daily unused part (limit − drawn), ACT/360 (627).
    public var commitmentFeeRate: Rate = .zero
    /// Smallest single drawing (an automatic drawing is raised to it, within the limit).
    public var minimumDrawing: Money = .zero
    /// The bank account it runs on (§17, `[accounts.NAME]`); nil = the default account.
    public var account: String? = nil
    public init(name: String) { self.name = name }
}

/// How a plan uses a credit line: fixed drawings, or an automatic drawing that keeps the balance at a floor.
public struct CreditDrawing: Sendable, Hashable {
    public enum Mode: Sendable, Hashable {
        /// Draw `amount` on `from` (moved to the next business day) and repay it on `to` (likewise).
        case fixed(amount: Money, from: Day, to: Day)
        /// Each day, draw what keeps the balance at `floor` (nil = the scenario's minimum cash) and repay
        /// whatever rises above it, within the limit.
        case auto(floor: Money?)
    }
    public var line: String
    public var mode: Mode
    /// Where it was written (for messages); 0 when built in code.
    public var lineNumber: Int

    public init(line: String, mode: Mode, lineNumber: Int = 0) {
        self.line = line; self.mode = mode; self.lineNumber = lineNumber
    }

    /// The text form used by the planner's command line: `draw bank 50000 2027-01-04 2027-02-26` or `draw bank auto`.
    public var code: String {
        switch mode {
        case .fixed(let a, let f, let t): return "draw \(line) \(a.formatted(grouping: "")) \(f.iso) \(t.iso)"
        case .auto(let floor?): return "draw \(line) auto \(floor.formatted(grouping: ""))"
        case .auto(nil): return "draw \(line) auto"
        }
    }

    /// Human label: "credit line bank: 50 000.00 from 2027-01-04 to 2027-02-26".
    public var label: String {
        switch mode {
        case .fixed(let a, let f, let t): return "credit line \(line): \(a.formatted()) from \(f.iso) to \(t.iso)"
        case .auto(let floor?): return "credit line \(line): drawn automatically to keep \(floor.formatted())"
        case .auto(nil): return "credit line \(line): drawn automatically to keep the minimum cash"
        }
    }
}

/// Dailly assignment [cession de créances professionnelles, loi Dailly]: the bank advances a share of the assigned
/// receivables; the company stays liable (always with recourse). Interest from the advance to the collection.
public struct DaillyProgram: Sendable, Hashable {
    public var name: String
    /// Share of the invoice (VAT included) advanced.
    public var advanceRate: Rate = Rate(percentHundredths: 8000)
    /// Annual interest on the advance, ACT/360, from funding to the expected collection + `graceDays` (6616).
    public var annualRate: Rate = .zero
    /// Fee per assigned invoice [frais par créance / bordereau], no VAT (627).
    public var feePerInvoice: Money = .zero
    public var graceDays: Int = 0
    /// Business days from max(start, issue) to funding.
    public var fundingDelayDays: Int = 2
    public var minimumInvoice: Money? = nil
    public init(name: String) { self.name = name }
}

/// Trade-bill discounting [escompte d'effets de commerce, LCR]: the bank pays the bill's amount now, less the
/// discount interest to maturity (at least `minimumDays`, plus value days) and a fee per bill; the customer pays the
/// bank at maturity. An unpaid bill is debited back at maturity.
public struct BillDiscountProgram: Sendable, Hashable {
    public var name: String
    /// Annual discount rate, ACT/360 (6616).
    public var annualRate: Rate = .zero
    /// Interest is counted on at least this many days [minimum de jours d'agios].
    public var minimumDays: Int = 10
    /// Extra days the bank counts after maturity [jours de banque / jours de valeur].
    public var valueDays: Int = 0
    /// Fee per bill [commission d'endos / de bordereau], no VAT (627).
    public var feePerBill: Money = .zero
    /// Business days from max(start, issue) to funding.
    public var fundingDelayDays: Int = 1
    public var minimumInvoice: Money? = nil
    public init(name: String) { self.name = name }
}

/// The short-term credit instruments of a scenario, by name (kept apart from `Instruments`' older fields).
public struct ShortTermCredit: Sendable, Hashable {
    public var creditLines: [CreditLine] = []
    public var dailly: [DaillyProgram] = []
    public var billDiscount: [BillDiscountProgram] = []
    public init() {}

    public func creditLine(_ name: String) -> CreditLine? { creditLines.first { $0.name == name } }
    public func daillyProgram(_ name: String) -> DaillyProgram? { dailly.first { $0.name == name } }
    public func billDiscountProgram(_ name: String) -> BillDiscountProgram? { billDiscount.first { $0.name == name } }
    public var isEmpty: Bool { creditLines.isEmpty && dailly.isEmpty && billDiscount.isEmpty }
}

/// Dailly and escompte (§16) on one receivable.
extension ForecastEngine {
    /// What a bank refuses first when asked to advance a receivable: an overdue or past-due invoice, or one below the
    /// program's minimum.
    private func advanceRefusal(_ inv: Invoice, _ st: Settlement, minimum: Money?, instrument: String, name: String) -> Refusal.Why? {
        if st.overdue { return .overdue(expected: st.scheduled, start: scenario.start) }
        if inv.dueDate < scenario.start { return .pastDue(due: inv.dueDate, start: scenario.start) }
        if let min = minimum, inv.amount < min { return .belowMinimum(amount: inv.amount, minimum: min, instrument: instrument, name: name) }
        return nil
    }

    func daillyEffect(_ ref: InvoiceRef, program name: String, defaulted: Bool) -> Result<FinancingEffect, Refusal> {
        let inv = invoice(ref)
        let st = settlement(ref)
        let decision = Decision.dailly(name)
        func refuse(_ why: Refusal.Why) -> Result<FinancingEffect, Refusal> {
            .failure(Refusal(ref: ref, decision: decision, invoiceId: inv.id, why: why))
        }
        guard let p = scenario.instruments.credit.daillyProgram(name) else { return refuse(.noInstrument(kind: "Dailly program", name: name)) }
        if let why = advanceRefusal(inv, st, minimum: p.minimumInvoice, instrument: "Dailly program", name: name) { return refuse(why) }
        let funding = table.calendar.addingBusinessDays(p.fundingDelayDays, to: max(scenario.start, inv.issueDate))
        let collection = st.day
        if collection <= funding { return refuse(.nothingToFinance(collection: collection, funding: funding)) }
        let advance = Money.charge(inv.amount, rate: p.advanceRate)
        let days = collection - funding + p.graceDays
        let interest = Money.charge(advance, rate: p.annualRate, times: days, over: DayCount.moneyMarketYear)
        func mv(_ day: Day, _ amount: Money, _ what: MovementDetail) -> Movement { movement(ref, day, amount, what, name) }
        var moves = [mv(funding, advance, .daillyAdvance)]
        if p.feePerInvoice != .zero { moves.append(mv(funding, -p.feePerInvoice, .creditFee)) }
        if interest != .zero { moves.append(mv(funding, -interest, .daillyInterest(days: days))) }
        var cost = FinancingCost()
        cost.operating = p.feePerInvoice
        cost.financial = interest
        cost.financedAmountDays = Int128(advance.cents) * Int128(days)
        var note: String? = nil
        var assumptions: EffectAssumptions = []
        if !defaulted {
            // The customer pays the bank (notified) or us, who pass it on: either way we keep amount − advance.
            moves.append(mv(collection, inv.amount - advance, .daillyBalance))
        } else {
            // Dailly is always with recourse: the advance is repaid when the customer does not pay.
            moves.append(mv(collection, -advance, .daillyRepaidAfterDefault))
            let (excl, derived) = amountExclVAT(inv)
            if derived { assumptions.insert(.derivedVAT) }
            cost.creditLosses = excl
            cost.badDebtVATRelief = inv.amount - excl
            note = "defaulted: the Dailly advance is repaid (the assignor guarantees payment)"
        }
        return .success(FinancingEffect(ref: ref, decision: decision, replacesSettlement: true, movements: moves, cost: cost,
                                        legalBreach: false, note: note, assumptions: assumptions))
    }

    func billDiscountEffect(_ ref: InvoiceRef, program name: String, defaulted: Bool) -> Result<FinancingEffect, Refusal> {
        let inv = invoice(ref)
        let st = settlement(ref)
        let decision = Decision.discount(name)
        func refuse(_ why: Refusal.Why) -> Result<FinancingEffect, Refusal> {
            .failure(Refusal(ref: ref, decision: decision, invoiceId: inv.id, why: why))
        }
        guard let p = scenario.instruments.credit.billDiscountProgram(name) else { return refuse(.noInstrument(kind: "bill-discount program", name: name)) }
        if let why = advanceRefusal(inv, st, minimum: p.minimumInvoice, instrument: "bill-discount program", name: name) { return refuse(why) }
        let funding = table.calendar.addingBusinessDays(p.fundingDelayDays, to: max(scenario.start, inv.issueDate))
        // A bill of exchange is paid at maturity, the due date on a business day: the customer's usual delay does not apply.
        let maturity = table.following(inv.dueDate)
        if maturity <= funding { return refuse(.nothingToFinance(collection: maturity, funding: funding)) }
        let days = max(maturity - funding + p.valueDays, p.minimumDays)
        let interest = Money.charge(inv.amount, rate: p.annualRate, times: days, over: DayCount.moneyMarketYear)
        func mv(_ day: Day, _ amount: Money, _ what: MovementDetail) -> Movement { movement(ref, day, amount, what, name) }
        var moves = [mv(funding, inv.amount, .billDiscounted)]
        if p.feePerBill != .zero { moves.append(mv(funding, -p.feePerBill, .creditFee)) }
        if interest != .zero { moves.append(mv(funding, -interest, .discountInterest(days: days))) }
        var cost = FinancingCost()
        cost.operating = p.feePerBill
        cost.financial = interest
        cost.financedAmountDays = Int128(inv.amount.cents) * Int128(days)
        var note = "assumes the customer accepted an LCR paid at maturity \(maturity.iso)"
        var assumptions: EffectAssumptions = [.billAccepted]
        if defaulted {
            // An unpaid bill is debited back [contre-passation] at maturity.
            moves.append(mv(maturity, -inv.amount, .billReturnedUnpaid))
            let (excl, derived) = amountExclVAT(inv)
            if derived { assumptions.insert(.derivedVAT) }
            cost.creditLosses = excl
            cost.badDebtVATRelief = inv.amount - excl
            note = "defaulted: the unpaid bill is debited back at maturity \(maturity.iso)"
        }
        return .success(FinancingEffect(ref: ref, decision: decision, replacesSettlement: true, movements: moves, cost: cost,
                                        legalBreach: false, note: note, assumptions: assumptions))
    }
}
