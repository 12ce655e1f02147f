/// The 5th, 50th and 95th percentiles of one day's closing balance over the simulated paths.
public struct DailyQuantiles: Sendable, Hashable {
    public var day: Day
    public var p5: Money
    public var p50: Money
    public var p95: Money
}

/// One plan's risk over the simulated paths. docs/calculations.md §15.
public struct PlanRisk: Sendable {
    public var name: String
    public var paths: Int
    /// Paths with at least one day over the overdraft limit in the horizon.
    public var overLimitPaths: Int
    /// Paths with at least one day below the minimum cash in the horizon.
    public var belowBufferPaths: Int
    /// Mean over the paths of the plan's total cost (financing + bank charges + losses, over the risk window).
    public var expectedCost: Money
    public var costP95: Money
    /// 5th percentile of the horizon's lowest closing balance.
    public var lowestBalanceP5: Money
    public var days: [DailyQuantiles]
    /// The largest possible error of any day's quantile, in cents: 0 when each day's paths gave at most
    /// `QuantileSketch.exactLimit` distinct balances, else half the histogram bucket (§15, bounded memory).
    public var quantileError: Money = .zero
    /// The same bound for `costP95` and `lowestBalanceP5`.
    public var extremesError: Money = .zero

    public var pOverLimit: Double { paths > 0 ? Double(overLimitPaths) / Double(paths) : 0 }
    public var pBelowBuffer: Double { paths > 0 ? Double(belowBufferPaths) / Double(paths) : 0 }
    /// A probability as an exact decimal with 4 decimals (count / paths rounded half away from zero).
    public static func probabilityText(_ count: Int, of paths: Int) -> String {
        guard paths > 0 else { return "0" }
        let v = divideRoundingHalfAwayFromZero(Int128(count) * 10_000, Int128(paths))
        let whole = v / 10_000, frac = String(Int(v % 10_000))
        return String(Int(whole)) + "." + String(repeating: "0", count: 4 - frac.count) + frac
    }
}

/// Every plan's risk, measured on the same simulated paths.
public struct RiskReport: Sendable {
    public var paths: Int
    public var seed: UInt64
    public var horizonEnd: Day
    /// Costs are counted through this day: the comparison window, extended so that the latest drawn payment
    /// (and a default's reclaim) settles in it.
    public var windowEnd: Day
    public var plans: [PlanRisk]
    /// Receivables drawing from each source of delays.
    public var sources: [DelaySource: Int]
    /// What the figures assume rather than know, in words.
    public var assumptions: [String]
}

/// Monte Carlo simulation of customers' payment delays and defaults. Pure and seeded: the same states,
/// model, paths and seed give the same report on any machine.
///
/// Each path draws, for every open receivable without an explicit expected date, a delay from its customer's
/// distribution (and whether it defaults); the receivable settles on the business day following due + delay
/// (or the start when that is earlier), exactly as `ForecastEngine` settles it. Every plan is then projected
/// over the same draws (common random numbers) by shifting, in the plan's own ledger, only the receivables
/// whose settlement changed: an invoice without effect moves its receipt; one with an effect (factoring,
/// a default) has its effect rebuilt by the engine on the drawn settlement and swapped in. The ledger is
/// restored after each path; paths run in blocks whose closings are counted into one bounded `QuantileSketch` per
/// (plan, day), so memory does not grow with the number of paths.
public enum RiskSimulation {
    public static let defaultPaths = 2_000

    private struct Change { var index: Int; var settlement: Settlement; var defaulted: Bool }
    private struct Swap { var index: Int; var old: Int32; var new: CompactEffect? }

    /// An effect's cash as the ledger cells it changes (what `FinancingEffect.apply` adds, recorded once by applying
    /// it to an empty ledger) and its cost: swapping it in and out on every path then touches a few integers only.
    struct CompactEffect {
        var cost: Int64
        var cells: [(offset: Int32, column: UInt8, account: Int32, cents: Int64)]
        /// Its commissions and, when it factors with a contract that has an annual minimum fee, that contract's
        /// index in `MinimumFees.contracts` (else −1): the fee's top-up depends on the commissions charged.
        var commissions: Int64 = 0
        var feeContract: Int32 = -1

        /// `router`: with several bank accounts (§17), each cell on the account the routing puts it (the invoice's
        /// settlement on the invoice's account, each movement on its own); nil = one account.
        init(_ e: FinancingEffect, engine: ForecastEngine, scratch: inout CashLedger, fees: MinimumFees, router: AccountRouter? = nil) {
            cost = e.cost.total.cents
            commissions = e.cost.commissions.cents
            feeContract = fees.index(of: e.decision)
            cells = []
            var days = e.movements.map(\.day)
            days.append(engine.settlement(e.ref).day)
            func harvest(_ account: Int32) {
                for d in days {
                    guard let o = scratch.offset(d) else { continue }
                    for (col, v) in [(UInt8(0), scratch.receipts[o]), (1, scratch.disbursements[o]), (2, scratch.financing[o])] where v != 0 {
                        cells.append((Int32(o), col, account, v))
                    }
                    scratch.receipts[o] = 0; scratch.disbursements[o] = 0; scratch.financing[o] = 0
                }
            }
            guard let router else {
                e.apply(to: &scratch, engine: engine, sign: 1)
                harvest(0)
                return
            }
            let home = router.account(of: engine.invoice(e.ref))
            var byAccount: [Int: [Movement]] = [:]
            for m in e.movements { byAccount[router.account(of: m, in: engine), default: []].append(m) }
            for a in Set(byAccount.keys).union([home]).sorted() {
                if a == home && e.replacesSettlement {
                    var settlementOnly = e
                    settlementOnly.movements = []
                    settlementOnly.apply(to: &scratch, engine: engine, sign: 1)
                }
                for m in byAccount[a] ?? [] { scratch.add(m.amount, on: m.day, as: m.category) }
                harvest(Int32(a))
            }
        }

        /// `ls[base + account]` is the ledger of each account (one account: `ls[base]`).
        @inline(__always) func apply(to ls: inout [CashLedger], at base: Int, sign: Int64) {
            for c in cells {
                let o = Int(c.offset), a = base + Int(c.account)
                switch c.column {
                case 0: ls[a].receipts[o] += sign * c.cents
                case 1: ls[a].disbursements[o] += sign * c.cents
                default: ls[a].financing[o] += sign * c.cents
                }
            }
        }
    }

    /// Global factoring contracts with an annual minimum fee: a plan pays the prorated fee's shortfall over the
    /// commissions it was charged (`PlanState.minimumFeeTopUps`). On a path where a decision falls back (the drawn
    /// date makes it impossible), the commissions change and the top-up is recomputed the same way.
    struct MinimumFees {
        var contracts: [FactoringContract] = []
        /// The prorated annual minimum of each, in cents.
        var floors: [Int64] = []
        /// The day the top-up is charged (the horizon's last business day, as `PlanState.planMovements`).
        var day: Day

        init(engine: ForecastEngine) {
            let s = engine.scenario
            day = max(s.start, engine.calendar.preceding(s.end))
            for c in s.instruments.factoring where c.kind == .global && c.annualMinimumFee > .zero {
                contracts.append(c)
                floors.append(Money.charge(c.annualMinimumFee, rate: .one, times: s.horizonDays, over: 365).cents)
            }
        }

        func index(of d: Decision) -> Int32 {
            guard !contracts.isEmpty, case .factor(let name) = d else { return -1 }
            return contracts.firstIndex { $0.name == name }.map { Int32($0) } ?? -1
        }

        /// The top-up and its VAT for contract k given the commissions charged and the number of invoices factored.
        func topUp(_ k: Int, commissions: Int64, users: Int) -> (Int64, Int64) {
            guard users > 0 else { return (0, 0) }
            let t = floors[k] - commissions
            guard t > 0 else { return (0, 0) }
            return (t, Money.charge(Money(cents: t), rate: contracts[k].vatRate).cents)
        }
    }

    /// One plan, prepared once: its ledger and, per receivable, its effect (own or base) if any.
    private struct Prepared {
        /// Its ledger per bank account (§17), the consolidated one alone without [accounts].
        var ledgers: [CashLedger]
        var cost: Int64
        var defaulted: [Bool]
        var effectIndex: [Int32]
        var effects: [FinancingEffect]
        var decisions: [Decision]
        var compact: [CompactEffect] = []
        /// Receivables with an effect or a default in this plan, and the same as a flag per receivable.
        var special: [Int] = []
        var isSpecial: [Bool] = []
        /// Per minimum-fee contract: the commissions the plan is charged and the invoices it factors with it.
        var feeCommissions: [Int64] = []
        var feeUsers: [Int] = []
        /// The plan's credit lines (§16), run on every path like in the comparison (automatic drawings follow the path's balance).
        var lines: [CreditLineUse] = []
    }

    /// Runs two closures, possibly at the same time (the CLI passes TresoIO's two-thread runner); TresoCore starts no thread.
    public typealias Concurrently = (() -> Void, () -> Void) -> Void

    /// `concurrently`: when given, the paths (then the quantiles) are split in two halves run through it; the report
    /// is the same either way.
    public static func run(states: [PlanState], model: DelayModel, paths requested: Int, seed: UInt64,
                           concurrently: Concurrently? = nil) -> RiskReport {
        simulate(states: states, model: model, paths: requested, seed: seed, concurrently: concurrently, stop: nil)
            ?? empty(paths: max(requested, 1), seed: seed)
    }

    /// `run` that asks `stop` every `stopCheckPaths` paths and gives up (nil) as soon as it says true: the planner
    /// cancels a simulation of plans that changed since. The report of a run that was not stopped is `run`'s.
    public static func run(states: [PlanState], model: DelayModel, paths requested: Int, seed: UInt64,
                           stop: () -> Bool) -> RiskReport? {
        withoutActuallyEscaping(stop) { stop in
            simulate(states: states, model: model, paths: requested, seed: seed, concurrently: nil, stop: stop)
        }
    }

    /// Paths simulated between two looks at a stop request (a few milliseconds at 100 k invoices).
    static let stopCheckPaths = 8

    static func empty(paths: Int, seed: UInt64) -> RiskReport {
        RiskReport(paths: paths, seed: seed, horizonEnd: Day(raw: 0), windowEnd: Day(raw: 0), plans: [], sources: [:], assumptions: [])
    }

    static func simulate(states: [PlanState], model: DelayModel, paths requested: Int, seed: UInt64,
                         concurrently: Concurrently?, stop: (() -> Bool)?) -> RiskReport? {
        let paths = max(requested, 1)
        guard let engine = states.first?.engine else { return empty(paths: paths, seed: seed) }
        if stop?() == true { return nil }
        let (work, windowEnd) = prepare(states: states, engine: engine, model: model, seed: seed)
        let s = engine.scenario, start = s.start, horizon = engine.horizonCount, n = states.count
        // Paths run in blocks of at most `blockPaths`: a block's closings are kept exactly, then counted into one
        // bounded sketch per (plan, day) — memory does not grow with the number of paths.
        let block = min(paths, blockPaths)
        let dayRows = n * horizon
        let closings = UnsafeMutableBufferPointer<Int64>.allocate(capacity: max(dayRows * block, 1))
        let costs = UnsafeMutableBufferPointer<Int64>.allocate(capacity: max(n * block, 1))
        let lowest = UnsafeMutableBufferPointer<Int64>.allocate(capacity: max(n * block, 1))
        defer { closings.deallocate(); costs.deallocate(); lowest.deallocate() }
        closings.initialize(repeating: 0); costs.initialize(repeating: 0); lowest.initialize(repeating: 0)
        let out = Output(closings: closings, costs: costs, lowest: lowest, block: block)
        var first = Counts(n), second = Counts(n)
        var laneA = Lane(work), laneB = Lane(work)
        // Rows: every (plan, day) closing, then each plan's cost and each plan's lowest balance.
        var sketches = [QuantileSketch](repeating: QuantileSketch(), count: dayRows + 2 * n)
        var costTotals = [Int128](repeating: 0, count: n)
        var from = 0
        while from < paths {
            let to = min(from + block, paths), m = to - from
            if let concurrently, m >= 64 {
                let half = from + m / 2
                concurrently({ work.simulate(from..<half, blockStart: from, into: out, counts: &first, lane: &laneA) },
                             { work.simulate(half..<to, blockStart: from, into: out, counts: &second, lane: &laneB) })
            } else if let stop {
                // Sub-ranges of one block: each path is seeded and stored by its own index, so the result is the same.
                var a = from
                while a < to {
                    if stop() { return nil }
                    let b = min(a + stopCheckPaths, to)
                    work.simulate(a..<b, blockStart: from, into: out, counts: &first, lane: &laneA)
                    a = b
                }
            } else {
                work.simulate(from..<to, blockStart: from, into: out, counts: &first, lane: &laneA)
            }
            if stop?() == true { return nil }
            for pi in 0..<n { for p in 0..<m { costTotals[pi] += Int128(costs[pi * block + p]) } }
            sketches.withUnsafeMutableBufferPointer { sk in
                let target = sk
                func fold(_ rows: Range<Int>) {
                    for r in rows {
                        let src = r < dayRows ? closings.baseAddress! + r * block
                            : r < dayRows + n ? costs.baseAddress! + (r - dayRows) * block
                            : lowest.baseAddress! + (r - dayRows - n) * block
                        target[r].insert(UnsafeBufferPointer(start: src, count: m))
                    }
                }
                let total = target.count
                if let concurrently, m * total >= 4_096 {
                    concurrently({ fold(0..<(total / 2)) }, { fold((total / 2)..<total) })
                } else {
                    fold(0..<total)
                }
            }
            from = to
        }

        var plans: [PlanRisk] = []
        for pi in 0..<n {
            var days: [DailyQuantiles] = []
            days.reserveCapacity(horizon)
            for d in 0..<horizon {
                let q = sketches[pi * horizon + d].three()
                days.append(DailyQuantiles(day: start + d, p5: Money(cents: q.0), p50: Money(cents: q.1), p95: Money(cents: q.2)))
            }
            let c = sketches[dayRows + pi], l = sketches[dayRows + n + pi]
            let mean = Int64(clamping: divideRoundingHalfAwayFromZero(costTotals[pi], Int128(paths)))
            let c95 = c.values(atRanks: [QuantileSketch.rank(95, of: paths)])[0]
            let l5 = l.values(atRanks: [QuantileSketch.rank(5, of: paths)])[0]
            var bound: Int64 = 0
            for r in (pi * horizon)..<((pi + 1) * horizon) { bound = max(bound, sketches[r].errorBound) }
            plans.append(PlanRisk(name: states[pi].name, paths: paths, overLimitPaths: first.overLimit[pi] + second.overLimit[pi],
                                  belowBufferPaths: first.belowBuffer[pi] + second.belowBuffer[pi],
                                  expectedCost: Money(cents: mean), costP95: Money(cents: c95), lowestBalanceP5: Money(cents: l5),
                                  days: days, quantileError: Money(cents: bound),
                                  extremesError: Money(cents: max(c.errorBound, l.errorBound))))
        }
        return RiskReport(paths: paths, seed: seed, horizonEnd: s.end, windowEnd: windowEnd, plans: plans, sources: model.counts,
                          assumptions: assumptions(model: model, scenario: s))
    }

    /// Everything the paths read, prepared once per run: each plan's ledger and effects, the drawn receivables, and
    /// the risk window's end.
    private static func prepare(states: [PlanState], engine: ForecastEngine, model: DelayModel, seed: UInt64) -> (Work, Day) {
        let s = engine.scenario
        let start = s.start, horizon = engine.horizonCount
        let receivables = s.receivables
        var drawn: [Int] = []
        for i in receivables.indices where i < model.receivableDistribution.count && model.receivableDistribution[i] >= 0 { drawn.append(i) }

        // The risk window: the comparison's, extended to the latest settlement (or reclaim) a draw can produce.
        var latest = states.reduce(s.end) { max($0, $1.latestMovementDay) }
        var lastDue = s.start
        for i in drawn {
            let inv = receivables[i]
            let d = model.distributions[Int(model.receivableDistribution[i])]
            let maxDelay = Int(d.delays.max() ?? 0)
            latest = max(latest, inv.dueDate + maxDelay + 7)
            lastDue = max(lastDue, inv.dueDate)
        }
        if model.hasDefaults {
            for c in s.instruments.factoring { latest = max(latest, lastDue + max(c.reclaimDays, c.indemnityDelayDays) + 7) }
        }
        let windowEnd = min(engine.windowLimit, latest)
        let windowDays = windowEnd - start + 1

        var scratch = CashLedger(start: engine.baseLedger.start, days: engine.baseLedger.count)
        let fees = MinimumFees(engine: engine)
        // Several bank accounts (§17): every path's flows routed like the projection's, each account run with its own
        // overdraft and the sweep; nil (one account) runs the single ledger exactly as before.
        let router = s.accounts.isEmpty ? nil : AccountRouter(s.accounts)
        let prepared: [Prepared] = states.map { st in
            var p = Prepared(ledgers: router == nil ? [st.finalLedger] : st.accountLedgers(), cost: st.financingCost.total.cents,
                             defaulted: Array(repeating: false, count: receivables.count),
                             effectIndex: Array(repeating: -1, count: receivables.count), effects: [], decisions: [])
            p.feeCommissions = Array(repeating: 0, count: fees.contracts.count)
            p.feeUsers = Array(repeating: 0, count: fees.contracts.count)
            p.lines = st.lineUses
            for e in st.effects.values {
                let k = fees.index(of: e.decision)
                if k >= 0 { p.feeCommissions[Int(k)] += e.cost.commissions.cents; p.feeUsers[Int(k)] += 1 }
            }
            for ref in st.defaulted where ref.kind == .receivable && ref.index < receivables.count { p.defaulted[ref.index] = true }
            p.isSpecial = Array(repeating: false, count: receivables.count)
            for i in drawn {
                let ref = InvoiceRef(.receivable, i)
                if let e = st.effects[ref] ?? engine.baseEffect(ref) {
                    p.effectIndex[i] = Int32(p.effects.count)
                    p.effects.append(e)
                    p.compact.append(CompactEffect(e, engine: engine, scratch: &scratch, fees: fees, router: router))
                    p.decisions.append(st.decision(for: ref))
                }
                if p.effectIndex[i] >= 0 || p.defaulted[i] { p.special.append(i); p.isSpecial[i] = true }
            }
            return p
        }


        let work = Work(engine: engine, prepared: prepared, receivables: receivables, drawn: drawn, model: model, seed: seed,
                        horizon: horizon, windowDays: windowDays, fees: fees, router: router)
        return (work, windowEnd)
    }

    /// One simulated path of a plan, as `run` measures it: the engine with the path's drawn settlements, the
    /// receivables drawn as defaulting, and the plan's ledger with every decision re-applied to the drawn dates
    /// (and minimum-fee top-ups recomputed). For `treso optimize --risk`, which builds its per-path constraints
    /// from the same paths the report measures.
    public struct SimulatedPath {
        public var path: Int
        public var engine: ForecastEngine
        public var defaulted: [Int]
        public var ledger: CashLedger
    }

    /// Calls `body` for each path in `paths` of `state` (seeded like `run`: path p is the same future in both).
    public static func forEachPath(of state: PlanState, model: DelayModel, paths: Range<Int>, seed: UInt64,
                                   _ body: (SimulatedPath) -> Void) {
        guard !paths.isEmpty else { return }
        let (work, _) = prepare(states: [state], engine: state.engine, model: model, seed: seed)
        let block = min(paths.count, blockPaths), rows = max(work.horizon, 1)
        let closings = UnsafeMutableBufferPointer<Int64>.allocate(capacity: rows * block)
        let costs = UnsafeMutableBufferPointer<Int64>.allocate(capacity: block)
        let lowest = UnsafeMutableBufferPointer<Int64>.allocate(capacity: block)
        defer { closings.deallocate(); costs.deallocate(); lowest.deallocate() }
        closings.initialize(repeating: 0); costs.initialize(repeating: 0); lowest.initialize(repeating: 0)
        let out = Output(closings: closings, costs: costs, lowest: lowest, block: block)
        var counts = Counts(1)
        var lane = Lane(work)
        var from = paths.lowerBound
        withoutActuallyEscaping(body) { visit in
            while from < paths.upperBound {
                let to = min(from + block, paths.upperBound)
                work.simulate(from..<to, blockStart: from, into: out, counts: &counts, lane: &lane, visit: visit)
                from = to
            }
        }
    }

    /// Paths simulated before their closings are counted into the sketches (the only per-path memory).
    static let blockPaths = 512

    /// Whether a run through the window shows the horizon's days exactly as a run through the horizon would:
    /// they differ only by the horizon's partial last month, charged on its last day, which is nothing when the
    /// horizon ends on a month end or has no debit in that month.
    static func sameAsHorizon(_ window: Projection, horizon: Int) -> Bool {
        if window.days.count == horizon { return true }
        guard horizon > 0, horizon <= window.days.count else { return false }
        let monthEnd = window.days[horizon - 1].day.endOfMonth
        if window.days[horizon - 1].day == monthEnd { return true }
        var i = horizon - 1
        while i >= 0 && window.days[i].day.endOfMonth == monthEnd {
            if window.days[i].debit != .zero { return false }
            i -= 1
        }
        return true
    }

    struct Counts {
        var overLimit: [Int], belowBuffer: [Int]
        init(_ n: Int) { overLimit = Array(repeating: 0, count: n); belowBuffer = Array(repeating: 0, count: n) }
    }

    /// Where the paths write. Unchecked: two halves share it, each writing only the cells of its own paths.
    struct Output: @unchecked Sendable {
        let closings: UnsafeMutableBufferPointer<Int64>
        let costs: UnsafeMutableBufferPointer<Int64>
        let lowest: UnsafeMutableBufferPointer<Int64>
        /// Paths per block: path p of the block starting at b writes column p − b.
        let block: Int
    }

    /// One thread's working state, kept from block to block (its ledgers, engine copy and effect cache).
    private struct Lane {
        /// Per plan, its ledger per account: plan p's account k at p × accounts + k (one account: index p).
        var ledgers: [CashLedger]
        var pathEngine: ForecastEngine
        var cache: [[Int64: CompactEffect?]]
        var scratch: CashLedger
        /// Per account k, the shared move of the day d at k × days + d.
        var delta: [Int64]
        var changedSlot: [Int32]
        init(_ w: Work) {
            ledgers = w.prepared.flatMap(\.ledgers)
            pathEngine = w.engine
            cache = Array(repeating: [:], count: w.prepared.count)
            scratch = CashLedger(start: w.engine.baseLedger.start, days: w.engine.baseLedger.count)
            delta = [Int64](repeating: 0, count: (ledgers.first?.count ?? 0) * max(w.accountCount, 1))
            changedSlot = [Int32](repeating: -1, count: w.receivables.count)
        }
    }

    /// What a range of paths reads; each call keeps its own ledgers, engine copy and effect cache.
    private struct Work {
        let engine: ForecastEngine
        let prepared: [Prepared]
        let receivables: [Invoice]
        let drawn: [Int]
        let model: DelayModel
        let seed: UInt64
        let horizon: Int, windowDays: Int
        let fees: MinimumFees
        /// Several bank accounts (§17): the routing, each receivable's account and each minimum-fee contract's.
        let router: AccountRouter?
        let accountCount: Int
        let receivableAccount: [Int32]
        let feeAccount: [Int]
        /// What the draw loop reads, in contiguous arrays rather than through 150-byte invoices and distributions
        /// holding arrays (measured: the draw loop over 50 000 receivables was bound by those loads): per drawn
        /// receivable its due day and distribution; per distribution its default probability and delays (flat);
        /// per receivable its amount.
        let drawnDue: [Day], drawnDist: [Int32]
        let defaultNanos: [Int64], delayStart: [Int32], delayCount: [Int32], delays: [Int32]
        let amounts: [Int64]

        init(engine: ForecastEngine, prepared: [Prepared], receivables: [Invoice], drawn: [Int], model: DelayModel, seed: UInt64,
             horizon: Int, windowDays: Int, fees: MinimumFees, router: AccountRouter?) {
            self.engine = engine; self.prepared = prepared; self.receivables = receivables; self.drawn = drawn
            self.router = router
            accountCount = router == nil ? 1 : engine.scenario.accounts.accounts.count
            receivableAccount = router.map { r in receivables.map { Int32(r.account(of: $0)) } } ?? []
            feeAccount = fees.contracts.map { router?.account(ofInstrument: $0.name, otherwise: router?.defaultIndex ?? 0) ?? 0 }
            self.model = model; self.seed = seed; self.horizon = horizon; self.windowDays = windowDays; self.fees = fees
            drawnDue = drawn.map { receivables[$0].dueDate }
            drawnDist = drawn.map { model.receivableDistribution[$0] }
            defaultNanos = model.distributions.map(\.defaultNanos)
            var starts: [Int32] = [], counts: [Int32] = [], flat: [Int32] = []
            for d in model.distributions { starts.append(Int32(flat.count)); counts.append(Int32(d.delays.count)); flat += d.delays }
            delayStart = starts; delayCount = counts; delays = flat
            amounts = receivables.map(\.amount.cents)
        }

        func simulate(_ range: Range<Int>, blockStart: Int, into out: Output, counts: inout Counts, lane: inout Lane,
                      visit: ((SimulatedPath) -> Void)? = nil) {
            let s = engine.scenario, start = s.start, n = prepared.count
            let paths = out.block
            // The lane's state moved out (not copied: the lane keeps no second reference) and back at the end.
            var ledgers = lane.ledgers; lane.ledgers = []
            var pathEngine = lane.pathEngine; lane.pathEngine = engine
            var cache = lane.cache; lane.cache = []
            var scratch = lane.scratch
            var delta = lane.delta; lane.delta = []
            var changedSlot = lane.changedSlot; lane.changedSlot = []
            let ac = accountCount, span = ledgers.first?.count ?? 0
            defer {
                lane.ledgers = ledgers; lane.pathEngine = pathEngine; lane.cache = cache; lane.scratch = scratch
                lane.delta = delta; lane.changedSlot = changedSlot
            }
            var changes: [Change] = []
            var swaps: [Swap] = []
            let base = engine.receivableSettlements
            var lo = Int.max, hi = -1
            var drawnDefaults: [Int] = []
            var corrected: [Int] = []
            var todo: [Int] = []
            for path in range {
                    var rng = SplitMix64.forPath(seed: seed, path: path)
                    changes.removeAll(keepingCapacity: true)
                    for (x, i) in drawn.enumerated() {
                        let di = Int(drawnDist[x])
                        var def = false
                        let p = defaultNanos[di]
                        if p > 0 { def = Int64(rng.below(UInt64(Rate.scale))) < p }
                        let first = Int(delayStart[di]), count = Int(delayCount[di])
                        let k = count == 1 ? delays[first] : delays[first + Int(rng.below(UInt64(count)))]
                        let st = ForecastEngine.settle(drawnDue[x] + Int(k), start: start, table: engine.table)
                        if st.day != base[i].day || def { changes.append(Change(index: i, settlement: st, defaulted: def)) }
                    }
                    for c in changes { pathEngine.receivableSettlements[c.index] = c.settlement }
                    // The shared move of every re-settled receipt (plans correct it for invoices with an effect).
                    lo = Int.max; hi = -1
                    drawnDefaults.removeAll(keepingCapacity: true)
                    for (ci, c) in changes.enumerated() {
                        changedSlot[c.index] = Int32(ci)
                        if c.defaulted { drawnDefaults.append(ci) }
                        guard c.settlement.day != base[c.index].day else { continue }
                        let amount = amounts[c.index]
                        let k = receivableAccount.isEmpty ? 0 : Int(receivableAccount[c.index])
                        if let a = ledgers[0].offset(base[c.index].day) { delta[k * span + a] -= amount; lo = min(lo, a); hi = max(hi, a) }
                        if let b = ledgers[0].offset(c.settlement.day) { delta[k * span + b] += amount; lo = min(lo, b); hi = max(hi, b) }
                    }

                    for pi in 0..<n {
                        let prep = prepared[pi]
                        var cost = prep.cost
                        swaps.removeAll(keepingCapacity: true)
                        corrected.removeAll(keepingCapacity: true)
                        // Every moved receipt at once, then the invoices with an effect (or a default) in this plan.
                        if lo <= hi { for k in 0..<ac { let o = k * span; for d in lo...hi { ledgers[pi * ac + k].receipts[d] += delta[o + d] } } }
                        // Not a nested function: capturing the path's engine would copy it on every use.
                        todo.removeAll(keepingCapacity: true)
                        for i in prep.special where changedSlot[i] >= 0 { todo.append(Int(changedSlot[i])) }
                        for ci in drawnDefaults where !prep.isSpecial[changes[ci].index] { todo.append(ci) }
                        for ci in todo {
                            let c = changes[ci]
                            let i = c.index, amount = receivables[i].amount
                            let k = receivableAccount.isEmpty ? 0 : Int(receivableAccount[i])
                            let planned = prep.defaulted[i], def = planned || c.defaulted
                            let ei = prep.effectIndex[i]
                            if c.settlement.day != base[i].day {
                                // Take the invoice's share of the shared move back: it is handled here.
                                ledgers[pi * ac + k].add(amount, on: base[i].day, as: .receipt)
                                ledgers[pi * ac + k].add(-amount, on: c.settlement.day, as: .receipt)
                                corrected.append(i)
                            } else if def == planned {
                                continue
                            }
                            // The old effect (if any) out, the ordinary receipt out: the invoice contributes nothing.
                            if ei >= 0 { prep.compact[Int(ei)].apply(to: &ledgers, at: pi * ac, sign: -1); cost -= prep.compact[Int(ei)].cost }
                            ledgers[pi * ac + k].add(-amount, on: base[i].day, as: .receipt)
                            // The engine's effect of the plan's decision on the drawn settlement; a decision the drawn date
                            // makes impossible (paid before the factor would fund) falls back to no decision.
                            let ref = InvoiceRef(.receivable, i)
                            let decision = ei >= 0 ? prep.decisions[Int(ei)] : .none
                            // An effect depends only on the invoice, the decision, the settlement and the default: built
                            // once per variant (a few per invoice), whatever the number of paths.
                            let key = Int64(i) << 34 | Int64(c.settlement.day.raw - start.raw + 1) << 2
                                | (c.settlement.overdue ? 2 : 0) | (def ? 1 : 0)
                            let new: CompactEffect?
                            if let cached = cache[pi][key] { new = cached } else {
                                var effect: FinancingEffect? = nil
                                switch pathEngine.effect(of: decision, on: ref, defaulted: def) {
                                case .success(let e): effect = e
                                case .failure:
                                    if case .success(let e) = pathEngine.effect(of: .none, on: ref, defaulted: def) { effect = e }
                                }
                                new = effect.map { CompactEffect($0, engine: pathEngine, scratch: &scratch, fees: fees, router: router) }
                                cache[pi][key] = .some(new)
                            }
                            ledgers[pi * ac + k].add(amount, on: c.settlement.day, as: .receipt)
                            if let new { new.apply(to: &ledgers, at: pi * ac, sign: 1); cost += new.cost }
                            swaps.append(Swap(index: i, old: ei, new: new))
                        }

                        // Minimum fees: when the path changed the commissions charged under such a contract, its top-up
                        // (posted on the horizon's last business day) is recomputed; undone below.
                        var feeShift: Int64 = 0
                        var feeShifts: [(account: Int, cents: Int64)] = []
                        if !fees.contracts.isEmpty && !swaps.isEmpty {
                            var dc = [Int64](repeating: 0, count: fees.contracts.count), du = [Int](repeating: 0, count: fees.contracts.count)
                            var moved = false
                            for w in swaps {
                                if w.old >= 0 {
                                    let o = prep.compact[Int(w.old)]
                                    if o.feeContract >= 0 { dc[Int(o.feeContract)] -= o.commissions; du[Int(o.feeContract)] -= 1; moved = true }
                                }
                                if let e = w.new, e.feeContract >= 0 { dc[Int(e.feeContract)] += e.commissions; du[Int(e.feeContract)] += 1; moved = true }
                            }
                            if moved {
                                for k in fees.contracts.indices where dc[k] != 0 || du[k] != 0 {
                                    let before = fees.topUp(k, commissions: prep.feeCommissions[k], users: prep.feeUsers[k])
                                    let after = fees.topUp(k, commissions: prep.feeCommissions[k] + dc[k], users: prep.feeUsers[k] + du[k])
                                    cost += after.0 - before.0
                                    let shift = (after.0 + after.1) - (before.0 + before.1)
                                    feeShift += shift
                                    if shift != 0 { feeShifts.append((feeAccount[k], shift)) }
                                }
                                for f in feeShifts { ledgers[pi * ac + f.account].add(Money(cents: -f.cents), on: fees.day, as: .financing) }
                            }
                        }

                        if let visit {
                            visit(SimulatedPath(path: path, engine: pathEngine, defaulted: changes.filter(\.defaulted).map(\.index),
                                                ledger: ac == 1 ? ledgers[pi] : CashLedger.sum(Array(ledgers[(pi * ac)..<(pi * ac + ac)]))))
                        }
                        // One engine: one account runs `Projection.run`, several the accounts' run of §17 (over any
                        // account's own limit is over the limit).
                        let window: Projection, shown: Projection
                        if router != nil {
                            window = AccountsRun.run(ledgers: Array(ledgers[(pi * ac)..<(pi * ac + ac)]), settings: s.accounts, minCash: s.minCash, days: windowDays, lines: prep.lines).consolidated
                            shown = sameAsHorizon(window, horizon: horizon) ? window
                                : AccountsRun.run(ledgers: Array(ledgers[(pi * ac)..<(pi * ac + ac)]), settings: s.accounts, minCash: s.minCash, days: horizon, lines: prep.lines).consolidated
                        } else {
                            window = Projection.run(ledger: ledgers[pi * ac], opening: s.openingBalance, minCash: s.minCash, overdraft: s.overdraft,
                                                    days: windowDays, lines: prep.lines)
                            shown = sameAsHorizon(window, horizon: horizon) ? window
                                : Projection.run(ledger: ledgers[pi * ac], opening: s.openingBalance, minCash: s.minCash, overdraft: s.overdraft, days: horizon, lines: prep.lines)
                        }
                        let column = path - blockStart
                        out.costs[pi * paths + column] = cost + window.summary.bankCharges.cents
                        // The horizon's figures, from its days (a window run's summary covers the whole window).
                        var low = Int64.max
                        var flags: DayFlags = []
                        for d in 0..<min(horizon, shown.days.count) {
                            let pos = shown.days[d]
                            out.closings[(pi * horizon + d) * paths + column] = pos.closing.cents
                            if pos.closing.cents < low { low = pos.closing.cents }
                            flags.formUnion(pos.flags)
                        }
                        out.lowest[pi * paths + column] = low
                        if flags.contains(.overLimit) { counts.overLimit[pi] += 1 }
                        if flags.contains(.belowBuffer) { counts.belowBuffer[pi] += 1 }

                        // Undo, in reverse, so the plan's ledger is exactly its deterministic one again.
                        for f in feeShifts { ledgers[pi * ac + f.account].add(Money(cents: f.cents), on: fees.day, as: .financing) }
                        _ = feeShift
                        for w in swaps.reversed() {
                            let i = w.index, amount = receivables[i].amount
                            let k = receivableAccount.isEmpty ? 0 : Int(receivableAccount[i])
                            let settled = pathEngine.receivableSettlements[i].day
                            if let e = w.new { e.apply(to: &ledgers, at: pi * ac, sign: -1) }
                            ledgers[pi * ac + k].add(-amount, on: settled, as: .receipt)
                            ledgers[pi * ac + k].add(amount, on: base[i].day, as: .receipt)
                            if w.old >= 0 { prep.compact[Int(w.old)].apply(to: &ledgers, at: pi * ac, sign: 1) }
                        }
                        for i in corrected {
                            let amount = receivables[i].amount
                            let k = receivableAccount.isEmpty ? 0 : Int(receivableAccount[i])
                            ledgers[pi * ac + k].add(-amount, on: base[i].day, as: .receipt)
                            ledgers[pi * ac + k].add(amount, on: pathEngine.receivableSettlements[i].day, as: .receipt)
                        }
                        if lo <= hi { for k in 0..<ac { let o = k * span; for d in lo...hi { ledgers[pi * ac + k].receipts[d] -= delta[o + d] } } }
                    }
                    for c in changes { changedSlot[c.index] = -1 }
                    if lo <= hi { for k in 0..<ac { let o = k * span; for d in lo...hi { delta[o + d] = 0 } } }
                    for c in changes { pathEngine.receivableSettlements[c.index] = base[c.index] }
                }
        }
    }

    static func assumptions(model: DelayModel, scenario s: Scenario) -> [String] {
        var out: [String] = []
        let n = model.counts
        if let k = n[.defaultFromExpected], k > 0 {
            out.append("assumes delays of the expected delay −5, +0, +5 or +20 days, equally likely, for \(k) receivable\(k == 1 ? "" : "s") (no [risk] and no payment history)")
        }
        if let k = n[.scenarioSetting], k > 0 { out.append("assumes [risk] delays for \(k) receivable\(k == 1 ? "" : "s")") }
        if let k = n[.customerSetting], k > 0 { out.append("assumes [risk.customers] delays for \(k) receivable\(k == 1 ? "" : "s")") }
        if let k = n[.history], k > 0 { out.append("delays drawn from the customers' payment history for \(k) receivable\(k == 1 ? "" : "s")") }
        // Which customers' delays are learned and which assumed, by name.
        func names(_ list: [CustomerDelays], paid: Bool) -> String {
            let shown = list.prefix(6).map { paid ? "\($0.customer) (\($0.paidInvoices) paid)" : $0.customer }
            return shown.joined(separator: ", ") + (list.count > 6 ? " and \(list.count - 6) more" : "")
        }
        let learned = model.customers.filter { $0.source == .history }
        let assumed = model.customers.filter { $0.source != .history }
        if !learned.isEmpty { out.append("delays learned from payment history: " + names(learned, paid: true)) }
        if !learned.isEmpty || !s.paymentHistory.isEmpty, !assumed.isEmpty {
            let few = assumed.filter { $0.paidInvoices > 0 }
            out.append("delays assumed (no or too little history) for " + names(assumed, paid: false)
                + (few.isEmpty ? "" : "; under \(DelayModel.minimumHistory) paid invoices: " + names(few, paid: true)))
        }
        if model.hasDefaults { out.append("defaults drawn with the [risk] default probabilities") }
        // Forecast receivables: which line drew from which distribution.
        if !model.forecastLines.isEmpty {
            let parts = model.forecastLines.prefix(6).map { f -> String in
                let what: String
                switch f.source {
                case .customerSetting: what = "\(f.customer ?? "") [risk.customers] delays"
                case .history: what = "\(f.customer ?? "")'s payment history (\(f.paidInvoices) paid)"
                case .scenarioSetting: what = "the [risk] delays"
                case .defaultFromExpected: what = "the expected delay −5, +0, +5 or +20 days"
                }
                let whose = f.customer.map { " (\($0))" } ?? " (category)"
                return "\(f.label)\(whose): \(f.receivables) from \(what)"
            }
            out.append("forecast receivables drawn like invoices: " + parts.joined(separator: "; ")
                + (model.forecastLines.count > 6 ? " and \(model.forecastLines.count - 6) more lines" : ""))
        }
        let fixed = s.receivables.filter { $0.status == .open && $0.expectedDate != nil && !$0.isForecast }.count
        if fixed > 0 { out.append("\(fixed) receivable\(fixed == 1 ? "" : "s") with an expected date settle on it in every path") }
        return out
    }
}
