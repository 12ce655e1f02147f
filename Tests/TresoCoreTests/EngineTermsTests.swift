import Testing
import TestSupport
@testable import TresoCore

/// `withTerms` + `rebased` must give exactly what a fresh engine on the edited scenario gives.
@Suite struct EngineTermsTests {
    func sameOutcome(_ a: PlanState, _ b: PlanState) {
        let pa = a.project(), pb = b.project()
        #expect(pa.days.map(\.closing) == pb.days.map(\.closing))
        #expect(pa.summary == pb.summary)
        #expect(a.financingCost == b.financingCost)
        #expect(a.decisions == b.decisions)
        #expect(a.defaulted == b.defaulted)
    }

    @Test(arguments: [UInt64(1), 2, 3, 17, 99])
    func rebasedMatchesFreshEngine(seed: UInt64) {
        let s = RandomScenario.withInstruments(seed: seed)
        let engine = ForecastEngine(scenario: s)
        var plan = PlanState(engine: engine, name: "p")
        for (ref, d) in RandomScenario.decisions(for: s, seed: seed) { plan.set(d, for: ref) }
        if !s.receivables.isEmpty { plan.setDefaulted(true, for: InvoiceRef(.receivable, 0)) }

        var terms = s.terms
        terms.openingBalance += Money(cents: 1_234_567)
        terms.minCash = Money(cents: 500_000)
        terms.overdraft.limit = Money(cents: 7_000_000)
        terms.overdraft.annualRate = Rate(percent: "12.25")!
        if !terms.instruments.factoring.isEmpty { terms.instruments.factoring[0].commissionRate = Rate(percent: "1.75")! }
        terms.instruments.reverseFactoring[0].annualRate = Rate(percent: "5")!

        var edited = s
        edited.terms = terms
        let fresh = ForecastEngine(scenario: edited)
        var expected = PlanState(engine: fresh, name: "p")
        for ref in plan.defaulted.sorted() { expected.setDefaulted(true, for: ref) }
        for (ref, d) in plan.decisions.sorted(by: { $0.key < $1.key }) { expected.set(d, for: ref) }

        let rebased = plan.rebased(on: engine.withTerms(terms))
        sameOutcome(rebased, expected)
        #expect(rebased.refusals.isEmpty)
        #expect(rebased.engine.scenario.openingBalance == terms.openingBalance)
    }

    @Test func movementsOfADayAreUnchangedByTheFilter() {
        let s = RandomScenario.withInstruments(seed: 5)
        let engine = ForecastEngine(scenario: s)
        var plan = PlanState(engine: engine, name: "p")
        for (ref, d) in RandomScenario.decisions(for: s, seed: 5) { plan.set(d, for: ref) }
        let p = plan.project()
        var total = Money.zero
        for d in p.days {
            let moves = plan.movements(on: d.day, projection: p)
            total += moves.reduce(Money.zero) { $0 + $1.amount }
            // Every day's movements add up to the change of balance that day.
            #expect(moves.reduce(Money.zero) { $0 + $1.amount } == d.closing - d.opening)
        }
        #expect(total == p.summary.finalBalance - s.openingBalance)
    }
}
