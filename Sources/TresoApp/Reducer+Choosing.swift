import TresoCore

extension AppState {
    /// Each applicable option with what it would change: the engine applies it to a copy of the active plan
    /// (O(selection + horizon) per option), so the picker shows the real cost and lowest balance, not a guess.
    func withImpact(_ options: [PickerOption], on refs: [InvoiceRef]) -> [PickerOption] {
        let plan = activePlanState
        let before = plan.project()
        let costBefore = plan.financingCost.total + before.summary.bankCharges
        return options.map { o in
            guard o.refusal == nil else { return o }
            var copy = plan
            var refused = 0
            for r in refs where copy.set(o.decision, for: r) != nil { refused += 1 }
            let after = copy.project()
            var out = o
            out.impact = PickerImpact(costChange: copy.financingCost.total + after.summary.bankCharges - costBefore,
                                      lowestBefore: before.summary.lowestBalance, lowestAfter: after.summary.lowestBalance,
                                      refused: refused)
            return out
        }
    }

    /// Count and sum of the marked rows of a table (shown in its title).
    public func markedTotal(_ kind: InvoiceKind) -> (count: Int, total: Money) {
        let invoices = workspace.scenario.invoices(kind)
        var total: Int64 = 0
        let marked = table(kind).marked
        for i in marked where i < invoices.count { total &+= invoices[i].amount.cents }
        return (marked.count, Money(cents: total))
    }
}
