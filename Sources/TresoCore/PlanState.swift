/// A plan applied to a scenario: the decisions in force, their effects, and the ledger they produce.
/// Changing one decision updates the ledger by that invoice's movements only, so the UI can
/// re-project on every keypress (O(movements of the invoice + horizon)).
public struct PlanState: Sendable {
    public let engine: ForecastEngine
    public var name: String
    public private(set) var decisions: [InvoiceRef: Decision] = [:]
    public private(set) var defaulted: Set<InvoiceRef> = []
    public private(set) var effects: [InvoiceRef: FinancingEffect] = [:]
    /// Decisions the plan's rules asked for but the instruments refused.
    public private(set) var refusals: [Refusal] = []
    /// Base ledger plus every effect (without the plan-level minimum-fee top-ups).
    public private(set) var ledger: CashLedger
    /// Sum of the effects' costs.
    public private(set) var effectsCost = FinancingCost()

    /// A plan with no decision ("overdraft only").
    public init(engine: ForecastEngine, name: String = "overdraft only") {
        self.engine = engine
        self.name = name
        self.ledger = engine.baseLedger
    }

    /// Resolves a stored plan's rules into decisions (rules by id override rules by selector; a later
    /// rule overrides an earlier one). Refused decisions are listed in `refusals`, never applied.
    public init(engine: ForecastEngine, plan: Plan) {
        self.init(engine: engine, name: plan.name)
        let s = engine.scenario
        // One slot per invoice (not a dictionary): resolving "every payable" at 1 M invoices stays linear.
        var wanted: [InvoiceKind: [Decision?]] = [.receivable: Array(repeating: nil, count: s.receivables.count),
                                                  .payable: Array(repeating: nil, count: s.payables.count)]
        var explicit: Set<InvoiceRef> = []
        // The id index is only built when a rule or a default names an invoice.
        var idIndex: [InvoiceKind: [String: Int]] = [:]
        if !plan.defaulted.isEmpty || plan.rules.contains(where: { if case .invoice = $0.selector { return true }; return false }) {
            for kind in InvoiceKind.allCases {
                var m: [String: Int] = [:]
                for (i, inv) in s.invoices(kind).enumerated() where m[inv.id] == nil { m[inv.id] = i }
                idIndex[kind] = m
            }
        }
        /// Case-insensitive name match without allocating for the (many) names of another length.
        func sameName(_ a: String, _ folded: String, _ exact: String) -> Bool {
            a == exact || (a.utf8.count == folded.utf8.count && a.lowercased() == folded)
        }
        for rule in plan.rules {
            let list = s.invoices(rule.kind)
            switch rule.selector {
            case .invoice(let id):
                if let i = idIndex[rule.kind]?[id] {
                    wanted[rule.kind]?[i] = rule.decision
                    explicit.insert(InvoiceRef(rule.kind, i))
                } else {
                    refusals.append(Refusal(ref: InvoiceRef(rule.kind, -1), decision: rule.decision,
                                            reason: "\(id): no open \(rule.kind.rawValue) with this id"))
                }
            case .counterparty(let name):
                let folded = name.lowercased()
                for (i, inv) in list.enumerated() where sameName(inv.counterparty, folded, name) && (explicit.isEmpty || !explicit.contains(InvoiceRef(rule.kind, i))) {
                    wanted[rule.kind]?[i] = rule.decision
                }
            case .amountAbove(let min):
                for (i, inv) in list.enumerated() where inv.amount > min && (explicit.isEmpty || !explicit.contains(InvoiceRef(rule.kind, i))) {
                    wanted[rule.kind]?[i] = rule.decision
                }
            case .all:
                for i in list.indices where explicit.isEmpty || !explicit.contains(InvoiceRef(rule.kind, i)) { wanted[rule.kind]?[i] = rule.decision }
            }
        }
        let receivableIds = idIndex[.receivable] ?? [:]
        for id in plan.defaulted {
            if let i = receivableIds[id] { defaulted.insert(InvoiceRef(.receivable, i)) } else {
                refusals.append(Refusal(ref: InvoiceRef(.receivable, -1), decision: .none, reason: "\(id): no open receivable with this id to mark as defaulted"))
            }
        }
        for ref in defaulted where wanted[.receivable]?[ref.index] == nil { wanted[.receivable]?[ref.index] = Decision.none }
        for kind in InvoiceKind.allCases {
            for (i, d) in (wanted[kind] ?? []).enumerated() {
                guard let d else { continue }
                let ref = InvoiceRef(kind, i)
                if let r = set(d, for: ref) {
                    refusals.append(r)
                    // The refused decision changes nothing, but the what-if default still holds.
                    if defaulted.contains(ref) { set(.none, for: ref) }
                }
            }
        }
    }

    public func decision(for ref: InvoiceRef) -> Decision { decisions[ref] ?? .none }

    /// Applies `decision` to one invoice. Returns the refusal (and changes nothing) when it cannot apply.
    @discardableResult
    public mutating func set(_ decision: Decision, for ref: InvoiceRef) -> Refusal? {
        let isDefaulted = defaulted.contains(ref)
        switch engine.effect(of: decision, on: ref, defaulted: isDefaulted) {
        case .failure(let r): return r
        case .success(let newEffect):
            if let old = effects[ref] { unapply(old) }
            effects[ref] = nil
            if let e = newEffect { apply(e); effects[ref] = e }
            if decision == .none { decisions[ref] = nil } else { decisions[ref] = decision }
            return nil
        }
    }

    /// Marks or unmarks a receivable as defaulted (what-if), keeping its decision.
    @discardableResult
    public mutating func setDefaulted(_ on: Bool, for ref: InvoiceRef) -> Refusal? {
        guard ref.kind == .receivable else { return Refusal(ref: ref, decision: .none, reason: "only a receivable can default") }
        let before = defaulted
        if on { defaulted.insert(ref) } else { defaulted.remove(ref) }
        if let r = set(decision(for: ref), for: ref) { defaulted = before; return r }
        return nil
    }

    private mutating func apply(_ e: FinancingEffect, sign: Int64 = 1) {
        if e.replacesSettlement {
            let inv = engine.invoice(e.ref)
            let st = engine.settlement(e.ref)
            if e.ref.kind == .receivable {
                ledger.add(Money(cents: -sign * inv.amount.cents), on: st.day, as: .receipt)
            } else {
                ledger.add(Money(cents: sign * inv.amount.cents), on: st.day, as: .disbursement)
            }
        }
        for m in e.movements { ledger.add(Money(cents: sign * m.amount.cents), on: m.day, as: m.category) }
        effectsCost = sign > 0 ? effectsCost + e.cost : effectsCost - e.cost
    }

    private mutating func unapply(_ e: FinancingEffect) { apply(e, sign: -1) }

    /// Global contracts' annual minimum fee, prorated to the horizon: the shortfall of the commissions
    /// actually charged, plus VAT, posted on the horizon's last day. Only for contracts the plan uses.
    public func minimumFeeTopUps() -> [(contract: FactoringContract, topUp: Money, vat: Money)] {
        let s = engine.scenario
        var out: [(FactoringContract, Money, Money)] = []
        for c in s.instruments.factoring where c.kind == .global && c.annualMinimumFee > .zero {
            var used = false
            var commissions = Money.zero
            for e in effects.values where e.decision == .factor(c.name) { used = true; commissions += e.cost.operating }
            guard used else { continue }
            let floor = Money.charge(c.annualMinimumFee, rate: .one, times: s.horizonDays, over: 365)
            let topUp = floor - commissions
            if topUp > .zero { out.append((c, topUp, Money.charge(topUp, rate: c.vatRate))) }
        }
        return out
    }

    /// Total financing cost of the plan (effects + minimum-fee top-ups), bank charges excluded.
    public var financingCost: FinancingCost {
        var c = effectsCost
        for t in minimumFeeTopUps() { c.operating += t.topUp; c.recoverableVAT += t.vat }
        return c
    }

    /// The ledger including plan-level movements.
    public var finalLedger: CashLedger {
        var l = ledger
        for m in planMovements() { l.add(m.amount, on: m.day, as: m.category) }
        return l
    }

    func planMovements() -> [Movement] {
        // Charged on the horizon's last business day (cash never moves on a closed day).
        let s = engine.scenario
        let end = max(s.start, engine.calendar.preceding(s.end))
        var out: [Movement] = []
        for t in minimumFeeTopUps() {
            out.append(Movement(day: end, amount: -t.topUp, category: .financing, source: .bank, reference: t.contract.name,
                                detail: .minimumFeeTopUp, instrument: t.contract.name))
            if t.vat != .zero {
                out.append(Movement(day: end, amount: -t.vat, category: .financing, source: .bank, reference: t.contract.name,
                                    detail: .minimumFeeVAT, instrument: t.contract.name))
            }
        }
        return out
    }

    public func project() -> Projection {
        let s = engine.scenario
        return Projection.run(ledger: finalLedger, opening: s.openingBalance, minCash: s.minCash, overdraft: s.overdraft)
    }

    /// Every movement of a day under this plan, with its source: ordinary settlements not replaced by a
    /// decision, the decisions' movements, plan-level fees, and the bank charges of `projection`.
    public func movements(on day: Day, projection: Projection) -> [Movement] {
        var out = engine.baseMovements(on: day).filter { m in
            if case .invoice(let ref) = m.source, let e = effects[ref], e.replacesSettlement { return false }
            return true
        }
        // Only the effects with a movement that day are sorted: a plan may hold 100 000 decisions.
        var touching: [FinancingEffect] = []
        for e in effects.values where e.movements.contains(where: { $0.day == day }) { touching.append(e) }
        touching.sort { $0.ref < $1.ref }
        for e in touching { out += e.movements.filter { $0.day == day } }
        out += planMovements().filter { $0.day == day }
        out += ForecastEngine.chargeMovements(on: day, in: projection)
        return out
    }

    public var legalBreaches: Int { effects.values.filter(\.legalBreach).count }
}

extension PlanState {
    /// This plan's decisions and defaulted what-ifs applied afresh on `engine` (typically `withTerms` of the
    /// current one, after the user edited a rate). Decisions the new terms refuse are dropped and listed in
    /// `refusals`. O(decisions).
    public func rebased(on engine: ForecastEngine) -> PlanState {
        var out = PlanState(engine: engine, name: name)
        for ref in defaulted.sorted() {
            if let r = out.setDefaulted(true, for: ref) { out.refusals.append(r) }
        }
        for (ref, d) in decisions.sorted(by: { $0.key < $1.key }) {
            if let r = out.set(d, for: ref) { out.refusals.append(r) }
        }
        return out
    }
}
