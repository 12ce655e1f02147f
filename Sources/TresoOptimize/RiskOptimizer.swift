import TresoCore

/// `treso optimize --risk P`: the cheapest plan whose probability of breaking the floor (the overdraft limit, or
/// with `--keep buffer` the minimum cash) is at most P on simulated paths. docs/calculations.md §14 ("At a risk level").
public struct RiskTarget: Sendable {
    /// The largest share of paths allowed to break the floor, 0 … 1.
    public var probability: Double
    /// Paths in the model (sample-average approximation) and their seed.
    public var paths: Int = 200
    public var seed: UInt64 = 1
    /// Fresh paths on which the plan is measured afterwards, and their seed (different from the model's).
    public var checkPaths: Int = 2_000
    public var checkSeed: UInt64 { seed &+ 0x5EED }
    public init(probability: Double, paths: Int = 200, seed: UInt64 = 1, checkPaths: Int = 2_000) {
        self.probability = probability; self.paths = paths; self.seed = seed; self.checkPaths = checkPaths
    }
}

/// The plan found at a risk level, with its probability of breaking the floor measured by `RiskSimulation` (the
/// engine's own paths): on the model's paths (in sample) and on fresh ones (out of sample).
public struct RiskOptimizedPlan: Sendable {
    public var plan: OptimizedPlan
    public var target: RiskTarget
    /// Paths the model allowed to break the floor (⌊P·N⌋).
    public var allowedPaths: Int
    public var inSample: PlanRisk
    public var outOfSample: PlanRisk
    /// The floor's share for the kept floor: over the limit (`keep limit`) or below the buffer (`keep buffer`).
    public var keep: OptimizeRequest.Keep

    public func breaches(_ r: PlanRisk) -> Int { keep == .limit ? r.overLimitPaths : r.belowBufferPaths }
}

extension PlanOptimizer {
    /// Sample-average approximation: the optimizer's model (its options, charges and minimum fees, its cost as the
    /// objective) without its deterministic floor, plus, for each of N simulated paths, that path's balance day by
    /// day — the plan's base ledger on the path (`RiskSimulation.forEachPath`) plus each chosen option's cash on the
    /// path's settlement dates — kept at or above the floor unless the path's binary "allowed to break" is 1, with
    /// Σ binaries ≤ ⌊P·N⌋. Overdraft charges are not in the per-path balances: the plan is then measured by the
    /// engine on the same paths, and when charges pushed it past P the per-path floor is raised by the largest
    /// charges seen and the model solved again (at most 3 times).
    public func optimize(_ request: OptimizeRequest, risk: RiskTarget, model delays: DelayModel) throws -> RiskOptimizedPlan {
        let clock = ContinuousClock()
        let t0 = clock.now
        func elapsed() -> Double {
            let d = clock.now - t0
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        try validate(request)
        // Credit lines are not in the sample paths' model: the plan at a risk level draws on none.
        var request = request
        request.creditLinesInModel = false
        request.fixPlan?.drawings = []
        let s = engine.scenario
        let base = request.fixPlan.map { PlanState(engine: engine, plan: $0) } ?? PlanState(engine: engine, name: request.planName)
        var builder = ModelBuilder(engine: engine, base: base, request: request)
        builder.build(through: builder.longestEnd)
        let n = max(risk.paths, 1)
        let allowed = min(max(Int((risk.probability * Double(n) + 1e-9).rounded(.down)), 0), n)
        let horizon = engine.horizonCount
        let options = builder.options

        // Each path: the base plan's net cash per horizon day, and each option's cash on it (only where it differs
        // from the deterministic option: a receivable whose drawn settlement or default changes its effect).
        var paths: [SamplePath] = []
        paths.reserveCapacity(n)
        let byRef = Dictionary(grouping: options.indices, by: { options[$0].ref })
        let baseSettlements = engine.receivableSettlements
        RiskSimulation.forEachPath(of: base, model: delays, paths: 0..<n, seed: risk.seed) { p in
            let l = p.ledger
            var net = [Int64](repeating: 0, count: horizon)
            for t in 0..<min(horizon, l.count) { net[t] = l.receipts[t] - l.disbursements[t] + l.financing[t] }
            net[0] += s.openingBalance.cents
            var deltas: [Int: [(day: Int, cents: Int64)]] = [:]
            let defaulted = Set(p.defaulted)
            for (ref, list) in byRef where ref.kind == .receivable {
                let i = ref.index
                let moved = p.engine.receivableSettlements[i].day != baseSettlements[i].day || p.engine.receivableSettlements[i].overdue != baseSettlements[i].overdue
                guard moved || defaulted.contains(i) else { continue }
                let def = defaulted.contains(i) || base.defaulted.contains(ref)
                let st = p.engine.settlement(ref)
                let amount = s.receivables[i].amount.cents
                var without: FinancingEffect? = nil
                if case .success(let e) = p.engine.effect(of: .none, on: ref, defaulted: def) { without = e }
                for j in list {
                    var byDay: [Int: Int64] = [:]
                    func add(_ effect: FinancingEffect, _ sign: Int64) {
                        if effect.replacesSettlement, let t = l.offset(st.day) { byDay[t, default: 0] -= sign * amount }
                        for m in effect.movements where m.category != .charge {
                            if let t = l.offset(m.day) { byDay[t, default: 0] += sign * m.amount.cents }
                        }
                    }
                    // A decision the drawn date makes impossible does nothing on this path (as in RiskSimulation).
                    if case .success(let found) = p.engine.effect(of: options[j].decision, on: ref, defaulted: def), let e = found {
                        add(e, 1)
                        if let w = without { add(w, -1) }
                    }
                    deltas[j] = byDay.filter { $0.value != 0 && $0.key < horizon }.sorted { $0.key < $1.key }.map { (day: $0.key, cents: $0.value) }
                }
            }
            paths.append(SamplePath(net: net, deltas: deltas))
        }

        var margin: Int64 = 0
        var best: (state: PlanState, result: PlanResult, chosen: [(ref: InvoiceRef, decision: Decision)], values: [Double])? = nil
        var inSample: PlanRisk? = nil
        var status = OptimizedPlan.Status.optimal
        var lastBound = -Double.infinity
        for _ in 0..<4 {
            let m = samplePathModel(builder: builder, paths: paths, horizon: horizon, allowed: allowed, floor: builder.floor + margin)
            let left = request.timeLimit - elapsed()
            guard left > 0.01 else { break }
            let r = solver.solve(m, options: MILPOptions(timeLimit: left, relativeGap: request.maxGap,
                                                        // `large`: without CBC's preprocessing every incumbent is reported in the model's own columns,
                                                        // so a plan found before the time limit is kept (and it is found sooner).
                                                        large: true, log: request.trace),
                                 observer: MILPObserver())
            if let failure = r.failure { throw OptimizeError.solverCrashed(failure) }
            guard !r.values.isEmpty else {
                if best != nil { break }
                if r.status == .infeasible {
                    throw OptimizeError.solverFailed("no plan keeps the probability of breaking the floor at or below "
                        + "\(risk.probability) on the \(n) simulated paths (the paths that no decision can save are more than \(allowed))")
                }
                throw OptimizeError.solverFailed("time limit reached before any plan was found")
            }
            let plan = builder.plan(from: r.values, base: base, name: request.planName)
            let measured = RiskSimulation.run(states: [plan.state], model: delays, paths: n, seed: risk.seed).plans[0]
            best = (plan.state, plan.result, plan.chosen, r.values)
            inSample = measured
            status = r.status == .optimal ? .optimal : .feasible
            lastBound = r.bound
            let breaches = request.keep == .limit ? measured.overLimitPaths : measured.belowBufferPaths
            if breaches <= allowed { break }
            // Overdraft charges (not in the per-path balances) pushed some paths over: raise the per-path floor
            // by the plan's largest charges and solve again.
            status = .feasible
            let charges = max(plan.result.bankCharges.cents, 100)
            margin += charges
        }
        guard let found = best, let measuredIn = inSample else { throw OptimizeError.solverFailed("time limit reached before any plan was found") }
        let out = RiskSimulation.run(states: [found.state], model: delays, paths: max(risk.checkPaths, 1), seed: risk.checkSeed).plans[0]
        let bound = builder.lowerBound(solverBound: lastBound, cost: found.result.totalCost)
        let plan = OptimizedPlan(status: status, state: found.state, result: found.result, chosen: found.chosen, lowerBound: bound,
                                 shortfall: nil, shortfallDay: nil, candidateInvoices: builder.candidateInvoices,
                                 candidateOptions: builder.options.count, solver: solver.name, seconds: elapsed())
        return RiskOptimizedPlan(plan: plan, target: risk, allowedPaths: allowed, inSample: measuredIn, outOfSample: out, keep: request.keep)
    }

    struct SamplePath { var net: [Int64]; var deltas: [Int: [(day: Int, cents: Int64)]] }

    /// The optimizer's model with its deterministic floor rows freed, and for each path its balance on the days it
    /// can reach a new low, each kept ≥ floor unless the path's binary is set, Σ binaries ≤ allowed.
    func samplePathModel(builder: ModelBuilder, paths: [SamplePath], horizon: Int, allowed: Int, floor: Int64) -> LinearModel {
        let old = builder.model
        let options = builder.options
        var rowLower: [Double] = [], rowUpper: [Double] = []
        func addRow(_ lo: Double, _ hi: Double) -> Int { rowLower.append(lo); rowUpper.append(hi); return old.rowCount + rowLower.count - 1 }
        var optionEntries = [[(row: Int, value: Double)]](repeating: [], count: options.count)
        var columns: [(lower: Double, upper: Double, integer: Bool, entries: [(row: Int, value: Double)])] = []
        let budget = addRow(-.infinity, Double(allowed))
        // Options of the same invoice exclude each other.
        var groupOf: [InvoiceRef: Int] = [:]
        var groups: [[Int]] = []
        for (j, o) in options.enumerated() {
            if let g = groupOf[o.ref] { groups[g].append(j) } else { groupOf[o.ref] = groups.count; groups.append([j]) }
        }
        for p in paths {
            // The balance can reach a new low only on day 0 or a day with an outflow (in the base or an option).
            var check = [Bool](repeating: false, count: horizon)
            if horizon > 0 { check[0] = true }
            for t in 0..<horizon where p.net[t] < 0 { check[t] = true }
            var negative: Int64 = 0
            for (j, o) in options.enumerated() {
                for dl in p.deltas[j] ?? o.deltas where dl.day < horizon && dl.cents < 0 { check[dl.day] = true; negative -= dl.cents }
            }
            let days = (0..<horizon).filter { check[$0] }
            guard !days.isEmpty else { continue }
            _ = negative
            // An option's cash on day d belongs to the first checked day at or after d (the balance there includes it).
            var cash = [[(k: Int, v: Int64)]](repeating: [], count: options.count)
            for (j, o) in options.enumerated() {
                var acc: [Int: Int64] = [:]
                for dl in p.deltas[j] ?? o.deltas where dl.day < horizon {
                    var lo = 0, hi = days.count - 1
                    guard dl.day <= days[hi] else { continue }
                    while lo < hi { let mid = (lo + hi) / 2; if days[mid] >= dl.day { hi = mid } else { lo = mid + 1 } }
                    acc[lo, default: 0] += dl.cents
                }
                cash[j] = acc.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { (k: $0.key, v: $0.value) }
            }
            // The lowest the balance can be at each checked day: the base's, plus for each invoice the worst running
            // cash of any of its options. A day whose lowest is above the floor needs no row; each row's big M is
            // the most it can miss the floor by (a tight M keeps the relaxation, and the search, short).
            var low = [Int64](repeating: 0, count: days.count)
            var running: Int64 = 0, next = 0
            var flowsAt = [Int64](repeating: 0, count: days.count)
            for (k, d) in days.enumerated() {
                var flows: Int64 = 0
                while next <= d { flows += p.net[next]; next += 1 }
                running += flows
                flowsAt[k] = flows
                low[k] = running
            }
            for group in groups {
                var worst = [Int64](repeating: 0, count: days.count)
                for j in group where !cash[j].isEmpty {
                    var cum: Int64 = 0, c = 0
                    for k in 0..<days.count {
                        while c < cash[j].count && cash[j][c].k == k { cum += cash[j][c].v; c += 1 }
                        if cum < worst[k] { worst[k] = cum }
                        if c == cash[j].count && cum >= 0 { break }
                    }
                }
                for k in 0..<days.count { low[k] += worst[k] }
            }
            var rows: [Int] = []
            var floors: [(row: Int, bigM: Double)?] = []
            for k in days.indices {
                rows.append(addRow(Double(flowsAt[k]), Double(flowsAt[k])))
                let miss = floor - low[k]
                floors.append(miss > 0 ? (addRow(Double(floor), .infinity), Double(miss) + 1) : nil)
            }
            for j in options.indices { for c in cash[j] { optionEntries[j].append((rows[c.k], -Double(c.v))) } }
            // q_k − q_{k−1} − Σ x·cash = flows; q_k + M_k·z ≥ floor.
            for k in rows.indices {
                var e: [(row: Int, value: Double)] = [(rows[k], 1)]
                if let f = floors[k] { e.append((f.row, 1)) }
                if k + 1 < rows.count { e.append((rows[k + 1], -1)) }
                columns.append((-.infinity, .infinity, false, e))
            }
            let breach = floors.compactMap { $0.map { (row: $0.row, value: $0.bigM) } }
            if !breach.isEmpty { columns.append((0, 1, true, breach + [(budget, 1)])) }
        }
        // The new model: the old rows (the floor rows freed), the new rows, the old columns (option columns with
        // their per-path entries), the new columns.
        var m = LinearModel()
        let freed = Set(builder.limitRows)
        for r in 0..<old.rowCount {
            if freed.contains(r) { m.addRow(lower: -.infinity, upper: .infinity) } else { m.addRow(lower: old.rowLower[r], upper: old.rowUpper[r]) }
        }
        for r in rowLower.indices { m.addRow(lower: rowLower[r], upper: rowUpper[r]) }
        var optionOfColumn: [Int: Int] = [:]
        for (j, c) in builder.optionColumns.enumerated() { optionOfColumn[c] = j }
        for c in 0..<old.columnCount {
            var e: [(row: Int, value: Double)] = []
            for k in Int(old.columnStarts[c])..<Int(old.columnStarts[c + 1]) { e.append((Int(old.rowIndex[k]), old.values[k])) }
            if let j = optionOfColumn[c] { e += optionEntries[j] }
            m.addColumn(lower: old.columnLower[c], upper: old.columnUpper[c], cost: old.objective[c], integer: old.isInteger[c], entries: e)
        }
        for c in columns { m.addColumn(lower: c.lower, upper: c.upper, cost: 0, integer: c.integer, entries: c.entries) }
        return m
    }
}
