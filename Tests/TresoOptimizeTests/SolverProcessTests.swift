import CbcMILP
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import TestSupport
@testable import TresoCore
@testable import TresoIO
@testable import TresoOptimize

/// A model CBC finds solutions of at once but takes long to prove optimal: a "market split" with slacks
/// (Cornuéjols–Dawande), minimise Σ|s_i| subject to Σ a_ij x_j + s⁺_i − s⁻_i = ⌊Σ_j a_ij / 2⌋, x binary.
func marketSplit(rows: Int, columns: Int, seed: UInt64) -> LinearModel {
    var rng = SeededRandom(seed: seed)
    let a = (0..<rows).map { _ in (0..<columns).map { _ in Double(Int.random(in: 0...99, using: &rng)) } }
    var m = LinearModel()
    for i in 0..<rows {
        let d = (a[i].reduce(0, +) / 2).rounded(.down)
        m.addRow(lower: d, upper: d)
    }
    for j in 0..<columns {
        m.addColumn(lower: 0, upper: 1, cost: 0, integer: true, entries: (0..<rows).map { (row: $0, value: a[$0][j]) })
    }
    for i in 0..<rows {
        m.addColumn(lower: 0, upper: .infinity, cost: 1, entries: [(row: i, value: 1)])
        m.addColumn(lower: 0, upper: .infinity, cost: 1, entries: [(row: i, value: -1)])
    }
    return m
}

/// Whether `x` satisfies every row and bound of `m` (within 1e-6) and costs `objective`.
func isSolution(_ x: [Double], of m: LinearModel, objective: Double) -> Bool {
    guard x.count == m.columnCount else { return false }
    var rows = [Double](repeating: 0, count: m.rowCount)
    var cost = 0.0
    for j in 0..<m.columnCount {
        if x[j] < m.columnLower[j] - 1e-6 || x[j] > m.columnUpper[j] + 1e-6 { return false }
        if m.isInteger[j] && abs(x[j] - x[j].rounded()) > 1e-6 { return false }
        cost += m.objective[j] * x[j]
        for k in Int(m.columnStarts[j])..<Int(m.columnStarts[j + 1]) { rows[Int(m.rowIndex[k])] += m.values[k] * x[j] }
    }
    for i in 0..<m.rowCount where rows[i] < m.rowLower[i] - 1e-6 || rows[i] > m.rowUpper[i] + 1e-6 { return false }
    return abs(cost - objective) < 1e-6
}

/// The optimizer's solves run in a child process: a CBC abort cannot end treso, cancelling and the time
/// limit stop the child and keep the best solution it reported.
@Suite struct SolverProcessTests {
    func child() throws -> CbcSolver {
        let exe = tresoBinary()
        try #require(access(exe, X_OK) == 0, "the treso binary (\(exe)) is built: the solver child runs it")
        return CbcSolver(isolation: .childProcess(path: exe))
    }

    @Test func theChildSolvesLikeTheLibrary() throws {
        let m = marketSplit(rows: 2, columns: 12, seed: 7)
        let inProcess = CbcSolver(isolation: .inProcess).solve(m, options: MILPOptions(timeLimit: 30))
        let inChild = try child().solve(m, options: MILPOptions(timeLimit: 30))
        #expect(inChild.status == .optimal && inProcess.status == .optimal)
        #expect(abs(inChild.objective - inProcess.objective) < 1e-9)
        #expect(isSolution(inChild.values, of: m, objective: inChild.objective))
    }

    /// CBC 2.10.8 once aborted on a Clp assertion: the optimizer reports it, naming the solver and the signal.
    @Test func aSolverAbortIsAClearError() throws {
        var solver = try child()
        solver.testFault = .abort
        let s = try #require(ScenarioLoader.load(path: packageRoot() + "/examples/demo", defaultStart: Day.ymd(2026, 12, 1)).scenario)
        do {
            _ = try PlanOptimizer(engine: ForecastEngine(scenario: s), solver: solver).optimize(OptimizeRequest())
            Issue.record("an aborted solver gave a plan")
        } catch let e as OptimizeError {
            guard case .solverCrashed = e else { Issue.record("unexpected error \(e)"); return }
            #expect(e.description.contains("CBC 2."), "names the solver: \(e.description)")
            #expect(e.description.contains("signal 6 (SIGABRT"), "names the signal: \(e.description)")
        }
    }

    /// Cancelling keeps the best solution the child reported: a solution of the model, at its cost.
    @Test func cancelReturnsTheIncumbent() throws {
        let m = marketSplit(rows: 4, columns: 40, seed: 11)
        let token = CancellationToken()
        let seen = Mutex<Double?>(nil)
        let observer = MILPObserver(progress: { p in
            if let o = p.objective { seen.withLock { $0 = o }; token.cancel() }
        }, cancel: token)
        let clock = ContinuousClock()
        let t0 = clock.now
        let r = try child().solve(m, options: MILPOptions(timeLimit: 60, large: true), observer: observer)
        #expect(clock.now - t0 < .seconds(30), "cancelled long before the time limit")
        #expect(r.cancelled)
        #expect(r.failure == nil)
        #expect(r.status == .feasible)
        #expect(isSolution(r.values, of: m, objective: r.objective), "the incumbent is a solution at its cost")
        if let o = seen.withLock({ $0 }) { #expect(r.objective <= o) }
    }

    /// A node limit stops the search where it stops whatever the machine's speed: the same unproven incumbent
    /// every time, in the child as in the library (the optimizer's first try with credit lines relies on it).
    @Test func aNodeLimitStopsTheSearchTheSameWayEveryTime() throws {
        let m = marketSplit(rows: 4, columns: 40, seed: 11)
        let options = MILPOptions(timeLimit: 60, maxNodes: 20)
        let a = try child().solve(m, options: options)
        let b = try child().solve(m, options: options)
        let c = CbcSolver(isolation: .inProcess).solve(m, options: options)
        #expect(a.status == .feasible, "stopped by the node limit, not proven: \(a.status)")
        #expect(isSolution(a.values, of: m, objective: a.objective))
        #expect(a.values == b.values && a.objective == b.objective)
        #expect(c.status == .feasible && c.objective == a.objective)
    }

    /// The time limit is enforced by the parent: a child that never answers is stopped at the limit.
    @Test func theTimeLimitIsHard() throws {
        var solver = try child()
        solver.testFault = .hang
        let clock = ContinuousClock()
        let t0 = clock.now
        let r = solver.solve(marketSplit(rows: 2, columns: 10, seed: 3), options: MILPOptions(timeLimit: 0.5))
        let took = clock.now - t0
        #expect(took < .seconds(3), "stopped at the limit, took \(took)")
        #expect(r.failure == nil && r.values.isEmpty && r.status == .unknown)
    }

    /// The optimizer turns a cancelled solve's incumbent into a plan the engine measures, status feasible.
    @Test func aCancelledOptimizationKeepsTheBestPlan() throws {
        let s = try #require(ScenarioLoader.load(path: packageRoot() + "/examples/demo", defaultStart: Day.ymd(2026, 12, 1)).scenario)
        let engine = ForecastEngine(scenario: s)
        let token = CancellationToken()
        let o = try PlanOptimizer(engine: engine, solver: CancelAfterSolving(inner: try child(), token: token))
            .optimize(OptimizeRequest(), cancel: token)
        #expect(o.status == .feasible)
        #expect(o.totalCost == asCompared(o.state).totalCost)
        #expect(o.lowerBound <= o.totalCost)
        let free = try PlanOptimizer(engine: engine, solver: try child()).optimize(OptimizeRequest())
        #expect(o.totalCost == free.totalCost, "the incumbent here is the optimum")

        let before = CancellationToken()
        before.cancel()
        #expect(throws: OptimizeError.self) { try PlanOptimizer(engine: engine, solver: try child()).optimize(OptimizeRequest(), cancel: before) }
    }
}

@Suite struct OptimizationJobTests {
    func wait(_ job: OptimizationJob) -> Result<OptimizedPlan, OptimizeError>? {
        for _ in 0..<6000 {
            if let o = job.outcome { return o }
            usleep(10_000)
        }
        return nil
    }

    /// The planner's background job gives the plan `treso optimize` gives, and reports progress on the way.
    @Test func aJobFindsThePlanTheCommandFinds() throws {
        let s = try #require(ScenarioLoader.load(path: packageRoot() + "/examples/demo", defaultStart: Day.ymd(2026, 12, 1)).scenario)
        let engine = ForecastEngine(scenario: s)
        let solver = CbcSolver(isolation: .childProcess(path: tresoBinary()))
        let updates = Atomic<Int>(0)
        let job = OptimizationJob(optimizer: PlanOptimizer(engine: engine, solver: solver), request: OptimizeRequest(),
                                  onUpdate: { updates.add(1, ordering: .relaxed) })
        let outcome = try #require(wait(job), "the job ends")
        let direct = try PlanOptimizer(engine: engine, solver: solver).optimize(OptimizeRequest())
        guard case .success(let o) = outcome else { Issue.record("job failed: \(outcome)"); return }
        #expect(o.totalCost == direct.totalCost && o.status == .optimal)
        #expect(updates.load(ordering: .relaxed) >= 1)
        #expect(job.isFinished)
    }

    /// Esc at once: the job ends promptly, without a plan or with one that keeps the limit.
    @Test func aCancelledJobEnds() throws {
        let s = try #require(ScenarioLoader.load(path: packageRoot() + "/examples/demo", defaultStart: Day.ymd(2026, 12, 1)).scenario)
        let job = OptimizationJob(optimizer: PlanOptimizer(engine: ForecastEngine(scenario: s),
                                                           solver: CbcSolver(isolation: .childProcess(path: tresoBinary()))),
                                  request: OptimizeRequest())
        job.cancel()
        let outcome = try #require(wait(job), "the job ends")
        switch outcome {
        case .failure(let e): if case .cancelled = e {} else { Issue.record("unexpected \(e)") }
        case .success(let o): #expect(o.status != .infeasible)
        }
    }
}

/// Solves, then reports the solution as the incumbent of a solve the user cancelled.
struct CancelAfterSolving: MILPSolver {
    let inner: CbcSolver
    let token: CancellationToken
    var name: String { inner.name }
    func solve(_ model: LinearModel, options: MILPOptions) -> MILPResult {
        var r = inner.solve(model, options: options)
        token.cancel()
        r.cancelled = true
        r.status = .feasible
        r.bound = -.infinity
        return r
    }
    func solve(_ model: LinearModel, options: MILPOptions, observer: MILPObserver) -> MILPResult { solve(model, options: options) }
}
