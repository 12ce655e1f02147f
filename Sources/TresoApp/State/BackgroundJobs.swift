import TresoCore
import TresoOptimize

/// What the state knows of the work running off the event loop: which generation each report must carry to be
/// taken, the optimization in progress, and the latest risk figures with the revision they belong to.
public struct BackgroundJobs: Sendable, Equatable {
    /// The next optimization's generation (risk jobs use the workspace revision).
    var nextGeneration = 1
    public internal(set) var optimizing: OptimizeRun?
    /// The revision a risk job was last started for (-1: none yet).
    var riskRequested = -1
    /// The latest simulation and the revision it was computed for: shown only while that is the workspace's revision.
    public internal(set) var risk: RiskSummary?
    public internal(set) var riskRevision = -1
    /// Simulate after each change (the band and the P(breach) column).
    public internal(set) var riskEnabled = true
    /// What the optimizer said about the plans it proposed, by plan name.
    public internal(set) var notes: [String: OptimizerNote] = [:]

    /// Paths the planner simulates after each change, with `treso risk`'s default seed: `treso risk --paths 500` gives
    /// the same P(breach). 500 paths put the 5 % and 95 % quantiles on the 25th path from each end.
    public static let riskPaths = 500
    public static let riskSeed: UInt64 = 1
}

/// An optimization in progress.
public struct OptimizeRun: Sendable, Equatable {
    public var generation: Int
    public var planName: String

    init(generation: Int, planName: String, terms: ScenarioTerms, options: OptimizeOptions = OptimizeOptions()) {
        self.generation = generation; self.planName = planName; self.terms = terms; self.options = options
    }
    /// The terms it optimizes under: a report that comes back after they changed is stale, and the solve is started again.
    var terms: ScenarioTerms
    /// What `:optimize` asked (`o`: the defaults); a restart under new terms asks the same.
    public var options = OptimizeOptions()
    public var progress = OptimizeProgress(seconds: 0)
    /// Esc was pressed: waiting for the best plan found so far.
    public var stopping = false
}

/// What `o` said about a plan it proposed: the proof, and per chosen decision what it buys.
public struct OptimizerNote: Sendable, Equatable {
    public var status: String
    public var cost: Money
    public var bound: Money
    public var gap: String
    public var benefits: [InvoiceRef: DecisionBenefit]
}
