import CbcMILP
import TresoIO
import Testing
import TestSupport
@testable import TresoCore
@testable import TresoOptimize

/// A small random scenario whose every plan can be enumerated: 2–4 receivables, 2–4 payables, the five
/// kinds of instrument, an overdraft that is sometimes too small for any plan.
/// With `caps`, the factoring contract and the reverse-factoring program carry per-counterparty and programme caps
/// around one to two invoices' worth, so that they bind.
func smallScenario(seed: UInt64, caps: Bool = false) -> Scenario {
    var rng = SeededRandom(seed: seed)
    let start = Day.ymd(2026, 11, 1) + Int.random(in: 0...60, using: &rng)
    let horizon = Int.random(in: 45...120, using: &rng)
    func invoice(_ p: String, _ i: Int, party: Int) -> Invoice {
        let issue = start + Int.random(in: -50...40, using: &rng)
        var inv = Invoice(id: "\(p)\(i)", counterparty: "\(p == "R" ? "Customer" : "Supplier") \(party)", issueDate: issue,
                          dueDate: issue + [30, 45, 60].randomElement(using: &rng)!,
                          amount: Money(cents: Int64.random(in: 200_000...4_000_000, using: &rng)), line: Int32(i + 2))
        if p == "P", Int.random(in: 0..<3, using: &rng) == 0 { inv.discount = EarlyPaymentDiscount(rate: Rate(percentHundredths: 200), days: 10) }
        return inv
    }
    let receivables = (0..<Int.random(in: 2...4, using: &rng)).map { invoice("R", $0, party: Int.random(in: 0..<3, using: &rng)) }
    let payables = (0..<Int.random(in: 2...4, using: &rng)).map { invoice("P", $0, party: Int.random(in: 0..<3, using: &rng)) }
    var s = Scenario(name: "small \(seed)", start: start, horizonDays: horizon,
                     openingBalance: Money(cents: Int64.random(in: -2_000_000...3_000_000, using: &rng)),
                     minCash: Money(cents: Int64.random(in: 0...1_000_000, using: &rng)),
                     calendar: [.fr, .none].randomElement(using: &rng)!, receivables: receivables, payables: payables,
                     customerDelayDays: Int.random(in: 0...25, using: &rng),
                     overdraft: OverdraftTerms(limit: Money(cents: Int64.random(in: 0...4_000_000, using: &rng)),
                                               annualRate: Rate(percentHundredths: Int64.random(in: 0...1500, using: &rng)),
                                               highestOverdraftRate: Rate(percentHundredths: Int64.random(in: 0...10, using: &rng))),
                     recurring: [RecurringFlow(label: "Payroll", amount: Money(cents: -Int64.random(in: 500_000...3_000_000, using: &rng)),
                                               every: .month, day: 28)])
    var bank = FactoringContract(name: "bank")
    bank.commissionRate = Rate(percentHundredths: 60)
    bank.annualRate = Rate(percentHundredths: 420)
    if Bool.random(using: &rng) { bank.annualMinimumFee = Money(cents: Int64.random(in: 0...300_000, using: &rng)) }
    var spot = FactoringContract(name: "spot")
    spot.kind = .spot
    spot.commissionRate = Rate(percentHundredths: 250)
    spot.minimumCommission = Money(cents: 15_000)
    spot.maximumInvoice = Money(cents: 3_000_000)
    var scf = ReverseFactoringProgram(name: "scf")
    scf.annualRate = Rate(percentHundredths: 390)
    scf.capturesDiscounts = Bool.random(using: &rng)
    var platform = SupplierFinancingProgram(name: "platform")
    platform.monthlyRate = Rate(percentHundredths: 110)
    var bnpl = SplitPaymentProgram(name: "bnpl")
    bnpl.feeRate = Rate(percentHundredths: 290)
    // Only some instruments each time, so that the enumeration stays within 12 candidate decisions.
    s.instruments.factoring = [bank, spot].filter { _ in Bool.random(using: &rng) }
    s.instruments.reverseFactoring = Bool.random(using: &rng) ? [scf] : []
    s.instruments.supplierFinancing = Bool.random(using: &rng) ? [platform] : []
    s.instruments.splitPayment = Bool.random(using: &rng) ? [bnpl] : []
    if caps {
        // Between the largest invoice (no invoice is refused alone) and all of them (the cap can bind).
        func cap(_ list: [Invoice]) -> Money? {
            let amounts = list.map(\.amount.cents)
            guard let top = amounts.max(), Int.random(in: 0..<4, using: &rng) > 0 else { return nil }
            return Money(cents: Int64.random(in: top...max(top, amounts.reduce(0, +) - 1), using: &rng))
        }
        for i in s.instruments.factoring.indices {
            s.instruments.factoring[i].maxPerCustomer = cap(receivables); s.instruments.factoring[i].programmeLimit = cap(receivables)
        }
        for i in s.instruments.reverseFactoring.indices {
            s.instruments.reverseFactoring[i].maxPerSupplier = cap(payables); s.instruments.reverseFactoring[i].programmeLimit = cap(payables)
        }
    }
    return s
}

/// Every plan the optimizer may choose from, through the engine: the cheapest within the floor, and the
/// smallest excess over it of any plan (with the cheapest plan at that excess).
struct Enumeration {
    var plans = 0
    var cheapestFeasible: Money?
    var smallestExcess: Int64 = .max
    var cheapestAtSmallestExcess: Money?
    /// The cheapest plan within the floor and the law if the instruments' caps did not exist.
    var cheapestIgnoringCaps: Money?

    init(engine: ForecastEngine, keep: OptimizeRequest.Keep) {
        var choices: [(InvoiceRef, [Decision])] = []
        for kind in InvoiceKind.allCases {
            for i in engine.scenario.invoices(kind).indices {
                let ref = InvoiceRef(kind, i)
                let ok = engine.options(for: ref).filter { $0.refusal == nil && $0.decision != .none }.map(\.decision)
                    .filter { d in if case .success(let e?) = engine.effect(of: d, on: ref) { return !e.legalBreach }; return false }
                if !ok.isEmpty { choices.append((ref, [.none] + ok)) }
            }
        }
        let floor = keep == .limit ? -engine.scenario.overdraft.limit.cents : engine.scenario.minCash.cents
        var digits = [Int](repeating: 0, count: choices.count)
        var state = PlanState(engine: engine, name: "enumerated")
        while true {
            plans += 1
            let r = asCompared(state)
            let excess = r.window.days.map { floor - $0.closing.cents }.max() ?? 0
            let cost = r.totalCost
            if excess <= 0, r.legalBreaches == 0, cheapestIgnoringCaps.map({ cost < $0 }) ?? true { cheapestIgnoringCaps = cost }
            // A plan over an instrument's cap is not one the optimizer may return, even to say by how much the floor is missed.
            if r.capBreaches.isEmpty {
                if excess <= 0, r.legalBreaches == 0, cheapestFeasible.map({ cost < $0 }) ?? true { cheapestFeasible = cost }
                let e = max(excess, 0)
                if e < smallestExcess { smallestExcess = e; cheapestAtSmallestExcess = cost }
                else if e == smallestExcess, cost < cheapestAtSmallestExcess! { cheapestAtSmallestExcess = cost }
            }
            // Next combination (mixed radix), changing only the digits that move.
            var k = 0
            while k < digits.count {
                digits[k] += 1
                if digits[k] < choices[k].1.count { state.set(choices[k].1[digits[k]], for: choices[k].0); break }
                digits[k] = 0
                state.set(.none, for: choices[k].0)
                k += 1
            }
            if k == digits.count { break }
        }
    }
}

/// A plan as `treso compare --plan NAME` measures it: beside the two reference plans, on their common window.
func asCompared(_ state: PlanState) -> PlanResult {
    let refs = PlanComparison.referencePlans().map { PlanState(engine: state.engine, plan: $0) }
    return PlanComparison(states: refs + [state]).results[refs.count]
}

@Suite struct OptimizerTests {
    let solver = CbcSolver()

    /// Exhaustive enumeration through the engine finds no plan cheaper than `optimize`, to the cent, and
    /// agrees when no plan keeps the floor (smallest extra limit and the cheapest plan under it).
    @Test(arguments: [OptimizeRequest.Keep.limit, .buffer])
    func noEnumeratedPlanIsCheaper(keep: OptimizeRequest.Keep) throws {
        var checked = 0, infeasible = 0
        for seed in UInt64(1)...14 {
            var s = smallScenario(seed: seed &* 7919 &+ (keep == .limit ? 0 : 100_000))
            // Above the buffer is harder to reach than within the limit: more cash, so both answers occur.
            if keep == .buffer { s.openingBalance += Money(cents: Int64(seed % 3) * 6_000_000) }
            let engine = ForecastEngine(scenario: s)
            let all = Enumeration(engine: engine, keep: keep)
            if all.plans > 4096 { continue }   // more than 12 candidate decisions' worth: keep the test fast
            checked += 1
            var request = OptimizeRequest()
            request.keep = keep
            let o = try PlanOptimizer(engine: engine, solver: solver).optimize(request)
            // The cost reported is the engine's for the plan returned.
            #expect(o.totalCost == asCompared(o.state).totalCost)
            #expect(o.lowerBound <= o.totalCost)
            if let best = all.cheapestFeasible {
                #expect(o.status == .optimal, "seed \(seed)")
                #expect(o.totalCost == best, "seed \(seed): optimize \(o.totalCost) vs enumeration \(best)")
                #expect(o.result.legalBreaches == 0)
            } else {
                infeasible += 1
                #expect(o.status == .infeasible, "seed \(seed)")
                #expect(o.shortfall?.cents == all.smallestExcess, "seed \(seed)")
                #expect(o.totalCost == all.cheapestAtSmallestExcess, "seed \(seed)")
            }
        }
        #expect(checked >= 10)
        #expect(infeasible >= 1 && infeasible < checked, "the generator should give both cases")
    }

    /// With per-customer/supplier and programme caps: no enumerated plan within the caps is cheaper, the plan
    /// returned exceeds no cap, and lifting the caps never makes the optimum dearer.
    @Test func noEnumeratedPlanWithinTheCapsIsCheaper() throws {
        var checked = 0, binding = 0
        for seed in UInt64(1)...12 {
            let s = smallScenario(seed: seed &* 104_729, caps: true)
            let engine = ForecastEngine(scenario: s)
            let all = Enumeration(engine: engine, keep: .limit)
            if all.plans > 4096 { continue }
            checked += 1
            let o = try PlanOptimizer(engine: engine, solver: solver).optimize(OptimizeRequest())
            #expect(o.totalCost == asCompared(o.state).totalCost)
            #expect(o.result.capBreaches.isEmpty, "seed \(seed): \(o.result.capBreaches.map { $0.text() })")
            if let best = all.cheapestFeasible {
                #expect(o.status == .optimal, "seed \(seed)")
                #expect(o.totalCost == best, "seed \(seed): optimize \(o.totalCost) vs enumeration \(best)")
                if let free = all.cheapestIgnoringCaps, free < best { binding += 1 }
            } else {
                #expect(o.status == .infeasible, "seed \(seed)")
                #expect(o.shortfall?.cents == all.smallestExcess, "seed \(seed)")
                #expect(o.totalCost == all.cheapestAtSmallestExcess, "seed \(seed)")
            }
            var lifted = s
            for i in lifted.instruments.factoring.indices { lifted.instruments.factoring[i].maxPerCustomer = nil; lifted.instruments.factoring[i].programmeLimit = nil }
            for i in lifted.instruments.reverseFactoring.indices {
                lifted.instruments.reverseFactoring[i].maxPerSupplier = nil; lifted.instruments.reverseFactoring[i].programmeLimit = nil
            }
            let free = try PlanOptimizer(engine: ForecastEngine(scenario: lifted), solver: solver).optimize(OptimizeRequest())
            if o.status != .infeasible { #expect(free.status != .infeasible && free.totalCost <= o.totalCost, "seed \(seed)") }
        }
        #expect(checked >= 10)
        #expect(binding >= 1, "the caps should bind in some scenario")
    }

    /// Adding an instrument or raising the limit never makes the optimum dearer.
    @Test func moreRoomNeverCostsMore() throws {
        for seed in UInt64(200)...207 {
            let s = smallScenario(seed: seed)
            let engine = ForecastEngine(scenario: s)
            let optimizer = PlanOptimizer(engine: engine, solver: solver)
            let full = try optimizer.optimize(OptimizeRequest())
            let names = PlanOptimizer.instrumentNames(s)
            var fewer = OptimizeRequest()
            fewer.instruments = Set(names.dropFirst())
            let restricted = try optimizer.optimize(fewer)
            if restricted.status != .infeasible {
                #expect(full.status != .infeasible)
                #expect(full.totalCost <= restricted.totalCost, "seed \(seed)")
            }
            var t = s.terms
            t.overdraft.limit += Money(cents: 1_000_000)
            let raised = try PlanOptimizer(engine: engine.withTerms(t), solver: solver).optimize(OptimizeRequest())
            if full.status != .infeasible {
                #expect(raised.status != .infeasible)
                #expect(raised.totalCost <= full.totalCost, "seed \(seed)")
            }
        }
    }
}

@Suite struct OptimizerOnExamplesTests {
    /// The optimum is never dearer than any stored plan that keeps the limit and the law, on every example.
    @Test func neverDearerThanAStoredPlan() throws {
        let root = packageRoot()
        let demo = try #require(ScenarioLoader.load(path: root + "/examples/demo", defaultStart: Day.ymd(2026, 12, 1)).scenario)
        try check(demo, "demo")
        for name in ["1-reverse-factoring", "2-factoring-advance", "3-whole-ledger", "4-customer-default", "5-ecommerce-suppliers",
                     "6-construction-advance", "7-split-payment", "8-negotiation"] {
            let loaded = ScenarioLoader.load(path: root + "/examples/cases/" + name, defaultStart: Day.ymd(2026, 12, 1))
            let s = try #require(loaded.scenario, "\(name) loads")
            try check(s, name)
        }
    }

    /// --fix-plan keeps every decision of the stored plan, and can only cost as much or more than a free choice.
    @Test func fixedPlanDecisionsAreKept() throws {
        let s = try #require(ScenarioLoader.load(path: packageRoot() + "/examples/demo", defaultStart: Day.ymd(2026, 12, 1)).scenario)
        let engine = ForecastEngine(scenario: s)
        let optimizer = PlanOptimizer(engine: engine, solver: CbcSolver())
        let free = try optimizer.optimize(OptimizeRequest())
        for plan in s.plans {
            var request = OptimizeRequest()
            request.fixPlan = plan
            let o = try optimizer.optimize(request)
            let fixed = PlanState(engine: engine, plan: plan)
            for (ref, d) in fixed.decisions { #expect(o.state.decision(for: ref) == d, "\(plan.name) keeps its decisions") }
            #expect(o.chosen.allSatisfy { fixed.decisions[$0.ref] == nil })
            if o.status != .infeasible { #expect(o.totalCost >= free.totalCost) }
            #expect(o.totalCost == asCompared(o.state).totalCost)
        }
    }

    func check(_ s: Scenario, _ label: String) throws {
        let engine = ForecastEngine(scenario: s)
        let o = try PlanOptimizer(engine: engine, solver: CbcSolver()).optimize(OptimizeRequest())
        let c = PlanComparison(engine: engine, plans: s.plans)
        for r in c.results where r.projection.summary.daysOverLimit == 0 && r.legalBreaches == 0 {
            #expect(o.status != .infeasible, "\(label): \(r.name) keeps the limit")
            #expect(o.totalCost <= r.totalCost, "\(label): optimum \(o.totalCost) dearer than \(r.name) \(r.totalCost)")
        }
    }
}

/// Worked case 11 (docs/calculations.md § 5): a factoring contract's per-customer and programme caps.
@Suite struct FinancingCapTests {
    func case11() throws -> Scenario {
        try #require(ScenarioLoader.load(path: packageRoot() + "/examples/cases/11-financing-caps", defaultStart: Day.ymd(2026, 12, 1)).scenario)
    }

    @Test func aPlanOverACapIsExcludedAndNamed() throws {
        let s = try case11()
        #expect(s.instruments.factoringContract("bank")?.maxPerCustomer == Money(cents: 4_000_000))
        #expect(s.instruments.factoringContract("bank")?.programmeLimit == Money(cents: 6_000_000))
        let c = PlanComparison(engine: ForecastEngine(scenario: s), plans: s.plans)
        let all = try #require(c.results.first { $0.name == "factor everything" })
        #expect(all.capBreaches.map(\.financed) == [Money(cents: 8_500_000), Money(cents: 6_000_000)])
        #expect(all.capBreaches.map { $0.cap.counterparty } == [nil, "Client A"])
        #expect(all.verdict == .excluded(daysOverLimit: 0, legalBreaches: 0, flowsBeyondWindow: 0, capBreaches: 2))
        #expect(all.warnings.contains("financing limit exceeded: contract \"bank\": 60 000.00 financed for \"Client A\", over its per-customer limit of 40 000.00"))
        let two = try #require(c.results.first { $0.name == "factor A-1 and B-1" })
        #expect(two.capBreaches.isEmpty && two.verdict == .best)
    }

    @Test func anInvoiceAloneAboveACapIsRefused() throws {
        var s = try case11()
        s.instruments.factoring[0].maxPerCustomer = Money(cents: 2_800_000)
        let engine = ForecastEngine(scenario: s)
        guard case .failure(let r) = engine.effect(of: .factor("bank"), on: InvoiceRef(.receivable, 0)) else {
            Issue.record("30 000.00 factored under a 28 000.00 per-customer cap"); return
        }
        #expect(r.reason == "A-1: 30 000.00 alone exceeds the 28 000.00 per-customer limit of contract \"bank\"")
    }

    @Test func theOptimizerStaysWithinTheCaps() throws {
        let s = try case11()
        let o = try PlanOptimizer(engine: ForecastEngine(scenario: s), solver: CbcSolver()).optimize(OptimizeRequest())
        #expect(o.status == .optimal && o.result.capBreaches.isEmpty)
        #expect(Set(o.chosen.filter { $0.decision == .factor("bank") }.map { s.receivables[$0.ref.index].id }) == ["A-1", "B-1"])
        #expect(o.totalCost == Money(cents: 63_484))
    }
}
