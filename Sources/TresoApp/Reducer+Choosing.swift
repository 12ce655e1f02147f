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

    /// The decision "factoring them" means for a table's marked rows: the first factoring contract for receivables,
    /// the first reverse-factoring program for payables; nil when the scenario has none.
    func financingDecision(for kind: InvoiceKind) -> Decision? {
        let key: InstrumentKey = kind == .receivable ? .factoring : .reverse
        return key.decisions(workspace.scenario.instruments).first
    }

    /// What financing the marked rows would change, shown in the table's title: measured like the picker does, by
    /// applying the decision to a copy of the active plan. Cached against the document, the plan and the marks, so it
    /// is computed once per change of marks (O(marked + horizon)), never per frame.
    public func markedImpact(_ kind: InvoiceKind) -> MarkedImpact? {
        guard let c = cache.markedImpact[kind], c.key == markedImpactKey(kind) else { return nil }
        return c.impact
    }

    func markedImpactKey(_ kind: InvoiceKind) -> MarkedImpactKey {
        MarkedImpactKey(revision: workspace.revision, plan: activePlan, marked: table(kind).marked)
    }

    mutating func refreshMarkedImpact() {
        for kind in InvoiceKind.allCases {
            let key = markedImpactKey(kind)
            if key.marked.isEmpty { cache.markedImpact[kind] = nil; continue }
            if cache.markedImpact[kind]?.key == key { continue }
            var impact: MarkedImpact?
            if let d = financingDecision(for: kind) {
                let refs = key.marked.sorted().map { InvoiceRef(kind, $0) }
                let option = withImpact([PickerOption(decision: d, refusal: nil)], on: refs).first
                impact = option?.impact.map { MarkedImpact(decision: d, impact: $0) }
            }
            cache.markedImpact[kind] = CachedMarkedImpact(key: key, impact: impact)
        }
    }
}

/// The active plan's cost and lowest balance if the marked rows were financed (factored, or reverse-factored).
public struct MarkedImpact: Sendable, Equatable {
    public var decision: Decision
    public var impact: PickerImpact
}

struct MarkedImpactKey: Sendable, Equatable {
    var revision: Int
    var plan: Int
    var marked: Set<Int>
}

struct CachedMarkedImpact: Sendable, Equatable {
    var key: MarkedImpactKey
    var impact: MarkedImpact?
}
