/// When and how one invoice settles under the default conventions.
public struct Settlement: Sendable, Hashable {
    /// The date it was expected before the business-day move (due + delay, or the expected date).
    public var scheduled: Day
    /// The business day the cash moves (following rule), after moving overdue items onto the start.
    public var day: Day
    /// Expected before the start date: settled on the start date instead of being dropped.
    public var overdue: Bool
}

/// The forecasting engine for one scenario: settles every invoice and recurring flow once,
/// then projects plans over that base in O(horizon). Pure: no I/O, no clock.
public struct ForecastEngine: Sendable {
    public let scenario: Scenario
    public let calendar: BusinessCalendar
    public let table: SettlementTable
    /// Settlement of each receivable / payable, parallel to the scenario's arrays.
    /// Settable inside TresoCore so that the risk simulation can re-settle receivables on a path's drawn dates.
    public internal(set) var receivableSettlements: [Settlement]
    public let payableSettlements: [Settlement]
    /// Recurring flow occurrences through the window limit: (flow index, scheduled, settled).
    public let recurringOccurrences: [(flow: Int, scheduled: Day, day: Day)]
    /// Ordinary settlements of every invoice and flow over [start, windowLimit], before any base effect.
    public let settlementLedger: CashLedger
    /// The ledger of the plan with no decision: the settlements plus the base effects.
    public internal(set) var baseLedger: CashLedger
    /// The invoices with a base effect — what happens to them in every plan unless a decision replaces it: a defaulted
    /// receivable is never collected (its loss is a cost), a payable paid after its due date owes late interest and the
    /// indemnity. Kept as refs (sorted) and one flag per payable: at 1 M invoices tens of thousands of payables are late,
    /// and materialising their effects up front would cost more than settling every invoice. `baseEffect(_:)` builds one.
    public internal(set) var baseEffectRefs: [InvoiceRef] = []
    var latePayable: [Bool] = []
    /// Sum of the base effects' costs: part of every plan's cost.
    public internal(set) var baseCost = FinancingCost()
    /// Base effects whose amount excl. VAT was derived (an assumption every plan starts with).
    public internal(set) var baseDerivedVATCount = 0
    /// The VAT returns computed from the invoices (`[vat]`), with no plan's fees; nil without `[vat]`.
    public let vat: VATSchedule?
    /// Receivables the scenario's what-if marks as defaulted, in every plan.
    public let defaultedRefs: Set<InvoiceRef>
    /// Defaulted ids that name no open receivable.
    public let unknownDefaulted: [String]

    /// Comparisons can run past the horizon until every moved flow settles, at most this many days.
    public static let windowSlackDays = 400
    /// The last day a comparison window can reach.
    public var windowLimit: Day { scenario.end + ForecastEngine.windowSlackDays }
    /// Days in the horizon.
    public var horizonCount: Int { max(scenario.horizonDays, 1) }

    public init(scenario: Scenario) {
        self.scenario = scenario
        let calendar = BusinessCalendar(scenario.calendar)
        self.calendar = calendar
        let start = scenario.start, end = scenario.end
        // Settlements can be pushed a few days past the end by holidays; 400 days of slack covers
        // instruments that move payments later (reverse factoring, split payment), and the comparison window.
        let limit = end + ForecastEngine.windowSlackDays
        let table = SettlementTable(calendar: calendar, from: start, through: limit + 14)
        self.table = table
        var ledger = CashLedger(start: start, days: limit - start + 1)

        // Customer delay lookup: exact name first, then case-insensitively.
        let delays = scenario.customerDelays
        var folded: [String: Int] = [:]
        for (k, v) in delays { folded[k.lowercased()] = v }
        let defaultDelay = scenario.customerDelayDays
        // Names repeat across thousands of invoices: resolve each distinct name once.
        var resolved: [String: Int] = [:]
        func delay(for name: String) -> Int {
            if delays.isEmpty { return defaultDelay }
            if let d = resolved[name] { return d }
            let d = delays[name] ?? folded[name.lowercased()] ?? defaultDelay
            resolved[name] = d
            return d
        }

        var rs: [Settlement] = []
        rs.reserveCapacity(scenario.receivables.count)
        // Fields are read in place: copying each Invoice would retain and release its strings a million times.
        scenario.receivables.withUnsafeBufferPointer { invoices in
            for i in invoices.indices {
                let scheduled = invoices[i].expectedDate ?? (invoices[i].dueDate + (delays.isEmpty ? defaultDelay : delay(for: invoices[i].counterparty)))
                let s = ForecastEngine.settle(scheduled, start: start, table: table)
                rs.append(s)
                if invoices[i].status == .open { ledger.add(invoices[i].amount, on: s.day, as: .receipt) }
            }
        }
        var ps: [Settlement] = []
        ps.reserveCapacity(scenario.payables.count)
        scenario.payables.withUnsafeBufferPointer { invoices in
            for i in invoices.indices {
                let s = ForecastEngine.settle(invoices[i].expectedDate ?? invoices[i].dueDate, start: start, table: table)
                ps.append(s)
                if invoices[i].status == .open { ledger.add(-invoices[i].amount, on: s.day, as: .disbursement) }
            }
        }
        var occ: [(flow: Int, scheduled: Day, day: Day)] = []
        for (i, flow) in scenario.recurring.enumerated() {
            for d in flow.scheduledDates(from: start, through: limit) {
                let settled = table.following(d)
                occ.append((i, d, settled))
                ledger.add(flow.amount, on: settled, as: flow.amount.isNegative ? .disbursement : .receipt)
            }
        }
        let vat = ForecastEngine.computeVAT(scenario: scenario, receivables: rs, payables: ps, limit: limit, table: table)
        for r in vat?.returns ?? [] {
            if r.payment != .zero { ledger.add(-r.payment, on: r.day, as: .disbursement) }
            if r.refund != .zero, let d = r.refundDay { ledger.add(r.refund, on: d, as: .receipt) }
        }
        self.vat = vat
        receivableSettlements = rs
        payableSettlements = ps
        recurringOccurrences = occ
        settlementLedger = ledger
        baseLedger = ledger
        var ids: [String: Int] = [:]
        if !scenario.defaulted.isEmpty {
            for (i, inv) in scenario.receivables.enumerated() where inv.status == .open && ids[inv.id] == nil { ids[inv.id] = i }
        }
        var refs: Set<InvoiceRef> = []
        var unknown: [String] = []
        for id in scenario.defaulted {
            if let i = ids[id] { refs.insert(InvoiceRef(.receivable, i)) } else { unknown.append(id) }
        }
        defaultedRefs = refs
        unknownDefaulted = unknown
        computeBaseEffects()
    }

    /// Recomputes the base effects (they depend on the terms: late-interest rates, VAT) and the base ledger.
    mutating func computeBaseEffects() {
        var ledger = settlementLedger
        var cost = FinancingCost()
        var refs: [InvoiceRef] = []
        var derived = 0
        for ref in defaultedRefs.sorted() {
            guard let e = baseEffect(ref, defaulted: true) else { continue }
            e.apply(to: &ledger, engine: self, sign: 1)
            cost = cost + e.cost
            if e.assumptions.contains(.derivedVAT) { derived += 1 }
            refs.append(ref)
        }
        // Late payables: the same sums as their effects (`baseEffect`), added without building them.
        var late = Array(repeating: false, count: scenario.payables.count)
        let terms = scenario.instruments.negotiation
        var interest: Int64 = 0, indemnities: Int64 = 0
        var amountDays: Int128 = 0
        scenario.payables.withUnsafeBufferPointer { invoices in
            for i in invoices.indices where invoices[i].status == .open && !invoices[i].isCreditNote {
                let pay = payableSettlements[i].day
                guard let p = ForecastEngine.latePenalty(amount: invoices[i].amount, due: invoices[i].dueDate, paidOn: pay,
                                                         terms: terms, table: table) else { continue }
                ledger.add(Money(cents: -p.interest.cents), on: pay, as: .financing)
                ledger.add(Money(cents: -p.indemnity.cents), on: pay, as: .financing)
                interest += p.interest.cents
                indemnities += p.indemnity.cents
                amountDays += Int128(invoices[i].amount.cents) * Int128(p.days)
                late[i] = true
                refs.append(InvoiceRef(.payable, i))
            }
        }
        cost.lateInterest += Money(cents: interest)
        cost.lateIndemnities += Money(cents: indemnities)
        cost.financedAmountDays += amountDays
        latePayable = late
        baseEffectRefs = refs
        baseDerivedVATCount = derived
        baseLedger = ledger
        baseCost = cost
    }

    /// The base effect of one invoice (nil when it has none): see `baseEffectRefs`.
    public func baseEffect(_ ref: InvoiceRef) -> FinancingEffect? {
        switch ref.kind {
        case .receivable: return isDefaulted(ref) ? baseEffect(ref, defaulted: true) : nil
        case .payable: return latePayable.indices.contains(ref.index) && latePayable[ref.index] ? baseEffect(ref, defaulted: false) : nil
        }
    }

    public func isDefaulted(_ ref: InvoiceRef) -> Bool { !defaultedRefs.isEmpty && defaultedRefs.contains(ref) }

    static func settle(_ scheduled: Day, start: Day, table: SettlementTable) -> Settlement {
        let overdue = scheduled < start
        return Settlement(scheduled: scheduled, day: table.following(overdue ? start : scheduled), overdue: overdue)
    }

    public func invoice(_ ref: InvoiceRef) -> Invoice {
        ref.kind == .receivable ? scenario.receivables[ref.index] : scenario.payables[ref.index]
    }

    public func settlement(_ ref: InvoiceRef) -> Settlement {
        ref.kind == .receivable ? receivableSettlements[ref.index] : payableSettlements[ref.index]
    }

    /// The projection with no financing decision ("overdraft only"), over the horizon.
    public func project() -> Projection {
        if !scenario.accounts.isEmpty { return PlanState(engine: self).project() }
        return Projection.run(ledger: baseLedger, opening: scenario.openingBalance, minCash: scenario.minCash, overdraft: scenario.overdraft,
                       days: horizonCount)
    }

    /// Every movement of the plan with no decision settling on `day`, in a stable order: receipts, then
    /// disbursements, each by invoice order (an invoice's base effect in place of its settlement), then recurring flows.
    /// `overrides`: a plan's own effects, which take the place of the base effects of their invoices
    /// (their movements are the plan's to add).
    public func baseMovements(on day: Day, overriddenBy overrides: [InvoiceRef: FinancingEffect] = [:]) -> [Movement] {
        var out: [Movement] = []
        func settles(_ ref: InvoiceRef) -> Bool {
            guard let e = overrides[ref] ?? baseEffect(ref) else { return true }
            return !e.replacesSettlement
        }
        for (i, s) in receivableSettlements.enumerated() where s.day == day {
            let inv = scenario.receivables[i]
            guard inv.status == .open, settles(InvoiceRef(.receivable, i)) else { continue }
            out.append(Movement(day: day, amount: inv.amount, category: .receipt, source: .invoice(InvoiceRef(.receivable, i)),
                                reference: inv.id, detail: .collection(counterparty: inv.counterparty), overdue: s.overdue))
        }
        for (i, s) in payableSettlements.enumerated() where s.day == day {
            let inv = scenario.payables[i]
            guard inv.status == .open, settles(InvoiceRef(.payable, i)) else { continue }
            out.append(Movement(day: day, amount: -inv.amount, category: .disbursement, source: .invoice(InvoiceRef(.payable, i)),
                                reference: inv.id, detail: .payment(counterparty: inv.counterparty), overdue: s.overdue))
        }
        for ref in baseEffectRefs where overrides[ref] == nil {
            // Base movements fall on the invoice's settlement day (late penalties), or nowhere (a default).
            guard settlement(ref).day == day, let e = baseEffect(ref) else { continue }
            for m in e.movements where m.day == day { out.append(m) }
        }
        for o in recurringOccurrences where o.day == day {
            let flow = scenario.recurring[o.flow]
            out.append(Movement(day: day, amount: flow.amount, category: flow.amount.isNegative ? .disbursement : .receipt,
                                source: .recurring(o.flow), reference: flow.label, label: flow.label))
        }
        if vat != nil { out += vatMovements(on: day) }
        return out
    }

    /// Bank charges posted on `day` by a projection, as movements.
    public static func chargeMovements(on day: Day, in projection: Projection) -> [Movement] {
        var out: [Movement] = []
        for c in projection.overdraftCharges where c.postedOn == day {
            if c.interest != .zero {
                out.append(Movement(day: day, amount: -c.interest, category: .charge, source: .bank, reference: "bank",
                                    detail: .overdraftInterest(from: c.periodStart, to: c.postedOn)))
            }
            if c.commission != .zero {
                out.append(Movement(day: day, amount: -c.commission, category: .charge, source: .bank, reference: "bank",
                                    detail: .highestOverdraftCommission(from: c.periodStart, to: c.postedOn)))
            }
            if c.penalty != .zero {
                out.append(Movement(day: day, amount: -c.penalty, category: .charge, source: .bank, reference: "bank",
                                    detail: .overdraftPenalty(from: c.periodStart, to: c.postedOn)))
            }
        }
        return out
    }
}

extension ForecastEngine {
    /// Warnings about invoices whose own terms exceed the legal maximum (Code de commerce L.441-10): due date after
    /// the cap (60 days from issue, or 45 days end of month). Shown by `treso check`; the projection keeps the due date.
    public func legalTermDiagnostics() -> [Diagnostic] {
        var out: [Diagnostic] = []
        let terms = scenario.instruments.negotiation
        for kind in InvoiceKind.allCases {
            let file = kind == .receivable ? scenario.receivablesFile : scenario.payablesFile
            for inv in scenario.invoices(kind) where inv.status == .open && !inv.isCreditNote {
                let cap = terms.legalCap(issue: inv.issueDate)
                guard inv.dueDate > cap else { continue }
                out.append(.warning(file, line: Int(inv.line), column: 0,
                                    "\(inv.id): terms of \(inv.dueDate - inv.issueDate) days (due \(inv.dueDate.iso)) exceed the legal maximum "
                                    + "\(cap.iso) (L.441-10, \(terms.capMethod == .daysFromIssue ? "\(terms.capDays) days from issue" : "45 days end of month"))"))
            }
        }
        return out
    }

    /// Warnings about invoices the projection had to move: overdue ones collected or paid on the start date,
    /// and those settling after the horizon (not shown).
    public func settlementDiagnostics() -> [Diagnostic] {
        var out: [Diagnostic] = []
        for kind in InvoiceKind.allCases {
            let list = scenario.invoices(kind)
            let settlements = kind == .receivable ? receivableSettlements : payableSettlements
            let file = kind == .receivable ? scenario.receivablesFile : scenario.payablesFile
            for (i, inv) in list.enumerated() where inv.status == .open {
                let s = settlements[i]
                if s.overdue {
                    let verb = kind == .receivable ? "collection" : "payment"
                    out.append(.warning(file, line: Int(inv.line), column: 0,
                                        "\(inv.id): overdue — expected \(verb) \(s.scheduled.iso) is before the start \(scenario.start.iso); counted on \(s.day.iso)"))
                }
            }
        }
        return out
    }
}
