import TresoCore
import TresoOptimize

/// Work that runs off the event loop (`JobRunner`), described as a value by the reducer like any effect.
/// Each job carries a generation: what it reports back names it, and the reducer drops a report whose
/// generation is no longer the one it waits for (the job was cancelled, or the document changed since).
public enum Job: Sendable, Equatable {
    case optimize(OptimizeJob)
    case risk(RiskJob)

    public var kind: JobKind {
        switch self {
        case .optimize: return .optimize
        case .risk: return .risk
        }
    }

    public var generation: Int {
        switch self {
        case .optimize(let j): return j.generation
        case .risk(let j): return j.generation
        }
    }
}

/// At most one job of each kind runs at a time; a newer job of a kind replaces one still waiting.
public enum JobKind: String, Sendable, Hashable, CaseIterable {
    case optimize, risk
}

/// `o`: the cheapest plan that keeps the overdraft limit, as `treso optimize` finds it.
public struct OptimizeJob: Sendable, Equatable {
    public var generation: Int
    public var engine: ForecastEngine
    public var request: OptimizeRequest
    /// The plans compared when the job started: "what it buys" is measured beside the reference plans, as in the comparison.
    public var references: [PlanState]
    /// `:optimize risk P`: the cheapest plan that breaks the floor on at most P of the simulated paths (§14).
    public var risk: RiskTarget? = nil

    public static func == (a: OptimizeJob, b: OptimizeJob) -> Bool {
        a.generation == b.generation && a.request.planName == b.request.planName && a.request.keep == b.request.keep
            && a.request.instruments == b.request.instruments && a.request.timeLimit == b.request.timeLimit
            && a.risk?.probability == b.risk?.probability
    }
}

/// After each change: every plan simulated over the same paths (issue 14), for the band and the P(breach) column.
public struct RiskJob: Sendable, Equatable {
    /// The workspace revision the plans are from.
    public var generation: Int
    public var states: [PlanState]
    public var paths: Int
    public var seed: UInt64

    public static func == (a: RiskJob, b: RiskJob) -> Bool {
        a.generation == b.generation && a.paths == b.paths && a.seed == b.seed && a.states.map(\.name) == b.states.map(\.name)
    }
}

/// How far a running optimization is: what the status line shows while it runs.
public struct OptimizeProgress: Sendable, Equatable {
    public var seconds: Double
    /// What the solver is looking for now (`OptimizerProgress.Phase`), when it says.
    public var phase: String?
    /// The best plan's cost so far, and the solver's proven lower bound, when the solver reports them.
    public var bestCost: Money?
    public var bound: Money?

    public init(seconds: Double, phase: String? = nil, bestCost: Money? = nil, bound: Money? = nil) {
        self.seconds = seconds; self.phase = phase; self.bestCost = bestCost; self.bound = bound
    }

    public init(_ p: OptimizerProgress) {
        self.init(seconds: p.elapsed, phase: p.phase.rawValue, bestCost: p.bestCost, bound: p.bound)
    }

    /// (best − bound) / |best| in ten-thousandths, rounded half away from zero as `treso optimize` reports it.
    public var gapTenThousandths: Int64? {
        guard let b = bestCost, let l = bound else { return nil }
        let diff = Int128(b.cents) - Int128(l.cents)
        if diff <= 0 { return 0 }
        return Int64(clamping: divideRoundingHalfAwayFromZero(diff * 10_000, max(Int128(b.cents.magnitude), 1)))
    }
}

/// What one chosen decision of the optimal plan buys: measured by the engine on the plan without it.
public struct DecisionBenefit: Sendable, Equatable {
    public var ref: InvoiceRef
    public var decision: Decision
    /// The plan's cost with the decision minus without it (negative: it saves money as well).
    public var marginalCost: Money
    /// Days over the limit without it that it keeps within the limit.
    public var coveredDays: [Day]
    /// The largest excess over the limit it removes, and on which day.
    public var worstExcess: Money
    public var worstDay: Day?
}

/// The end of an optimization.
public enum OptimizeOutcome: Sendable, Equatable {
    /// `stopped`: Esc before the end; the plan is the best found so far.
    case found(OptimizedPlan, benefits: [DecisionBenefit], stopped: Bool)
    /// Stopped before any plan was found.
    case stoppedEmpty
    case failed(String)

    public static func == (a: OptimizeOutcome, b: OptimizeOutcome) -> Bool {
        switch (a, b) {
        case let (.found(p, x, s), .found(q, y, t)):
            return s == t && x == y && p.totalCost == q.totalCost && p.lowerBound == q.lowerBound && p.status == q.status
                && p.chosen.map { "\($0.ref)\($0.decision)" } == q.chosen.map { "\($0.ref)\($0.decision)" }
        case (.stoppedEmpty, .stoppedEmpty): return true
        case let (.failed(x), .failed(y)): return x == y
        default: return false
        }
    }
}

/// Per plan, what the simulation says: the probability of exceeding the limit and the daily 5–95 % band.
public struct RiskSummary: Sendable, Equatable {
    public struct PlanFigures: Sendable, Equatable {
        public var name: String
        public var overLimitPaths: Int
        public var paths: Int
        /// Closing balance, 5th and 95th percentiles, per day of the horizon (cents).
        public var p5: [Int64]
        public var p95: [Int64]

        public init(name: String, overLimitPaths: Int, paths: Int, p5: [Int64], p95: [Int64]) {
            self.name = name; self.overLimitPaths = overLimitPaths; self.paths = paths; self.p5 = p5; self.p95 = p95
        }
    }
    public var paths: Int
    public var seed: UInt64
    public var plans: [PlanFigures]

    public init(paths: Int, seed: UInt64, plans: [PlanFigures]) {
        self.paths = paths; self.seed = seed; self.plans = plans
    }

    public init(_ report: RiskReport) {
        paths = report.paths
        seed = report.seed
        plans = report.plans.map { p in
            PlanFigures(name: p.name, overLimitPaths: p.overLimitPaths, paths: p.paths,
                        p5: p.days.map(\.p5.cents), p95: p.days.map(\.p95.cents))
        }
    }
}
