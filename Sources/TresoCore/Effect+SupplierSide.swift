/// Instruments that pay a supplier for us and let us repay later: reverse factoring (§7), supplier-invoice
/// financing and split payment (§8–9 of docs/calculations.md). Each starts from the planned payment date P
/// (the expected date when given, else the due date), never before the start.
extension ForecastEngine {
    /// P: the day our payment was planned, never before the start (the projection has no day before it).
    func plannedPayment(_ ref: InvoiceRef) -> Day { max(settlement(ref).scheduled, scenario.start) }

    /// Whether the invoice's early-payment discount date is still ahead at the start: (its date, the discount).
    func availableDiscount(_ inv: Invoice) -> (day: Day, amount: Money)? {
        guard let d = inv.discount, inv.issueDate + d.days >= scenario.start else { return nil }
        return (inv.issueDate + d.days, Money.charge(inv.amount, rate: d.rate))
    }

    func reverseFactoringEffect(_ ref: InvoiceRef, program name: String) -> Result<FinancingEffect, Refusal> {
        let inv = invoice(ref)
        let decision = Decision.reverseFactor(name)
        guard let p = scenario.instruments.reverseProgram(name) else {
            return .failure(Refusal(ref: ref, decision: decision, invoiceId: inv.id, why: .noInstrument(kind: "reverse-factoring program", name: name)))
        }
        if let l = p.maxPerSupplier, inv.amount > l {
            return .failure(Refusal(ref: ref, decision: decision, invoiceId: inv.id,
                                    why: .aboveCap(amount: inv.amount, limit: l, perCounterparty: true, instrument: "program", name: name)))
        }
        if let l = p.programmeLimit, inv.amount > l {
            return .failure(Refusal(ref: ref, decision: decision, invoiceId: inv.id,
                                    why: .aboveCap(amount: inv.amount, limit: l, perCounterparty: false, instrument: "program", name: name)))
        }
        let planned = plannedPayment(ref)
        let pay = table.following(planned + p.extensionDays)
        // The factor funds the supplier on the planned day, or on the discount date when it captures the discount:
        // its fee runs from that funding day to our repayment, on the days actually elapsed (after business-day moves).
        var funding = table.following(planned)
        var discount = Money.zero
        if p.capturesDiscounts, let d = availableDiscount(inv) {
            discount = d.amount
            funding = table.following(max(scenario.start, d.day))
        }
        let financed = inv.amount - discount
        let days = pay - funding
        let fee = Money.charge(financed, rate: p.annualRate, times: days, over: DayCount.moneyMarketYear)
        var moves = [movement(ref, pay, -financed, .deferredPayment, name)]
        if fee != .zero { moves.append(movement(ref, pay, -fee, .reverseFactoringFee(days: days), name)) }
        var cost = FinancingCost()
        let discountVAT = vatShare(of: discount, inv)
        cost.financial = fee - (discount - discountVAT)
        cost.recoverableVAT = Money.zero - discountVAT
        cost.financedAmountDays = Int128(financed.cents) * Int128(days)
        addLatePenalty(ref, supplierPaidOn: funding, moves: &moves, cost: &cost)
        return .success(FinancingEffect(ref: ref, decision: decision, replacesSettlement: true, movements: moves, cost: cost,
                                        legalBreach: false, note: discount == .zero ? nil : "discount captured: \(discount.formatted())"))
    }

    func supplierFinancingEffect(_ ref: InvoiceRef, program name: String) -> Result<FinancingEffect, Refusal> {
        let inv = invoice(ref)
        let decision = Decision.supplierFinancing(name)
        func refuse(_ why: Refusal.Why) -> Result<FinancingEffect, Refusal> {
            .failure(Refusal(ref: ref, decision: decision, invoiceId: inv.id, why: why))
        }
        guard let p = scenario.instruments.supplierProgram(name) else { return refuse(.noInstrument(kind: "supplier-financing program", name: name)) }
        if let max = p.maximumAmount, inv.amount > max {
            return refuse(.aboveMaximum(amount: inv.amount, maximum: max, instrument: "program", name: name))
        }
        let planned = plannedPayment(ref)
        var paidOn = planned
        var discount = Money.zero
        if let d = availableDiscount(inv), d.day <= planned {
            paidOn = d.day
            discount = d.amount
        }
        let financed = inv.amount - discount
        let repay = table.following(max(paidOn, scenario.start) + p.termDays)
        let fee = Money.charge(financed, rate: p.monthlyRate, times: p.termDays, over: DayCount.month)
        var moves = [movement(ref, repay, -financed, .platformRepayment, name)]
        if fee != .zero { moves.append(movement(ref, repay, -fee, .supplierFinancingFee(days: p.termDays), name)) }
        var cost = FinancingCost()
        let discountVAT = vatShare(of: discount, inv)
        cost.financial = fee - (discount - discountVAT)
        cost.recoverableVAT = Money.zero - discountVAT
        cost.financedAmountDays = Int128(financed.cents) * Int128(p.termDays)
        addLatePenalty(ref, supplierPaidOn: table.following(paidOn), moves: &moves, cost: &cost)
        return .success(FinancingEffect(ref: ref, decision: decision, replacesSettlement: true, movements: moves, cost: cost,
                                        legalBreach: false, note: discount == .zero ? nil : "discount captured: \(discount.formatted())"))
    }

    func splitPaymentEffect(_ ref: InvoiceRef, partner name: String) -> Result<FinancingEffect, Refusal> {
        let inv = invoice(ref)
        let decision = Decision.splitPayment(name)
        func refuse(_ why: Refusal.Why) -> Result<FinancingEffect, Refusal> {
            .failure(Refusal(ref: ref, decision: decision, invoiceId: inv.id, why: why))
        }
        guard let p = scenario.instruments.splitProgram(name) else { return refuse(.noInstrument(kind: "split-payment partner", name: name)) }
        let amount = inv.amount
        if let max = p.maximumAmount, amount > max {
            return refuse(.aboveMaximum(amount: amount, maximum: max, instrument: "partner", name: name))
        }
        let planned = plannedPayment(ref)
        let n = max(p.instalments, 1)
        let each = Money(cents: amount.cents / Int64(n))
        let last = amount - Money(cents: each.cents * Int64(n - 1))
        let fee = Money.charge(amount, rate: p.feeRate)
        var moves: [Movement] = []
        var amountDays: Int128 = 0
        for k in 0..<n {
            let part = k == n - 1 ? last : each
            let day = table.following(planned + DayCount.month * k)
            moves.append(movement(ref, day, -part, .instalment(k + 1, of: n), name))
            if k == 0 && fee != .zero { moves.append(movement(ref, day, -fee, .splitPaymentFee, name)) }
            amountDays += Int128(part.cents) * Int128(DayCount.month * k)
        }
        var cost = FinancingCost()
        cost.financial = fee
        cost.financedAmountDays = amountDays
        addLatePenalty(ref, supplierPaidOn: table.following(planned), moves: &moves, cost: &cost)
        return .success(FinancingEffect(ref: ref, decision: decision, replacesSettlement: true, movements: moves, cost: cost,
                                        legalBreach: false, note: nil))
    }
}
