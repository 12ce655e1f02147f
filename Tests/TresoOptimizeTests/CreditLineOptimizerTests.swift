import Foundation
import CbcMILP
import TresoIO
import Testing
import TestSupport
@testable import TresoCore
@testable import TresoOptimize

/// A small scenario with one confirmed credit line (random limit, rate, commitment fee and minimum drawing).
func smallScenarioWithLine(seed: UInt64) -> Scenario {
    var s = smallScenario(seed: seed)
    var rng = SeededRandom(seed: seed &+ 0xC0FFEE)
    var line = CreditLine(name: "line")
    line.minimumDrawing = Money(cents: Int64.random(in: 3...10, using: &rng) * 100_000)
    line.limit = Money(cents: line.minimumDrawing.cents * Int64.random(in: 2...4, using: &rng))
    line.annualRate = Rate(percentHundredths: Int64.random(in: 250...900, using: &rng))
    line.commitmentFeeRate = Rate(percentHundredths: Int64.random(in: 0...150, using: &rng))
    s.instruments.credit.creditLines = [line]
    return s
}

/// Every plan built from the invoices' options and a few fixed drawings of the line within the model's grid (whole
/// steps of the minimum drawing, drawn and repaid on business days, repaid by the model's repayment day), through the
/// engine: the cheapest that keeps the floor, and how many such plans use the line.
struct LineEnumeration {
    var plans = 0
    var cheapest: Money?
    var cheapestUsesLine = false

    init(engine: ForecastEngine, keep: OptimizeRequest.Keep, maxInvoicePlans: Int) {
        let s = engine.scenario
        var choices: [(InvoiceRef, [Decision])] = []
        for kind in InvoiceKind.allCases {
            for i in s.invoices(kind).indices {
                let ref = InvoiceRef(kind, i)
                let ok = engine.options(for: ref).filter { $0.refusal == nil && $0.decision != .none }.map(\.decision)
                    .filter { d in if case .success(let e?) = engine.effect(of: d, on: ref) { return !e.legalBreach }; return false }
                if !ok.isEmpty { choices.append((ref, [.none] + ok)) }
            }
        }
        let invoicePlans = choices.reduce(1) { $0 * $1.1.count }
        guard invoicePlans <= maxInvoicePlans, let line = s.instruments.credit.creditLines.first else { return }
        let repaidBy = ModelBuilder.repaymentDay(engine: engine, request: OptimizeRequest())
        let business = (0..<(repaidBy - s.start)).map { s.start + $0 }.filter { engine.calendar.isBusinessDay($0) }
        var drawings: [[CreditDrawing]] = [[]]
        if business.count >= 4 {
            let froms = [business[0], business[business.count / 3], business[2 * business.count / 3]]
            for f in froms {
                let soon = business.first { $0 >= f + 20 } ?? repaidBy
                for to in Set([soon, repaidBy]).sorted() where to > f {
                    for k in Int64(1)...2 where k * line.minimumDrawing.cents <= line.limit.cents {
                        drawings.append([CreditDrawing(line: line.name, mode: .fixed(amount: Money(cents: k * line.minimumDrawing.cents), from: f, to: to))])
                    }
                }
            }
            // Two overlapping drawings, the second repaid first.
            drawings.append([CreditDrawing(line: line.name, mode: .fixed(amount: line.minimumDrawing, from: froms[0], to: repaidBy)),
                             CreditDrawing(line: line.name, mode: .fixed(amount: line.minimumDrawing, from: froms[1], to: froms[2]))])
        }
        let floor = keep == .limit ? -s.overdraft.limit.cents : s.minCash.cents
        for draw in drawings {
            var digits = [Int](repeating: 0, count: choices.count)
            var state = PlanState(engine: engine, name: "enumerated")
            state.setDrawings(draw)
            while true {
                plans += 1
                let r = asCompared(state)
                let excess = r.window.days.map { floor - $0.closing.cents }.max() ?? 0
                if excess <= 0, r.legalBreaches == 0, r.capBreaches.isEmpty, cheapest.map({ r.totalCost < $0 }) ?? true {
                    cheapest = r.totalCost; cheapestUsesLine = !draw.isEmpty
                }
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
}

@Suite struct CreditLineOptimizerTests {
    let solver = CbcSolver()

    /// With a credit line in the enumerated space (unused, or one of a dozen fixed drawings on the model's grid, ×
    /// every combination of the invoices' options): the optimizer's plan is never dearer than the best enumerated one,
    /// its bound never above it, its cost the engine's, its drawings ones the engine runs without refusal.
    @Test(arguments: [OptimizeRequest.Keep.limit, .buffer])
    func noEnumeratedPlanWithTheLineIsCheaper(keep: OptimizeRequest.Keep) throws {
        var checked = 0, usedLine = 0
        for seed in UInt64(1)...16 {
            var s = smallScenarioWithLine(seed: seed &* 6_151 &+ (keep == .limit ? 0 : 50_000))
            if keep == .buffer { s.openingBalance += Money(cents: Int64(seed % 3) * 4_000_000) }
            let engine = ForecastEngine(scenario: s)
            let all = LineEnumeration(engine: engine, keep: keep, maxInvoicePlans: 256)
            guard all.plans > 0, let best = all.cheapest else { continue }
            checked += 1
            var request = OptimizeRequest()
            request.keep = keep
            let o = try PlanOptimizer(engine: engine, solver: solver).optimize(request)
            #expect(o.status == .optimal, "seed \(seed)")
            #expect(o.totalCost == asCompared(o.state).totalCost)
            #expect(o.result.refusals.isEmpty, "seed \(seed): \(o.result.refusals)")
            #expect(o.lowerBound <= o.totalCost)
            #expect(o.totalCost <= best, "seed \(seed): optimize \(o.totalCost) dearer than an enumerated plan \(best)")
            #expect(o.lowerBound <= best, "seed \(seed): bound \(o.lowerBound) above an enumerated plan \(best)")
            for d in o.drawings {
                guard case .fixed(let amount, _, let to) = d.mode else { Issue.record("automatic drawing returned"); continue }
                #expect(amount >= s.instruments.credit.creditLines[0].minimumDrawing)
                #expect(to <= ModelBuilder.repaymentDay(engine: engine, request: request))
            }
            if !o.drawings.isEmpty { usedLine += 1 }
        }
        #expect(checked >= 3, "enumerable scenarios with a plan keeping the floor: \(checked)")
        #expect(usedLine >= 1, "the line should be worth drawing in some scenario")
    }

    /// A scenario whose only gap the line bridges cheaply (overdraft at 15 %, line at 4 %): the line is drawn, and
    /// the plan costs less than the overdraft alone. With a commitment fee that dwarfs the overdraft's interest,
    /// the same line is left out.
    @Test func theLineIsDrawnWhenCheapestAndLeftOutWhenItsFeeIsNot() throws {
        let start = Day.ymd(2027, 1, 4)
        var s = Scenario(name: "gap", start: start, horizonDays: 60, openingBalance: Money(cents: 1_000_000), minCash: .zero, calendar: .fr,
                         receivables: [Invoice(id: "R1", counterparty: "Client", issueDate: start - 10, dueDate: start + 50,
                                               amount: Money(cents: 6_000_000), line: 2)],
                         payables: [], customerDelayDays: 0,
                         overdraft: OverdraftTerms(limit: Money(cents: 8_000_000), annualRate: Rate(percentHundredths: 1_500),
                                                   highestOverdraftRate: .zero),
                         recurring: [RecurringFlow(label: "Payroll", amount: Money(cents: -4_000_000), every: .month, day: 28)])
        var line = CreditLine(name: "bank")
        line.limit = Money(cents: 6_000_000)
        line.annualRate = Rate(percentHundredths: 400)
        line.commitmentFeeRate = Rate(percentHundredths: 50)
        line.minimumDrawing = Money(cents: 1_000_000)
        s.instruments.credit.creditLines = [line]
        var traced = OptimizeRequest()
        traced.trace = ProcessInfo.processInfo.environment["TRESO_TRACE_TEST"] != nil
        let cheap = try PlanOptimizer(engine: ForecastEngine(scenario: s), solver: solver).optimize(traced)
        var none = OptimizeRequest()
        none.instruments = ["negotiate"]
        let overdraftOnly = try PlanOptimizer(engine: ForecastEngine(scenario: s), solver: solver).optimize(none)
        #expect(cheap.status == .optimal)
        #expect(!cheap.drawings.isEmpty, "the line at 4 % beats the overdraft at 15 %")
        #expect(cheap.totalCost < overdraftOnly.totalCost)
        #expect(cheap.result.summary.commitmentFees > .zero)
        #expect(overdraftOnly.drawings.isEmpty)

        s.instruments.credit.creditLines[0].commitmentFeeRate = Rate(percentHundredths: 2_500)   // 25 %/yr on the unused part
        let dear = try PlanOptimizer(engine: ForecastEngine(scenario: s), solver: solver).optimize(OptimizeRequest())
        #expect(dear.status == .optimal)
        #expect(dear.drawings.isEmpty, "a 25 % commitment fee costs more than the overdraft's interest")
        #expect(dear.totalCost == overdraftOnly.totalCost)
    }

    /// `--instruments` names a line by its name or as "lines"; a fixed plan's drawings are replaced by the model's (said).
    @Test func instrumentNamesIncludeTheLines() throws {
        let s = smallScenarioWithLine(seed: 3)
        let names = PlanOptimizer.instrumentNames(s)
        #expect(names.contains("line") && names.contains("lines"))
        var r = OptimizeRequest()
        r.instruments = ["lines"]
        #expect(PlanOptimizer.offeredLines(s, r).map(\.name) == ["line"])
        r.instruments = ["negotiate"]
        #expect(PlanOptimizer.offeredLines(s, r).isEmpty)
        var fixed = OptimizeRequest()
        fixed.fixPlan = Plan(name: "drawn", drawings: [CreditDrawing(line: "line", mode: .auto(floor: nil))])
        let o = try PlanOptimizer(engine: ForecastEngine(scenario: s), solver: solver).optimize(fixed)
        #expect(o.drawings.allSatisfy { if case .fixed = $0.mode { return true }; return false }, "the automatic drawing is not kept")
        #expect(o.modelAssumptions.contains { $0.contains("drawings of plan \"drawn\" are not kept") })
    }
}

/// Several accounts: the model sees one consolidated balance; the engine re-evaluates the plan account by account.
@Suite struct AccountsOptimizerTests {
    func accounts(sweep: Bool) throws -> Scenario {
        var s = try #require(ScenarioLoader.load(path: packageRoot() + "/examples/accounts", defaultStart: Day.ymd(2026, 12, 1)).scenario)
        s.accounts.sweep = sweep
        return s
    }

    /// Swept, a plan keeps every account's own limit: the one returned does, its cost is the engine's (per account), its
    /// bound below it, and the output says what the model assumed. Without the sweep no plan keeps the main account's
    /// limit although the consolidated balance stays within the summed one: the answer is infeasible, never "keeps the limit".
    @Test func aPlanBreachingAnAccountIsNeverReportedAsKeepingTheLimit() throws {
        for sweep in [true, false] {
            let s = try accounts(sweep: sweep)
            let o = try PlanOptimizer(engine: ForecastEngine(scenario: s), solver: CbcSolver()).optimize(OptimizeRequest())
            #expect(o.totalCost == asCompared(o.state).totalCost)
            #expect(o.lowerBound <= o.totalCost)
            #expect(o.boundIsRelaxation)
            #expect(o.modelAssumptions.contains { $0.contains("accounts as one") })
            let last = try #require(o.result.window.days.last?.day)
            let per = o.state.accountProjections(through: last).accounts
            let withinEvery = zip(s.accounts.accounts, per).allSatisfy { a, p in p.days.allSatisfy { $0.closing.cents >= -a.overdraft.limit.cents } }
            if sweep {
                #expect(o.status != .infeasible)
                #expect(withinEvery, "the plan returned keeps every account's limit")
            } else {
                #expect(o.status == .infeasible, "no plan keeps the main account within its own limit without the sweep")
                #expect(!withinEvery)
                #expect((o.shortfall ?? .zero) > .zero)
            }
        }
    }
}
