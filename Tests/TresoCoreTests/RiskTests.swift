import Testing
import TestSupport
@testable import TresoCore

@Suite struct RiskTests {
    let start = Day.ymd(2026, 12, 1)

    /// Each customer's delay set to one value: `shift` days after the scenario's expected delay.
    func pinned(_ s: Scenario, shift: Int) -> Scenario {
        var s = s
        var r = RiskSettings()
        for inv in s.receivables {
            let d = s.customerDelays[inv.counterparty] ?? s.customerDelayDays
            r.customers[inv.counterparty] = CustomerRisk(delays: [d + shift])
        }
        s.risk = r
        return s
    }

    func plans(_ s: Scenario, _ engine: ForecastEngine, seed: UInt64) -> [PlanState] {
        var p = PlanState(engine: engine, name: "random")
        for (ref, d) in RandomScenario.decisions(for: s, seed: seed) { _ = p.set(d, for: ref) }
        return [PlanState(engine: engine), p]
    }

    /// Single-value delays and no default: every quantile of every day is the deterministic closing to the cent,
    /// P(over limit) is 0 or 1 as the projection says, and every path's cost is the deterministic one.
    /// With the delays shifted by a week, the same holds against the engine built with the shifted delays:
    /// the simulation's re-settled effects (factoring interest, reserves, defaults) are the engine's own.
    @Test(arguments: [0, 7, -3])
    func degenerateDistributionsGiveTheDeterministicProjection(shift: Int) {
        for seed in UInt64(1)...6 {
            var s = RandomScenario.withVerdictRules(seed: seed, horizonDays: 150)
            s.overdraft.limit = Money(cents: 2_000_000)
            let pinnedScenario = pinned(s, shift: shift)
            let report = RiskSimulation.run(states: plans(s, ForecastEngine(scenario: s), seed: seed),
                                            model: DelayModel(scenario: pinnedScenario), paths: 7, seed: seed)
            // The deterministic truth: the engine with every customer's expected delay moved by `shift`.
            var shifted = s
            shifted.customerDelayDays += shift
            for inv in s.receivables { shifted.customerDelays[inv.counterparty] = (s.customerDelays[inv.counterparty] ?? s.customerDelayDays) + shift }
            let truth = plans(shifted, ForecastEngine(scenario: shifted), seed: seed)
            for (r, st) in zip(report.plans, truth) {
                let p = st.project()
                for (q, d) in zip(r.days, p.days) {
                    #expect(q.p5 == d.closing && q.p50 == d.closing && q.p95 == d.closing, "seed \(seed) \(r.name) \(d.day.iso)")
                }
                #expect(r.overLimitPaths == (p.summary.daysOverLimit > 0 ? 7 : 0))
                #expect(r.belowBufferPaths == (p.summary.daysBelowBuffer > 0 ? 7 : 0))
                #expect(r.lowestBalanceP5 == p.summary.lowestBalance)
                let cost = st.financingCost.total + st.project(through: report.windowEnd).summary.bankCharges
                #expect(r.expectedCost == cost && r.costP95 == cost, "seed \(seed) \(r.name)")
            }
        }
    }

    /// With several bank accounts (§17) the paths route their flows like the projection (same router, same accounts'
    /// run, sweeps included): with single-value delays every quantile is the deterministic consolidated closing and a
    /// breach on any account's own limit counts.
    @Test(arguments: [0, 7])
    func pathsRouteTheirFlowsToTheAccounts(shift: Int) {
        for seed in UInt64(11)...14 {
            var s = RandomScenario.withVerdictRules(seed: seed, horizonDays: 150)
            var a = BankAccount(name: "main"); a.isDefault = true; a.openingBalance = s.openingBalance
            a.overdraft = OverdraftTerms(limit: Money(cents: 1_000_000), annualRate: Rate(percent: "8")!)
            var b = BankAccount(name: "second"); b.counterparties = s.receivables.prefix(4).map(\.counterparty)
            b.overdraft = OverdraftTerms(limit: Money(cents: 500_000), annualRate: Rate(percent: "12")!)
            var c = BankAccount(name: "factor"); c.instruments = s.instruments.factoring.map(\.name)
            s.accounts.accounts = [a, b, c]
            s.accounts.sweep = seed % 2 == 0
            let pinnedScenario = pinned(s, shift: shift)
            let report = RiskSimulation.run(states: plans(s, ForecastEngine(scenario: s), seed: seed),
                                            model: DelayModel(scenario: pinnedScenario), paths: 5, seed: seed)
            var shifted = s
            shifted.customerDelayDays += shift
            for inv in s.receivables { shifted.customerDelays[inv.counterparty] = (s.customerDelays[inv.counterparty] ?? s.customerDelayDays) + shift }
            let truth = plans(shifted, ForecastEngine(scenario: shifted), seed: seed)
            for (r, st) in zip(report.plans, truth) {
                let p = st.project()
                for (q, d) in zip(r.days, p.days) {
                    #expect(q.p5 == d.closing && q.p95 == d.closing, "seed \(seed) \(r.name) \(d.day.iso)")
                }
                #expect(r.overLimitPaths == (p.summary.daysOverLimit > 0 ? 5 : 0), "seed \(seed) \(r.name)")
                let cost = st.financingCost.total + st.project(through: report.windowEnd).summary.bankCharges
                #expect(r.expectedCost == cost, "seed \(seed) \(r.name)")
            }
        }
    }

    /// The second account pays a supplier beyond its own limit while the main account holds the cash: every path
    /// breaches, though the summed balance (what `treso risk` looked at before) never goes below zero.
    @Test func aBreachOnAnyAccountCountsInEveryPath() {
        var s = Scenario(start: start, horizonDays: 40, calendar: .none,
                         receivables: [Invoice(id: "R", counterparty: "Acme", issueDate: start, dueDate: start + 5, amount: Money(cents: 1_000_000))],
                         payables: [Invoice(id: "P", counterparty: "Steel", issueDate: start, dueDate: start + 15, amount: Money(cents: 1_000_000))])
        s.risk = RiskSettings(all: CustomerRisk(delays: [0, 20]))
        var a = BankAccount(name: "main"); a.isDefault = true; a.openingBalance = Money(cents: 2_000_000)
        var b = BankAccount(name: "second"); b.counterparties = ["Steel"]; b.overdraft = OverdraftTerms(limit: Money(cents: 500_000))
        s.accounts.accounts = [a, b]
        let e = ForecastEngine(scenario: s)
        let r = RiskSimulation.run(states: [PlanState(engine: e)], model: DelayModel(scenario: s), paths: 200, seed: 1).plans[0]
        #expect(r.overLimitPaths == 200)
        #expect(r.days.allSatisfy { $0.p5.cents >= 1_000_000 })
        s.accounts.sweep = true
        let swept = RiskSimulation.run(states: [PlanState(engine: ForecastEngine(scenario: s))], model: DelayModel(scenario: s), paths: 200, seed: 1).plans[0]
        #expect(swept.overLimitPaths == 0)
    }

    /// One receivable paid 0 or 20 days late with equal odds; a payment on day 15 breaks the limit unless the
    /// receipt came first (delay ≤ 10): P(over limit) = 0.5 within 3 standard errors, whatever the path count.
    func coinFlip(paths: Int, seed: UInt64 = 1) -> RiskReport {
        var s = Scenario(start: start, horizonDays: 40, openingBalance: Money(cents: 100_000), calendar: .none,
                         receivables: [Invoice(id: "R", counterparty: "Acme", issueDate: start, dueDate: start + 5, amount: Money(cents: 1_000_000))],
                         payables: [Invoice(id: "P", counterparty: "Steel", issueDate: start, dueDate: start + 15, amount: Money(cents: 1_000_000))])
        s.overdraft.limit = Money(cents: 500_000)
        s.risk = RiskSettings(all: CustomerRisk(delays: [0, 20]))
        let e = ForecastEngine(scenario: s)
        return RiskSimulation.run(states: [PlanState(engine: e)], model: DelayModel(scenario: s), paths: paths, seed: seed)
    }

    @Test func aCoinFlipDelayBreaksTheLimitHalfTheTime() {
        for n in [400, 4_000] {
            let r = coinFlip(paths: n).plans[0]
            let se = (0.25 / Double(n)).squareRoot()
            #expect(abs(r.pOverLimit - 0.5) <= 3 * se, "\(n) paths: \(r.pOverLimit)")
            // Day 15: 1 000 − 10 000 = −9 000 when unpaid, +1 000 when paid.
            let d15 = r.days[15]
            #expect(d15.p5 == Money(cents: -900_000) && d15.p95 == Money(cents: 100_000))
        }
    }

    @Test func theSameSeedGivesTheSameReport() {
        var s = RandomScenario.withVerdictRules(seed: 3)
        s.risk = RiskSettings(all: CustomerRisk(delays: [0, 10, 25, 60], defaultProbability: Rate(fraction: "0.05")))
        let e = ForecastEngine(scenario: s)
        func run(_ seed: UInt64) -> [String] {
            let r = RiskSimulation.run(states: plans(s, e, seed: 3), model: DelayModel(scenario: s), paths: 50, seed: seed)
            return r.plans.map { p in
                "\(p.name) \(p.overLimitPaths) \(p.belowBufferPaths) \(p.expectedCost) \(p.costP95) \(p.lowestBalanceP5) "
                    + p.days.map { "\($0.p5)/\($0.p50)/\($0.p95)" }.joined(separator: ",")
            }
        }
        #expect(run(42) == run(42))
        // Two halves (run here one after the other) give the same report as one pass.
        let halves = RiskSimulation.run(states: plans(s, e, seed: 3), model: DelayModel(scenario: s), paths: 100, seed: 42,
                                        concurrently: { a, b in b(); a() })
        let whole = RiskSimulation.run(states: plans(s, e, seed: 3), model: DelayModel(scenario: s), paths: 100, seed: 42)
        #expect(halves.plans.map(\.days) == whole.plans.map(\.days))
        #expect(halves.plans.map(\.overLimitPaths) == whole.plans.map(\.overLimitPaths))
        #expect(halves.plans.map(\.expectedCost) == whole.plans.map(\.expectedCost))
        #expect(run(42) != run(43))
        // The generator itself is fixed: SplitMix64's published first output for seed 0.
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
    }

    /// Quantiles settle as paths grow: two seeds disagree less at 4 000 paths than at 40.
    @Test func quantilesConvergeAsPathsGrow() {
        var s = Scenario(start: start, horizonDays: 60, openingBalance: .zero, calendar: .none)
        s.receivables = (0..<30).map { Invoice(id: "R\($0)", counterparty: "C\($0 % 5)", issueDate: start, dueDate: start + $0, amount: Money(cents: Int64(100_000 + 1_000 * $0))) }
        s.risk = RiskSettings(all: CustomerRisk(delays: [0, 3, 7, 15, 30]))
        let e = ForecastEngine(scenario: s)
        func spread(_ n: Int) -> Int64 {
            let a = RiskSimulation.run(states: [PlanState(engine: e)], model: DelayModel(scenario: s), paths: n, seed: 1).plans[0]
            let b = RiskSimulation.run(states: [PlanState(engine: e)], model: DelayModel(scenario: s), paths: n, seed: 2).plans[0]
            var sum: Int64 = 0
            for (x, y) in zip(a.days, b.days) {
                sum += abs(x.p5.cents - y.p5.cents) + abs(x.p50.cents - y.p50.cents) + abs(x.p95.cents - y.p95.cents)
            }
            return sum
        }
        let small = spread(40), large = spread(4_000)
        #expect(large * 3 < small, "spread at 40 paths \(small), at 4 000 \(large)")
    }

    @Test func theDefaultModelIsBuiltFromTheExpectedDelays() {
        var s = Scenario(start: start, horizonDays: 60, calendar: .none, customerDelayDays: 12, customerDelays: ["Acme": 25])
        s.receivables = [Invoice(id: "A", counterparty: "ACME", issueDate: start, dueDate: start + 5, amount: Money(cents: 100)),
                         Invoice(id: "B", counterparty: "Other", issueDate: start, dueDate: start + 5, amount: Money(cents: 100)),
                         Invoice(id: "C", counterparty: "Other", issueDate: start, dueDate: start + 5, amount: Money(cents: 100), expectedDate: start + 9)]
        s.paymentHistory = ["Other": [1, 2, 3]]
        let m = DelayModel(scenario: s)
        #expect(m.distributions[Int(m.receivableDistribution[0])].delays == [20, 25, 30, 45])
        #expect(m.distributions[Int(m.receivableDistribution[1])].delays == [1, 2, 3])
        #expect(m.distributions[Int(m.receivableDistribution[1])].source == .history)
        #expect(m.receivableDistribution[2] == -1)
    }

    @Test func quantilesAreNearestRank() {
        var v = QuantileSketch()
        for x in Int64(1)...100 { v.insert(101 - x) }
        let q = v.three()
        #expect(q.0 == 5 && q.1 == 50 && q.2 == 95 && v.errorBound == 0)
        var one = QuantileSketch()
        one.insert(7)
        #expect(one.three() == (7, 7, 7))
        #expect(PlanRisk.probabilityText(247, of: 2000) == "0.1235")
        #expect(PlanRisk.probabilityText(2000, of: 2000) == "1.0000")
    }

    /// A global contract with an annual minimum fee: when a drawn date makes factoring one invoice impossible (the
    /// customer pays before the factor would fund), its commission is not charged and the plan's top-up to the
    /// minimum grows — exactly as the engine computes it for the plan without that invoice.
    @Test func minimumFeeTopUpsAreRecomputedPerPath() {
        var c = FactoringContract(name: "bank")
        c.kind = .global
        c.commissionRate = Rate(percent: "1")!
        c.annualMinimumFee = Money(cents: 10_000_000)
        c.annualRate = Rate(percent: "5")!
        func scenario(earlyA: Bool) -> Scenario {
            var s = Scenario(start: start, horizonDays: 60, openingBalance: Money(cents: 500_000), calendar: .none)
            s.receivables = ["A", "B", "C"].enumerated().map {
                Invoice(id: $1, counterparty: $1, issueDate: start, dueDate: start + 10 + $0, amount: Money(cents: 1_000_000))
            }
            s.payables = [Invoice(id: "P", counterparty: "Steel", issueDate: start, dueDate: start + 20, amount: Money(cents: 2_000_000))]
            s.instruments.factoring = [c]
            s.customerDelayDays = 0
            if earlyA { s.customerDelays["A"] = -9 }   // paid on day 1, before the funding on day 2
            return s
        }
        let plan = Plan(name: "all", rules: [PlanRule(kind: .receivable, selector: .all, decision: .factor("bank"))])
        // Single-value delays: A always early.
        var s = scenario(earlyA: false)
        s.risk = RiskSettings(all: CustomerRisk(delays: [0]), customers: ["A": CustomerRisk(delays: [-9])])
        let e = ForecastEngine(scenario: s)
        let report = RiskSimulation.run(states: [PlanState(engine: e, plan: plan)], model: DelayModel(scenario: s), paths: 5, seed: 1)
        let truthScenario = scenario(earlyA: true)
        let truth = PlanState(engine: ForecastEngine(scenario: truthScenario), plan: plan)
        #expect(truth.refusals.count == 1 && truth.minimumFeeTopUps().count == 1)
        let cost = truth.financingCost.total + truth.project(through: report.windowEnd).summary.bankCharges
        let r = report.plans[0]
        #expect(r.expectedCost == cost && r.costP95 == cost)
        for (q, d) in zip(r.days, truth.project().days) {
            #expect(q.p5 == d.closing && q.p95 == d.closing, "\(d.day.iso)")
        }
        // A coin flip for A: on half the paths A is not factored and the top-up grows by its commission.
        s.risk = RiskSettings(all: CustomerRisk(delays: [0]), customers: ["A": CustomerRisk(delays: [0, -9])])
        let base = PlanState(engine: e, plan: plan)
        let baseCost = base.financingCost.total + base.project(through: report.windowEnd).summary.bankCharges
        let flip = RiskSimulation.run(states: [base], model: DelayModel(scenario: s), paths: 400, seed: 1).plans[0]
        // Without A's factoring the plan saves its interest but pays its commission as top-up: a different cost.
        #expect(baseCost != cost)
        #expect(flip.costP95 == max(baseCost, cost), "p95 \(flip.costP95) cost \(cost) base \(baseCost)")
        #expect(flip.expectedCost > min(baseCost, cost) && flip.expectedCost < max(baseCost, cost))
    }

    /// The bounded sketch against exact order statistics: exact with few distinct values (or a narrow range),
    /// within its stated bound otherwise, and the same whatever the order of the values.
    @Test func theQuantileSketchIsWithinItsBoundAndOrderFree() {
        var rng = SplitMix64(seed: 9)
        for trial in 0..<40 {
            let n = 1 + Int(rng.below(5_000))
            let spread: UInt64 = [3, 40, 2_000, 1_000_000, 10_000_000_000][trial % 5]
            let values = (0..<n).map { _ in Int64(rng.below(spread)) - Int64(spread / 2) + (trial % 2 == 0 ? 0 : -7_000_000) }
            var a = QuantileSketch(), b = QuantileSketch()
            for v in values { a.insert(v) }
            for v in values.reversed() { b.insert(v) }
            var c = QuantileSketch()   // in batches, as the simulation counts a block
            values.withUnsafeBufferPointer { all in
                var i = 0
                while i < all.count { let k = min(all.count - i, 1 + i % 700); c.insert(UnsafeBufferPointer(rebasing: all[i..<(i + k)])); i += k }
            }
            #expect(c.three() == a.three() && c.errorBound == a.errorBound && c.count == n)
            let sorted = values.sorted()
            for pct in [1, 5, 50, 95, 99] {
                let k = QuantileSketch.rank(pct, of: n)
                let got = a.values(atRanks: [k])[0]
                #expect(got == b.values(atRanks: [k])[0])
                #expect(abs(got - sorted[k]) <= a.errorBound, "trial \(trial) p\(pct): \(got) vs \(sorted[k]) bound \(a.errorBound)")
                if Set(values).count <= QuantileSketch.exactLimit || spread <= UInt64(QuantileSketch.bucketCount) { #expect(got == sorted[k]) }
            }
            let range = (sorted.last ?? 0) - (sorted.first ?? 0)
            #expect(a.errorBound * Int64(QuantileSketch.bucketCount - 2) <= max(range, 0))
        }
    }
}
