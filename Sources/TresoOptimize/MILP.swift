import Synchronization

/// A mixed-integer linear program in column-major form: minimise objective·x subject to
/// rowLower ≤ A·x ≤ rowUpper and columnLower ≤ x ≤ columnUpper, some columns integer.
/// Rows are declared first, then each column with its non-zero entries, so a model of
/// 300 000 columns is built in one pass without a dense matrix.
public struct LinearModel: Sendable {
    public private(set) var rowLower: [Double] = []
    public private(set) var rowUpper: [Double] = []
    public var columnLower: [Double] = []
    public var columnUpper: [Double] = []
    public var objective: [Double] = []
    public var isInteger: [Bool] = []
    /// Compressed sparse columns: entries of column j are `columnStarts[j]..<columnStarts[j+1]`.
    public private(set) var columnStarts: [Int32] = [0]
    public private(set) var rowIndex: [Int32] = []
    public private(set) var values: [Double] = []

    public init() {}

    public var rowCount: Int { rowLower.count }
    public var columnCount: Int { objective.count }

    /// Declares a row `lower ≤ Σ … ≤ upper` (use ±.infinity for a free side) and returns its index.
    @discardableResult
    public mutating func addRow(lower: Double, upper: Double) -> Int {
        rowLower.append(lower); rowUpper.append(upper)
        return rowLower.count - 1
    }

    public mutating func setRowBounds(_ row: Int, lower: Double, upper: Double) {
        rowLower[row] = lower; rowUpper[row] = upper
    }

    /// Adds a column with its entries in already-declared rows; returns its index.
    @discardableResult
    public mutating func addColumn(lower: Double, upper: Double, cost: Double, integer: Bool = false,
                                   entries: some Sequence<(row: Int, value: Double)>) -> Int {
        for (r, v) in entries where v != 0 {
            rowIndex.append(Int32(r)); values.append(v)
        }
        columnStarts.append(Int32(rowIndex.count))
        columnLower.append(lower); columnUpper.append(upper); objective.append(cost); isInteger.append(integer)
        return objective.count - 1
    }
}

extension LinearModel {
    /// This model with more rows `lower ≤ Σ value·x[column] ≤ upper` (rebuilds the sparse columns once); the new
    /// rows get indices from `rowCount` on, in order, and later columns may use them too.
    public func appending(rows: [(lower: Double, upper: Double, entries: [(column: Int, value: Double)])]) -> LinearModel {
        var m = LinearModel()
        for r in 0..<rowCount { m.addRow(lower: rowLower[r], upper: rowUpper[r]) }
        var extra: [Int: [(row: Int, value: Double)]] = [:]
        for r in rows {
            let row = m.addRow(lower: r.lower, upper: r.upper)
            for e in r.entries { extra[e.column, default: []].append((row, e.value)) }
        }
        for j in 0..<columnCount {
            var list: [(row: Int, value: Double)] = (Int(columnStarts[j])..<Int(columnStarts[j + 1])).map { (Int(rowIndex[$0]), values[$0]) }
            list += extra[j] ?? []
            m.addColumn(lower: columnLower[j], upper: columnUpper[j], cost: objective[j], integer: isInteger[j], entries: list)
        }
        return m
    }
}

public struct MILPOptions: Sendable {
    /// Wall-clock limit for this solve, in seconds.
    public var timeLimit: Double
    /// Stop once (incumbent − bound) / |incumbent| ≤ this fraction (0 = prove optimality).
    public var relativeGap: Double
    /// A large model: the solver should spend its time finding plans rather than tightening the relaxation
    /// with cuts (measured in docs/decisions.md: on 10 000 invoices CBC finds its first plan twice as fast).
    public var large: Bool
    /// Let the solver print its progress (benchmarks, `treso optimize --trace`).
    public var log: Bool
    /// A solution of the model (every column's value) the solver may start from.
    public var start: [Double]?
    /// Feasibility-pump passes (nil: the solver's default).
    public var pumpPasses: Int?
    /// Stop after this many branch-and-bound nodes (nil: no limit). Unlike the time limit, where the search stops
    /// does not depend on the machine's speed or load.
    public var maxNodes: Int?
    public init(timeLimit: Double = 60, relativeGap: Double = 0, large: Bool = false, log: Bool = false, start: [Double]? = nil,
                pumpPasses: Int? = nil, maxNodes: Int? = nil) {
        self.timeLimit = timeLimit; self.relativeGap = relativeGap; self.large = large; self.log = log; self.start = start
        self.pumpPasses = pumpPasses; self.maxNodes = maxNodes
    }
}

public struct MILPResult: Sendable {
    public enum Status: String, Sendable {
        /// Proven optimal (within the relative gap asked for).
        case optimal
        /// A solution, stopped by the time limit before optimality was proven.
        case feasible
        /// Proven to have no solution.
        case infeasible
        /// Stopped before any solution was found.
        case unknown
    }
    public var status: Status
    /// Column values of the best solution (empty without one).
    public var values: [Double]
    public var objective: Double
    /// The solver's proven lower bound on the objective of any solution.
    public var bound: Double
    /// Set when the solver itself failed (its process died on a signal, an assertion…): what happened, naming
    /// the solver. The other fields then hold the best solution it had reported before failing, if any.
    public var failure: String?
    /// The solve was stopped by its observer's cancellation token (the fields hold the best solution so far).
    public var cancelled = false

    public init(status: Status, values: [Double], objective: Double, bound: Double, failure: String? = nil, cancelled: Bool = false) {
        self.status = status; self.values = values; self.objective = objective; self.bound = bound
        self.failure = failure; self.cancelled = cancelled
    }
}

/// A request to stop, set from any thread (the planner's Esc), read by the running solve.
public final class CancellationToken: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// What a solver reports while it searches.
public struct MILPProgress: Sendable {
    /// Objective of the best solution so far (nil before the first one).
    public var objective: Double?
    /// The proven lower bound so far (nil when none yet).
    public var bound: Double?
    public init(objective: Double?, bound: Double?) { self.objective = objective; self.bound = bound }
}

/// Who watches a solve: progress is called on the solving thread as the search improves; the solve
/// stops (keeping its best solution) soon after `cancel` is set.
public struct MILPObserver: Sendable {
    public var progress: @Sendable (MILPProgress) -> Void
    public var cancel: CancellationToken?
    public init(progress: @escaping @Sendable (MILPProgress) -> Void = { _ in }, cancel: CancellationToken? = nil) {
        self.progress = progress; self.cancel = cancel
    }
}

/// The only thing the optimizer needs from a MILP solver. Implementations live in their own
/// targets (CbcMILP), so neither TresoCore nor this model depends on a solver library.
public protocol MILPSolver: Sendable {
    var name: String { get }
    func solve(_ model: LinearModel, options: MILPOptions) -> MILPResult
    /// The same, reporting progress and honouring cancellation. Solvers that cannot report progress
    /// get a default that solves to the end (cancellation is then seen between solves only).
    func solve(_ model: LinearModel, options: MILPOptions, observer: MILPObserver) -> MILPResult
}

extension MILPSolver {
    public func solve(_ model: LinearModel, options: MILPOptions, observer: MILPObserver) -> MILPResult {
        if observer.cancel?.isCancelled == true {
            return MILPResult(status: .unknown, values: [], objective: .infinity, bound: -.infinity, cancelled: true)
        }
        return solve(model, options: options)
    }
}
