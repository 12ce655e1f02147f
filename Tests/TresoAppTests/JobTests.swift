import CbcMILP
import TerminalKit
import Testing
import TestSupport
@testable import TresoApp
import TresoCore
import TresoIO
import TresoOptimize
#if canImport(Glibc)
import Glibc
#endif

/// Background jobs (the optimizer behind `o`, the risk simulation after each change): the reducer's side is pure
/// and tested with hand-made reports; `JobRunner` is tested with real threads; a headless session runs both.
@Suite struct JobTests {
    /// The optimizer job `o` starts, with the state's generation.
    static func optimizeJob(_ effects: [Effect]) -> OptimizeJob? {
        for e in effects { if case .startJob(.optimize(let j)) = e { return j } }
        return nil
    }

    static func riskJob(_ effects: [Effect]) -> RiskJob? {
        for e in effects { if case .startJob(.risk(let j)) = e { return j } }
        return nil
    }

    static func bottomLine(_ s: AppState) -> String { s.screen.split(separator: "\n").last.map(String.init) ?? "" }

    /// `treso optimize examples/demo`'s plan: the same request on the same engine.
    static func cliPlan(_ s: AppState) throws -> OptimizedPlan {
        try PlanOptimizer(engine: ForecastEngine(scenario: s.scenario), solver: CbcSolver()).optimize(OptimizeRequest())
    }

    // MARK: Reducer: start, progress, stop, stale reports

    @Test func oStartsOneOptimizationAndTheStatusLineFollowsItsProgress() throws {
        var s = try Fixture.demo(width: 140, height: 40)
        let job = try #require(Self.optimizeJob(s.send(.command(.optimize))))
        #expect(job.request.planName == "optimal")
        #expect(job.request.keep == .limit && job.request.maxGap == 0, "the defaults of treso optimize")
        #expect(s.jobs.optimizing?.generation == job.generation)
        #expect(Self.bottomLine(s).contains("optimizing \"optimal\" (keep the limit) · 0.0 s · Esc stops"))

        // A second o while it runs starts nothing.
        #expect(Self.optimizeJob(s.send(.command(.optimize))) == nil)
        #expect(s.message?.text.contains("already optimizing") == true)

        s.send(.optimizeTick(generation: job.generation, seconds: 1.26))
        s.send(.optimizeProgress(generation: job.generation, OptimizeProgress(seconds: 1.5, bestCost: Money(cents: 100_000), bound: Money(cents: 99_000))))
        s.send(.text(.cancel))  // any key clears the message: the progress shows
        #expect(Self.bottomLine(s).contains("1.5 s · best 1 000.00 · bound 990.00 · gap 1.00 % · Esc stops"), "\(Self.bottomLine(s))")
    }

    @Test func reportsOfAnotherGenerationAreDropped() throws {
        var s = try Fixture.demo()
        let job = try #require(Self.optimizeJob(s.send(.command(.optimize))))
        let other = job.generation + 1
        s.send(.optimizeProgress(generation: other, OptimizeProgress(seconds: 9, bestCost: Money(cents: 1), bound: Money(cents: 1))))
        #expect(s.jobs.optimizing?.progress.bestCost == nil)
        let plan = try Self.cliPlan(s)
        let plans = s.workspace.planCount
        s.send(.optimizeEnded(generation: other, .found(plan, benefits: [], stopped: false)))
        #expect(s.workspace.planCount == plans, "a plan from a job the state does not wait for was added")
        #expect(s.jobs.optimizing != nil)
        // Its own report is taken; once taken, a repeat of it is dropped.
        s.send(.optimizeEnded(generation: job.generation, .found(plan, benefits: [], stopped: false)))
        #expect(s.workspace.planCount == plans + 1)
        s.send(.optimizeEnded(generation: job.generation, .found(plan, benefits: [], stopped: false)))
        #expect(s.workspace.planCount == plans + 1)
    }

    /// A plan that draws on the credit line comes into the planner with its drawings: the comparison charges it
    /// what the optimizer reported, and the message counts the drawings.
    @Test func theOptimizersDrawingsComeWithItsPlan() throws {
        var s = try Fixture.demo()
        let job = try #require(Self.optimizeJob(s.send(.command(.optimize))))
        var request = OptimizeRequest()
        request.instruments = ["lines"]
        let plan = try PlanOptimizer(engine: ForecastEngine(scenario: s.scenario), solver: CbcSolver()).optimize(request)
        #expect(!plan.drawings.isEmpty)
        s.send(.optimizeEnded(generation: job.generation, .found(plan, benefits: [], stopped: false)))
        let added = s.workspace.planCount - 1
        #expect(s.workspace.plan(added).drawings == plan.drawings)
        // Beside the reference plans (as `treso compare --plan` and the optimizer measure it); in the planner's comparison
        // the window is the longest of all plans', and the commitment fee runs on every day of it.
        let refs = PlanComparison.referencePlans().map { PlanState(engine: s.workspace.engine, plan: $0) }
        #expect(PlanComparison(states: refs + [s.workspace.plan(added)]).results[refs.count].totalCost == plan.totalCost)
        #expect(s.workspace.comparison.results[added].totalCost >= plan.totalCost)
        #expect(s.message?.text.contains("\(plan.drawings.count) credit-line drawings") == true, "\(s.message?.text ?? "")")
    }

    @Test func escStopsTheOptimizationFromEveryPane() throws {
        for pane in Pane.allCases {
            var s = try Fixture.demo()
            let job = try #require(Self.optimizeJob(s.send(.command(.optimize))))
            s.focus = pane
            #expect(s.action(for: .key(.escape)) == .command(.stopOptimizing), "\(pane)")
            #expect(s.send(.command(.stopOptimizing)) == [.cancelJob(.optimize)])
            #expect(Self.bottomLine(s).contains("stopping the optimization"))
            // Stopped before any plan: nothing added, said so.
            let plans = s.workspace.planCount
            s.send(.optimizeEnded(generation: job.generation, .stoppedEmpty))
            #expect(s.workspace.planCount == plans)
            #expect(s.jobs.optimizing == nil)
            #expect(s.message?.text.contains("no plan found yet") == true)
            // Esc means its usual again: nothing to stop.
            if let a = s.action(for: .key(.escape)) { #expect(s.send(a) == []) }
            #expect(s.jobs.optimizing == nil)
        }
    }

    @Test func stoppedWithABestPlanKeepsIt() throws {
        var s = try Fixture.demo()
        let job = try #require(Self.optimizeJob(s.send(.command(.optimize))))
        s.send(.command(.stopOptimizing))
        let plan = try Self.cliPlan(s)
        s.send(.optimizeEnded(generation: job.generation, .found(plan, benefits: [], stopped: true)))
        #expect(s.activePlanState.name == "optimal")
        #expect(s.message?.text.hasPrefix("stopped (best so far) plan \"optimal\" added") == true)
    }

    @Test func theOptimalPlanIsANewUndoablePlanWithItsBoundAndWhatEachDecisionBuys() throws {
        var s = try Fixture.demo()
        let job = try #require(Self.optimizeJob(s.send(.command(.optimize))))
        let before = s.workspace.planCount
        let outcome = JobWorkers.standard(solver: { CbcSolver() }).optimize(job, JobControl(report: { _ in }))
        guard case .found(let plan, let benefits, false) = outcome else { Issue.record("\(outcome)"); return }
        s.send(.optimizeEnded(generation: job.generation, outcome))

        #expect(s.workspace.planCount == before + 1)
        #expect(s.activePlan == before && s.activePlanState.name == "optimal")
        // The same plan as `treso optimize examples/demo`, and the comparison's cost is the optimizer's.
        let cli = try Self.cliPlan(s)
        #expect(s.activePlanState.decisions == cli.state.decisions)
        #expect(s.workspace.comparison.results[s.activePlan].totalCost == cli.totalCost)
        let text = try #require(s.message?.text)
        #expect(text.contains("optimal plan \"optimal\" added: \(plan.chosen.count) decisions, cost \(cli.totalCost.formatted()) · bound \(cli.lowerBound.formatted()) · gap 0.00 %"), "\(text)")

        // What each decision buys is measured on the plan without it, by the engine.
        #expect(benefits.count == plan.chosen.count)
        for b in benefits {
            var without = plan.state
            without.set(.none, for: b.ref)
            let c = PlanComparison(states: job.references + [plan.state, without])
            #expect(b.marginalCost == c.results[c.results.count - 2].totalCost - c.results[c.results.count - 1].totalCost)
            for d in b.coveredDays {
                #expect(c.results[c.results.count - 1].projection.position(on: d)?.flags.contains(.overLimit) == true)
            }
        }
        #expect(s.benefit(of: plan.chosen[0].ref) == benefits[0])
        // Shown in the day panel when the decision's invoice is selected.
        let ref = plan.chosen[0].ref
        s.focus = ref.kind == .receivable ? .receivables : .payables
        s.withTable(ref.kind) { t in if let p = t.order.firstIndex(of: ref.index) { t.moveCursor(to: p) } }
        s.settle()
        #expect(s.screen.contains("◆ " + s.invoiceID(ref) + " " + plan.chosen[0].decision.code + ": "), "\(s.screen)")

        // One undo takes the plan away.
        s.press("u")
        #expect(s.workspace.planCount == before)
    }

    @Test func aResultFoundUnderOldTermsIsSolvedAgain() throws {
        var s = try Fixture.demo()
        let job = try #require(Self.optimizeJob(s.send(.command(.optimize))))
        let before = s.scenario.terms
        var after = before
        after.overdraft.limit = before.overdraft.limit + Money(cents: 1_000_000)
        _ = s.applyEdit("limit", [.terms(from: before, to: after)], activeBefore: s.activePlan)
        let plans = s.workspace.planCount
        let plan = try Self.cliPlan(s)
        let again = try #require(Self.optimizeJob(s.send(.optimizeEnded(generation: job.generation, .found(plan, benefits: [], stopped: false)))))
        #expect(again.generation > job.generation)
        #expect(again.engine.scenario.overdraft.limit == after.overdraft.limit)
        #expect(s.workspace.planCount == plans, "a plan optimized under the old limit was added")
        #expect(s.jobs.optimizing?.generation == again.generation)
    }

    // MARK: Reducer: the simulation after each change

    @Test func eachChangeStartsOneSimulationAndAStaleOneIsDropped() throws {
        var s = try Fixture.demo(width: 120, height: 40)
        let first = try #require(Self.riskJob(reduce(&s, .resize(width: 120, height: 40))))
        #expect(first.generation == s.workspace.revision)
        #expect(first.states.count == s.workspace.planCount && first.paths == 500 && first.seed == 1)
        #expect(Self.riskJob(reduce(&s, .command(.dayNext))) == nil, "nothing changed: no new simulation")
        #expect(s.screen.contains("P(breach)") && s.currentRisk == nil)

        let summary = try #require(JobWorkers.simulate(first, JobControl(report: { _ in })))
        // A change, then the first simulation's report: stale, dropped; the new one is under way.
        let second = try #require(Self.riskJob(reduce(&s, .run("plan new risk"))))
        #expect(second.generation == s.workspace.revision && second.generation != first.generation)
        s.send(.riskComputed(generation: first.generation, summary))
        #expect(s.currentRisk == nil)
        #expect(!s.screen.contains("░"))
        s.send(.riskComputed(generation: second.generation, try #require(JobWorkers.simulate(second, JobControl(report: { _ in })))))
        #expect(s.currentRisk != nil)
        #expect(s.screen.contains("░"))
    }

    /// Issue 14's left-out item: while the simulation of a change runs, the previous band and P(breach) stay on
    /// screen, the figures marked ≈ and dimmed, the legend "(updating…)"; "…" only when there is no previous figure.
    @Test func theFiguresOfTheLastSimulationStayMarkedStaleUntilTheNewOnesArrive() throws {
        var s = try Fixture.demo(width: 120, height: 40)
        let first = try #require(Self.riskJob(reduce(&s, .resize(width: 120, height: 40))))
        #expect(s.screen.contains("        … "), "no simulation yet: …")
        s.send(.riskComputed(generation: first.generation, try #require(JobWorkers.simulate(first, JobControl(report: { _ in })))))
        #expect(s.screen.contains(" 95.40 % ") && !s.screen.contains("≈"))
        // A change: the new simulation is under way; the old figures stay, marked.
        let second = try #require(Self.riskJob(reduce(&s, .run("plan new fresh"))))
        #expect(s.currentRisk == nil)
        let screen = s.screen
        #expect(screen.contains("≈95.40 %"), "\(screen)")
        // The new plan was never simulated: it alone shows "…".
        let fresh = try #require(screen.split(separator: "\n").first { $0.contains("fresh") && $0.contains("…") })
        #expect(!fresh.contains("≈"))
        // Dimmed: the stale cell's style carries .dim.
        let grid = render(s)
        let lines = grid.lines()
        let y = try #require(lines.firstIndex { $0.contains("≈95.40 %") })
        let x = try #require(lines[y].range(of: "≈95.40 %").map { lines[y].distance(from: lines[y].startIndex, to: $0.lowerBound) })
        #expect(grid[x + 1, y].style.attributes.contains(.dim))
        // A plan simulated before keeps its band on the chart meanwhile.
        s.send(.selectPlan(2))
        #expect(Self.riskJob(s.send(.selectPlan(2))) == nil && s.currentRisk == nil)
        #expect(s.screen.contains("░") && s.screen.contains("paths ≈ updating"))
        s.send(.riskComputed(generation: second.generation, try #require(JobWorkers.simulate(second, JobControl(report: { _ in })))))
        #expect(!s.screen.contains("≈") && !s.screen.contains("paths ≈ updating") && s.screen.contains("░"))
    }

    /// A cancelled simulation stops (nil) instead of finishing; one not cancelled gives `treso risk`'s figures.
    @Test func aCancelledSimulationStops() throws {
        var s = try Fixture.demo()
        let job = try #require(Self.riskJob(reduce(&s, .resize(width: 100, height: 30))))
        let control = JobControl(report: { _ in })
        control.cancel()
        #expect(JobWorkers.simulate(job, control) == nil)
        // Stopped after some batches: still nil, never a partial report.
        var asked = 0
        let stopped = RiskSimulation.run(states: job.states, model: DelayModel(scenario: s.scenario), paths: 64, seed: 1, stop: { asked += 1; return asked > 3 })
        #expect(stopped == nil && asked == 4)
        let whole = RiskSimulation.run(states: job.states, model: DelayModel(scenario: s.scenario), paths: 64, seed: 1, stop: { false })
        let plain = RiskSimulation.run(states: job.states, model: DelayModel(scenario: s.scenario), paths: 64, seed: 1)
        #expect(whole.map(RiskSummary.init) == RiskSummary(plain), "checking for a stop changes nothing in the figures")
    }

    /// The band and the column once the simulation reported, in colour and in mono (NO_COLOR): the band has its own
    /// glyph and role, the plan's line is drawn over it.
    @Test(arguments: ["default", "mono"])
    func bandAndColumnSnapshot(theme: String) throws {
        let t = try #require(Theme.builtin(named: theme))
        var s = try Fixture.demo(width: 120, height: 40, theme: t)
        let job = try #require(Self.riskJob(reduce(&s, .resize(width: 120, height: 40))))
        s.send(.riskComputed(generation: job.generation, try #require(JobWorkers.simulate(job, JobControl(report: { _ in })))))
        #expect(snapshotMismatch(s.screen + "\n", named: "risk-120x40-\(theme)") == nil)
        let grid = render(s)
        var band = 0, plan = 0
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                // (the cursor's column lays its own style over it)
                if grid[x, y].symbol == "░" && grid[x, y].style == t[.chartBand] { band += 1 }
                if grid[x, y].symbol == "●" { plan += 1 }
            }
        }
        #expect(band > 50 && plan > 50, "band \(band), line \(plan)")
        // The figure is `treso risk --paths 500`'s: the overdraft-only plan goes over the limit on most paths.
        let row = try #require(s.screen.split(separator: "\n").first { $0.contains("overdraft only") && $0.contains("614.56") })
        #expect(row.contains(RiskExport.percent(s.currentRisk?.plans[0].overLimitPaths ?? -1, 500)))
        #expect(row.contains("95.40 %"), "treso risk examples/demo --paths 500: 0.9540")
    }

    @Test func probabilitiesAreNeverRoundedToCertainty() {
        #expect(Format.probability(0, of: 500) == "0%")
        #expect(Format.probability(500, of: 500) == "100%")
        #expect(Format.probability(134, of: 500) == "26.8%")
        #expect(Format.probability(1, of: 20_000) == "<0.1%")
        #expect(Format.probability(19_999, of: 20_000) == ">99.9%")
    }

    // MARK: JobRunner: real threads

    @Test func theRunnerReportsAndDropsWhatIsCancelled() throws {
        var s = try Fixture.demo()
        let job = try #require(Self.riskJob(reduce(&s, .resize(width: 100, height: 30))))
        let runner = JobRunner(workers: JobWorkers(optimize: { _, _ in .stoppedEmpty }, optimizeStopsPromptly: true))
        runner.start(.risk(job))
        #expect(runner.waitUntilIdle(seconds: 300))
        let reports = runner.drain()
        #expect(reports.count == 1)
        if case .riskComputed(let g, _)? = reports.first { #expect(g == job.generation) } else { Issue.record("\(reports)") }
        #expect(!runner.isBusy)

        // A newer simulation cancels the running one: only the newer one reports.
        var t = s
        let newer = try #require(Self.riskJob(reduce(&t, .run("plan new newer"))))
        runner.start(.risk(job))
        runner.start(.risk(newer))
        #expect(runner.waitUntilIdle(seconds: 300))
        let last = runner.drain()
        #expect(last.count == 1)
        if case .riskComputed(let g, _)? = last.first { #expect(g == newer.generation) } else { Issue.record("\(last)") }

        // Cancelled while it runs: its report never comes.
        runner.start(.risk(job))
        runner.cancel(.risk)
        #expect(runner.waitUntilIdle(seconds: 300))
        #expect(runner.drain().isEmpty)
    }

    @Test func aCancellableOptimizerReportsProgressThenItsBestPlan() throws {
        var s = try Fixture.demo()
        let job = try #require(Self.optimizeJob(s.send(.command(.optimize))))
        let runner = JobRunner(workers: JobWorkers(optimize: { job, control in
            while !control.isCancelled {
                control.post(.optimizeProgress(generation: job.generation, OptimizeProgress(seconds: 0.1, bestCost: Money(cents: 5), bound: Money(cents: 4))))
                usleep(5_000)
            }
            return .stoppedEmpty
        }, optimizeStopsPromptly: true))
        runner.start(.optimize(job))
        var progress = 0
        for _ in 0..<2_000 where progress == 0 {
            usleep(1_000)
            progress += runner.drain().filter { if case .optimizeProgress = $0 { return true }; return false }.count
        }
        #expect(progress > 0)
        #expect(runner.isBusy)
        runner.cancel(.optimize)
        #expect(runner.waitUntilIdle(seconds: 10))
        let end = runner.drain().filter { if case .optimizeEnded = $0 { return true }; return false }
        #expect(end == [.optimizeEnded(generation: job.generation, .stoppedEmpty)])
    }

    /// Quitting stops the optimization before the planner exits, so that its solver process does not outlive it.
    @Test func quittingStopsTheOptimization() throws {
        var s = try Fixture.demo()
        let job = try #require(Self.optimizeJob(s.send(.command(.optimize))))
        let runner = JobRunner(workers: JobWorkers(optimize: { _, control in
            while !control.isCancelled { usleep(1_000) }
            return .stoppedEmpty
        }, optimizeStopsPromptly: true))
        runner.start(.optimize(job))
        #expect(runner.isBusy)
        runner.stopAll()
        #expect(!runner.isOptimizing)
        // A session that quits while o runs ends with it stopped too.
        var t = HeadlessTerminal(width: 100, height: 30, events: [.key(.char("o")), .key(.char("q"))])
        var fresh = try Fixture.demo()
        let loopRunner = JobRunner(workers: JobWorkers(optimize: { _, control in
            while !control.isCancelled { usleep(1_000) }
            return .stoppedEmpty
        }, optimizeStopsPromptly: true))
        #expect(run(&fresh, terminal: &t, jobs: loopRunner) == .quit)
        #expect(!loopRunner.isOptimizing)
    }

    @Test func anUninterruptibleSolveIsAbandonedAtOnce() throws {
        var s = try Fixture.demo()
        let job = try #require(Self.optimizeJob(s.send(.command(.optimize))))
        let plan = try Self.cliPlan(s)
        let runner = JobRunner(workers: JobWorkers(optimize: { _, _ in
            usleep(300_000)
            return .found(plan, benefits: [], stopped: false)
        }, optimizeStopsPromptly: false))
        runner.start(.optimize(job))
        runner.cancel(.optimize)
        #expect(runner.drain() == [.optimizeEnded(generation: job.generation, .stoppedEmpty)])
        #expect(!runner.isBusy)
        usleep(500_000)
        #expect(runner.drain().isEmpty, "the abandoned solve's plan came back")
    }

    // MARK: A whole session

    /// `o` through the real event loop with the real runner (CBC): the keys are read while the jobs run, and the
    /// session ends on the plan `treso optimize` finds, with the simulation of every plan including it.
    @Test func pressingOInASessionAddsTheOptimalPlan() throws {
        var s = try Fixture.demo(width: 120, height: 40)
        var t = HeadlessTerminal(width: 120, height: 40, events: [.key(.char("o"))])
        let runner = JobRunner(workers: .standard(solver: { CbcSolver() }))
        #expect(run(&s, terminal: &t, jobs: runner) == .inputEnded)
        #expect(s.activePlanState.name == "optimal")
        #expect(s.activePlanState.decisions == (try Self.cliPlan(s)).state.decisions)
        #expect(s.currentRisk?.plans.count == s.workspace.planCount)
        let last = try #require(t.lastFrame).lines().joined(separator: "\n")
        #expect(last.contains("optimal plan \"optimal\" added"))
        #expect(last.contains("░"))
    }
}
