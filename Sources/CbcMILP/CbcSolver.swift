import CCbc
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import TresoOptimize

/// COIN-OR CBC behind `MILPSolver`. The only code that imports CCbc.
///
/// By default each solve runs in a child process (ChildSolver.swift): CBC can abort on an internal
/// assertion, and that must not end treso or the planner; the child also makes cancelling and the time
/// limit hard (the child is killed, the best incumbent it reported is kept).
public struct CbcSolver: MILPSolver {
    public enum Isolation: Sendable {
        /// In a child process running this executable (`path`), as treso does.
        case childProcess(path: String)
        /// In this process (no protection from a CBC abort; cancellation only between solves).
        case inProcess
        /// A child process when an executable able to run it is found (`treso` itself, or the `treso`
        /// beside the running executable, or TRESO_SOLVER_EXECUTABLE), else in this process.
        case automatic
    }
    public var name: String { "CBC " + String(cString: Cbc_getVersion()) }
    public var isolation: Isolation
    /// Test hooks for the child process, once it has read the model.
    public enum TestFault: String, Sendable {
        /// Abort (SIGABRT), as CBC 2.10.8 did on a Clp assertion.
        case abort
        /// Never answer, as CBC's root LP on a huge model ignores its time limit.
        case hang
    }
    public var testFault: TestFault? = nil
    /// CBC's C interface keeps process-wide state inside Cbc_solve (its command-line driver):
    /// two in-process solves at once (parallel tests, the planner while a command runs) must not overlap.
    private static let lock = Mutex(())

    public init(isolation: Isolation = .automatic) {
        self.isolation = isolation
    }

    /// Where this solver runs its solves (nil: in this process).
    public var childExecutable: String? {
        switch isolation {
        case .childProcess(let path): return path
        case .inProcess: return nil
        case .automatic: return getenv("TRESO_SOLVER_IN_PROCESS") != nil ? nil : Self.defaultChildExecutable()
        }
    }

    public func solve(_ m: LinearModel, options: MILPOptions) -> MILPResult {
        solve(m, options: options, observer: MILPObserver())
    }

    public func solve(_ m: LinearModel, options: MILPOptions, observer: MILPObserver) -> MILPResult {
        if observer.cancel?.isCancelled == true {
            return MILPResult(status: .unknown, values: [], objective: .infinity, bound: -.infinity, cancelled: true)
        }
        if let exe = childExecutable { return solveInChild(m, options: options, observer: observer, executable: exe) }
        return Self.lock.withLock { _ in solveLocked(m, options: options) }
    }

    /// Writes the model as an MPS file (`path` without extension; CBC adds ".mps"), for other solvers.
    public func writeMPS(_ m: LinearModel, path: String) {
        Self.lock.withLock { _ in
            guard let model = load(m) else { return }
            Cbc_writeMps(model, path)
            Cbc_deleteModel(model)
        }
    }

    private func load(_ m: LinearModel) -> UnsafeMutableRawPointer? {
        guard let model = Cbc_newModel() else { return nil }
        let starts = m.columnStarts.map { CoinBigIndex($0) }
        starts.withUnsafeBufferPointer { st in
            m.rowIndex.withUnsafeBufferPointer { ix in
                m.values.withUnsafeBufferPointer { va in
                    Cbc_loadProblem(model, Int32(m.columnCount), Int32(m.rowCount), st.baseAddress, ix.baseAddress, va.baseAddress,
                                    m.columnLower, m.columnUpper, m.objective, m.rowLower, m.rowUpper)
                }
            }
        }
        for (j, integer) in m.isInteger.enumerated() where integer { Cbc_setInteger(model, Int32(j)) }
        return model
    }

    private func solveLocked(_ m: LinearModel, options: MILPOptions) -> MILPResult {
        guard let model = load(m) else { return MILPResult(status: .unknown, values: [], objective: 0, bound: -.infinity) }
        defer { Cbc_deleteModel(model) }
        if let start = options.start, start.count == m.columnCount {
            let idx = m.isInteger.indices.filter { m.isInteger[$0] }
            Cbc_setMIPStartI(model, Int32(idx.count), idx.map { Int32($0) }, idx.map { start[$0].rounded() })
        }
        Cbc_setLogLevel(model, 0)
        Cbc_setParameter(model, "log", "0")
        Cbc_setParameter(model, "slog", "0")
        if options.log { Cbc_setParameter(model, "log", "1") }
        Cbc_setMaximumSeconds(model, max(0.01, options.timeLimit))
        if options.large {
            Cbc_setParameter(model, "cuts", "off")
            if let p = options.pumpPasses { Cbc_setParameter(model, "passF", String(p)) }
            Cbc_setParameter(model, "preprocess", "off")
        }
        if options.relativeGap > 0 { Cbc_setAllowableFractionGap(model, options.relativeGap) }
        if let nodes = options.maxNodes { Cbc_setParameter(model, "maxN", String(max(nodes, 0))) }
        _ = Cbc_solve(model)

        let n = m.columnCount
        var values: [Double] = []
        if let sol = Cbc_bestSolution(model) {
            values = Array(UnsafeBufferPointer(start: sol, count: n))
        } else if !m.isInteger.contains(true), Cbc_isProvenOptimal(model) != 0, let sol = Cbc_getColSolution(model) {
            values = Array(UnsafeBufferPointer(start: sol, count: n))   // a pure LP keeps its solution here
        }
        let bound = Cbc_getBestPossibleObjValue(model)
        if Cbc_isProvenInfeasible(model) != 0 && values.isEmpty {
            return MILPResult(status: .infeasible, values: [], objective: .infinity, bound: .infinity)
        }
        if values.isEmpty { return MILPResult(status: .unknown, values: [], objective: .infinity, bound: bound) }
        let objective = Cbc_getObjValue(model)
        let proven = Cbc_isProvenOptimal(model) != 0
        return MILPResult(status: proven ? .optimal : .feasible, values: values, objective: objective, bound: proven ? min(bound, objective) : bound)
    }
}
