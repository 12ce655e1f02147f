/// Factoring a receivable: docs/calculations.md §5 (and §6 for a default).
extension ForecastEngine {
    func factoringEffect(_ ref: InvoiceRef, contract name: String, defaulted: Bool) -> Result<FinancingEffect, Refusal> {
        let inv = invoice(ref)
        let st = settlement(ref)
        let decision = Decision.factor(name)
        func refuse(_ why: Refusal.Why) -> Result<FinancingEffect, Refusal> {
            .failure(Refusal(ref: ref, decision: decision, invoiceId: inv.id, why: why))
        }
        guard let c = scenario.instruments.factoringContract(name) else { return refuse(.noInstrument(kind: "factoring contract", name: name)) }
        if st.overdue { return refuse(.overdue(expected: st.scheduled, start: scenario.start)) }
        // Factors finance invoices not yet due, never past-due ones (even when the customer is expected later).
        if inv.dueDate < scenario.start { return refuse(.pastDue(due: inv.dueDate, start: scenario.start)) }
        let amount = inv.amount
        if let max = c.maximumInvoice, amount > max {
            return refuse(.aboveMaximum(amount: amount, maximum: max, instrument: "contract", name: name))
        }
        if let min = c.minimumInvoice, amount < min {
            return refuse(.belowMinimum(amount: amount, minimum: min, instrument: "contract", name: name))
        }
        if c.excludedCustomers.contains(where: { $0.lowercased() == inv.counterparty.lowercased() }) {
            return refuse(.excludedCustomer(customer: inv.counterparty, contract: name))
        }
        if let l = c.maxPerCustomer, amount > l {
            return refuse(.aboveCap(amount: amount, limit: l, perCounterparty: true, instrument: "contract", name: name))
        }
        if let l = c.programmeLimit, amount > l {
            return refuse(.aboveCap(amount: amount, limit: l, perCounterparty: false, instrument: "contract", name: name))
        }
        let funding = table.calendar.addingBusinessDays(c.fundingDelayDays, to: max(scenario.start, inv.issueDate))
        let collection = st.day
        if collection <= funding { return refuse(.nothingToFinance(collection: collection, funding: funding)) }
        let advance = Money.charge(amount, rate: c.advanceRate)
        let commission = max(c.minimumCommission, Money.charge(c.feeBase == .advance ? advance : amount, rate: c.commissionRate))
        let vat = Money.charge(commission, rate: c.vatRate)
        let days = collection - funding + c.graceDays
        let interest = Money.charge(advance, rate: c.annualRate, times: days, over: DayCount.moneyMarketYear)
        func mv(_ day: Day, _ amount: Money, _ what: MovementDetail) -> Movement { movement(ref, day, amount, what, name) }
        var moves = [mv(funding, advance, .factoringAdvance)]
        if commission != .zero { moves.append(mv(funding, -commission, .factoringCommission)) }
        if vat != .zero { moves.append(mv(funding, -vat, .factoringVAT)) }
        if interest != .zero { moves.append(mv(funding, -interest, .factoringInterest(days: days))) }
        let reserve = amount - advance
        var cost = FinancingCost()
        if c.feeClass == .operating { cost.operating = commission } else { cost.financial = commission }
        cost.commissions = commission
        cost.financial += interest
        cost.recoverableVAT = vat
        cost.financedAmountDays = Int128(advance.cents) * Int128(days)
        var note: String? = nil
        var assumptions: EffectAssumptions = []
        if !defaulted {
            if reserve != .zero { moves.append(mv(collection, reserve, .reserveReleased)) }
        } else if !c.recourse {
            // Without recourse the factor bears the customer's insolvency: the reserve is paid as if collected.
            if reserve != .zero { moves.append(mv(collection, reserve, .reserveReleasedDefaultBorne)) }
            note = "defaulted: borne by the factor (without recourse)"
        } else {
            func after(_ days: Int) -> Day { table.following(max(inv.dueDate + days, scenario.start)) }
            let reclaim = after(c.reclaimDays)
            moves.append(mv(reclaim, -advance, .advanceReclaimed))
            // The advance stays out until the factor reclaims it: interest runs on to that day.
            let extraDays = reclaim - (collection + c.graceDays)
            if extraDays > 0 {
                let extra = Money.charge(advance, rate: c.annualRate, times: extraDays, over: DayCount.moneyMarketYear)
                if extra != .zero { moves.append(mv(reclaim, -extra, .factoringInterestUntilReclaim(days: extraDays))) }
                cost.financial += extra
                cost.financedAmountDays += Int128(advance.cents) * Int128(extraDays)
            }
            let (excl, derived) = amountExclVAT(inv)
            if derived { assumptions.insert(.derivedVAT) }
            var indemnity = Money.zero
            if c.insuranceCoverage > .zero {
                indemnity = Money.charge(c.insuranceBase == .exclVAT ? excl : amount, rate: c.insuranceCoverage)
                moves.append(mv(after(c.indemnityDelayDays), indemnity, .insuranceIndemnity))
                note = "defaulted: advance reclaimed, insurance pays \(c.insuranceCoverage.percentString) % of the amount "
                    + (c.insuranceBase == .exclVAT ? "excl. VAT" : "incl. VAT")
            } else {
                note = "defaulted: advance reclaimed (with recourse)"
            }
            cost.creditLosses = excl - indemnity
            cost.badDebtVATRelief = amount - excl
        }
        return .success(FinancingEffect(ref: ref, decision: decision, replacesSettlement: true, movements: moves, cost: cost,
                                        legalBreach: false, note: note, assumptions: assumptions))
    }
}
