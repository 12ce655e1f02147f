import CbcMILP
import Testing
import TestSupport
@testable import TresoCore
@testable import TresoOptimize

/// `optimize --risk P` (docs/calculations.md §14): four customers who each pay 10 000 € on time or 20 days late, a
/// 40 000 € supplier payment on day 15, a 5 000 € limit. Unless every unfactored invoice is paid on time the limit
/// breaks: factoring all four keeps it on every path, three keeps it half the time, none 1/16 of the time.
@Suite struct RiskOptimizerTests {
    let start = Day.ymd(2026, 12, 1)

    func scenario(delay: Int = 0, risk: [Int] = [0, 20]) -> Scenario {
        var s = Scenario(start: start, horizonDays: 40, openingBalance: Money(cents: 100_000), calendar: .none,
                         customerDelayDays: delay)
        s.receivables = (0..<4).map {
            Invoice(id: "R\($0)", counterparty: "C\($0)", issueDate: start - 20, dueDate: start + 5 + $0, amount: Money(cents: 1_000_000))
        }
        s.payables = [Invoice(id: "P", counterparty: "Steel", issueDate: start, dueDate: start + 15, amount: Money(cents: 4_000_000))]
        s.overdraft = OverdraftTerms(limit: Money(cents: 500_000), annualRate: .zero, highestOverdraftRate: .zero)
        var bank = FactoringContract(name: "bank")
        bank.commissionRate = Rate(percent: "1")!
        bank.annualRate = Rate(percent: "5")!
        s.instruments.factoring = [bank]
        s.risk = RiskSettings(all: CustomerRisk(delays: risk))
        return s
    }

    var bankOnly: OptimizeRequest { var r = OptimizeRequest(); r.instruments = ["bank"]; return r }

    func optimize(_ s: Scenario, _ p: Double, paths: Int = 200) throws -> RiskOptimizedPlan {
        var request = OptimizeRequest()
        request.timeLimit = 60
        request.instruments = ["bank"]
        return try PlanOptimizer(engine: ForecastEngine(scenario: s), solver: CbcSolver())
            .optimize(request, risk: RiskTarget(probability: p, paths: paths, seed: 1, checkPaths: 2_000), model: DelayModel(scenario: s))
    }

    /// P = 1: every path may break the limit, so the plan is the cheapest without any floor — the deterministic
    /// optimum of the same scenario with the limit out of reach.
    @Test func atProbabilityOneTheFloorIsGone() throws {
        let s = scenario()
        let r = try optimize(s, 1)
        var free = s
        free.overdraft.limit = Money(cents: 100_000_000_000)
        let det = try PlanOptimizer(engine: ForecastEngine(scenario: free), solver: CbcSolver()).optimize(bankOnly)
        #expect(r.plan.totalCost == det.totalCost)
        #expect(r.plan.chosen.isEmpty)
        #expect(r.allowedPaths == 200)
    }

    /// P = 0 with a single delay for everyone, the one the scenario expects: every path is the deterministic
    /// projection, so the plan is `optimize`'s (all four invoices factored, at the same cost).
    @Test func atProbabilityZeroWithFixedDelaysItIsTheDeterministicOptimum() throws {
        let s = scenario(delay: 20, risk: [20])
        let r = try optimize(s, 0, paths: 20)
        let det = try PlanOptimizer(engine: ForecastEngine(scenario: s), solver: CbcSolver()).optimize(bankOnly)
        #expect(det.status == .optimal)
        #expect(r.plan.totalCost == det.totalCost)
        #expect(Set(r.plan.chosen.map(\.ref)) == Set(det.chosen.map(\.ref)))
        #expect(r.inSample.overLimitPaths == 0 && r.outOfSample.overLimitPaths == 0)
    }

    /// P = 0.5 on coin-flip delays: the plan breaks the limit on at most half the model's paths (measured by the
    /// engine), and on fresh paths its probability is within 3 standard errors of that.
    @Test func theOutOfSampleProbabilityStaysNearTheTarget() throws {
        let s = scenario()
        let r = try optimize(s, 0.5)
        #expect(r.inSample.overLimitPaths <= r.allowedPaths)
        let se = (0.25 / Double(r.outOfSample.paths)).squareRoot()
        #expect(r.outOfSample.pOverLimit <= 0.5 + 3 * se, "out of sample \(r.outOfSample.pOverLimit)")
        // Cheaper than keeping the limit on every path (four invoices), dearer than nothing.
        let all = try optimize(s, 0)
        #expect(all.plan.chosen.count == 4 && all.outOfSample.overLimitPaths == 0, "\(all.plan.chosen.map(\.ref)) \(all.plan.totalCost) in \(all.inSample.overLimitPaths) out \(all.outOfSample.overLimitPaths) half \(r.plan.chosen.count) \(r.plan.totalCost) \(r.inSample.overLimitPaths)")
        #expect(r.plan.totalCost < all.plan.totalCost && r.plan.chosen.count >= 3)
    }
}
