import Testing
import TestSupport
@testable import TresoCore

@Suite struct PeriodTests {
    /// The 13-week table never disagrees with the daily projection: each period's rows add up to its closing
    /// minus its opening, periods chain, and the lowest balance is the lowest day's — whatever the plan.
    @Test(arguments: 0..<60) func rowsAddUpToTheChangeInCash(seed: UInt64) {
        let s = RandomScenario.withVerdictRules(seed: seed, horizonDays: 30 + Int(seed % 7) * 20)
        let e = ForecastEngine(scenario: s)
        var plan = PlanState(engine: e)
        for (ref, d) in RandomScenario.decisions(for: s, seed: seed) { plan.set(d, for: ref) }
        let p = plan.project()
        for length in PeriodLength.allCases {
            for byCounterparty in [false, true] {
                let t = plan.periodTable(length, projection: p, byCounterparty: byCounterparty)
                #expect(t.periods.first?.opening == p.days.first?.opening)
                #expect(t.periods.last?.closing == p.days.last?.closing)
                for (i, period) in t.periods.enumerated() {
                    #expect(period.amounts.count == t.categories.count)
                    #expect(period.amounts.reduce(.zero, +) == period.closing - period.opening,
                            "seed \(seed) \(length) period \(period.start.iso)")
                    if i > 0 { #expect(period.opening == t.periods[i - 1].closing) }
                    let days = p.days.filter { $0.day >= period.start && $0.day <= period.end }
                    #expect(period.lowest == days.map(\.closing).min())
                    #expect(length.start(of: period.start) == length.start(of: period.end))
                }
            }
        }
    }

    /// By day, each row is the sum of that day's movements as the daily detail lists them (one engine).
    @Test(arguments: 0..<20) func dayColumnsMatchTheDailyDetail(seed: UInt64) {
        let s = RandomScenario.withVerdictRules(seed: seed, horizonDays: 45)
        let e = ForecastEngine(scenario: s)
        var plan = PlanState(engine: e)
        for (ref, d) in RandomScenario.decisions(for: s, seed: seed) { plan.set(d, for: ref) }
        let p = plan.project()
        let t = plan.periodTable(.day, projection: p)
        let financing = t.categories.firstIndex(of: .financing)
        let charges = t.categories.firstIndex(of: .bankCharges)
        for (i, period) in t.periods.enumerated() {
            let moves = plan.movements(on: period.start, projection: p)
            let fin = moves.filter { $0.category == .financing }.reduce(Money.zero) { $0 + $1.amount }
            let chg = moves.filter { $0.category == .charge }.reduce(Money.zero) { $0 + $1.amount }
            #expect((financing.map { period.amounts[$0] } ?? .zero) == fin, "seed \(seed) day \(i)")
            #expect((charges.map { period.amounts[$0] } ?? .zero) == chg, "seed \(seed) day \(i)")
            #expect(period.amounts.reduce(.zero, +) == moves.reduce(Money.zero) { $0 + $1.amount })
        }
    }

    @Test func weeksRunMondayToSundayAndRecurringFlowsShareTheirCategory() {
        let start = Day.ymd(2026, 12, 2)   // a Wednesday
        let s = Scenario(start: start, horizonDays: 20, openingBalance: Money(cents: 1_000_000), calendar: .none,
                         receivables: [Invoice(id: "F1", counterparty: "Acme", issueDate: start - 10, dueDate: start + 3,
                                               amount: Money(cents: 50_000))],
                         recurring: [RecurringFlow(label: "Salaires", amount: Money(cents: -300_000), every: .month, day: 10, category: "Payroll"),
                                     RecurringFlow(label: "Primes", amount: Money(cents: -20_000), every: .month, day: 11, category: "Payroll"),
                                     RecurringFlow(label: "Loyer", amount: Money(cents: -100_000), every: .month, day: 15)])
        let plan = PlanState(engine: ForecastEngine(scenario: s))
        let t = plan.periodTable(.week, projection: plan.project())
        #expect(t.periods.map(\.start.iso) == ["2026-12-02", "2026-12-07", "2026-12-14", "2026-12-21"])
        #expect(t.periods.map(\.end.iso) == ["2026-12-06", "2026-12-13", "2026-12-20", "2026-12-21"])
        #expect(t.categories.map(\.name) == ["Customers", "Payroll", "Loyer", "Suppliers"])
        #expect(t.periods[0].amounts.map(\.cents) == [50_000, 0, 0, 0])
        #expect(t.periods[1].amounts.map(\.cents) == [0, -320_000, 0, 0])
        #expect(t.periods[1].lowest.cents == 730_000 && t.periods[1].lowestDate == Day.ymd(2026, 12, 11))
        let m = plan.periodTable(.month, projection: plan.project())
        #expect(m.periods.count == 1 && m.periods[0].end == Day.ymd(2026, 12, 21))
    }
}
