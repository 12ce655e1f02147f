import Testing
import TestSupport
@testable import TresoCore

/// Forecast receivables (`[[forecast]]` sales) are drawn like the invoices of the customer their line names, or like a
/// customer without history for a category line. docs/calculations.md §15.
@Suite struct RiskForecastTests {
    let start = Day.ymd(2026, 12, 1)

    /// A scenario whose only receivables are forecast sales: a category line and a line naming Acme.
    func forecastOnly(risk: RiskSettings?, history: [String: [Int]] = [:]) -> Scenario {
        var s = Scenario(start: start, horizonDays: 120, openingBalance: Money(cents: 1_000_000), calendar: .none,
                         customerDelayDays: 10, customerDelays: ["Acme": 20])
        s.payables = [Invoice(id: "P", counterparty: "Steel", issueDate: start, dueDate: start + 70, amount: Money(cents: 3_000_000))]
        s.forecasts = [ForecastLine(label: "Ventes", kind: .sales, amount: Money(cents: 1_000_000), every: .month, termsDays: 30, category: "Ventes"),
                       ForecastLine(label: "Acme", kind: .sales, amount: Money(cents: 500_000), every: .month, termsDays: 15, counterparty: "Acme")]
        s.overdraft.limit = Money(cents: 1_000_000)
        s.risk = risk
        s.paymentHistory = history
        return s.withForecastInvoices()
    }

    @Test func aForecastOnlyScenarioHasABand() {
        let s = forecastOnly(risk: nil)
        #expect(s.receivables.allSatisfy(\.isForecast) && s.receivables.count == 6)
        let m = DelayModel(scenario: s)
        #expect(m.receivableDistribution.allSatisfy { $0 >= 0 }, "every forecast receivable is drawn")
        let r = RiskSimulation.run(states: [PlanState(engine: ForecastEngine(scenario: s))], model: m, paths: 400, seed: 1)
        let p = r.plans[0]
        #expect(p.days.contains { $0.p5 < $0.p95 }, "a band around the line")
        // Category line: the expected delay (10) −5/+0/+5/+20; Acme's line: Acme's expected delay (20).
        #expect(m.forecastLines.map(\.label) == ["Ventes", "Acme"])
        #expect(m.forecastLines.map(\.source) == [.defaultFromExpected, .defaultFromExpected])
        #expect(m.distributions[Int(m.receivableDistribution[0])].delays == [5, 10, 15, 30])
        let acme = s.receivables.firstIndex { $0.counterparty == "Acme (forecast)" }!
        #expect(m.distributions[Int(m.receivableDistribution[acme])].delays == [15, 20, 25, 40])
        #expect(r.assumptions.contains { $0.hasPrefix("forecast receivables drawn like invoices: Ventes (category): 3 from the expected delay") })
        #expect(!r.assumptions.contains { $0.contains("with an expected date settle on it") })
    }

    @Test func aNamedForecastLearnsItsCustomersHistory() {
        let s = forecastOnly(risk: RiskSettings(all: CustomerRisk(delays: [0, 40])), history: ["ACME": [3, 4, 5, 60]])
        let m = DelayModel(scenario: s)
        let acme = s.receivables.firstIndex { $0.counterparty == "Acme (forecast)" }!
        #expect(m.distributions[Int(m.receivableDistribution[acme])].delays == [3, 4, 5, 60])
        #expect(m.distributions[Int(m.receivableDistribution[0])].delays == [0, 40])
        #expect(m.forecastLines.map(\.source) == [.scenarioSetting, .history])
        let r = RiskSimulation.run(states: [PlanState(engine: ForecastEngine(scenario: s))], model: m, paths: 50, seed: 1)
        #expect(r.assumptions.contains { $0.contains("Acme (Acme): 3 from Acme's payment history (4 paid)") })
    }

    /// Single-value delays equal to the expected ones: every quantile is the deterministic projection to the cent,
    /// also with a plan factoring forecast receivables.
    @Test func singleValueDelaysGiveTheProjection() {
        let s = forecastOnly(risk: RiskSettings(all: CustomerRisk(delays: [10]), customers: ["acme": CustomerRisk(delays: [20])]))
        var sc = s
        sc.instruments.factoring = [FactoringContract(name: "f")]
        let e2 = ForecastEngine(scenario: sc)
        var factored = PlanState(engine: e2, name: "factor forecasts")
        for i in sc.receivables.indices.prefix(3) { _ = factored.set(.factor("f"), for: InvoiceRef(.receivable, i)) }
        #expect(!factored.effects.isEmpty)
        let states = [PlanState(engine: e2), factored]
        let m = DelayModel(scenario: sc)
        #expect(m.isDegenerate && m.receivableDistribution.allSatisfy { $0 >= 0 })
        let r = RiskSimulation.run(states: states, model: m, paths: 9, seed: 3)
        for (rp, st) in zip(r.plans, states) {
            let p = st.project()
            for (q, d) in zip(rp.days, p.days) {
                #expect(q.p5 == d.closing && q.p95 == d.closing, "\(rp.name) \(d.day.iso)")
            }
            #expect(rp.overLimitPaths == (p.summary.daysOverLimit > 0 ? 9 : 0))
        }
    }
}
