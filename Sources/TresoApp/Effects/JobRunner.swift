#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import TresoCore
import TresoOptimize

/// What a running job can see of its runner: whether it was cancelled, and a way to report progress.
public final class JobControl: Sendable {
    /// Set by `JobRunner.cancel`; the optimizer watches it (its solver process is stopped, the best plan kept).
    public let token = CancellationToken()
    let report: @Sendable (Action) -> Void

    init(report: @escaping @Sendable (Action) -> Void) { self.report = report }

    public var isCancelled: Bool { token.isCancelled }
    func cancel() { token.cancel() }
    /// Posts an action into the event loop (a progress report); dropped once the job is cancelled.
    public func post(_ action: Action) { if !isCancelled { report(action) } }
}

/// The work behind each kind of job. The executable gives the optimizer its solver (CBC); tests may give others.
public struct JobWorkers: Sendable {
    public var optimize: @Sendable (OptimizeJob, JobControl) -> OptimizeOutcome
    /// True when `optimize` returns soon after its control is cancelled, with the best plan found so far. False: the
    /// solver cannot be interrupted, so the runner reports the stop at once and drops what the solve returns later.
    public var optimizeStopsPromptly: Bool
    /// The simulation; nil when its control was cancelled before the end (it asks between batches of paths).
    public var risk: @Sendable (RiskJob, JobControl) -> RiskSummary?

    public init(optimize: @escaping @Sendable (OptimizeJob, JobControl) -> OptimizeOutcome, optimizeStopsPromptly: Bool,
                risk: @escaping @Sendable (RiskJob, JobControl) -> RiskSummary? = JobWorkers.simulate) {
        self.optimize = optimize; self.optimizeStopsPromptly = optimizeStopsPromptly; self.risk = risk
    }

    /// `treso optimize`'s optimizer on `solver`, reporting the solver's progress and stopping on cancel with the
    /// best plan found so far; then what each chosen decision buys.
    public static func standard(solver: @escaping @Sendable () -> any MILPSolver) -> JobWorkers {
        JobWorkers(optimize: { job, control in
            do {
                let optimizer = PlanOptimizer(engine: job.engine, solver: solver())
                // At a risk level: `treso optimize --risk`'s sample-average model (no progress; bounded by `time`).
                let plan = try job.risk.map { try optimizer.optimize(job.request, risk: $0, model: DelayModel(scenario: job.engine.scenario)).plan }
                    ?? optimizer.optimize(job.request, progress: { p in
                        control.post(.optimizeProgress(generation: job.generation, OptimizeProgress(p)))
                    }, cancel: control.token)
                return .found(plan, benefits: DecisionBenefit.measure(plan, references: job.references), stopped: control.isCancelled)
            } catch OptimizeError.cancelled {
                return .stoppedEmpty
            } catch let e as OptimizeError {
                return .failed(e.description)
            } catch {
                return .failed("\(error)")
            }
        }, optimizeStopsPromptly: true)
    }

    /// The planner's risk figures: `RiskSimulation` over every plan, on one thread (the job already runs off the loop).
    /// Stops between batches of paths once `control` is cancelled (a newer change started another simulation).
    @Sendable public static func simulate(_ job: RiskJob, _ control: JobControl) -> RiskSummary? {
        guard let engine = job.states.first?.engine else { return RiskSummary(paths: job.paths, seed: job.seed, plans: []) }
        let model = DelayModel(scenario: engine.scenario)
        return RiskSimulation.run(states: job.states, model: model, paths: job.paths, seed: job.seed, stop: { control.isCancelled })
            .map(RiskSummary.init)
    }
}

extension DecisionBenefit {
    /// Above this many chosen decisions, "what it buys" is not measured (one comparison per decision).
    public static let measuredDecisions = 60

    /// Per chosen decision: the plan without it, compared beside the reference plans as the comparison pane does.
    public static func measure(_ plan: OptimizedPlan, references: [PlanState]) -> [DecisionBenefit] {
        guard plan.chosen.count <= measuredDecisions, let with = PlanComparison(states: references + [plan.state]).results.last else { return [] }
        let limit = plan.state.engine.scenario.overdraft.limit.cents
        return plan.chosen.map { c in
            var without = plan.state
            without.set(.none, for: c.ref)
            guard let w = PlanComparison(states: references + [without]).results.last else {
                return DecisionBenefit(ref: c.ref, decision: c.decision, marginalCost: .zero, coveredDays: [], worstExcess: .zero, worstDay: nil)
            }
            var covered: [Day] = []
            var worst: Int64 = 0
            var worstDay: Day?
            for (a, b) in zip(w.projection.days, with.projection.days) where a.flags.contains(.overLimit) && !b.flags.contains(.overLimit) {
                covered.append(a.day)
                let excess = -(a.closing.cents &+ limit)
                if excess > worst { worst = excess; worstDay = a.day }
            }
            return DecisionBenefit(ref: c.ref, decision: c.decision, marginalCost: with.totalCost - w.totalCost,
                                   coveredDays: covered, worstExcess: Money(cents: worst), worstDay: worstDay)
        }
    }
}

/// Runs jobs on their own threads and hands what they report to the event loop (`drain`), which reduces it like any
/// action. One job of each kind runs at a time: a newer one waits and replaces any job already waiting, so a burst of
/// changes costs at most one stale simulation. Nothing here touches the state: the reducer decides what a report means.
public final class JobRunner: Sendable {
    private struct Running {
        var generation: Int
        var control: JobControl
        var started: ContinuousClock.Instant
    }
    private struct Slots {
        var inbox: [Action] = []
        var running: [JobKind: Running] = [:]
        var waiting: [JobKind: Job] = [:]
    }
    private let slots = Mutex(Slots())
    private let workers: JobWorkers
    /// Called after something was posted (a terminal wakes its wait); may be nil when the loop polls.
    private let wake: (@Sendable () -> Void)?

    public init(workers: JobWorkers, wake: (@Sendable () -> Void)? = nil) {
        self.workers = workers; self.wake = wake
    }

    /// True while a job runs or waits, or a report is not drained yet: the event loop then waits with a timeout.
    public var isBusy: Bool {
        slots.withLock { !$0.inbox.isEmpty || !$0.running.isEmpty || !$0.waiting.isEmpty }
    }

    /// An optimization is running (not yet stopped).
    public var isOptimizing: Bool { slots.withLock { $0.running[.optimize] != nil } }

    public func start(_ job: Job) {
        let startNow: Bool = slots.withLock { s in
            guard let r = s.running[job.kind] else { return true }
            // A newer simulation makes the running one stale: it is cancelled (it stops within a batch of paths) and
            // the newer one starts when it has stopped. An optimization is never replaced this way.
            if job.kind == .risk { r.control.cancel() }
            s.waiting[job.kind] = job
            return false
        }
        if startNow { launch(job) }
    }

    /// Cancels the running job of `kind` (and drops one waiting).
    public func cancel(_ kind: JobKind) {
        let stopped: Running? = slots.withLock { s in
            s.waiting[kind] = nil
            guard let r = s.running[kind] else { return nil }
            r.control.cancel()
            if kind == .optimize && !workers.optimizeStopsPromptly {
                // The solve cannot be interrupted: it is abandoned (its result will be dropped) and the stop reported now.
                s.running[kind] = nil
                s.inbox.append(.optimizeEnded(generation: r.generation, .stoppedEmpty))
            }
            return r
        }
        if stopped != nil { wake?() }
    }

    /// What the jobs reported since the last call, in order; while an optimization runs, its elapsed time too.
    public func drain() -> [Action] {
        let now = ContinuousClock.now
        return slots.withLock { s in
            var out = s.inbox
            s.inbox = []
            if let r = s.running[.optimize], !r.control.isCancelled {
                out.append(.optimizeTick(generation: r.generation, seconds: seconds(now - r.started)))
            }
            return out
        }
    }

    /// Quitting: every job is cancelled, and the optimization (whose solver runs in a process of its own) is given up
    /// to `seconds` to stop, so that no solver outlives the planner. A simulation is simply left to die with the process.
    public func stopAll(seconds limit: Double = 2) {
        for kind in JobKind.allCases { cancel(kind) }
        let start = ContinuousClock.now
        while isOptimizing && seconds(ContinuousClock.now - start) < limit { usleep(2_000) }
    }

    /// Blocks until no job runs or waits (tests, and a headless session whose keys ran out), at most `seconds`.
    @discardableResult
    public func waitUntilIdle(seconds limit: Double = 120) -> Bool {
        let start = ContinuousClock.now
        while slots.withLock({ !$0.running.isEmpty || !$0.waiting.isEmpty }) {
            if seconds(ContinuousClock.now - start) > limit { return false }
            usleep(2_000)
        }
        return true
    }

    private func launch(_ job: Job) {
        let control = JobControl(report: { [weak self] a in self?.post(a, from: nil) })
        slots.withLock { s in s.running[job.kind] = Running(generation: job.generation, control: control, started: .now) }
        let workers = self.workers
        startThread { [self] in
            let result: Action
            switch job {
            case .optimize(let j): result = .optimizeEnded(generation: j.generation, workers.optimize(j, control))
            case .risk(let j):
                guard let summary = workers.risk(j, control) else { self.finish(job, control: control, result: nil); return }
                result = .riskComputed(generation: j.generation, summary)
            }
            self.finish(job, control: control, result: result)
        }
    }

    private func finish(_ job: Job, control: JobControl, result: Action?) {
        let next: Job? = slots.withLock { s in
            // Only the job still registered may report (an abandoned solve was replaced, or reported its stop already).
            if let r = s.running[job.kind], r.control === control {
                s.running[job.kind] = nil
                if let result, !(control.isCancelled && job.kind != .optimize) { s.inbox.append(result) }
            }
            guard s.running[job.kind] == nil, let w = s.waiting.removeValue(forKey: job.kind) else { return nil }
            return w
        }
        if let next { launch(next) }
        wake?()
    }

    private func post(_ action: Action, from _: Job?) {
        slots.withLock { $0.inbox.append(action) }
        wake?()
    }
}

private func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Carries a closure to a new detached thread.
private final class ThreadBody: @unchecked Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// Starts `body` on a new detached thread; runs it here if no thread can be started.
private func startThread(_ body: @escaping @Sendable () -> Void) {
    let work = Unmanaged.passRetained(ThreadBody(body))
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    // The optimizer and the simulation recurse little but keep large frames: a roomy stack, as the main thread has.
    pthread_attr_setstacksize(&attributes, 16 << 20)
    defer { pthread_attr_destroy(&attributes) }
    #if canImport(Darwin)
    var thread: pthread_t? = nil
    #else
    var thread = pthread_t()
    #endif
    let started = pthread_create(&thread, &attributes, { context in
        #if canImport(Darwin)
        Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().body()
        #else
        if let context { Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().body() }
        #endif
        return nil
    }, work.toOpaque())
    if started != 0 {
        work.release()
        body()
    }
}
