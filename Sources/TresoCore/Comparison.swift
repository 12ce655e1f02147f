/// One plan's outcome, on the same days as every other plan.
public struct PlanResult: Sendable {
    public var name: String
    public var projection: Projection
    /// Financing charges of the decisions (and minimum-fee top-ups).
    public var financing: FinancingCost
    public var decisionsApplied: Int
    public var refusals: [Refusal]
    public var legalBreaches: Int

    public var bankCharges: Money { projection.summary.bankCharges }
    /// Total cost excluding recoverable VAT = financing charges + bank charges + penalties.
    public var totalCost: Money { financing.total + bankCharges }
    /// Of which operating charges (reduce EBE): factoring commissions and fees.
    public var operatingCost: Money { financing.operating }
    /// Of which financial charges (below EBE): interest, fees, bank charges, penalties.
    public var financialCost: Money { financing.financial + financing.penalties + bankCharges }
    /// Σ(amount financed × days) including the overdraft's daily debits.
    public var financedAmountDays: Int128 {
        financing.financedAmountDays + Int128(projection.overdraftCharges.reduce(Int64(0)) { $0 + $1.debitDays })
    }
    /// The effective annual rate as a percentage with `decimals` decimals, rounded once from the exact
    /// ratio cost × 365 / Σ(amount × days) (not from the already-rounded `effectiveAnnualRate`).
    public func effectiveAnnualRatePercent(decimals: Int) -> String? {
        let denom = financedAmountDays
        guard denom > 0 else { return nil }
        var scale: Int128 = 100
        for _ in 0..<decimals { scale *= 10 }
        let v = divideRoundingHalfAwayFromZero(Int128(totalCost.cents) * 365 * scale, denom)
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
        return Rate(nanos: Int64(clamping: divideRoundingHalfAwayFromZero(Int128(totalCost.cents) * 365 * Int128(Rate.scale), denom)))
    }
}

/// Plans side by side. Always includes "overdraft only" and "negotiate terms".
public struct PlanComparison: Sendable {
    public var results: [PlanResult]
    /// The cheapest plan that never breaches the overdraft limit (nil if every plan does).
    public var bestIndex: Int?

    public static let overdraftOnly = "overdraft only"
    public static let negotiateTerms = "negotiate terms"

    /// The two reference plans every comparison starts with.
    public static func referencePlans() -> [Plan] {
        [Plan(name: overdraftOnly),
         Plan(name: negotiateTerms, rules: [PlanRule(kind: .payable, selector: .all, decision: .negotiate)])]
    }

    public init(engine: ForecastEngine, plans: [Plan]) {
        var states = PlanComparison.referencePlans().map { PlanState(engine: engine, plan: $0) }
        for p in plans where p.name != PlanComparison.overdraftOnly && p.name != PlanComparison.negotiateTerms {
            states.append(PlanState(engine: engine, plan: p))
        }
        self.init(states: states)
    }

    /// Compares plan states already built (the UI keeps them live).
    public init(states: [PlanState]) {
        results = states.map { st in
            PlanResult(name: st.name, projection: st.project(), financing: st.financingCost, decisionsApplied: st.decisions.count,
                       refusals: st.refusals, legalBreaches: st.legalBreaches)
        }
        bestIndex = PlanComparison.best(results)
    }

    static func best(_ results: [PlanResult]) -> Int? {
        var best: Int? = nil
        for (i, r) in results.enumerated() where r.projection.summary.daysOverLimit == 0 {
            if let b = best, results[b].totalCost <= r.totalCost { continue }
            best = i
        }
        return best
    }
}
