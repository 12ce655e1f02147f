/// The cost of a decision, split the way a CFO and an accountant read it.
public struct FinancingCost: Sendable, Hashable {
    /// Service commissions and fees that reduce EBE (account 6225).
    public var operating: Money = .zero
    /// Interest and financing fees, below EBE (account 6616), net of discounts captured.
    public var financial: Money = .zero
    /// Late-payment interest and fixed indemnities.
    public var penalties: Money = .zero
    /// VAT paid on commissions: cash out, but recoverable, so not a cost.
    public var recoverableVAT: Money = .zero
    /// Σ(amount financed × days financed), the denominator of the effective annual rate.
    public var financedAmountDays: Int128 = 0

    public init() {}
    /// Cost excluding recoverable VAT.
    public var total: Money { operating + financial + penalties }

    public static func + (a: FinancingCost, b: FinancingCost) -> FinancingCost {
        var c = a
        c.operating += b.operating; c.financial += b.financial; c.penalties += b.penalties
        c.recoverableVAT += b.recoverableVAT; c.financedAmountDays += b.financedAmountDays
        return c
    }
    public static func - (a: FinancingCost, b: FinancingCost) -> FinancingCost {
        var c = a
        c.operating -= b.operating; c.financial -= b.financial; c.penalties -= b.penalties
        c.recoverableVAT -= b.recoverableVAT; c.financedAmountDays -= b.financedAmountDays
        return c
    }
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
    /// The requested term exceeds the legal cap (negotiation beyond it, or paying late past it).
    public var legalBreach: Bool
    /// A note for the user (e.g. "term capped at 60 days by L.441-10").
    public var note: String?
}

/// Why a decision cannot apply to an invoice, in words a user can act on.
public struct Refusal: Sendable, Hashable, Error, CustomStringConvertible {
    public var ref: InvoiceRef
    public var decision: Decision
    public var reason: String
    public var description: String { reason }
}

/// Formats an amount the French way for messages: `150 000,00 €`.
public func frenchAmount(_ m: Money, currency: String) -> String {
    m.formatted(grouping: "\u{00A0}", decimalPoint: ",") + (currency == "EUR" ? "\u{00A0}€" : "\u{00A0}" + currency)
}

extension ForecastEngine {
    /// The effect of `decision` on one invoice, or why it is refused. `defaulted`: the customer never pays.
    /// Formulas: docs/calculations.md (one section per instrument).
    public func effect(of decision: Decision, on ref: InvoiceRef, defaulted: Bool = false) -> Result<FinancingEffect?, Refusal> {
        let inv = invoice(ref)
        let st = settlement(ref)
        let cur = scenario.currency
        func refuse(_ why: String) -> Result<FinancingEffect?, Refusal> {
            .failure(Refusal(ref: ref, decision: decision, reason: inv.id + ": " + why))
        }
        if decision == .none {
            guard defaulted, ref.kind == .receivable, inv.status == .open else { return .success(nil) }
            // What-if: the customer never pays and nothing covers it.
            return .success(FinancingEffect(ref: ref, decision: .none, replacesSettlement: true, movements: [], cost: FinancingCost(),
                                            legalBreach: false, note: "defaulted: never collected"))
        }
        if let k = decision.appliesTo, k != ref.kind {
            return refuse(k == .receivable ? "only a receivable can be factored" : "\(decision.label) applies to payables only")
        }
        switch inv.status {
        case .paid: return refuse("already paid")
        case .disputed: return refuse("disputed invoices are never eligible")
        case .open: break
        }
        if inv.isCreditNote { return refuse("a credit note is never factored or financed") }
        if st.overdue, ref.kind == .receivable {
            return refuse("overdue (expected \(st.scheduled.iso), before the start \(scenario.start.iso)): not eligible for factoring")
        }
        func mv(_ day: Day, _ amount: Money, _ what: MovementDetail, _ name: String = "", _ cat: MovementCategory = .financing) -> Movement {
            Movement(day: day, amount: amount, category: cat, source: .invoice(ref), reference: inv.id, detail: what, instrument: name)
        }
        let amount = inv.amount
        // Payable instruments start from the planned payment date (the expected date when given, else
        // the due date), never before the start: the projection has no day before it.
        let plannedPayment = max(st.scheduled, scenario.start)
        switch decision {
        case .none: return .success(nil)

        case .factor(let name):
            guard let c = scenario.instruments.factoringContract(name) else { return refuse("no factoring contract named \"\(name)\"") }
            if let max = c.maximumInvoice, amount > max {
                return refuse("\(frenchAmount(amount, currency: cur)) exceeds the \(frenchAmount(max, currency: cur)) maximum of contract \"\(name)\"")
            }
            if let min = c.minimumInvoice, amount < min {
                return refuse("\(frenchAmount(amount, currency: cur)) is below the \(frenchAmount(min, currency: cur)) minimum of contract \"\(name)\"")
            }
            if c.excludedCustomers.contains(where: { $0.lowercased() == inv.counterparty.lowercased() }) {
                return refuse("customer \"\(inv.counterparty)\" is excluded from contract \"\(name)\"")
            }
            let funding = table.calendar.addingBusinessDays(c.fundingDelayDays, to: max(scenario.start, inv.issueDate))
            let collection = st.day
            if collection <= funding { return refuse("expected collection \(collection.iso) is not after the funding date \(funding.iso): nothing to finance") }
            let advance = Money.charge(amount, rate: c.advanceRate)
            let commission = max(c.minimumCommission, Money.charge(amount, rate: c.commissionRate))
            let vat = Money.charge(commission, rate: c.vatRate)
            let days = collection - funding + c.graceDays
            let interest = Money.charge(advance, rate: c.annualRate, times: days, over: 360)
            var moves = [mv(funding, advance, .factoringAdvance, name)]
            if commission != .zero { moves.append(mv(funding, -commission, .factoringCommission, name)) }
            if vat != .zero { moves.append(mv(funding, -vat, .factoringVAT, name)) }
            if interest != .zero { moves.append(mv(funding, -interest, .factoringInterest(days: days), name)) }
            let reserve = amount - advance
            var cost = FinancingCost()
            cost.operating = commission
            cost.financial = interest
            cost.recoverableVAT = vat
            cost.financedAmountDays = Int128(advance.cents) * Int128(days)
            var note: String? = nil
            if !defaulted {
                if reserve != .zero { moves.append(mv(collection, reserve, .reserveReleased, name)) }
            } else if !c.recourse {
                // Without recourse the factor bears the customer's insolvency: the reserve is paid as if collected.
                if reserve != .zero { moves.append(mv(collection, reserve, .reserveReleasedDefaultBorne, name)) }
                note = "defaulted: borne by the factor (without recourse)"
            } else {
                func after(_ days: Int) -> Day { table.following(max(inv.dueDate + days, scenario.start)) }
                moves.append(mv(after(c.reclaimDays), -advance, .advanceReclaimed, name))
                if c.insuranceCoverage > .zero {
                    let indemnity = Money.charge(amount, rate: c.insuranceCoverage)
                    moves.append(mv(after(c.indemnityDelayDays), indemnity, .insuranceIndemnity, name))
                    note = "defaulted: advance reclaimed, insurance pays \(c.insuranceCoverage.percentString) %"
                } else {
                    note = "defaulted: advance reclaimed (with recourse)"
                }
            }
            return .success(FinancingEffect(ref: ref, decision: decision, replacesSettlement: true, movements: moves, cost: cost,
                                            legalBreach: false, note: note))

        case .reverseFactor(let name):
            guard let p = scenario.instruments.reverseProgram(name) else { return refuse("no reverse-factoring program named \"\(name)\"") }
            let pay = table.following(plannedPayment + p.extensionDays)
            let fee = Money.charge(amount, rate: p.annualRate, times: p.extensionDays, over: 360)
            var discount = Money.zero
            if p.capturesDiscounts, let d = inv.discount, inv.issueDate + d.days >= scenario.start { discount = Money.charge(amount, rate: d.rate) }
            var moves = [mv(pay, -(amount - discount), .deferredPayment, name)]
            if fee != .zero { moves.append(mv(pay, -fee, .reverseFactoringFee(days: p.extensionDays), name)) }
            var cost = FinancingCost()
            cost.financial = fee - discount
            cost.financedAmountDays = Int128(amount.cents) * Int128(pay - st.day)
            return .success(FinancingEffect(ref: ref, decision: decision, replacesSettlement: true, movements: moves, cost: cost,
                                            legalBreach: false, note: discount == .zero ? nil : "discount captured: \(discount.formatted())"))

        case .supplierFinancing(let name):
            guard let p = scenario.instruments.supplierProgram(name) else { return refuse("no supplier-financing program named \"\(name)\"") }
            if let max = p.maximumAmount, amount > max {
                return refuse("\(frenchAmount(amount, currency: cur)) exceeds the \(frenchAmount(max, currency: cur)) maximum of program \"\(name)\"")
            }
            var paidOn = plannedPayment
            var discount = Money.zero
            if let d = inv.discount, inv.issueDate + d.days >= scenario.start, inv.issueDate + d.days <= plannedPayment {
                paidOn = inv.issueDate + d.days
                discount = Money.charge(amount, rate: d.rate)
            }
            let financed = amount - discount
            let repay = table.following(max(paidOn, scenario.start) + p.termDays)
            let fee = Money.charge(financed, rate: p.monthlyRate, times: p.termDays, over: 30)
            var moves = [mv(repay, -financed, .platformRepayment, name)]
            if fee != .zero { moves.append(mv(repay, -fee, .supplierFinancingFee(days: p.termDays), name)) }
            var cost = FinancingCost()
            cost.financial = fee - discount
            cost.financedAmountDays = Int128(financed.cents) * Int128(p.termDays)
            return .success(FinancingEffect(ref: ref, decision: decision, replacesSettlement: true, movements: moves, cost: cost,
                                            legalBreach: false, note: discount == .zero ? nil : "discount captured: \(discount.formatted())"))

        case .splitPayment(let name):
            guard let p = scenario.instruments.splitProgram(name) else { return refuse("no split-payment partner named \"\(name)\"") }
            if let max = p.maximumAmount, amount > max {
                return refuse("\(frenchAmount(amount, currency: cur)) exceeds the \(frenchAmount(max, currency: cur)) maximum of partner \"\(name)\"")
            }
            let n = max(p.instalments, 1)
            let each = Money(cents: amount.cents / Int64(n))
            let last = amount - Money(cents: each.cents * Int64(n - 1))
            let fee = Money.charge(amount, rate: p.feeRate)
            var moves: [Movement] = []
            var amountDays: Int128 = 0
            for k in 0..<n {
                let part = k == n - 1 ? last : each
                let day = table.following(plannedPayment + 30 * k)
                moves.append(mv(day, -part, .instalment(k + 1, of: n), name))
                if k == 0 && fee != .zero { moves.append(mv(day, -fee, .splitPaymentFee, name)) }
                amountDays += Int128(part.cents) * Int128(30 * k)
            }
            var cost = FinancingCost()
            cost.financial = fee
            cost.financedAmountDays = amountDays
            return .success(FinancingEffect(ref: ref, decision: decision, replacesSettlement: true, movements: moves, cost: cost,
                                            legalBreach: false, note: nil))

        case .negotiate:
            let terms = scenario.instruments.negotiation
            let cap = terms.legalCap(issue: inv.issueDate)
            let wanted = inv.issueDate + terms.targetDays
            let newDue = max(inv.dueDate, min(wanted, cap))
            let breach = wanted > cap
            let pay = table.following(max(newDue, plannedPayment))
            var cost = FinancingCost()
            cost.financedAmountDays = Int128(amount.cents) * Int128(max(0, pay - st.day))
            let note = breach ? "term capped at \(cap.iso) (legal maximum); the \(terms.targetDays)-day target exceeds it" : nil
            return .success(FinancingEffect(ref: ref, decision: decision, replacesSettlement: true,
                                            movements: [mv(pay, -amount, .negotiatedPayment(due: newDue), "", .disbursement)],
                                            cost: cost, legalBreach: breach, note: note))

        case .payLate(let days):
            let terms = scenario.instruments.negotiation
            let pay = table.following(st.day + days)
            let late = pay - st.day
            let interest = Money.charge(amount, rate: terms.ecbRate + terms.latePenaltyPoints, times: late, over: 365)
            var moves = [mv(pay, -amount, .latePayment(days: late), "", .disbursement)]
            if interest != .zero { moves.append(mv(pay, -interest, .lateInterest(days: late))) }
            if terms.fixedIndemnity != .zero { moves.append(mv(pay, -terms.fixedIndemnity, .lateIndemnity)) }
            var cost = FinancingCost()
            cost.penalties = interest + terms.fixedIndemnity
            cost.financedAmountDays = Int128(amount.cents) * Int128(late)
            let breach = pay > terms.legalCap(issue: inv.issueDate)
            return .success(FinancingEffect(ref: ref, decision: decision, replacesSettlement: true, movements: moves, cost: cost,
                                            legalBreach: breach, note: breach ? "paid after the legal maximum term" : nil))
        }
    }

    /// The decisions a user can cycle through for an invoice, each with its refusal if it cannot apply.
    public func options(for ref: InvoiceRef) -> [(decision: Decision, refusal: Refusal?)] {
        let i = scenario.instruments
        let list: [Decision]
        if ref.kind == .receivable {
            list = [.none] + i.factoring.map { .factor($0.name) }
        } else {
            list = [.none] + i.reverseFactoring.map { .reverseFactor($0.name) } + i.supplierFinancing.map { .supplierFinancing($0.name) }
                + i.splitPayment.map { .splitPayment($0.name) } + [.negotiate]
        }
        return list.map { d in
            if case .failure(let r) = effect(of: d, on: ref) { return (d, r) }
            return (d, nil)
        }
    }
}
