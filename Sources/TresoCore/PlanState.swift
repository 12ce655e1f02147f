/// A plan applied to a scenario: the decisions in force, their effects, and the ledger they produce.
/// Changing one decision updates the ledger by that invoice's movements only, so the UI can
/// re-project on every keypress (O(movements of the invoice + horizon)).
public struct PlanState: Sendable {
    public let engine: ForecastEngine
    public var name: String
    public private(set) var decisions: [InvoiceRef: Decision] = [:]
    /// Receivables the customer never pays in this plan (the scenario's what-if, unless changed here).
    public private(set) var defaulted: Set<InvoiceRef> = []
    /// The plan's own effects, replacing the engine's base effect of the same invoice (a decision, or a
    /// what-if default that differs from the scenario's).
    public private(set) var effects: [InvoiceRef: FinancingEffect] = [:]
    /// Decisions the plan's rules asked for but the instruments refused.
    public private(set) var refusals: [Refusal] = []
    /// Base ledger plus every effect (without the plan-level minimum-fee top-ups), over [start, window limit].
    public private(set) var ledger: CashLedger
    /// Sum of the effects' costs, the base effects' included.
    public private(set) var effectsCost = FinancingCost()
    /// Effects breaking the law (kept incrementally: the comparison reads it on every keypress).
    public private(set) var legalBreaches = 0
    /// Suppliers assumed (not known) to accept a negotiated term, with the number of invoices.
    public private(set) var assumedSuppliers: [String: Int] = [:]
    /// Effects whose amount excl. VAT was derived from the default VAT rate.
    public private(set) var derivedVATCount = 0
    /// Per day after the horizon (index 0 = end + 1), how many of the plan's effects reach that day last.
    private var beyondHorizon: [Int32] = []
    /// The plan's effects with a flow after the window limit (end + 400 days): no comparison window reaches it.
    public private(set) var flowsBeyondWindowLimit = 0
    /// How the plan draws on credit lines (§16), and the same resolved for the projection, one use per line.
    public private(set) var drawings: [CreditDrawing] = []
    public private(set) var lineUses: [CreditLineUse] = []
    /// The latest repayment day of a fixed drawing (nil without one), and how many repay after the window limit.
    private var latestRepayment: Day? = nil
    private var drawingsBeyondWindowLimit = 0
    /// Receivables discounted as LCRs: each assumes the customer accepted a bill honoured at maturity.
    public private(set) var acceptedBillCount = 0
    /// Amount financed against each capped instrument (and counterparty), VAT included: see `capBreaches`.
    public private(set) var capUsage: [CapKey: Money] = [:]

    /// A plan with no decision ("overdraft only").
    public init(engine: ForecastEngine, name: String = "overdraft only") {
        self.engine = engine
        self.name = name
        self.ledger = engine.baseLedger
        self.effectsCost = engine.baseCost
        self.defaulted = engine.defaultedRefs
        self.derivedVATCount = engine.baseDerivedVATCount
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
                    refusals.append(Refusal(ref: InvoiceRef(rule.kind, -1), decision: rule.decision, invoiceId: "",
                                            why: .unknownInvoice(id: id, kind: rule.kind)))
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
        if !plan.drawings.isEmpty { refusals += setDrawings(plan.drawings) }
        let receivableIds = idIndex[.receivable] ?? [:]
        // A plan can still add defaults of its own (API); scenario files put them in [what_if], for every plan.
        for id in plan.defaulted {
            if let i = receivableIds[id] {
                let ref = InvoiceRef(.receivable, i)
                if !defaulted.contains(ref) {
                    defaulted.insert(ref)
                    if wanted[.receivable]?[i] == nil { wanted[.receivable]?[i] = Decision.none }
                }
            } else {
                refusals.append(Refusal(ref: InvoiceRef(.receivable, -1), decision: .none, invoiceId: "", why: .notAReceivableToDefault(id: id)))
            }
        }
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
            let base = engine.baseEffect(ref)
            if let old = effects[ref] { apply(old, sign: -1, own: true) } else if let base { apply(base, sign: -1, own: false) }
            effects[ref] = nil
            if decision == .none && isDefaulted == engine.isDefaulted(ref) {
                // Back to what every plan does with this invoice: the engine's base effect.
                if let base { apply(base, sign: 1, own: false) }
            } else {
                let e = newEffect ?? FinancingEffect(ref: ref, decision: .none, replacesSettlement: false, movements: [],
                                                     cost: FinancingCost(), legalBreach: false, note: nil)
                apply(e, sign: 1, own: true)
                effects[ref] = e
            }
            if decision == .none { decisions[ref] = nil } else { decisions[ref] = decision }
            return nil
        }
    }

    /// Marks or unmarks a receivable as defaulted (what-if), keeping its decision.
    @discardableResult
    public mutating func setDefaulted(_ on: Bool, for ref: InvoiceRef) -> Refusal? {
        guard ref.kind == .receivable else { return Refusal(ref: ref, decision: .none, invoiceId: "", why: .onlyReceivablesDefault) }
        let before = defaulted
        if on { defaulted.insert(ref) } else { defaulted.remove(ref) }
        if let r = set(decision(for: ref), for: ref) { defaulted = before; return r }
        return nil
    }

    /// Adds (sign 1) or removes (sign −1) an effect: its cash, its cost and what the verdict counts.
    /// `own`: one of the plan's effects (tracked for the comparison window), not an engine base effect.
    private mutating func apply(_ e: FinancingEffect, sign: Int64, own: Bool) {
        e.apply(to: &ledger, engine: engine, sign: sign)
        effectsCost = sign > 0 ? effectsCost + e.cost : effectsCost - e.cost
        let n = Int(sign)
        if e.legalBreach { legalBreaches += n }
        if own, e.decision != .none, engine.scenario.instruments.hasCaps {
            let inv = engine.invoice(e.ref)
            for (key, _) in engine.scenario.instruments.caps(of: e.decision, counterparty: inv.counterparty) {
                let used = (capUsage[key] ?? .zero) + (sign > 0 ? inv.amount : -inv.amount)
                capUsage[key] = used == .zero ? nil : used
            }
        }
        if e.assumptions.contains(.derivedVAT) { derivedVATCount += n }
        if e.assumptions.contains(.billAccepted) { acceptedBillCount += n }
        if e.assumptions.contains(.supplierAcceptance) {
            let who = engine.invoice(e.ref).counterparty
            let c = (assumedSuppliers[who] ?? 0) + n
            assumedSuppliers[who] = c > 0 ? c : nil
        }
        guard own else { return }
        let end = engine.scenario.end
        // Any change to an invoice can move its settlement (e.g. no longer defaulted): count that day too.
        let settled = engine.settlement(e.ref).day
        let last = max(e.latestDay(settlement: settled), settled)
        guard last > end else { return }
        if beyondHorizon.isEmpty { beyondHorizon = Array(repeating: 0, count: ForecastEngine.windowSlackDays) }
        if last > engine.windowLimit { flowsBeyondWindowLimit += n }
        let i = min(last - end - 1, beyondHorizon.count - 1)
        beyondHorizon[i] += Int32(n)
    }

    /// Replaces the plan's credit-line drawings (§16). A drawing the line cannot take is refused with its reason
    /// and left out: an unknown line, a fixed drawing starting before the start, below the line's minimum drawing,
    /// or taking the amount drawn above the limit. Returns the refusals.
    @discardableResult
    public mutating func setDrawings(_ wanted: [CreditDrawing]) -> [Refusal] {
        let s = engine.scenario
        var refused: [Refusal] = []
        func refuse(_ why: String) { refused.append(Refusal(ref: InvoiceRef(.receivable, -1), decision: .none, invoiceId: "", why: .creditDrawing(why))) }
        var kept: [CreditDrawing] = []
        var fixed: [String: [(from: Day, to: Day, amount: Int64)]] = [:]
        for d in wanted {
            guard let line = s.instruments.credit.creditLine(d.line) else { refuse("no credit line named \"\(d.line)\""); continue }
            if case .fixed(let amount, let from, let to) = d.mode {
                let f = engine.calendar.following(from), t = engine.calendar.following(to)
                if from < s.start { refuse("\(d.label): starts before the start \(s.start.iso)"); continue }
                if t <= f { refuse("\(d.label): repaid on or before the day it is drawn"); continue }
                if amount <= .zero { refuse("\(d.label): nothing to draw"); continue }
                if amount < line.minimumDrawing {
                    refuse("\(d.label): below the line's minimum drawing \(line.minimumDrawing.formatted())"); continue
                }
                // The most drawn at once while this drawing is out: peaks sit at the starts of overlapping drawings.
                let others = fixed[d.line] ?? []
                var peak: Int64 = amount.cents
                for start in [f] + others.map(\.from) where start >= f && start < t {
                    let out = others.reduce(Int64(0)) { $0 + ($1.from <= start && start < $1.to ? $1.amount : 0) }
                    peak = max(peak, out + amount.cents)
                }
                if peak > line.limit.cents {
                    refuse("\(d.label): \(Money(cents: peak).formatted()) drawn at once exceeds the line's limit \(line.limit.formatted())"); continue
                }
                fixed[d.line, default: []].append((f, t, amount.cents))
            }
            kept.append(d)
        }
        drawings = kept
        var uses: [CreditLineUse] = []
        var open: [Bool] = []
        if kept.contains(where: { if case .auto = $0.mode { return true }; return false }) {
            open = (0..<ledger.count).map { engine.calendar.isBusinessDay(s.start + $0) }
        }
        var latest: Day? = nil
        var beyond = 0
        for line in s.instruments.credit.creditLines {
            let mine = kept.filter { $0.line == line.name }
            guard !mine.isEmpty else { continue }
            var scheduled: [(offset: Int, amount: Int64)] = []
            var floor: Int64? = nil
            for d in mine {
                switch d.mode {
                case .fixed(let amount, let from, let to):
                    let f = engine.calendar.following(from), t = engine.calendar.following(to)
                    scheduled.append((f - s.start, amount.cents))
                    scheduled.append((t - s.start, -amount.cents))
                    latest = max(latest ?? t, t)
                    if t > engine.windowLimit { beyond += 1 }
                case .auto(let f):
                    floor = (f ?? s.minCash).cents
                }
            }
            uses.append(CreditLineUse(line: line, scheduled: scheduled, autoFloor: floor, openDays: floor == nil ? [] : open))
        }
        lineUses = uses
        latestRepayment = latest
        flowsBeyondWindowLimit += beyond - drawingsBeyondWindowLimit
        drawingsBeyondWindowLimit = beyond
        return refused
    }

    /// The instruments' caps the plan's decisions exceed (docs/calculations.md § 11): a plan exceeding one is
    /// excluded like a plan breaking the law. Sorted by instrument, the programme limit first.
    public var capBreaches: [CapBreach] {
        guard !capUsage.isEmpty else { return [] }
        let s = engine.scenario
        var out: [CapBreach] = []
        for (key, used) in capUsage {
            var limit: Money? = nil
            if key.kind == .receivable, let c = s.instruments.factoringContract(key.instrument) {
                limit = key.counterparty == nil ? c.programmeLimit : c.maxPerCustomer
            } else if key.kind == .payable, let p = s.instruments.reverseProgram(key.instrument) {
                limit = key.counterparty == nil ? p.programmeLimit : p.maxPerSupplier
            }
            guard let l = limit, used > l else { continue }
            // The counterparty as written on the first of its invoices the plan finances under the instrument.
            var name = key.counterparty
            if let who = key.counterparty {
                name = effects.keys.filter { $0.kind == key.kind && s.invoices($0.kind)[$0.index].counterparty.lowercased() == who }
                    .min().map { s.invoices($0.kind)[$0.index].counterparty } ?? who
            }
            out.append(CapBreach(cap: FinancingCap(kind: key.kind, instrument: key.instrument, counterparty: name, limit: l), financed: used))
        }
        return out.sorted { $0.cap < $1.cap }
    }

    /// The latest day the plan's decisions move cash to (or take an invoice's settlement from), at least the
    /// horizon's end and at most the window limit: the day a comparison must reach for every moved flow to settle.
    public var latestMovementDay: Day {
        let end = engine.scenario.end
        var latest = end
        var i = beyondHorizon.count - 1
        while i >= 0 {
            if beyondHorizon[i] > 0 { latest = end + 1 + i; break }
            i -= 1
        }
        if let r = latestRepayment, r > latest { latest = min(r, engine.windowLimit) }
        return latest
    }

    /// Global contracts' annual minimum fee, prorated to the horizon: the shortfall of the commissions
    /// actually charged, plus VAT, posted on the horizon's last day. Only for contracts the plan uses.
    public func minimumFeeTopUps() -> [(contract: FactoringContract, topUp: Money, vat: Money)] {
        let s = engine.scenario
        var out: [(FactoringContract, Money, Money)] = []
        for c in s.instruments.factoring where c.kind == .global && c.annualMinimumFee > .zero {
            var used = false
            var commissions = Money.zero
            for e in effects.values where e.decision == .factor(c.name) { used = true; commissions += e.cost.commissions }
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
        for t in minimumFeeTopUps() {
            if t.contract.feeClass == .operating { c.operating += t.topUp } else { c.financial += t.topUp }
            c.commissions += t.topUp
            c.recoverableVAT += t.vat
        }
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
        if engine.vat != nil { out += vatAdjustments() }
        return out
    }

    /// The projection over the horizon, or through `through` (a comparison window, at most the window limit).
    public func project(through: Day? = nil) -> Projection {
        let s = engine.scenario
        let last = min(through ?? s.end, engine.windowLimit)
        if !s.accounts.isEmpty { return accountProjections(through: last).consolidated }
        return Projection.run(ledger: finalLedger, opening: s.openingBalance, minCash: s.minCash, overdraft: s.overdraft,
                              days: max(last - s.start + 1, 1), lines: lineUses)
    }

    /// The horizon's projection and the window's, from one copy of the ledger (the comparison needs both on
    /// every keypress); the same projection twice when the window is the horizon.
    public func projections(through windowEnd: Day) -> (horizon: Projection, window: Projection) {
        let s = engine.scenario
        if !s.accounts.isEmpty {
            let horizon = accountProjections(through: s.end).consolidated
            return (horizon, windowEnd <= s.end ? horizon : accountProjections(through: windowEnd).consolidated)
        }
        let ledger = finalLedger
        func run(_ last: Day) -> Projection {
            Projection.run(ledger: ledger, opening: s.openingBalance, minCash: s.minCash, overdraft: s.overdraft,
                           days: max(min(last, engine.windowLimit) - s.start + 1, 1), lines: lineUses)
        }
        let horizon = run(s.end)
        return (horizon, windowEnd <= s.end ? horizon : run(windowEnd))
    }

    /// A day's settlements not replaced by a decision, the decisions' movements and the plan-level fees (no bank
    /// charges, no credit lines): what every day list starts from.
    private func settledAndDecided(on day: Day) -> [Movement] {
        var out = engine.baseMovements(on: day, overriddenBy: effects)
        // Only the effects with a movement that day are sorted: a plan may hold 100 000 decisions.
        var touching: [FinancingEffect] = []
        for e in effects.values where e.movements.contains(where: { $0.day == day }) { touching.append(e) }
        touching.sort { $0.ref < $1.ref }
        for e in touching { out += e.movements.filter { $0.day == day } }
        out += planMovements().filter { $0.day == day }
        return out
    }

    /// Every movement of a day under this plan, with its source: ordinary settlements not replaced by a
    /// decision, the decisions' movements, plan-level fees, and the bank charges of `projection`.
    public func movements(on day: Day, projection: Projection) -> [Movement] {
        var out = settledAndDecided(on: day)
        out += projection.creditLineMovements.filter { $0.day == day }
        out += ForecastEngine.chargeMovements(on: day, in: projection)
        return out
    }

    /// The movements of a day on one account (§17): the plan's movements the routing puts there, then that account's
    /// transfers, credit lines and bank charges from its own projection (`accountProjections().accounts[account]`).
    public func movements(on day: Day, account: Int, projection: Projection) -> [Movement] {
        let router = AccountRouter(engine.scenario.accounts)
        var out = settledAndDecided(on: day)
        out = out.filter { router.account(of: $0, in: engine) == account }
        out += projection.transferMovements.filter { $0.day == day }
        out += projection.creditLineMovements.filter { $0.day == day }
        out += ForecastEngine.chargeMovements(on: day, in: projection)
        return out
    }

}

extension PlanState {
    /// This plan's decisions and defaulted what-ifs applied afresh on `engine` (typically `withTerms` of the
    /// current one, after the user edited a rate). Decisions the new terms refuse are dropped and listed in
    /// `refusals`. O(decisions).
    public func rebased(on engine: ForecastEngine) -> PlanState {
        var out = PlanState(engine: engine, name: name)
        out.refusals += out.setDrawings(drawings)
        for ref in defaulted.symmetricDifference(engine.defaultedRefs).sorted() {
            if let r = out.setDefaulted(defaulted.contains(ref), for: ref) { out.refusals.append(r) }
        }
        for (ref, d) in decisions.sorted(by: { $0.key < $1.key }) {
            if let r = out.set(d, for: ref) { out.refusals.append(r) }
        }
        return out
    }
}
