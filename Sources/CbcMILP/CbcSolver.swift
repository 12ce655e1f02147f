import CCbc
import Synchronization
import TresoOptimize

/// COIN-OR CBC behind `MILPSolver`. The only code that imports CCbc.
public struct CbcSolver: MILPSolver {
    public var name: String { "CBC " + String(cString: Cbc_getVersion()) }
    /// CBC's C interface keeps process-wide state inside Cbc_solve (its command-line driver):
    /// two solves at once (parallel tests, the planner while a command runs) must not overlap.
    private static let lock = Mutex(())

    public init() {}

    public func solve(_ m: LinearModel, options: MILPOptions) -> MILPResult {
        Self.lock.withLock { _ in solveLocked(m, options: options) }
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
            Cbc_setParameter(model, "preprocess", "off")
        }
        if options.relativeGap > 0 { Cbc_setAllowableFractionGap(model, options.relativeGap) }
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
