/// Negotiating a payable's terms and paying it late without agreement: docs/calculations.md §10.
extension ForecastEngine {
    func negotiationEffect(_ ref: InvoiceRef) -> Result<FinancingEffect, Refusal> {
        let inv = invoice(ref)
        let st = settlement(ref)
        let terms = scenario.instruments.negotiation
        func refuse(_ why: Refusal.Why) -> Result<FinancingEffect, Refusal> {
            .failure(Refusal(ref: ref, decision: .negotiate, invoiceId: inv.id, why: why))
        }
        // Only a payable not yet due can be renegotiated: a term cannot be extended retroactively.
        if inv.dueDate < scenario.start { return refuse(.pastDue(due: inv.dueDate, start: scenario.start)) }
        var target = terms.targetDays
        var assumptions: EffectAssumptions = []
        if let stance = terms.stance(of: inv.counterparty) {
            guard stance.accepts else { return refuse(.supplierRefuses(supplier: inv.counterparty)) }
            if let m = stance.maxDays { target = min(target, m) }
        } else if terms.unlistedAccept {
            assumptions.insert(.supplierAcceptance)
        } else {
            return refuse(.supplierUnlisted(supplier: inv.counterparty))
        }
        let cap = terms.legalCap(issue: inv.issueDate)
        let wanted = inv.issueDate + target
        let newDue = max(inv.dueDate, min(wanted, cap))
        let planned = plannedPayment(ref)
        let pay = table.following(max(newDue, planned))
        let shift = max(0, pay - st.day)
        var moves = [movement(ref, pay, -inv.amount, .negotiatedPayment(due: newDue), "", .disbursement)]
        var cost = FinancingCost()
        cost.financedAmountDays = Int128(inv.amount.cents) * Int128(shift)
        // Paying after the discount date gives the discount up (excl. VAT where the invoice gives its VAT).
        if let d = availableDiscount(inv), pay > table.following(d.day) {
            cost.lostDiscounts = d.amount - vatShare(of: d.amount, inv)
        }
        if let p = terms.priceIncreasePer30Days, p > .zero, shift > 0 {
            let increase = Money.charge(inv.amount, rate: p, times: shift, over: DayCount.month)
            if increase != .zero { moves.append(movement(ref, pay, -increase, .priceIncrease(days: shift))) }
            cost.priceIncrease = increase
        }
        // Paid after the (new) due date, e.g. an expected date beyond it: the supplier is owed late penalties.
        addLatePenalty(ref, due: newDue, supplierPaidOn: pay, moves: &moves, cost: &cost)
        let note = wanted > cap ? "term capped at \(cap.iso), the legal maximum (lawful); the \(target)-day target exceeds it" : nil
        return .success(FinancingEffect(ref: ref, decision: .negotiate, replacesSettlement: true, movements: moves, cost: cost,
                                        legalBreach: false, note: note, assumptions: assumptions))
    }

    func latePaymentEffect(_ ref: InvoiceRef, days: Int) -> Result<FinancingEffect, Refusal> {
        let inv = invoice(ref)
        let st = settlement(ref)
        let terms = scenario.instruments.negotiation
        let pay = table.following(st.day + days)
        var moves = [movement(ref, pay, -inv.amount, .latePayment(days: pay - inv.dueDate), "", .disbursement)]
        var cost = FinancingCost()
        addLatePenalty(ref, supplierPaidOn: pay, moves: &moves, cost: &cost)
        let breach = pay > terms.legalCap(issue: inv.issueDate)
        return .success(FinancingEffect(ref: ref, decision: .payLate(days), replacesSettlement: true, movements: moves, cost: cost,
                                        legalBreach: breach, note: breach ? "paid after the legal maximum term" : nil))
    }
}
