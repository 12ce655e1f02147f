import TresoCore
import TresoOptimize

/// The reducer's side of background jobs: starting and stopping them (as effects), and what their reports mean.
/// Every report names the generation it belongs to; one the state no longer waits for is dropped.
extension AppState {
    // MARK: Optimizing (`o`, issue 11)

    /// `o`: the cheapest plan that keeps the overdraft limit, as `treso optimize` finds it (same request, same engine).
    mutating func startOptimizing(_ options: OptimizeOptions = OptimizeOptions()) -> [Effect] {
        if let run = jobs.optimizing {
            message = Message("already optimizing \"\(run.planName)\"; Esc stops it")
            return []
        }
        // Unknown instruments are refused here, in the optimizer's words, rather than after a start.
        if let names = options.instruments {
            let known = PlanOptimizer.instrumentNames(workspace.scenario)
            if let n = names.sorted().first(where: { !known.contains($0) }) {
                message = Message("optimize: " + OptimizeError.unknownInstrument(n, known: known).description, isError: true)
                return []
            }
        }
        return [.startJob(.optimize(optimizeJob(name: workspace.uniqueName("optimal"), options: options)))]
    }

    /// `:optimize [keep limit|buffer] [instruments LIST] [risk P] [time SECONDS]`: the words parse and validate as
    /// `treso optimize`'s flags do (`OptimizeOptions`); a mistake is said in the status line and starts nothing.
    mutating func optimizeCommand(_ rest: String) -> [Effect] {
        switch OptimizeOptions.parse(line: rest) {
        case .failure(let e):
            message = Message("optimize: " + e.description, isError: true)
            return []
        case .success(let o):
            return startOptimizing(o)
        }
    }

    private mutating func optimizeJob(name: String, options: OptimizeOptions) -> OptimizeJob {
        var request = OptimizeRequest()
        options.apply(to: &request)
        request.planName = name
        // What-if defaults apply to every plan: the optimizer plans with them too.
        let defaulted = workspace.defaultedIDs()
        if !defaulted.isEmpty { request.fixPlan = Plan(name: name, rules: [], defaulted: defaulted) }
        let generation = jobs.nextGeneration
        jobs.nextGeneration += 1
        jobs.optimizing = OptimizeRun(generation: generation, planName: name, terms: workspace.scenario.terms, options: options)
        let references = (0..<min(Workspace.builtinCount, workspace.planCount)).map { workspace.plan($0) }
        return OptimizeJob(generation: generation, engine: workspace.engine, request: request, references: references,
                           risk: options.riskTarget)
    }

    /// Esc while optimizing: the job is stopped; the best plan found so far comes back as its result.
    mutating func stopOptimizing() -> [Effect] {
        guard var run = jobs.optimizing, !run.stopping else { return [] }
        run.stopping = true
        jobs.optimizing = run
        return [.cancelJob(.optimize)]
    }

    mutating func optimizeTick(_ generation: Int, seconds: Double) {
        guard var run = jobs.optimizing, run.generation == generation else { return }
        run.progress.seconds = max(run.progress.seconds, seconds)
        jobs.optimizing = run
    }

    mutating func optimizeProgress(_ generation: Int, _ p: OptimizeProgress) {
        guard var run = jobs.optimizing, run.generation == generation else { return }
        run.progress = p
        jobs.optimizing = run
    }

    mutating func optimizeEnded(_ generation: Int, _ outcome: OptimizeOutcome) -> [Effect] {
        guard let run = jobs.optimizing, run.generation == generation else { return [] }
        jobs.optimizing = nil
        switch outcome {
        case .failed(let why):
            message = Message("optimize: " + why, isError: true)
            return []
        case .stoppedEmpty:
            message = Message("optimization stopped after \(Self.seconds(run.progress.seconds)); no plan found yet")
            return []
        case .found(let plan, let benefits, let stopped):
            // Found under other terms than today's: stale. Unless the user stopped it, solve again under the current ones.
            if workspace.scenario.terms != run.terms {
                if stopped {
                    message = Message("optimization stopped; the terms changed meanwhile, so its plan was dropped (o to start again)")
                    return []
                }
                message = Message("the terms changed while optimizing: started again under the current terms")
                return [.startJob(.optimize(optimizeJob(name: run.planName, options: run.options)))]
            }
            propose(plan, benefits: benefits, name: run.planName, stopped: stopped)
            return []
        }
    }

    /// The optimizer's plan becomes a new plan of the comparison, active, in one undoable step.
    private mutating func propose(_ plan: OptimizedPlan, benefits: [DecisionBenefit], name: String, stopped: Bool) {
        let name = workspace.planNames.contains(name) ? workspace.uniqueName(name) : name
        let activeBefore = activePlan
        let snap = PlanSnapshot(name: name, rules: [], ruleDecisions: [:], decisions: plan.state.decisions,
                                defaulted: workspace.plan(0).defaulted, builtin: false, drawings: plan.drawings)
        let at = workspace.planCount
        activePlan = at
        applyEdit("optimize: plan \(name)", [.insertPlan(at: at, snap)], activeBefore: activeBefore)
        comparisonCursor = at
        planChangedTables()
        let status = stopped ? "stopped (best so far)" : plan.status.rawValue
        let gap = Self.percent(plan.gapTenThousandths)
        var byRef: [InvoiceRef: DecisionBenefit] = [:]
        for b in benefits { byRef[b.ref] = b }
        jobs.notes[name] = OptimizerNote(status: status, cost: plan.totalCost, bound: plan.lowerBound, gap: gap, benefits: byRef)
        let drawn = plan.drawings.isEmpty ? "" : ", \(plan.drawings.count) credit-line drawing\(plan.drawings.count == 1 ? "" : "s")"
        var text = "\(status) plan \"\(name)\" added: \(plan.chosen.count) decision\(plan.chosen.count == 1 ? "" : "s")\(drawn), cost "
            + plan.totalCost.formatted() + " · bound " + plan.lowerBound.formatted() + " · gap " + gap
        if let short = plan.shortfall {
            text += " · no plan keeps the limit: \(short.formatted()) more needed" + (plan.shortfallDay.map { " on \($0.iso)" } ?? "")
        }
        // Those that keep days within the limit first, the dearest first: what the plan pays for.
        let ranked = benefits.sorted { ($0.coveredDays.count, $0.marginalCost.cents) > ($1.coveredDays.count, $1.marginalCost.cents) }
        let buys = ranked.prefix(3).map { b in invoiceID(b.ref) + " " + b.decision.code + ": " + Self.buys(b) }
        if !buys.isEmpty { text += " · " + buys.joined(separator: "; ") + (benefits.count > 3 ? "; …" : "") }
        message = Message(text + " · u undoes")
    }

    /// "covers 3 d over the limit (worst 1 234.00 on 2026-12-16), +45.12".
    static func buys(_ b: DecisionBenefit) -> String {
        let cost = (b.marginalCost.cents >= 0 ? "+" : "") + b.marginalCost.formatted()
        guard let first = b.coveredDays.first, let last = b.coveredDays.last else { return "no day over the limit depends on it alone, " + cost }
        let span = first == last ? first.iso : first.iso + "…" + last.iso
        return "covers \(b.coveredDays.count) d over the limit (\(span), worst \(b.worstExcess.formatted())), \(cost)"
    }

    /// The optimizer's note on the active plan's decision for `ref`, while that decision is still the one it chose.
    public func benefit(of ref: InvoiceRef) -> DecisionBenefit? {
        guard let b = jobs.notes[activePlanState.name]?.benefits[ref], activePlanState.decision(for: ref) == b.decision else { return nil }
        return b
    }

    static func percent(_ tenThousandths: Int64) -> String {
        let frac = String(tenThousandths % 100)
        return String(tenThousandths / 100) + "." + String(repeating: "0", count: 2 - frac.count) + frac + " %"
    }

    static func seconds(_ s: Double) -> String {
        let tenths = Int(max(0, min(s, 1e9)) * 10)
        return "\(tenths / 10).\(tenths % 10) s"
    }

    /// The status line while `o` runs.
    public var optimizeStatus: String? {
        guard let run = jobs.optimizing else { return nil }
        if run.stopping { return "stopping the optimization… (keeping the best plan found so far)" }
        let p = run.progress
        var text = "optimizing \"\(run.planName)\" (\(run.options.summary)) · " + (p.phase.map { $0 + " · " } ?? "") + Self.seconds(p.seconds)
        if let b = p.bestCost { text += " · best " + b.formatted() }
        if let l = p.bound { text += " · bound " + l.formatted() }
        if let g = p.gapTenThousandths { text += " · gap " + Self.percent(g) }
        return text + " · Esc stops"
    }

    // MARK: Risk (issue 14)

    /// After any action: when the plans changed since the last simulation was started, start one for them.
    mutating func scheduleRisk() -> [Effect] {
        guard jobs.riskEnabled, jobs.riskRequested != workspace.revision, workspace.planCount > 0 else { return [] }
        jobs.riskRequested = workspace.revision
        let states = (0..<workspace.planCount).map { workspace.plan($0) }
        return [.startJob(.risk(RiskJob(generation: workspace.revision, states: states, paths: BackgroundJobs.riskPaths,
                                        seed: BackgroundJobs.riskSeed)))]
    }

    mutating func riskComputed(_ generation: Int, _ summary: RiskSummary) {
        // A simulation of plans that changed since is dropped: a newer one was started with the change.
        guard generation == workspace.revision else { return }
        jobs.risk = summary
        jobs.riskRevision = generation
    }

    /// The simulation of the current plans, nil while it is computed.
    public var currentRisk: RiskSummary? {
        jobs.riskRevision == workspace.revision ? jobs.risk : nil
    }

    /// What the screen shows for plan `i`: the current simulation's figures, else (while the simulation of a change
    /// runs) the previous simulation's figures for the plan of that name, marked stale — the band and the column
    /// stay in place instead of blinking; nil only when no simulation ever covered the plan.
    public func riskFigures(plan i: Int) -> (figures: RiskSummary.PlanFigures, stale: Bool)? {
        guard let r = jobs.risk, i >= 0, i < workspace.planCount else { return nil }
        let stale = jobs.riskRevision != workspace.revision
        if !stale { return r.plans.indices.contains(i) ? (r.plans[i], false) : nil }
        let name = workspace.plan(i).name
        return r.plans.first { $0.name == name }.map { ($0, true) }
    }

    /// Turns the simulation after each change on or off (tests of the key path).
    public mutating func setRiskSimulation(_ on: Bool) { jobs.riskEnabled = on }
}
