import TresoCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the user asks `treso optimize` (and the planner's `o`) for.
public struct OptimizeRequest: Sendable {
    public enum Keep: String, Sendable, CaseIterable {
        /// Never exceed the authorised overdraft (closing ≥ −limit every day).
        case limit
        /// Never go below the minimum cash (closing ≥ min_cash every day).
        case buffer
    }
    public var keep: Keep = .limit
    /// Instruments the plan may use, by contract/program name ("negotiate" for term negotiation); nil = all.
    public var instruments: Set<String>? = nil
    /// A stored plan whose decisions (and what-if defaults) are kept; the optimizer adds to them.
    public var fixPlan: Plan? = nil
    /// Stop once the relative gap is at most this fraction (0 = prove optimality).
    public var maxGap: Double = 0
    /// Wall-clock budget for all solves, in seconds.
    public var timeLimit: Double = 60
    /// Name of the plan returned.
    public var planName: String = "optimal"
    /// Prints the time of each phase (benchmarks).
    public var trace = false
    /// Above this many options, a model whose decisions can stretch the window is split by the window (tests
    /// force the split on small scenarios to check its bound against enumeration).
    var splitAbove = PlanOptimizer.largeModel
    /// Whether the scenario's credit lines are in the model (the risk optimizer's sample paths do not carry them).
    var creditLinesInModel = true
    public init() {}
}

/// The optimizer's answer, every figure from the engine's re-projection of the plan.
public struct OptimizedPlan: Sendable {
    public enum Status: String, Sendable {
        case optimal, feasible, infeasible
    }
    public var status: Status
    /// The plan (fixed decisions plus the chosen ones), re-projected by the engine.
    public var state: PlanState
    public var result: PlanResult
    /// The decisions the optimizer chose (the fixed plan's excluded), by invoice.
    public var chosen: [(ref: InvoiceRef, decision: Decision)]
    /// The engine's total cost of the plan (what `treso compare` reports for it).
    public var totalCost: Money { result.totalCost }
    /// Proven: no plan within the (possibly relaxed) limit costs less.
    public var lowerBound: Money
    /// Infeasible only: the smallest extra overdraft (or cash) that makes a plan feasible, and the day it binds.
    public var shortfall: Money?
    public var shortfallDay: Day?
    /// Invoices with at least one usable option, and the options offered to the solver.
    public var candidateInvoices: Int
    public var candidateOptions: Int
    public var solver: String
    public var seconds: Double
    /// Found by the split models (large models) rather than the exact one.
    var usedSplit = false
    /// What the model assumed rather than knew, said next to the result (several accounts seen as one, the grid
    /// of credit-line drawings): the bound holds for the plans the model describes.
    public var modelAssumptions: [String] = []
    /// The model only approximates the engine from below (several accounts): the bound holds, the optimum is not proven.
    public var boundIsRelaxation = false
    /// The credit-line drawings of the plan (fixed segments the engine runs), in the order saved.
    public var drawings: [CreditDrawing] { state.drawings }

    /// (cost − bound) / |cost| in ten-thousandths, rounded half away from zero; 0 when cost = bound.
    public var gapTenThousandths: Int64 {
        let diff = totalCost.cents - lowerBound.cents
        if diff <= 0 { return 0 }
        let denom = max(totalCost.magnitude.cents, 1)
        return Int64(divideRoundingHalfAwayFromZero(Int128(diff) * 10_000, Int128(denom)))
    }
    /// The gap as a decimal string, e.g. "0.0037".
    public var gapString: String {
        let g = gapTenThousandths
        let frac = String(g % 10_000)
        return String(g / 10_000) + "." + String(repeating: "0", count: 4 - frac.count) + frac
    }
}

public enum OptimizeError: Error, CustomStringConvertible, Sendable {
    case unknownInstrument(String, known: [String])
    case negativeOverdraftRate
    case solverFailed(String)
    /// The solver process died (a CBC abort, a signal): the message names the solver and the signal.
    case solverCrashed(String)
    /// Cancelled before any plan keeping the floor was found.
    case cancelled
    public var description: String {
        switch self {
        case .solverCrashed(let why): return "the solver failed, no plan: " + why
        case .cancelled: return "cancelled before any plan was found"
        case .unknownInstrument(let n, let known):
            return "no instrument named \"\(n)\"; the scenario has " + known.map { "\"\($0)\"" }.joined(separator: ", ")
        case .negativeOverdraftRate: return "the overdraft rates must not be negative to optimize"
        case .solverFailed(let why): return "the solver found no plan: " + why
        }
    }
}

/// The optimizer's model and its variable map (`PlanOptimizer.planModel`).
public struct PlanModel: Sendable {
    public struct Option: Sendable {
        public var ref: InvoiceRef
        public var decision: Decision
        /// The binary column x(invoice, decision).
        public var column: Int
        /// Its cost against what every plan does with the invoice, as in the objective.
        public var cost: Money
    }
    public var model: LinearModel
    public var options: [Option]
    /// Rows whose lower side is the floor (−limit or min_cash), one per day (and per possible last day).
    public var floorRows: [Int]
    /// The continuous shortfall slack on every floor row (upper bound 0: fixed at 0 unless relaxed).
    public var slackColumn: Int
    public var constantCost: Money
}

/// How a running optimization is doing, reported as the solver improves (from the solving thread).
public struct OptimizerProgress: Sendable {
    public enum Phase: String, Sendable {
        /// A first plan among decisions that keep the reference window (large models only).
        case firstPlan = "first plan"
        /// The cheapest plan that keeps the floor.
        case cheapest = "cheapest plan"
        /// No plan keeps the floor: the smallest extra limit that makes one possible.
        case shortfall = "smallest shortfall"
        /// The cheapest plan under that relaxed floor.
        case relaxed = "cheapest plan under the relaxed floor"
    }
    public var phase: Phase
    /// The cost of the best plan found so far, as the model counts it (the engine's cost to the cent but
    /// for a charge whose rounding the solver's tolerance cannot resolve), nil before the first plan.
    public var bestCost: Money?
    /// The proven lower bound so far (nil before the solver has one, and in the shortfall phase).
    public var bound: Money?
    /// (best − bound) / |best| in ten-thousandths, when both are known.
    public var gapTenThousandths: Int64?
    /// Seconds since the optimization started.
    public var elapsed: Double
}

/// Finds the cheapest plan as a mixed-integer program (docs/calculations.md § Optimizer):
/// one binary per (invoice, option), each option's cash and cost taken from `ForecastEngine.effect`,
/// the daily balance as continuous variables linked day to day, overdraft charges rounded to the cent
/// like `Projection.run`, the limit (or buffer) as hard constraints. The plan is re-projected by the engine.
public struct PlanOptimizer: Sendable {
    /// Above this many options the solver is asked for a first plan fast rather than for cuts (see MILPOptions.large).
    static let largeModel = 2_000
    public let engine: ForecastEngine
    public let solver: any MILPSolver

    public init(engine: ForecastEngine, solver: any MILPSolver) {
        self.engine = engine; self.solver = solver
    }

    /// Names `--instruments` accepts: every contract and program, every credit line, "lines" (all credit lines),
    /// and "negotiate".
    public static func instrumentNames(_ s: Scenario) -> [String] {
        let i = s.instruments
        return i.factoring.map(\.name) + i.reverseFactoring.map(\.name) + i.supplierFinancing.map(\.name)
            + i.splitPayment.map(\.name) + i.credit.dailly.map(\.name) + i.credit.billDiscount.map(\.name)
            + i.credit.creditLines.map(\.name) + (i.credit.creditLines.isEmpty ? [] : ["lines"]) + ["negotiate"]
    }

    /// The credit lines a request lets the plan draw on: all by default, else those named (or all with "lines").
    /// The cheapest reference or stored plan that keeps the floor (every account's own limit), the caps and the law,
    /// using only the credit lines the request offers: what the optimizer answers when its model finds nothing better
    /// (no plan from the solver in time, or several accounts the model sees as one).
    func bestKnownPlan(_ builder: ModelBuilder, _ request: OptimizeRequest) -> ModelBuilder.Plan? {
        let offered = Set(Self.offeredLines(engine.scenario, request).map(\.name))
        var best: ModelBuilder.Plan?
        for p in PlanComparison.referencePlans() + engine.scenario.plans where p.drawings.allSatisfy({ offered.contains($0.line) }) {
            var st = PlanState(engine: engine, plan: p)
            st.name = request.planName
            let r = builder.evaluate(st)
            // (Refused decisions are not applied: the plan is what its other decisions make it.)
            guard builder.excess(of: r, st).amount <= .zero, r.capBreaches.isEmpty, r.legalBreaches == 0, r.flowsBeyondWindow == 0,
                  best.map({ r.totalCost < $0.result.totalCost }) ?? true else { continue }
            let chosen = st.decisions.sorted { $0.key < $1.key }.map { (ref: $0.key, decision: $0.value) }
            best = (st, r, chosen)
        }
        return best
    }

    static func offeredLines(_ s: Scenario, _ request: OptimizeRequest) -> [CreditLine] {
        guard request.creditLinesInModel else { return [] }
        return s.instruments.credit.creditLines.filter { l in
            guard let allowed = request.instruments else { return true }
            return allowed.contains(l.name) || allowed.contains("lines")
        }
    }

    static func instrument(of d: Decision) -> String? {
        switch d {
        case .none, .payLate: return nil
        case .factor(let n), .reverseFactor(let n), .supplierFinancing(let n), .splitPayment(let n), .dailly(let n), .discount(let n): return n
        case .negotiate: return "negotiate"
        }
    }

    /// The exact model (docs/calculations.md § 14) with what a caller needs to read or extend it (e.g. a variant
    /// that constrains risk): the model, the column of each (invoice, decision) option, the floor rows and the
    /// shortfall slack column, and the constant cost every plan of it carries (the fixed plan's and the engine's
    /// base effects), so that the engine's total cost of a plan = model objective + `constantCost`.
    public func planModel(_ request: OptimizeRequest) -> PlanModel {
        var request = request
        request.fixPlan?.drawings = []
        let base = request.fixPlan.map { PlanState(engine: engine, plan: $0) } ?? PlanState(engine: engine, name: request.planName)
        var builder = ModelBuilder(engine: engine, base: base, request: request)
        builder.build(through: builder.longestEnd)
        let options = builder.options.enumerated().map { (j, o) in
            PlanModel.Option(ref: o.ref, decision: o.decision, column: builder.optionColumns[j], cost: Money(cents: o.cost))
        }
        return PlanModel(model: builder.model, options: options, floorRows: builder.limitRows, slackColumn: builder.slack,
                         constantCost: base.effectsCost.total)
    }

    /// The first model `optimize` solves (the floor as asked), for benchmarks that hand it to another solver.
    public func model(_ request: OptimizeRequest) -> LinearModel {
        var request = request
        request.fixPlan?.drawings = []
        let base = request.fixPlan.map { PlanState(engine: engine, plan: $0) } ?? PlanState(engine: engine, name: request.planName)
        var builder = ModelBuilder(engine: engine, base: base, request: request)
        builder.build(through: builder.longestEnd)
        return builder.model
    }

    /// Finds the cheapest plan. Safe to call from a background thread: `progress` is called on that thread
    /// as the solver improves; setting `cancel` stops the solve soon after (the solver process is killed) and
    /// returns the best plan found so far that keeps the floor, with status `feasible` — or throws
    /// `OptimizeError.cancelled` when there is none yet. `request.timeLimit` is hard: at the limit the solve
    /// is stopped the same way. A solver that dies (CBC aborting) throws `OptimizeError.solverCrashed`.
    public func optimize(_ request: OptimizeRequest, progress: @escaping @Sendable (OptimizerProgress) -> Void = { _ in },
                         cancel: CancellationToken? = nil) throws -> OptimizedPlan {
        // The fixed plan's decisions and defaults are kept; its credit-line drawings are not (the model chooses drawings).
        var request = request
        let replacedDrawings = request.fixPlan.map { !$0.drawings.isEmpty } ?? false
        request.fixPlan?.drawings = []
        var answer = try solveModels(request, progress: progress, cancel: cancel)
        if replacedDrawings, let name = request.fixPlan?.name {
            answer.modelAssumptions.append("the drawings of plan \"\(name)\" are not kept: the optimizer chose its own")
        }
        let s = engine.scenario
        let accounts = s.accounts.accounts
        if !accounts.isEmpty {
            answer.modelAssumptions.append("the model sees the \(accounts.count) accounts as one: the consolidated balance against the summed "
                + "overdraft limit \(s.overdraft.limit.formatted()), charged at the lowest account rates; the plan's cost and limits are the engine's, account by account")
            // The model is a relaxation there: optimal only when the engine's cost meets the bound.
            answer.boundIsRelaxation = true
            if answer.status == .optimal && answer.lowerBound < answer.totalCost { answer.status = .feasible }
            if answer.status == .infeasible {
                answer.modelAssumptions.append("the shortfall is the engine's on the account furthest past its own limit; "
                    + "the model cannot move cash between accounts, so a plan within the summed limit may still breach one account")
            }
        }
        let used = Set(answer.drawings.map(\.line))
        let repaid = ModelBuilder.repaymentDay(engine: engine, request: request)
        for l in PlanOptimizer.offeredLines(s, request) {
            answer.modelAssumptions.append("credit line \(l.name)\(used.contains(l.name) ? "" : " (not used)"): the model draws it on business days in steps of "
                + "\(max(l.minimumDrawing, Money(cents: 1)).formatted()), every drawing repaid by \(repaid.iso); the bound covers such drawings")
        }
        return answer
    }

    func solveModels(_ request: OptimizeRequest, progress: @escaping @Sendable (OptimizerProgress) -> Void,
                     cancel: CancellationToken?) throws -> OptimizedPlan {
        let clock = ContinuousClock()
        let t0 = clock.now
        @Sendable func elapsed() -> Double {
            let d = clock.now - t0
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        try validate(request)

        let base = request.fixPlan.map { PlanState(engine: engine, plan: $0) } ?? PlanState(engine: engine, name: request.planName)
        var builder = ModelBuilder(engine: engine, base: base, request: request)
        if request.trace {
            let late = builder.options.filter { $0.latest > builder.referenceEnd }
            var byDecision: [String: Int] = [:]
            for o in late { byDecision[o.decision.code, default: 0] += 1 }
            print("trace options_s=\(elapsed()) "
                  + "options=\(builder.options.count) start=\(engine.scenario.start.iso) end=\(engine.scenario.end.iso) refEnd=\(builder.referenceEnd.iso) "
                  + "longest=\(builder.longestEnd.iso) late=\(late.count) \(byDecision.sorted { $0.key < $1.key })")
        }

        // The time limit is hard: each solve gets what is left (the solver process is killed at its end).
        func remaining() -> Double { request.timeLimit - elapsed() }
        let constant = base.effectsCost.total.cents
        func observer(_ phase: OptimizerProgress.Phase, unresolvedRoundings: Int) -> MILPObserver {
            let unresolved = Int64(unresolvedRoundings)
            return MILPObserver(progress: { p in
                var report = OptimizerProgress(phase: phase, bestCost: nil, bound: nil, gapTenThousandths: nil, elapsed: elapsed())
                if phase != .shortfall {
                    if let o = p.objective, o.isFinite, abs(o) < 1e15 { report.bestCost = Money(cents: Int64(o.rounded()) + constant) }
                    if let b = p.bound, b.isFinite, abs(b) < 1e15 {
                        var cents = Int64((b - 1e-3).rounded(.up)) - unresolved + constant
                        if let best = report.bestCost { cents = min(cents, best.cents) }
                        report.bound = Money(cents: cents)
                    }
                    if let c = report.bestCost, let b = report.bound {
                        let diff = c.cents - b.cents
                        report.gapTenThousandths = diff <= 0 ? 0
                            : Int64(divideRoundingHalfAwayFromZero(Int128(diff) * 10_000, Int128(max(c.magnitude.cents, 1))))
                    }
                }
                progress(report)
            }, cancel: cancel)
        }
        var start: [Double]? = nil
        func solve(sUpper: Double, minimiseShortfall: Bool, floorShift: Double = 0, phase: OptimizerProgress.Phase,
                   cap: Double = .infinity, maxNodes: Int? = nil) throws -> MILPResult {
            var m = builder.model
            m.columnUpper[builder.slack] = sUpper
            if minimiseShortfall {
                m.objective = Array(repeating: 0, count: m.columnCount)
                m.objective[builder.slack] = 1
            }
            if floorShift != 0 {
                for r in builder.limitRows { m.setRowBounds(r, lower: m.rowLower[r] + floorShift, upper: .infinity) }
            }
            let t = elapsed()
            let left = remaining()
            if left <= 0.01 { return MILPResult(status: .unknown, values: [], objective: .infinity, bound: -.infinity) }
            let r = solver.solve(m, options: MILPOptions(timeLimit: min(left, cap), relativeGap: request.maxGap,
                                                        large: builder.options.count > Self.largeModel, log: request.trace,
                                                        start: minimiseShortfall || floorShift != 0 ? nil : start, maxNodes: maxNodes),
                                 observer: observer(phase, unresolvedRoundings: builder.unresolvedRoundings))
            if request.trace { print("trace solve_s=\(elapsed() - t) status=\(r.status) obj=\(r.objective) bound=\(r.bound)") }
            if let failure = r.failure { throw OptimizeError.solverCrashed(failure) }
            return r
        }
        /// The best plan so far when the user cancelled: it must keep the floor to be offered.
        func cancelledPlan(_ r: MILPResult, boundSolve: MILPResult?) throws -> OptimizedPlan {
            guard !r.values.isEmpty else { throw OptimizeError.cancelled }
            var plan = builder.plan(from: r.values, base: base, name: request.planName)
            guard builder.excess(of: plan.result, plan.state).amount <= .zero else { throw OptimizeError.cancelled }
            plan = builder.pruned(plan, allowedExcess: .zero)
            let bound = builder.lowerBound(solverBound: boundSolve?.bound ?? -.infinity, cost: plan.result.totalCost)
            return OptimizedPlan(status: .feasible, state: plan.state, result: plan.result, chosen: plan.chosen, lowerBound: bound,
                                 shortfall: nil, shortfallDay: nil, candidateInvoices: builder.candidateInvoices,
                                 candidateOptions: builder.options.count, solver: solver.name, seconds: elapsed())
        }

        // Large models whose decisions can stretch the window (measured in docs/decisions.md): the covered-day
        // binaries' big-M rows make the exact model's relaxation weak (10 000 invoices: no 1 % gap in 13 s). Every
        // plan either (A) keeps the reference window — no decision moves cash past it — or (B) stretches it, to at
        // least the earliest day a stretching decision reaches. Two models without covered-day binaries, solved
        // side by side: A, exact for its plans (every day through the reference window counts, the others are
        // forbidden), and B, a relaxation for its plans (days through that earliest day count, the last one's floor
        // before its charges, at least one stretching decision). The plan is the cheaper of their plans that keeps
        // the floor, as the engine measures it; the bound is the smaller of their bounds, valid for every plan.
        // When neither gives a plan keeping the floor, the exact model below decides.
        let late = builder.options.indices.filter { builder.options[$0].latest > builder.referenceEnd }
        // (Credit lines are only in the exact model: with a line offered, the model is not split.)
        if builder.options.count > request.splitAbove && !late.isEmpty && builder.lines.isEmpty {
            var keeping = builder
            keeping.tail = .counted
            keeping.build(through: builder.referenceEnd)
            var keepingModel = keeping.model
            for j in late { keepingModel.columnUpper[keeping.optionColumns[j]] = 0 }
            let earliest = late.map { builder.options[$0].latest }.min() ?? builder.referenceEnd
            var stretching = builder
            stretching.tail = .dropped
            stretching.build(through: earliest)
            let (stretchingModel, tailMonths) = stretching.stretchingModel(late: late)
            if request.trace { print("trace split_build_s=\(elapsed()) keeping_cols=\(keepingModel.columnCount) stretching_cols=\(stretchingModel.columnCount) through=\(earliest.iso)") }
            let solver = self.solver
            // (A tenth of the time is kept for measuring the plans found, or the known ones, with the engine.)
            let options = MILPOptions(timeLimit: remaining() * 0.9, relativeGap: request.maxGap, large: true, log: request.trace, pumpPasses: 1)
            let observeKeeping = observer(.cheapest, unresolvedRoundings: keeping.unresolvedRoundings)
            let quiet = MILPObserver(progress: { _ in }, cancel: cancel)
            // First the stretching plans' relaxation as a plain LP (fast): when its bound is above the keeping
            // plan's cost, no stretching plan can be cheaper and its MILP is not needed.
            var relaxed = stretchingModel
            relaxed.isInteger = Array(repeating: false, count: relaxed.columnCount)
            let lp = relaxed
            let model = keepingModel
            let t = elapsed()
            let (a, bLP) = inParallel({ solver.solve(model, options: options, observer: observeKeeping) },
                                      { solver.solve(lp, options: options, observer: quiet) })
            if request.trace {
                print("trace split_s=\(elapsed() - t) keeping=\(a.status) \(a.objective) bound \(a.bound) stretching_lp=\(bLP.status) \(bLP.objective)")
            }
            if let failure = a.failure ?? bLP.failure { throw OptimizeError.solverCrashed(failure) }
            func proven(_ r: MILPResult) -> Double {
                switch r.status {
                case .infeasible: return .infinity
                case .optimal: return min(r.bound, r.objective)
                default: return r.bound
                }
            }
            typealias Found = (state: PlanState, result: PlanResult, chosen: [(ref: InvoiceRef, decision: Decision)])
            var best: (plan: Found, builder: ModelBuilder)? = nil
            func consider(_ r: MILPResult, _ m: ModelBuilder) {
                guard !r.values.isEmpty else { return }
                let p = m.plan(from: r.values, base: base, name: request.planName)
                guard m.excess(of: p.result, p.state).amount <= .zero, p.result.capBreaches.isEmpty else { return }
                if best.map({ p.result.totalCost < $0.plan.result.totalCost }) ?? true { best = (p, m) }
            }
            consider(a, keeping)
            var stretchingBound = proven(bLP) - Double(tailMonths)
            var wasCancelled = a.cancelled || bLP.cancelled || cancel?.isCancelled == true
            let target = best.map { Double($0.plan.result.totalCost.cents - stretching.base.effectsCost.total.cents) * (1 - request.maxGap) } ?? .infinity
            if !wasCancelled && stretchingBound < target && remaining() > 0.05 {
                // A stretching plan may be cheaper: solve its model.
                let b = solver.solve(stretchingModel, options: MILPOptions(timeLimit: remaining(), relativeGap: request.maxGap, large: true,
                                                                           log: request.trace, pumpPasses: 1), observer: quiet)
                if request.trace { print("trace stretching_s=\(elapsed() - t) \(b.status) \(b.objective) bound \(b.bound)") }
                if let failure = b.failure { throw OptimizeError.solverCrashed(failure) }
                consider(b, stretching)
                stretchingBound = max(stretchingBound, proven(b) - Double(tailMonths))
                wasCancelled = wasCancelled || b.cancelled
            }
            // Nothing from the solver in time (100 000 invoices on a loaded machine): the best plan already known —
            // a reference plan or a stored one that keeps the floor, the caps and the law — rather than none.
            if best == nil && request.fixPlan == nil, let known = bestKnownPlan(keeping, request) {
                best = (known, keeping)
                if request.trace { print("trace fallback plan cost=\(known.result.totalCost)") }
            }
            if let best {
                let plan = best.builder.pruned(best.plan, allowedExcess: .zero)
                let cost = plan.result.totalCost
                let bound = min(keeping.lowerBound(solverBound: proven(a), cost: cost), stretching.lowerBound(solverBound: stretchingBound, cost: cost))
                let isOptimal = !wasCancelled && request.maxGap == 0 && bound >= cost
                var answer = OptimizedPlan(status: isOptimal ? .optimal : .feasible, state: plan.state, result: plan.result, chosen: plan.chosen,
                                           lowerBound: bound, shortfall: nil, shortfallDay: nil, candidateInvoices: builder.candidateInvoices,
                                           candidateOptions: builder.options.count, solver: solver.name, seconds: elapsed())
                answer.usedSplit = true
                return answer
            }
            if wasCancelled { throw OptimizeError.cancelled }
            if remaining() <= 0.05 { throw OptimizeError.solverFailed("time limit reached before any plan was found") }
        }
        // Every day any decision can make the comparison window reach is in the model; whether it counts
        // for a plan is decided with the plan (see `build`).
        builder.build(through: builder.longestEnd)
        if request.trace { print("trace build_s=\(elapsed()) rows=\(builder.model.rowCount) cols=\(builder.model.columnCount) nz=\(builder.model.values.count)") }
        var status: OptimizedPlan.Status
        var quick: MILPResult? = nil
        if !builder.lineColumns.isEmpty && cancel?.isCancelled != true {
            // With credit lines CBC's own heuristics find good drawings slowly (drawn steps that tie within cents). First
            // a short search bounded by a node count — not by time, so that whether it is kept, and so the plan, does
            // not depend on the machine's speed or load (ties between plans of equal cost are broken the same way
            // every time; its time cap is far above what the nodes take). Kept when it proves its answer (the demo);
            // otherwise a warm start, and the full search from it.
            let first = try solve(sUpper: 0, minimiseShortfall: false, phase: .cheapest, cap: remaining() / 2,
                                  maxNodes: Self.lineFirstTryNodes)
            if first.status == .optimal || first.status == .infeasible || first.cancelled { quick = first }
            if request.trace { print("trace first_try_s=\(elapsed()) status=\(first.status) kept=\(quick != nil)") }
            if quick == nil && cancel?.isCancelled != true {
                start = lineWarmStart(builder, timeLimit: min(remaining() / 4, 5), trace: request.trace)
                if request.trace { print("trace warm_start_s=\(elapsed()) found=\(start != nil)") }
            }
        }
        var r = try quick ?? solve(sUpper: 0, minimiseShortfall: false, phase: .cheapest)
        if r.values.isEmpty && r.status != .infeasible, let warm = start {
            // Out of time before CBC reported a plan: the warm start is one (not proven).
            r = MILPResult(status: .feasible, values: warm, objective: zip(builder.model.objective, warm).reduce(0) { $0 + $1.0 * $1.1 },
                           bound: r.bound, cancelled: r.cancelled)
        }
        if r.cancelled || cancel?.isCancelled == true {
            // The full model's incumbent, else the first solve's plan (a solution of the full model too).
            let best = r.values.isEmpty ? MILPResult(status: .feasible, values: start ?? [], objective: 0, bound: -.infinity) : r
            return try cancelledPlan(best, boundSolve: r)
        }
        // The bound of the first solve holds for the limit as asked (a retry below tightens it).
        var boundSolve = r
        var plan = builder.plan(from: r.values, base: base, name: request.planName)
        var check = builder.excess(of: plan.result, plan.state)
        if !r.values.isEmpty && check.amount > .zero && remaining() > 0.01 {
            // The model rounds each charge like the engine, so this only happens within the solver's
            // tolerances: keep a few cents of margin and solve again.
            let retry = try solve(sUpper: 0, minimiseShortfall: false, floorShift: Double(builder.roundedCharges + 2), phase: .cheapest)
            if !retry.values.isEmpty {
                r = retry
                plan = builder.plan(from: r.values, base: base, name: request.planName)
                check = builder.excess(of: plan.result, plan.state)
            }
            if retry.cancelled && check.amount <= .zero { return try cancelledPlan(r, boundSolve: boundSolve) }
        }
        var shortfall: Money? = nil, shortfallDay: Day? = nil
        if !r.values.isEmpty && check.amount <= .zero {
            // With a gap target the solver may stop before proving the optimum: "optimal" only when proven.
            status = r.status == .optimal && boundSolve.status == .optimal && (request.maxGap == 0 || r.objective <= r.bound + 0.5)
                ? .optimal : .feasible
        } else {
            // No plan keeps the limit (or none was found in time): first the smallest extra limit
            // (a continuous slack on every day's floor, minimised), then the cheapest plan under it.
            if cancel?.isCancelled == true { throw OptimizeError.cancelled }
            if r.status != .infeasible && remaining() <= 0.01 {
                throw OptimizeError.solverFailed("time limit reached before any plan was found")
            }
            let phase1 = try solve(sUpper: .infinity, minimiseShortfall: true, phase: .shortfall)
            if phase1.cancelled { throw OptimizeError.cancelled }
            guard !phase1.values.isEmpty else { throw OptimizeError.solverFailed("time limit reached before any plan was found") }
            let extra = max(0, (phase1.values[builder.slack] - 1e-6).rounded(.up))
            r = try solve(sUpper: extra, minimiseShortfall: false, phase: .relaxed)
            if r.values.isEmpty { r = phase1 }
            boundSolve = r
            plan = builder.plan(from: r.values, base: base, name: request.planName)
            check = builder.excess(of: plan.result, plan.state)
            if check.amount > .zero, request.fixPlan == nil, !engine.scenario.accounts.accounts.isEmpty,
               let known = bestKnownPlan(builder, request) {
                // Several accounts: the model (the accounts as one) found no plan keeping every account's own limit,
                // but a reference or stored plan does — that plan, without a proof, rather than "infeasible".
                plan = known
                check = builder.excess(of: plan.result, plan.state)
                status = .feasible
            } else if check.amount > .zero {
                status = .infeasible
                shortfall = check.amount; shortfallDay = check.day
            } else {
                // The first solve ran out of time before finding a plan; this one keeps the limit.
                status = .feasible
            }
        }
        if request.trace, !r.values.isEmpty {
            var optionCost = 0.0
            for (j, o) in builder.options.enumerated() where r.values[builder.optionColumns[j]] > 0.5 { optionCost += Double(o.cost) }
            print("trace model obj=\(r.objective) options=\(optionCost) charges=\(r.objective - optionCost) | engine financing=\(plan.result.financing.total) bank=\(plan.result.bankCharges) base=\(base.effectsCost.total) window=\(plan.result.window.days.last?.day.iso ?? "") refEnd=\(builder.referenceEnd.iso) longest=\(builder.longestEnd.iso)")
        }
        plan = builder.pruned(plan, allowedExcess: max(check.amount, .zero))
        let solverBound = boundSolve.status == .optimal ? min(boundSolve.bound, boundSolve.objective) : boundSolve.bound
        let bound = builder.lowerBound(solverBound: solverBound, cost: plan.result.totalCost)
        return OptimizedPlan(status: status, state: plan.state, result: plan.result, chosen: plan.chosen, lowerBound: bound,
                             shortfall: shortfall, shortfallDay: shortfallDay, candidateInvoices: builder.candidateInvoices,
                             candidateOptions: builder.options.count, solver: solver.name, seconds: elapsed())
    }
}

extension PlanOptimizer {
    /// Branch-and-bound nodes of the first, warm-start-free search of a model with credit lines (measured in
    /// docs/decisions.md: the demo proves its optimum well within it; cases it cannot prove go on to the warm start).
    static let lineFirstTryNodes = 200

    /// A first plan for the model with credit lines, for CBC to start from (its own heuristics find good drawings
    /// slowly: the steps make many near-equal plans): the model with the drawn steps continuous, each run's steps then
    /// rounded up (more drawn only raises the balance, by far more than the extra interest) and fixed, and the rest solved.
    func lineWarmStart(_ builder: ModelBuilder, timeLimit: Double, trace: Bool) -> [Double]? {
        guard timeLimit > 0.05 else { return nil }
        var relaxed = builder.model
        for lc in builder.lineColumns { for g in lc.groups { relaxed.isInteger[g.column] = false } }
        let options = MILPOptions(timeLimit: timeLimit / 2, relativeGap: 0.001, large: false, log: false)
        let first = solver.solve(relaxed, options: options, observer: MILPObserver(progress: { _ in }, cancel: nil))
        guard first.failure == nil, !first.values.isEmpty else { return nil }
        var fixed = builder.model
        for lc in builder.lineColumns {
            var any = false
            for g in lc.groups {
                let steps = min((first.values[g.column] - 1e-6).rounded(.up), fixed.columnUpper[g.column])
                fixed.columnLower[g.column] = max(steps, 0); fixed.columnUpper[g.column] = max(steps, 0)
                if steps > 0 { any = true }
            }
            if any { fixed.columnLower[lc.use] = 1 }
        }
        let second = solver.solve(fixed, options: options, observer: MILPObserver(progress: { _ in }, cancel: nil))
        if trace { print("trace warm start: relaxed \(first.status) \(first.objective), fixed \(second.status) \(second.objective)") }
        guard second.failure == nil, !second.values.isEmpty else { return nil }
        return second.values
    }
}

/// One usable (invoice, decision) pair: what it does to each day's cash and what it costs.
struct CandidateOption {
    var ref: InvoiceRef
    var decision: Decision
    var cost: Int64
    /// Net cash change against the ordinary settlement, by ledger day (sorted, no zeros).
    var deltas: [(day: Int, cents: Int64)]
    /// Index in `minimumFeeContracts` when the option uses a global contract with an annual minimum.
    var feeContract: Int?
    var commission: Int64
    /// The last day the comparison window must reach when this option is chosen.
    var latest: Day
}

struct ModelBuilder {
    /// A plan the engine ran: its state, its result and the decisions it holds.
    typealias Plan = (state: PlanState, result: PlanResult, chosen: [(ref: InvoiceRef, decision: Decision)])

    let engine: ForecastEngine
    let base: PlanState
    let request: OptimizeRequest
    var model = LinearModel()
    var options: [CandidateOption] = []
    var optionColumns: [Int] = []
    /// The "contract used" binaries of global contracts with an annual minimum fee.
    var contractColumns: [Int] = []
    var candidateInvoices = 0
    var slack = 0
    var limitRows: [Int] = []
    /// Charges the model rounds to the cent with an integer variable whose rounding it cannot resolve
    /// exactly within the solver's tolerance (see `epsilon`): each may differ from the engine by a cent.
    var unresolvedRoundings = 0
    var roundedCharges = 0
    /// The lowest closing balance allowed: −limit, or the minimum cash.
    var floor: Int64 = 0
    /// The overdraft terms the model charges. With several accounts (§17) the model sees one consolidated balance
    /// against the summed limit, charged at the lowest of the accounts' rates: Σ accounts' debits ≥ the consolidated
    /// debit, so the model's charges are a lower bound on the engine's (a relaxation; the plan is re-evaluated per account).
    var terms: OverdraftTerms
    /// The highest rates of any account (the big-M bounds must hold for the engine's charges).
    var highestTerms: OverdraftTerms
    /// The credit lines the plan may draw on (§ 14, credit lines), and their columns once built.
    let lines: [CreditLine]
    var lineColumns: [LineColumns] = []

    init(engine: ForecastEngine, base: PlanState, request: OptimizeRequest) {
        self.engine = engine; self.base = base; self.request = request
        let s = engine.scenario
        floor = request.keep == .limit ? -s.overdraft.limit.cents : s.minCash.cents
        terms = s.overdraft
        highestTerms = s.overdraft
        for a in s.accounts.accounts {
            terms.annualRate = min(terms.annualRate, a.overdraft.annualRate)
            terms.highestOverdraftRate = min(terms.highestOverdraftRate, a.overdraft.highestOverdraftRate)
            highestTerms.annualRate = max(highestTerms.annualRate, a.overdraft.annualRate)
            highestTerms.highestOverdraftRate = max(highestTerms.highestOverdraftRate, a.overdraft.highestOverdraftRate)
            highestTerms.penaltyRate = max(highestTerms.penaltyRate, a.overdraft.penaltyRate)
        }
        lines = PlanOptimizer.offeredLines(s, request)
        // `treso compare --plan NAME` compares the plan with the two reference plans: their window is part of it.
        references = PlanComparison.referencePlans().map { PlanState(engine: engine, plan: $0) }
        referenceEnd = max(references.reduce(s.end) { max($0, $1.latestMovementDay) }, base.latestMovementDay)
        longestEnd = referenceEnd
        collectOptions(ledger: base.ledger)
    }

    /// Margin that makes `I ≥ v − ½ + ε` round half away from zero like `Money.charge`, for
    /// `v = k·rate/denominator` with k a whole number of cents: v is a multiple of g/D (D = denominator·10⁹,
    /// g = gcd(rate in nanos, D)), so a v that is not exactly on a half-cent is at least g/(2D) from it and
    /// ε = g/(4D) separates the two. When ε is not well above the solver's tolerance (10⁻⁷), the rounding
    /// is not resolved exactly: ε = 10⁻⁶ and the bound gives a cent away per such charge.
    static func epsilon(rateNanos: Int64, denominator: Int64) -> (value: Double, exact: Bool) {
        var a = rateNanos.magnitude, b = UInt64(denominator) * UInt64(Rate.scale)
        let d = b
        while b != 0 { (a, b) = (b, a % b) }
        let eps = Double(max(a, 1)) / Double(d) / 4
        return eps >= 1e-6 ? (eps, true) : (1e-6, false)
    }

    /// How the days past the reference plans' window enter the model (see `build`).
    enum Tail {
        /// Exactly: a day counts when a chosen decision makes the plan's window reach it (covered-day binaries).
        case exact
        /// Every day through the model's last counts for every plan: a plan whose own window ends earlier is charged
        /// for days it does not have, so the model's cost is ≥ the engine's — its plans are sound, its bound is not.
        case counted
        /// The model stops at the reference window's end (no later day counts, its last day's floor is checked
        /// before that day's charges): a relaxation — no plan costs the engine less than the model, so its bound holds.
        case dropped
    }
    var tail: Tail = .exact
    /// The last day of the model `build` made.
    var builtThrough = Day(raw: 0)

    /// Knapsack rows of the instruments' caps in the model.
    var capRowCount = 0

    /// Whether charges are whole cents rounded like the engine (integer variables), or continuous.
    var exactRounding = true

    /// The comparison window every plan the optimizer can return is measured on reaches at least the
    /// reference plans' window (`referenceEnd`); a plan with a decision moving cash later reaches further
    /// (`longestEnd` is the furthest any option reaches).
    var referenceEnd: Day
    var longestEnd: Day
    let references: [PlanState]

    /// Builds the model over [start, through]: charges and the floor are counted on those days.
    mutating func build(through: Day) {
        builtThrough = through
        let s = engine.scenario
        let ledger = base.ledger
        let n = max(min(through - s.start + 1, ledger.count), 1)
        model = LinearModel()
        optionColumns = []; contractColumns = []; limitRows = []; capRowCount = 0
        roundedCharges = 0; unresolvedRoundings = 0

        // Rows --------------------------------------------------------------------------------
        var balance = [Int](repeating: 0, count: n)
        for t in 0..<n {
            var b = Double(t < ledger.count ? ledger.receipts[t] - ledger.disbursements[t] + ledger.financing[t] : 0)
            if t == 0 { b += Double(s.openingBalance.cents) }
            balance[t] = model.addRow(lower: b, upper: b)
        }
        limitRows = (0..<n).map { _ in model.addRow(lower: Double(floor), upper: .infinity) }
        let interestRate = Double(terms.annualRate.nanos) / Double(Rate.scale) / 360
        let commissionRate = Double(terms.highestOverdraftRate.nanos) / Double(Rate.scale)
        let charged = interestRate > 0 || commissionRate > 0
        let debitRows = charged ? (0..<n).map { _ in model.addRow(lower: 0, upper: .infinity) } : []
        // The window: days after the reference window count (charges, floor) only when a chosen decision
        // makes the comparison reach them. covered(t) is binary, covered(t) ≥ covered(t+1), and
        // covered(last day of option) ≥ x(option); on those days the debit and floor rows are relaxed by
        // M(t)·(1 − covered(t)), M(t) a bound on how far the balance can fall by day t.
        // .exact: days past the reference window are decided with the plan; otherwise every day through `through` counts.
        let firstOptional = tail == .exact ? max(referenceEnd - s.start + 1, 0) : n
        var bigM = [Double](repeating: 0, count: n)
        var coverRows: [Int] = [], linkCover: [Int: [Int]] = [:]
        if firstOptional < n {
            // The lowest the balance can be on day t before charges: the base flows, plus for each invoice the
            // worst running effect of any of its options (a step function, summed through a difference array).
            let worst = extremeRunningEffect(days: n, lowest: true)
            // Charges can only take the balance lower, by at most the rates over the window's days.
            let od = highestTerms
            let chargeFactor = 1.05 * (1 + Double(od.annualRate.nanos + od.penaltyRate.nanos) / Double(Rate.scale) * Double(n) / 360
                                       + Double(od.highestOverdraftRate.nanos) / Double(Rate.scale) * Double(n / 28 + 1))
            var low = Double(s.openingBalance.cents), lowest = 0.0
            var running: Int64 = 0
            for t in 0..<n {
                running += worst[t]
                low += Double(ledger.receipts[t] - ledger.disbursements[t] + ledger.financing[t])
                lowest = min(lowest, low + Double(running))
                bigM[t] = (max(0, Double(floor) - lowest, -lowest)) * chargeFactor + 1e6 + lineChargeBound(days: n)
            }
            coverRows = (firstOptional..<n).dropLast().map { _ in model.addRow(lower: 0, upper: .infinity) }
            for (j, o) in options.enumerated() {
                let t = min(o.latest - s.start, n - 1)
                if t >= firstOptional { linkCover[j] = [model.addRow(lower: 0, upper: .infinity), t] }
            }
            for t in firstOptional..<n {
                model.setRowBounds(limitRows[t], lower: Double(floor) - bigM[t], upper: .infinity)
                if charged { model.setRowBounds(debitRows[t], lower: -bigM[t], upper: .infinity) }
            }
        }
        let maxRows = commissionRate > 0 ? (0..<n).map { _ in model.addRow(lower: 0, upper: .infinity) } : []
        // Months (or partial months) in which Projection.run posts charges, on their last day.
        var months: [(first: Int, last: Int)] = []
        var first = 0
        for t in 0..<n where (s.start + t) == (s.start + t).endOfMonth || t == n - 1 {
            months.append((first, t)); first = t + 1
        }
        // The engine posts the charges of a partial month on the window's last day and checks the floor after
        // them: for each day that can be the last one (the reference window's end or a later day, not a month
        // end, where the floor row already has them), the floor less the month's charges so far holds when the
        // day is the last covered one, i.e. covered(t) − covered(t+1) = 1 (days of the month after it are not
        // covered, so the month's charge variables hold only the days up to it).
        var lastDayRows: [Int: Int] = [:]
        let postingDays = Set(months.map(\.last))
        if firstOptional < n {
            for t in max(firstOptional - 1, 0)..<(n - 1) where !postingDays.contains(t) {
                let always = t < firstOptional   // covered(t) = 1 for the reference window
                lastDayRows[t] = model.addRow(lower: always ? Double(floor) : Double(floor) - bigM[t], upper: .infinity)
            }
        }
        var interestRows: [Int] = [], commissionRows: [Int] = []
        // Several accounts: each rounds its own charges, the model one sum — a cent per extra account and month.
        let accountRoundings = max(s.accounts.accounts.count - 1, 0) * months.count
        if interestRate > 0 {
            unresolvedRoundings += accountRoundings
            let eps = Self.epsilon(rateNanos: terms.annualRate.nanos, denominator: 360)
            interestRows = months.map { _ in model.addRow(lower: -0.5 + eps.value, upper: .infinity) }
            roundedCharges += months.count
            if !eps.exact { unresolvedRoundings += months.count }
        }
        if commissionRate > 0 {
            unresolvedRoundings += accountRoundings
            let eps = Self.epsilon(rateNanos: terms.highestOverdraftRate.nanos, denominator: 1)
            commissionRows = months.map { _ in model.addRow(lower: -0.5 + eps.value, upper: .infinity) }
            roundedCharges += months.count
            if !eps.exact { unresolvedRoundings += months.count }
        }
        var choiceRow: [InvoiceRef: Int] = [:]
        var count: [InvoiceRef: Int] = [:]
        for o in options { count[o.ref, default: 0] += 1 }
        candidateInvoices = count.count
        for (ref, k) in count.sorted(by: { $0.key < $1.key }) where k > 1 { choiceRow[ref] = model.addRow(lower: -.infinity, upper: 1) }

        // Instruments' caps (per customer/supplier, programme): Σ invoice amount · x ≤ the cap less what the fixed
        // plan already finances under it — a knapsack row each, only where the options could exceed it.
        var capEntries = [[(row: Int, value: Double)]](repeating: [], count: options.count)
        if s.instruments.hasCaps {
            var members: [CapKey: (limit: Money, total: Int64, options: [Int])] = [:]
            for (j, o) in options.enumerated() {
                let inv = engine.invoice(o.ref)
                for (key, limit) in s.instruments.caps(of: o.decision, counterparty: inv.counterparty) {
                    members[key, default: (limit, 0, [])].total += inv.amount.cents
                    members[key]?.options.append(j)
                }
            }
            for (key, m) in members.sorted(by: { $0.key < $1.key }) {
                let room = max(0, m.limit.cents - (base.capUsage[key]?.cents ?? 0))
                if m.total <= room { continue }
                let row = model.addRow(lower: -.infinity, upper: Double(room))
                for j in m.options { capEntries[j].append((row, Double(engine.invoice(options[j].ref).amount.cents))) }
                capRowCount += 1
            }
        }

        // Global contracts' annual minimum fee (PlanState.minimumFeeTopUps): top-up T ≥ floor·used − commissions.
        let feeDay = ledger.offset(max(s.start, engine.calendar.preceding(s.end)))
        var feeRows: [Int] = [], vatRows: [Int] = [], linkRows: [Int] = []
        var linkRowOfOption = [Int](repeating: -1, count: options.count)
        for (k, c) in feeContracts.enumerated() {
            feeRows.append(model.addRow(lower: -Double(c.baseCommission), upper: .infinity))
            let eps = Self.epsilon(rateNanos: c.contract.vatRate.nanos, denominator: 1)
            vatRows.append(model.addRow(lower: -0.5 + eps.value, upper: .infinity))
            roundedCharges += 1
            if !eps.exact { unresolvedRoundings += 1 }
            for (j, o) in options.enumerated() where o.feeContract == k {
                linkRowOfOption[j] = model.addRow(lower: -.infinity, upper: 0)
                linkRows.append(linkRowOfOption[j])
            }
        }

        // Columns -----------------------------------------------------------------------------
        for t in 0..<n {   // p_t: balance before the day's charges
            var e: [(row: Int, value: Double)] = [(balance[t], 1), (limitRows[t], 1)]
            if t + 1 < n { e.append((balance[t + 1], -1)) }
            if let r = lastDayRows[t] { e.append((r, 1)) }
            if charged { e.append((debitRows[t], 1)) }
            model.addColumn(lower: -.infinity, upper: .infinity, cost: 0, entries: e)
        }
        var monthOf = [Int](repeating: 0, count: n)
        for (k, m) in months.enumerated() { for t in m.first...m.last { monthOf[t] = k } }
        if charged {
            for t in 0..<n {   // d_t ≥ max(0, −p_t): the day's debit
                var e: [(row: Int, value: Double)] = [(debitRows[t], 1)]
                if commissionRate > 0 { e.append((maxRows[t], -1)) }
                if interestRate > 0 { e.append((interestRows[monthOf[t]], -interestRate)) }
                model.addColumn(lower: 0, upper: .infinity, cost: 0, entries: e)
            }
        }
        for (k, m) in months.enumerated() {
            // (.dropped: the last day's floor is checked before its charges, a plan whose window runs on posts them later.)
            let floorAfter: [(row: Int, value: Double)] = tail == .dropped && m.last == n - 1 ? [] : [(limitRows[m.last], -1)]
            let posted: [(row: Int, value: Double)] = floorAfter + (m.last + 1 < n ? [(balance[m.last + 1], 1)] : [])
                + (m.first...m.last).compactMap { t in lastDayRows[t].map { ($0, -1.0) } }
            if interestRate > 0 {   // I_k = round(Σ debit × rate / 360), in cents
                model.addColumn(lower: 0, upper: .infinity, cost: 1, integer: exactRounding, entries: posted + [(interestRows[k], 1)])
            }
            if commissionRate > 0 {
                // m_k ≥ every debit of the month; H_k = round(m_k × monthly rate)
                model.addColumn(lower: 0, upper: .infinity, cost: 0,
                                entries: (m.first...m.last).map { (maxRows[$0], 1.0) } + [(commissionRows[k], -commissionRate)])
                model.addColumn(lower: 0, upper: .infinity, cost: 1, integer: exactRounding, entries: posted + [(commissionRows[k], 1)])
            }
        }
        slack = model.addColumn(lower: 0, upper: 0, cost: 0, entries: (limitRows + lastDayRows.values.sorted()).map { ($0, 1.0) })
        limitRows += lastDayRows.values.sorted()
        if firstOptional < n {
            var coverColumnsByDay: [Int: [(row: Int, value: Double)]] = [:]
            for (j, link) in linkCover { coverColumnsByDay[link[1], default: []].append((link[0], 1)); _ = j }
            for t in firstOptional..<n {
                var e: [(row: Int, value: Double)] = [(limitRows[t], -bigM[t])]
                if charged { e.append((debitRows[t], -bigM[t])) }
                if let r = lastDayRows[t] { e.append((r, -bigM[t])) }          // −M·covered(t) …
                if let r = lastDayRows[t - 1] { e.append((r, bigM[t - 1])) }   // … + M·covered(t+1) on the day before
                let k = t - firstOptional
                if k < coverRows.count { e.append((coverRows[k], 1)) }        // covered(t) − covered(t+1) ≥ 0
                if k > 0 { e.append((coverRows[k - 1], -1)) }
                e += coverColumnsByDay[t] ?? []
                model.addColumn(lower: 0, upper: 1, cost: 0, integer: true, entries: e)
            }
        }
        for (j, o) in options.enumerated() {
            var e: [(row: Int, value: Double)] = o.deltas.filter { $0.day < n }.map { (balance[$0.day], -Double($0.cents)) }
            if let r = choiceRow[o.ref] { e.append((r, 1)) }
            e += capEntries[j]
            if let link = linkCover[j] { e.append((link[0], -1)) }
            if let k = o.feeContract {
                e.append((feeRows[k], Double(o.commission)))
                e.append((linkRowOfOption[j], 1))
            }
            optionColumns.append(model.addColumn(lower: 0, upper: 1, cost: Double(o.cost), integer: true, entries: e))
        }
        for (k, c) in feeContracts.enumerated() {
            let links = options.indices.filter { options[$0].feeContract == k }.map { (linkRowOfOption[$0], -1.0) }
            let used: Double = c.usedByBase ? 1 : 0
            contractColumns.append(model.addColumn(lower: used, upper: 1, cost: 0, integer: true, entries: links + [(feeRows[k], -Double(c.floor))]))
            let vat = Double(c.contract.vatRate.nanos) / Double(Rate.scale)
            var cash: [(row: Int, value: Double)] = []
            if let f = feeDay { cash.append((balance[f], 1)) }
            model.addColumn(lower: 0, upper: .infinity, cost: 1, entries: [(feeRows[k], 1), (vatRows[k], -vat)] + cash)
            model.addColumn(lower: 0, upper: .infinity, cost: 0, integer: exactRounding, entries: [(vatRows[k], 1)] + cash)
        }
        addCreditLines(days: n, balance: balance, months: months, lastDayRows: lastDayRows)
    }

    struct FeeContract {
        var contract: FactoringContract
        var floor: Int64
        var baseCommission: Int64
        var usedByBase: Bool
    }
    var feeContracts: [FeeContract] = []

    mutating func collectOptions(ledger: CashLedger) {
        let s = engine.scenario
        for c in s.instruments.factoring where c.kind == .global && c.annualMinimumFee > .zero {
            var used = false, commissions: Int64 = 0
            for e in base.effects.values where e.decision == .factor(c.name) { used = true; commissions += e.cost.commissions.cents }
            let floor = Money.charge(c.annualMinimumFee, rate: .one, times: s.horizonDays, over: 365).cents
            feeContracts.append(FeeContract(contract: c, floor: floor, baseCommission: commissions, usedByBase: used))
        }
        let i = s.instruments
        let receivableChoices: [Decision] = i.factoring.map { .factor($0.name) } + i.credit.dailly.map { .dailly($0.name) }
            + i.credit.billDiscount.map { .discount($0.name) }
        let payableChoices: [Decision] = i.reverseFactoring.map { .reverseFactor($0.name) } + i.supplierFinancing.map { .supplierFinancing($0.name) }
            + i.splitPayment.map { .splitPayment($0.name) } + [.negotiate]
        for kind in InvoiceKind.allCases {
            let choices = (kind == .receivable ? receivableChoices : payableChoices).filter { d in
                guard let allowed = request.instruments else { return true }
                return PlanOptimizer.instrument(of: d).map { allowed.contains($0) } ?? false
            }
            if choices.isEmpty { continue }
            let list = s.invoices(kind)
            for idx in list.indices where list[idx].status == .open {
                let ref = InvoiceRef(kind, idx)
                if base.decisions[ref] != nil { continue }   // kept from --fix-plan
                let st = engine.settlement(ref)
                for d in choices {
                    guard case .success(let found) = engine.effect(of: d, on: ref, defaulted: base.defaulted.contains(ref)),
                          let e = found, !e.legalBreach else { continue }
                    // Against what the plan does without a decision: the ordinary settlement, or the engine's
                    // base effect for this invoice (a defaulted receivable, a payable paid late).
                    var byDay: [Int: Int64] = [:]
                    func add(_ effect: FinancingEffect, _ sign: Int64) {
                        if effect.replacesSettlement, let t = ledger.offset(st.day) {
                            byDay[t, default: 0] += sign * (kind == .receivable ? -list[idx].amount.cents : list[idx].amount.cents)
                        }
                        for m in effect.movements where m.category != .charge {
                            if let t = ledger.offset(m.day) { byDay[t, default: 0] += sign * m.amount.cents }
                        }
                    }
                    add(e, 1)
                    let baseEffect = engine.baseEffect(ref)
                    if let b = baseEffect { add(b, -1) }
                    let deltas = byDay.filter { $0.value != 0 }.sorted { $0.key < $1.key }.map { (day: $0.key, cents: $0.value) }
                    let cost = e.cost.total.cents - (baseEffect?.cost.total.cents ?? 0)
                    if deltas.isEmpty && cost >= 0 { continue }   // changes nothing the plan could use
                    // The day the comparison window must reach for this decision (PlanState.latestMovementDay).
                    let latest = min(max(e.latestDay(settlement: st.day), st.day), engine.windowLimit)
                    longestEnd = max(longestEnd, latest)
                    var fee: Int? = nil
                    if case .factor(let name) = d { fee = feeContracts.firstIndex { $0.contract.name == name } }
                    options.append(CandidateOption(ref: ref, decision: d, cost: cost, deltas: deltas, feeContract: fee,
                                                   commission: e.cost.commissions.cents, latest: latest))
                }
            }
        }
    }

    /// The plan a solution selects, applied to the base plan and re-projected by the engine.
    func plan(from values: [Double], base: PlanState, name: String) -> (state: PlanState, result: PlanResult, chosen: [(ref: InvoiceRef, decision: Decision)]) {
        var state = base
        state.name = name
        var chosen: [(ref: InvoiceRef, decision: Decision)] = []
        if !values.isEmpty {
            for (j, o) in options.enumerated() where values[optionColumns[j]] > 0.5 {
                if state.set(o.decision, for: o.ref) == nil { chosen.append((o.ref, o.decision)) }
            }
            let drawings = drawings(from: values)
            if !drawings.isEmpty { state.setDrawings(base.drawings + drawings) }
        }
        return (state, evaluate(state), chosen)
    }

    /// The plan without the chosen decisions that buy nothing: a decision that costs nothing itself
    /// (a negotiation that moves no breach) is dropped when the engine says the plan costs no more and
    /// keeps the floor without it, so the user is not asked to act for nothing. Bounded to small plans.
    func pruned(_ plan: (state: PlanState, result: PlanResult, chosen: [(ref: InvoiceRef, decision: Decision)]), allowedExcess: Money)
        -> (state: PlanState, result: PlanResult, chosen: [(ref: InvoiceRef, decision: Decision)]) {
        guard plan.chosen.count <= 400 else { return plan }
        var p = plan
        for c in plan.chosen where (p.state.effects[c.ref]?.cost.total ?? .zero) >= .zero {
            var trial = p.state
            guard trial.set(.none, for: c.ref) == nil else { continue }
            let r = evaluate(trial)
            if r.totalCost <= p.result.totalCost && excess(of: r, trial).amount <= allowedExcess && r.legalBreaches <= p.result.legalBreaches {
                p.state = trial; p.result = r
                p.chosen.removeAll { $0.ref == c.ref }
            }
        }
        return p
    }

    /// The plan as `treso compare --plan NAME` measures it: beside the two reference plans, on their common window.
    func evaluate(_ state: PlanState) -> PlanResult {
        PlanComparison(states: references + [state]).results[references.count]
    }

    /// By how much the plan's worst closing balance misses the floor (≤ 0 when it keeps it), and the first such day.
    /// With several accounts and `keep = limit`, each account's own limit counts (the engine's per-account run):
    /// a plan within the summed limit that takes one account past its own misses by that account's excess.
    func excess(of result: PlanResult, _ state: PlanState) -> (amount: Money, day: Day?) {
        var worst: Int64 = .min, day: Day? = nil
        for d in result.window.days {
            let miss = floor - d.closing.cents
            if miss > worst { worst = miss; day = d.day }
        }
        let accounts = engine.scenario.accounts.accounts
        if request.keep == .limit && !accounts.isEmpty && result.window.days.contains(where: { $0.flags.contains(.overLimit) }),
           let last = result.window.days.last?.day {
            let per = state.accountProjections(through: last).accounts
            for (k, p) in per.enumerated() where k < accounts.count {
                for d in p.days {
                    let miss = -accounts[k].overdraft.limit.cents - d.closing.cents
                    if miss > worst || (miss == worst && day.map { d.day < $0 } ?? true) { worst = miss; day = d.day }
                }
            }
        }
        return (Money(cents: worst == .min ? 0 : worst), worst > 0 ? day : nil)
    }

    /// The solver's bound in cents: every plan's model cost is a whole number of cents, so the bound
    /// rounds up (less a tolerance); a cent is given away for each charge whose rounding the model could
    /// not resolve exactly; the constant cost of the fixed decisions is added. Never above the cost found.
    func lowerBound(solverBound: Double, cost: Money) -> Money {
        if solverBound == .infinity { return cost }   // no plan of this model: nothing below the cost found
        guard solverBound.isFinite, solverBound > -1e15 else { return Money(cents: min(-Int64(1) << 50, cost.cents)) }
        let cents = Int64((solverBound - 1e-3).rounded(.up)) - Int64(unresolvedRoundings) + base.effectsCost.total.cents
        return Money(cents: min(cents, cost.cents))
    }
}

/// Runs `a` on a new thread and `b` on this one, and waits for both (the solver's child processes then use
/// both cores). Falls back to one after the other when no thread can be started.
func inParallel<A: Sendable, B: Sendable>(_ a: @escaping @Sendable () -> A, _ b: () -> B) -> (A, B) {
    let slot = ParallelSlot(a)
    let box = Unmanaged.passRetained(slot).toOpaque()
    var thread = pthread_t()
    let started = pthread_create(&thread, nil, { p in
        guard let p else { return nil }
        Unmanaged<ParallelSlotBase>.fromOpaque(p).takeRetainedValue().execute()
        return nil
    }, box)
    if started != 0 {
        Unmanaged<ParallelSlotBase>.fromOpaque(box).release()
        return (a(), b())
    }
    let second = b()
    pthread_join(thread, nil)
    return (slot.value ?? a(), second)
}

/// The thread's side of `inParallel` (a non-generic base: a C thread entry cannot name a generic type).
class ParallelSlotBase: @unchecked Sendable {
    func execute() {}
}

/// Written by the started thread before `pthread_join` returns, read after: no overlap.
final class ParallelSlot<A: Sendable>: ParallelSlotBase, @unchecked Sendable {
    var value: A?
    let run: @Sendable () -> A
    init(_ run: @escaping @Sendable () -> A) { self.run = run }
    override func execute() { value = run() }
}

extension ModelBuilder {
    /// Per day, as a difference array (entry d = change on day d), the lowest (or highest) running cash effect any
    /// one option of each invoice can have: summed over invoices and run through, the lowest (highest) the balance
    /// can be on each of the first `days` days before charges. Used for the big-M bounds of both models.
    func extremeRunningEffect(days n: Int, lowest: Bool) -> [Int64] {
        var out = [Int64](repeating: 0, count: n + 1)
        var j = 0
        while j < options.count {
            var k = j
            while k < options.count && options[k].ref == options[j].ref { k += 1 }
            var days = Set<Int>()
            for o in options[j..<k] { for dl in o.deltas where dl.day < n { days.insert(dl.day) } }
            var cum = [Int64](repeating: 0, count: k - j)
            var cursor = [Int](repeating: 0, count: k - j)
            var previous: Int64 = 0
            for d in days.sorted() {
                var w: Int64 = 0
                for (x, o) in options[j..<k].enumerated() {
                    while cursor[x] < o.deltas.count && o.deltas[cursor[x]].day <= d { cum[x] += o.deltas[cursor[x]].cents; cursor[x] += 1 }
                    w = lowest ? min(w, cum[x]) : max(w, cum[x])
                }
                out[d] += w - previous
                previous = w
            }
            j = k
        }
        return out
    }

    /// The relaxation for plans that stretch the window (built with `tail == .dropped` through `earliest`, the first
    /// day a stretching decision reaches), strengthened: at least one stretching decision, and each day after
    /// `earliest` that a chosen decision makes the window reach costs at least the interest on the smallest debit
    /// any plan can have that day — y(t) ∈ [0, 1] with y(t) ≥ y(t+1), y(last day of option) ≥ x(option), cost
    /// y(t) × that interest (a lower bound: the real charge is on the plan's real debit, rounded once a month; the
    /// caller gives `tailMonths` cents per month away for the rounding).
    func stretchingModel(late: [Int]) -> (model: LinearModel, tailMonths: Int) {
        let s = engine.scenario
        let ledger = base.ledger
        let n = max(min(longestEnd - s.start + 1, ledger.count), 1)
        let modelDays = max(min(builtThrough - s.start + 1, ledger.count), 1)
        // The highest balance any plan can have on each day: base flows plus, per invoice, its best running effect.
        let best = extremeRunningEffect(days: n, lowest: false)
        let rate = Double(terms.annualRate.nanos) / Double(Rate.scale) / 360
        var high = Double(s.openingBalance.cents)
        var running: Int64 = 0
        var penalty = [Double](repeating: 0, count: n)
        for t in 0..<n {
            running += best[t]
            high += Double(ledger.receipts[t] - ledger.disbursements[t] + ledger.financing[t])
            penalty[t] = max(0, -(high + Double(running))) * rate * (1 - 1e-9)
        }
        var m = model
        var rows: [(lower: Double, upper: Double, entries: [(column: Int, value: Double)])] = []
        rows.append((1, .infinity, late.map { (optionColumns[$0], 1.0) }))   // at least one stretching decision
        let tailDays = Array(modelDays..<n)
        var linkRows: [Int: [Int]] = [:]   // day → rows y(day) − x(option) ≥ 0
        for jj in late {
            let t = min(options[jj].latest - s.start, n - 1)
            guard t >= modelDays else { continue }
            linkRows[t, default: []].append(m.rowCount + rows.count)
            rows.append((0, .infinity, [(optionColumns[jj], -1.0)]))
        }
        let chainStart = m.rowCount + rows.count
        for _ in tailDays.dropLast() { rows.append((0, .infinity, [])) }   // y(t) − y(t+1) ≥ 0
        m = m.appending(rows: rows)
        for (i, t) in tailDays.enumerated() {
            var e: [(row: Int, value: Double)] = (linkRows[t] ?? []).map { ($0, 1.0) }
            if i < tailDays.count - 1 { e.append((chainStart + i, 1)) }
            if i > 0 { e.append((chainStart + i - 1, -1)) }
            m.addColumn(lower: 0, upper: 1, cost: penalty[t], entries: e)
        }
        var months = 0, lastMonth = -1
        for t in tailDays {
            let d = s.start + t
            let key = d.year * 12 + d.month
            if key != lastMonth { months += 1; lastMonth = key }
        }
        return (m, months)
    }
}

extension PlanOptimizer {
    /// The request's instruments exist and the overdraft's rates are not negative (both optimizers check this first).
    func validate(_ request: OptimizeRequest) throws {
        if let names = request.instruments {
            let known = Self.instrumentNames(engine.scenario)
            for n in names.sorted() where !known.contains(n) { throw OptimizeError.unknownInstrument(n, known: known) }
        }
        let od = engine.scenario.overdraft
        if od.annualRate < .zero || od.highestOverdraftRate < .zero { throw OptimizeError.negativeOverdraftRate }
        if engine.scenario.accounts.accounts.contains(where: { $0.overdraft.annualRate < .zero || $0.overdraft.highestOverdraftRate < .zero }) {
            throw OptimizeError.negativeOverdraftRate
        }
    }
}
