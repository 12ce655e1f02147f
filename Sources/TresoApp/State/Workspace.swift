import TresoCore

/// One plan of the session: its live state, and how it is written in the scenario file.
struct PlanEntry: Sendable {
    var state: PlanState
    /// The plan's rules as written in the file (or as last saved). Saved back as they are, followed by
    /// one `{ invoice = … }` rule per invoice the user changed individually.
    var rules: [PlanRule]
    /// What the rules gave each invoice when they were read: the reference against which individual
    /// changes are detected when saving.
    var ruleDecisions: [InvoiceRef: Decision]
    /// "overdraft only" and "negotiate terms": compared, viewable, never edited or saved.
    var builtin: Bool

    var name: String { state.name }

    init(state: PlanState, rules: [PlanRule], builtin: Bool) {
        self.state = state
        self.rules = rules
        self.ruleDecisions = state.decisions
        self.builtin = builtin
    }

    /// The plan's individual decisions that differ from what its rules give.
    var overrides: [(InvoiceRef, Decision)] {
        var refs = Set(state.decisions.keys)
        refs.formUnion(ruleDecisions.keys)
        return refs.sorted().compactMap { ref in
            let now = state.decision(for: ref)
            return now == (ruleDecisions[ref] ?? .none) ? nil : (ref, now)
        }
    }
}

/// What a plan is, independent of any engine: enough to rebuild it after the terms changed, or to put
/// it back after an undo.
struct PlanSnapshot: Sendable, Equatable {
    var name: String
    var rules: [PlanRule]
    var ruleDecisions: [InvoiceRef: Decision]
    var decisions: [InvoiceRef: Decision]
    var defaulted: Set<InvoiceRef>
    var builtin: Bool
    var drawings: [CreditDrawing] = []
}

/// The scenario being edited: the engine, every plan's live state and their comparison.
/// Every change goes through `apply`, which keeps the comparison current and bumps `revision`.
public struct Workspace: Sendable {
    public private(set) var engine: ForecastEngine
    private(set) var entries: [PlanEntry]
    public private(set) var comparison: PlanComparison
    /// Incremented by every change; views cache what they derive from the document against it.
    public private(set) var revision = 0
    /// Decisions the stored plans asked for and the instruments refused, at load.
    public private(set) var loadRefusals: [Refusal] = []
    /// Every forecast period with what real invoices already cover (invoices do not change in the planner, so once).
    public let forecastPeriods: [ForecastPeriod]

    public static let builtinCount = 2

    public init(scenario: Scenario) {
        let engine = ForecastEngine(scenario: scenario)
        self.engine = engine
        self.forecastPeriods = engine.scenario.forecastPeriods()
        var entries: [PlanEntry] = []
        var refusals: [Refusal] = []
        for p in PlanComparison.plansToCompare(scenario.plans) {
            let st = PlanState(engine: engine, plan: p)
            let builtin = PlanComparison.isBuiltin(p.name)
            if !builtin { refusals += st.refusals }
            entries.append(PlanEntry(state: st, rules: p.rules, builtin: builtin))
        }
        self.entries = entries
        self.loadRefusals = refusals
        self.comparison = PlanComparison(states: entries.map(\.state))
    }

    public var scenario: Scenario { engine.scenario }
    public var planCount: Int { entries.count }
    public var planNames: [String] { entries.map(\.name) }
    public func plan(_ i: Int) -> PlanState { entries[clampPlan(i)].state }
    public func isBuiltin(_ i: Int) -> Bool { entries[clampPlan(i)].builtin }
    public func projection(of i: Int) -> Projection { comparison.results[clampPlan(i)].projection }
    /// The "overdraft only" projection, drawn as the chart's baseline.
    public var baseline: Projection { comparison.results[0].projection }

    func clampPlan(_ i: Int) -> Int { min(max(0, i), entries.count - 1) }

    func snapshot(_ i: Int) -> PlanSnapshot {
        let e = entries[i]
        return PlanSnapshot(name: e.name, rules: e.rules, ruleDecisions: e.ruleDecisions, decisions: e.state.decisions,
                            defaulted: e.state.defaulted, builtin: e.builtin, drawings: e.state.drawings)
    }

    func entry(from snap: PlanSnapshot) -> PlanEntry {
        var st = PlanState(engine: engine, name: snap.name)
        if !snap.drawings.isEmpty { st.setDrawings(snap.drawings) }
        for ref in snap.defaulted.sorted() { st.setDefaulted(true, for: ref) }
        for (ref, d) in snap.decisions.sorted(by: { $0.key < $1.key }) { st.set(d, for: ref) }
        var e = PlanEntry(state: st, rules: snap.rules, builtin: snap.builtin)
        e.ruleDecisions = snap.ruleDecisions
        return e
    }

    /// Applies one change; returns the refusal when the engine refuses it (nothing changes then).
    /// The comparison is not refreshed: call `refresh()` after a batch (or use `apply(all:)`).
    @discardableResult
    mutating func apply(_ change: Change) -> Refusal? {
        var refusal: Refusal?
        switch change {
        case let .decision(p, ref, _, to):
            guard entries.indices.contains(p) else { return nil }
            refusal = entries[p].state.set(to, for: ref)
        case let .defaulted(p, ref, _, to):
            // A default is a what-if of the scenario: it applies to every plan, so that plans stay comparable.
            guard entries.indices.contains(p) else { return nil }
            refusal = entries[p].state.setDefaulted(to, for: ref)
            if refusal == nil { for i in entries.indices where i != p { entries[i].state.setDefaulted(to, for: ref) } }
        case let .terms(_, to):
            engine = engine.withTerms(to)
            for i in entries.indices { entries[i].state = entries[i].state.rebased(on: engine) }
        case let .insertPlan(at, snap):
            entries.insert(entry(from: snap), at: min(max(Self.builtinCount, at), entries.count))
        case let .removePlan(at, _):
            guard entries.indices.contains(at), !entries[at].builtin else { return nil }
            entries.remove(at: at)
        case let .rename(p, _, to):
            guard entries.indices.contains(p) else { return nil }
            entries[p].state.name = to
        case let .drawings(p, _, to):
            guard entries.indices.contains(p) else { return nil }
            var st = entries[p].state
            if let r = st.setDrawings(to).first { return r }
            entries[p].state = st
        }
        return refusal
    }

    /// Applies changes in order, then re-compares once. Returns those applied and the refusals.
    mutating func apply(all changes: [Change]) -> (applied: [Change], refusals: [Refusal]) {
        var applied: [Change] = []
        var refusals: [Refusal] = []
        applied.reserveCapacity(changes.count)
        for c in changes {
            if let r = apply(c) { refusals.append(r) } else { applied.append(c) }
        }
        if !applied.isEmpty { refresh() }
        return (applied, refusals)
    }

    /// Re-compares every plan (each plan's ledger is already current: `PlanState.set` is incremental).
    mutating func refresh() {
        comparison = PlanComparison(states: entries.map(\.state))
        revision &+= 1
    }

    /// After a successful save: the file now holds each plan's rules followed by its individual changes.
    mutating func markSaved(rules: [Int: [PlanRule]]) {
        for (i, r) in rules where entries.indices.contains(i) {
            entries[i].rules = r
            entries[i].ruleDecisions = entries[i].state.decisions
        }
    }

    func entryRules(_ i: Int) -> [PlanRule] { entries[i].rules }
    func overrides(_ i: Int) -> [(InvoiceRef, Decision)] { entries[i].overrides }

    /// A plan name not used yet, from `base` ("plan 2", "plan 3"… when taken).
    public func uniqueName(_ base: String) -> String {
        let names = Set(planNames)
        if !names.contains(base) { return base }
        var n = 2
        while names.contains("\(base) \(n)") { n += 1 }
        return "\(base) \(n)"
    }
}
