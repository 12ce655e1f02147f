/// Where a plan stands in a comparison, as data (the table, the JSON and the planner word it).
public enum Verdict: Sendable, Hashable {
    /// ★: the cheapest plan within the overdraft limit and the law.
    case best
    /// Within the limit and the law, costing `extra` more than ★ (or nothing to compare with).
    case admissible(extra: Money?)
    /// Breaks the overdraft limit and/or the law, exceeds an instrument's cap, or moves cash beyond the longest
    /// window: never ★.
    case excluded(daysOverLimit: Int, legalBreaches: Int, flowsBeyondWindow: Int, capBreaches: Int = 0)

    public var text: String {
        switch self {
        case .best: return "★ cheapest within the limit and the law"
        case .admissible(let extra?): return "within the limit and the law, +" + extra.formatted() + " vs ★"
        case .admissible(nil): return "within the limit and the law"
        case .excluded(let d, let l, let f, let c):
            var parts: [String] = []
            if d > 0 { parts.append("\(d) day\(d == 1 ? "" : "s") over the overdraft limit") }
            if l > 0 { parts.append("\(l) legal breach\(l == 1 ? "" : "es")") }
            if c > 0 { parts.append("\(c) financing limit\(c == 1 ? "" : "s") exceeded") }
            if f > 0 { parts.append("\(f) decision\(f == 1 ? "" : "s") moving cash beyond the window") }
            return "▲ excluded: " + parts.joined(separator: ", ")
        }
    }

    /// A short form for narrow places (the planner's pane).
    public var short: String {
        switch self {
        case .best: return "★ best"
        case .admissible: return "ok"
        case .excluded(let d, let l, _, let c):
            return d > 0 && l > 0 ? "▲ limit+law" : (d > 0 ? "▲ over limit" : (l > 0 ? "▲ illegal" : (c > 0 ? "▲ over cap" : "▲ beyond")))
        }
    }
}

/// One plan's outcome, on the same days as every other plan.
public struct PlanResult: Sendable {
    public var name: String
    /// The plan over the horizon (what `treso project` and the planner's day table show).
    public var projection: Projection
    /// The plan over the comparison window [start, window end]: every figure of the comparison is measured on it.
    public var window: Projection
    /// Financing charges of the decisions (and minimum-fee top-ups), with the base effects every plan shares
    /// (credit losses of defaulted receivables, penalties of payables paid late).
    public var financing: FinancingCost
    public var decisionsApplied: Int
    public var refusals: [Refusal]
    public var legalBreaches: Int
    /// Decisions moving cash beyond the longest window (400 days past the horizon): their cost cannot be measured.
    public var flowsBeyondWindow: Int = 0
    /// Instruments' caps (per customer/supplier, programme) the plan exceeds: excluded like a legal breach.
    public var capBreaches: [CapBreach] = []
    /// What the figures assume rather than know, in words.
    public var assumptions: [String] = []
    /// Warnings that do not exclude the plan (e.g. the overdraft's all-in rate above the usury ceiling).
    public var warnings: [String] = []
    public var verdict: Verdict = .admissible(extra: nil)
    /// With several bank accounts (§17): each account's name and summary over the window (its own bank charges, lowest
    /// balance, days over its own limit), in the scenario's order; empty otherwise.
    public var accounts: [(name: String, summary: ProjectionSummary)] = []

    /// The summary over the comparison window.
    public var summary: ProjectionSummary { window.summary }
    /// Overdraft interest, commission and penalty over the window.
    public var bankCharges: Money { window.summary.bankCharges }
    /// THE cost of a plan, excluding recoverable VAT: financing charges + bank charges + penalties + credit losses
    /// + price increases + discounts given up, over the window.
    public var totalCost: Money { financing.total + bankCharges }
    /// Of which operating charges (reduce EBE): factoring commissions and fees of the operating class, price increases.
    public var operatingCost: Money { financing.operating + financing.priceIncrease + window.summary.commitmentFees }
    /// Of which financial charges (below EBE): interest, fees, bank charges, penalties, discounts given up.
    public var financialCost: Money {
        financing.financial + financing.penalties + financing.lostDiscounts + bankCharges - window.summary.commitmentFees
    }
    /// Of which unrecovered losses on defaulted receivables (excl. VAT, net of insurance).
    public var creditLosses: Money { financing.creditLosses }
    /// The balance at the end of the window: the common closing position every plan is compared at.
    public var closingPosition: Money { window.summary.finalBalance }
    /// Within the overdraft limit over the window, within the law, and wholly measured: a candidate for ★.
    public var isAdmissible: Bool {
        window.summary.daysOverLimit == 0 && legalBreaches == 0 && flowsBeyondWindow == 0 && capBreaches.isEmpty
    }

    /// Σ(amount financed × days) including the overdraft's daily debits.
    public var financedAmountDays: Int128 {
        financing.financedAmountDays + Int128(window.overdraftCharges.reduce(Int64(0)) { $0 + $1.debitDays })
            + Int128(window.summary.creditLineDrawnDays)
    }
    /// The effective annual rate as a percentage with `decimals` decimals, rounded once from the exact
    /// ratio cost × 365 / Σ(amount × days) (not from the already-rounded `effectiveAnnualRate`).
    public func effectiveAnnualRatePercent(decimals: Int) -> String? {
        let denom = financedAmountDays
        guard denom > 0 else { return nil }
        var scale: Int128 = 100
        for _ in 0..<decimals { scale *= 10 }
        let v = divideRoundingHalfAwayFromZero(Int128(totalCost.cents) * Int128(DayCount.calendarYear) * scale, denom)
        let neg = v < 0
        let m = v.magnitude
        let p = UInt128(scale / 100)
        let whole = String(m / p)
        var frac = String(m % p)
        while frac.count < decimals { frac = "0" + frac }
        return (neg ? "-" : "") + whole + (decimals > 0 ? "." + frac : "")
    }

    /// cost × 365 / Σ(financed amount × days financed); nil when nothing is financed.
    public var effectiveAnnualRate: Rate? {
        let denom = financedAmountDays
        guard denom > 0 else { return nil }
        return Rate(nanos: Int64(clamping: divideRoundingHalfAwayFromZero(Int128(totalCost.cents) * Int128(DayCount.calendarYear) * Int128(Rate.scale), denom)))
    }

    /// The overdraft's all-in annual rate over the window: bank charges × 365 / Σ daily debits (nil without a debit).
    public var overdraftAllInRate: Rate? {
        let debitDays = window.overdraftCharges.reduce(Int64(0)) { $0 + $1.debitDays }
        guard debitDays > 0 else { return nil }
        let charges = window.summary.overdraftCharges
        return Rate(nanos: Int64(clamping: divideRoundingHalfAwayFromZero(Int128(charges.cents) * Int128(DayCount.calendarYear) * Int128(Rate.scale), Int128(debitDays))))
    }
}

/// Plans side by side, on equal terms: the same window, the same what-if events, the law. Always includes
/// "overdraft only" and "negotiate terms". See docs/calculations.md §11.
public struct PlanComparison: Sendable {
    public var results: [PlanResult]
    /// ★: the cheapest plan with no day over the overdraft limit in the window and no legal breach (nil if none).
    public var bestIndex: Int?
    /// The last day of the horizon, and of the comparison window (≥ the horizon's end: every moved flow settles by it).
    public var horizonEnd: Day
    public var windowEnd: Day
    /// What every plan assumes (the scenario's what-if events).
    public var assumptions: [String] = []

    public static let overdraftOnly = "overdraft only"
    public static let negotiateTerms = "negotiate terms"

    /// The two reference plans every comparison starts with.
    public static func referencePlans() -> [Plan] {
        [Plan(name: overdraftOnly),
         Plan(name: negotiateTerms, rules: [PlanRule(kind: .payable, selector: .all, decision: .negotiate)])]
    }

    /// Whether a plan name is one of the built-in reference plans.
    public static func isBuiltin(_ name: String) -> Bool { name == overdraftOnly || name == negotiateTerms }

    /// The reference plans followed by the user's plans; a user plan named like a built-in one is dropped
    /// (built-in plans win), and so is a second plan of the same name.
    public static func plansToCompare(_ plans: [Plan]) -> [Plan] {
        var out = referencePlans()
        var seen = Set(out.map(\.name))
        for p in plans where !seen.contains(p.name) {
            seen.insert(p.name)
            out.append(p)
        }
        return out
    }

    /// A plan by name: a built-in one first (built-in plans win), else the user's; nil when unknown.
    public static func plan(named name: String, in plans: [Plan]) -> Plan? {
        plansToCompare(plans).first { $0.name == name }
    }

    public init(engine: ForecastEngine, plans: [Plan]) {
        self.init(states: PlanComparison.plansToCompare(plans).map { PlanState(engine: engine, plan: $0) })
    }

    /// Compares plan states already built (the UI keeps them live). Every plan is projected through the same
    /// window end: the latest day any plan's decisions move cash to, at least the horizon's end.
    public init(states: [PlanState]) {
        guard let engine = states.first?.engine else {
            results = []; bestIndex = nil; horizonEnd = Day(raw: 0); windowEnd = Day(raw: 0)
            return
        }
        let s = engine.scenario
        horizonEnd = s.end
        let windowEnd = states.reduce(s.end) { max($0, $1.latestMovementDay) }
        self.windowEnd = windowEnd
        results = states.map { st in
            let (horizon, window) = st.projections(through: windowEnd)
            var r = PlanResult(name: st.name, projection: horizon, window: window, financing: st.financingCost,
                               decisionsApplied: st.decisions.count, refusals: st.refusals, legalBreaches: st.legalBreaches)
            r.assumptions = PlanComparison.assumptions(of: st) + PlanComparison.creditAssumptions(of: st, window: window)
            r.flowsBeyondWindow = st.flowsBeyondWindowLimit
            r.capBreaches = st.capBreaches
            if s.accounts.accounts.count > 1 {
                r.accounts = zip(s.accounts.accounts, st.accountProjections(through: windowEnd).accounts).map { ($0.name, $1.summary) }
            }
            for b in r.capBreaches { r.warnings.append("financing limit exceeded: " + b.text()) }
            if st.flowsBeyondWindowLimit > 0 {
                r.warnings.append("\(st.flowsBeyondWindowLimit) decision\(st.flowsBeyondWindowLimit == 1 ? "" : "s") move cash after \(engine.windowLimit.iso), "
                                  + "beyond the longest window (\(ForecastEngine.windowSlackDays) days past the horizon): not measured, so never ★")
            }
            if let usury = s.overdraft.usuryRate, let all = r.overdraftAllInRate, all > usury {
                r.warnings.append("the overdraft's all-in rate \(all.percentString(decimals: 2)) % exceeds the usury ceiling \(usury.percentString) %")
            }
            return r
        }
        if !engine.defaultedRefs.isEmpty {
            let ids = engine.defaultedRefs.sorted().map { s.receivables[$0.index].id }
            assumptions.append("what-if: \(ids.count) receivable\(ids.count == 1 ? "" : "s") defaulted in every plan ("
                               + ids.prefix(5).joined(separator: ", ") + (ids.count > 5 ? ", …" : "") + ")")
        }
        assumptions += PlanComparison.forecastAssumptions(engine)
        bestIndex = PlanComparison.best(results)
        for i in results.indices {
            let r = results[i]
            if bestIndex == i {
                results[i].verdict = .best
            } else if r.isAdmissible {
                results[i].verdict = .admissible(extra: bestIndex.map { r.totalCost - results[$0].totalCost })
            } else {
                results[i].verdict = .excluded(daysOverLimit: r.window.summary.daysOverLimit, legalBreaches: r.legalBreaches,
                                               flowsBeyondWindow: r.flowsBeyondWindow, capBreaches: r.capBreaches.count)
            }
        }
    }

    /// Days the window runs past the horizon so that every moved flow settles.
    public var daysPastHorizon: Int { windowEnd - horizonEnd }

    static func assumptions(of st: PlanState) -> [String] {
        var out: [String] = []
        if !st.assumedSuppliers.isEmpty {
            let n = st.assumedSuppliers.count
            out.append("assumes \(n) supplier\(n == 1 ? "" : "s") accept\(n == 1 ? "s" : "") the negotiated term (not confirmed)")
        }
        if st.derivedVATCount > 0 {
            let rate = st.engine.scenario.defaultVATRate.percentString
            let n = st.derivedVATCount
            out.append("assumes VAT at \(rate) % on \(n) invoice\(n == 1 ? "" : "s") that do\(n == 1 ? "es" : "") not give it (default_vat_rate)")
        }
        if !st.engine.scenario.forecasts.isEmpty {
            var n = 0, total = Money.zero
            for (ref, d) in st.decisions where ref.kind == .receivable && d != .none {
                let inv = st.engine.scenario.receivables[ref.index]
                if inv.isForecast { n += 1; total += inv.amount }
            }
            if n > 0 {
                out.append("finances \(n) forecast receivable\(n == 1 ? "" : "s") (\(total.formatted()) incl. VAT, not yet invoiced): assumes "
                           + "\(n == 1 ? "it is" : "they are") issued as forecast, on the forecast's terms")
            }
        }
        return out
    }

    /// What a plan's short-term credit assumes: LCRs accepted and honoured, a credit line still drawn when the window ends.
    static func creditAssumptions(of st: PlanState, window: Projection) -> [String] {
        var out: [String] = []
        if st.acceptedBillCount > 0 {
            let n = st.acceptedBillCount
            out.append("assumes \(n) customer\(n == 1 ? "" : "s") accept\(n == 1 ? "s" : "") an LCR paid at maturity (escompte)")
        }
        var drawn: [String: Int64] = [:]
        for m in window.creditLineMovements where m.detail == .creditLineDrawing || m.detail == .creditLineRepayment {
            drawn[m.reference, default: 0] += m.amount.cents
        }
        for (line, amount) in drawn.sorted(by: { $0.key < $1.key }) where amount > 0 {
            out.append("credit line \(line) still drawn \(Money(cents: amount).formatted()) at the window's end (interest counted to that day)")
        }
        return out
    }

    static func best(_ results: [PlanResult]) -> Int? {
        var best: Int? = nil
        for (i, r) in results.enumerated() where r.isAdmissible {
            if let b = best, results[b].totalCost <= r.totalCost { continue }
            best = i
        }
        return best
    }
}

extension PlanComparison {
    /// What every plan assumes about forecast lines and computed VAT (said next to the verdict, never hidden).
    static func forecastAssumptions(_ engine: ForecastEngine) -> [String] {
        let s = engine.scenario
        var out: [String] = []
        if !s.forecasts.isEmpty {
            let sales = s.forecastTotal(.receivable), purchases = s.forecastTotal(.payable)
            var parts: [String] = []
            if sales.count > 0 { parts.append("forecast sales of \(sales.amount.formatted()) (\(sales.count) period\(sales.count == 1 ? "" : "s"))") }
            if purchases.count > 0 { parts.append("forecast purchases of \(purchases.amount.formatted()) (\(purchases.count) period\(purchases.count == 1 ? "" : "s"))") }
            if !parts.isEmpty {
                out.append("assumes " + parts.joined(separator: " and ") + " materialise, incl. VAT, beyond what is already invoiced")
            }
        }
        if let v = engine.vat {
            var t = "VAT returns computed (\(v.settings.formName) \(v.settings.regime.rawValue), \(v.settings.basis == .receipts ? "on receipts" : "on invoices"), "
                + "paid on day \(v.settings.day))"
            if v.derivedCount > 0 {
                t += "; assumes VAT at \(s.defaultVATRate.percentString) % on \(v.derivedCount) invoice\(v.derivedCount == 1 ? "" : "s") that give none"
            }
            out.append(t)
        }
        return out
    }
}
