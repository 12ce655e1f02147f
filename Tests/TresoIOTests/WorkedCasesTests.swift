import Testing
import TestSupport
import TresoCore
@testable import TresoIO

/// Every worked case of the domain brief, loaded from its example folder as a user would.
@Suite struct WorkedCasesTests {
    func load(_ name: String) throws -> Scenario {
        let l = ScenarioLoader.load(path: packageRoot() + "/examples/cases/" + name, defaultStart: Day.ymd(2026, 12, 1))
        #expect(l.errors.isEmpty, "\(l.errors)")
        return try #require(l.scenario)
    }

    func result(_ s: Scenario, _ plan: String) throws -> PlanResult {
        let c = PlanComparison(engine: ForecastEngine(scenario: s), plans: s.plans)
        return try #require(c.results.first { $0.name == plan })
    }

    @Test func case1ReverseFactoringPaysSixtyDaysLater() throws {
        let s = try load("1-reverse-factoring")
        let st = PlanState(engine: ForecastEngine(scenario: s), plan: s.plans[0])
        let p = st.project()
        #expect(p.position(on: Day.ymd(2026, 12, 31))?.disbursements == .zero)
        #expect(p.position(on: Day.ymd(2027, 3, 1))?.financing.cents == -5_030_000)
        #expect(try result(s, "reverse factoring").financing.financial.cents == 30_000)
    }

    @Test func case2AdvanceOf18000WithinTwoBusinessDays() throws {
        let s = try load("2-factoring-advance")
        let st = PlanState(engine: ForecastEngine(scenario: s), plan: s.plans[0])
        let moves = st.movements(on: Day.ymd(2026, 12, 3), projection: st.project())
        #expect(moves.first { $0.detail == .factoringAdvance }?.amount.cents == 1_800_000)
    }

    @Test func case3Plus27000AtOnceAnd2000OfFees() throws {
        let s = try load("3-whole-ledger")
        let st = PlanState(engine: ForecastEngine(scenario: s), plan: s.plans[0])
        let advances = st.effects.values.flatMap(\.movements).filter { $0.detail == .factoringAdvance }
        #expect(advances.reduce(Money.zero) { $0 + $1.amount }.cents == 2_700_000)
        #expect(Set(advances.map(\.day)) == [Day.ymd(2026, 12, 1)])
        #expect(try result(s, "assign everything").operatingCost.cents == 200_000)
    }

    /// Case 4 under issue 8: the default is the scenario's what-if, in every plan; the loss excl. VAT is a cost;
    /// the insurer pays 90 % of the amount excl. VAT; interest on the advance runs until the factor reclaims it.
    @Test func case4TheDefaultCostsEveryPlanItsLoss() throws {
        let s = try load("4-customer-default")
        #expect(s.defaulted == ["F-2026-050"])
        let st = PlanState(engine: ForecastEngine(scenario: s), plan: s.plans[0])
        let all = st.effects.values.flatMap(\.movements)
        #expect(all.first { $0.detail == .insuranceIndemnity }?.amount.cents == 3_750_000)
        #expect(all.first { $0.detail == .advanceReclaimed }?.amount.cents == -4_500_000)
        // 45 000 × 4 % × 30 / 360 = 150.00 from the expected collection (30 Jan) to the reclaim (1 Mar).
        #expect(all.first { $0.detail == .factoringInterestUntilReclaim(days: 30) }?.amount.cents == -15_000)
        let bare = PlanState(engine: ForecastEngine(scenario: s), plan: s.plans[1]).effects.values.flatMap(\.movements)
        #expect(bare.contains { $0.detail == .advanceReclaimed && $0.amount.cents == -4_500_000 })
        #expect(!bare.contains { $0.detail == .insuranceIndemnity })
        let only = try result(s, "overdraft only"), insured = try result(s, "insured")
        let uninsured = try result(s, "uninsured")
        #expect(only.creditLosses.cents == 4_166_667)       // 50 000 / 1.2, VAT derived at 20 %
        #expect(uninsured.creditLosses.cents == 4_166_667)
        #expect(insured.creditLosses.cents == 416_667)       // 41 666.67 − 37 500.00
        #expect(insured.totalCost < uninsured.totalCost && uninsured.totalCost > only.totalCost)
        #expect(only.assumptions.contains { $0.contains("VAT at 20 %") })
    }

    @Test func case5SuppliersPaidByThePartnerRepaidAfter45Days() throws {
        let s = try load("5-ecommerce-suppliers")
        let r = try result(s, "partner pays suppliers")
        #expect(r.financing.financial.cents == 9_600 + 5_400 + 10_800)
        let st = PlanState(engine: ForecastEngine(scenario: s), plan: s.plans[0])
        #expect(st.project().position(on: Day.ymd(2026, 12, 11))?.disbursements == .zero)
    }

    @Test func case6MaterialsFinancedUntilTheJobIsPaid() throws {
        let s = try load("6-construction-advance")
        #expect(try result(s, "advance on materials").financing.financial.cents == 72_000)
        #expect(try result(s, "overdraft only").projection.summary.daysOverLimit > 0)
        #expect(try result(s, "advance on materials").projection.summary.daysOverLimit == 0)
    }

    @Test func case7ThreeInstalmentsOf5000() throws {
        let s = try load("7-split-payment")
        let st = PlanState(engine: ForecastEngine(scenario: s), plan: s.plans[0])
        let inst = st.effects.values.flatMap(\.movements).filter { if case .instalment = $0.detail { return true }; return false }
        #expect(inst.map(\.amount.cents).sorted() == [-500_000, -500_000, -500_000])
    }
}
