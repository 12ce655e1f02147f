import ArgumentParser
import CbcMILP
import TresoCore
import TresoIO
import TresoOptimize

extension OptimizeRequest.Keep: ExpressibleByArgument {}

struct Optimize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the cheapest plan that keeps the overdraft limit (or the minimum cash), with a proven bound.",
        discussion: """
        Chooses at most one decision per open invoice among the instruments the scenario offers, so that the \
        closing balance never breaks the limit, at the lowest total cost as `treso compare` counts it. The plan \
        is re-projected by the engine; the bound is the solver's proof that no plan costs less. When no plan \
        keeps the limit, says by how much it must be raised, on which day, and gives the cheapest plan under it. \
        Exit codes: 0 a plan keeps the limit; 2 none can (infeasible); 1 the scenario has errors.
        """
    )

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: "limit: never exceed the overdraft limit (default); buffer: never go below min_cash.")
    var keep: OptimizeRequest.Keep = .limit

    @Option(help: "Instruments the plan may use, comma-separated contract/program/credit-line names, \"lines\" (every credit line) and \"negotiate\". Default: all.")
    var instruments: String?

    @Option(name: .customLong("fix-plan"), help: "Keep this plan's decisions and add to them.")
    var fixPlan: String?

    @Option(name: .customLong("max-gap"), help: "Stop once the cost is proven within PCT % of the optimum (default 0: prove the optimum).")
    var maxGap: Double = 0

    @Option(name: .customLong("time-limit"), help: "Seconds the solver may use (default 60); the best plan found so far is returned.")
    var timeLimit: Double = 60

    @Option(help: "Write the plan into treso.toml under this name (comments and layout kept).")
    var save: String?

    @Option(help: "table or json.")
    var format: OutputFormat = .table

    @Option(help: "Allow the floor to break with at most this probability (0 … 1) on simulated late payments: the cheapest such plan (docs/calculations.md § 14).")
    var risk: Double?

    @Option(help: "With --risk: simulated paths in the model (default 200); the plan is then checked on 2 000 fresh paths.")
    var paths: Int = 200

    @Option(help: "With --risk: seed of the model's paths (the check uses another).")
    var seed: UInt64 = 1

    @Flag(help: .hidden)
    var trace = false

    /// The flags as the optimizer's options: the planner's `:optimize` parses into the same type and checks.
    var options: OptimizeOptions {
        var o = OptimizeOptions()
        o.keep = keep
        o.instruments = instruments.map(OptimizeOptions.instrumentList)
        o.risk = risk
        o.timeLimit = timeLimit
        o.maxGapPercent = maxGap
        o.paths = paths
        o.seed = seed
        return o
    }

    func validate() throws {
        if let p = options.problem() { throw ValidationError(p) }
        if format == .csv { throw ValidationError("--format must be table or json") }
        if let s = save, trimmed(s).isEmpty { throw ValidationError("--save needs a plan name") }
    }

    func run() throws {
        try Self.exitOnFailure {
            let (loaded, s) = try scenario.load()
            let engine = ForecastEngine(scenario: s)
            var request = OptimizeRequest()
            let options = options
            options.apply(to: &request)
            request.planName = save ?? "optimal"
            request.trace = trace
            if let name = fixPlan { request.fixPlan = try selectPlans(s, names: [name]).first }
            let result: OptimizedPlan
            var atRisk: RiskOptimizedPlan? = nil
            do {
                if let target = options.riskTarget {
                    let r = try PlanOptimizer(engine: engine, solver: CbcSolver())
                        .optimize(request, risk: target, model: DelayModel(scenario: s))
                    atRisk = r
                    result = r.plan
                } else {
                    result = try PlanOptimizer(engine: engine, solver: CbcSolver()).optimize(request)
                }
            } catch let e as OptimizeError {
                printError("error: " + e.description)
                throw ExitWithCode(code: 1)
            }
            if let name = save {
                let plan = Self.plan(named: name, result, fixed: request.fixPlan, scenario: s)
                try Self.save(plan, loaded: loaded, scenario: s)
                printError("saved plan \"\(name)\" to \(loaded.tomlPath)")
            }
            switch format {
            case .json:
                var json = Self.json(result, scenario: s)
                if let r = atRisk, case .object(var fields) = json {
                    fields.insert(("risk", Self.riskJSON(r)), at: 1)
                    json = .object(fields)
                }
                print(json.render())
            default:
                var text = Self.table(result, request: request, scenario: s, atRisk: atRisk != nil)
                if let r = atRisk { text = Self.riskTable(r, scenario: s) + text }
                print(text, terminator: "")
            }
            if result.status == .infeasible { throw ExitWithCode(code: 2) }
        }
    }

    /// Writes `plan` into treso.toml through the scenario document (the planner's save path): it replaces the
    /// plan of that name in place or comes last; every other line of the file stays as the user wrote it, and
    /// nothing is written if the file changed on disk since it was read.
    static func save(_ plan: Plan, loaded: LoadedScenario, scenario s: Scenario) throws {
        func block(_ p: Plan) -> String { ScenarioDocument.planBlock(name: p.name, rules: p.rules, defaulted: p.defaulted, drawings: p.drawings) }
        var plans = s.plans
        if let i = plans.firstIndex(where: { $0.name == plan.name }) { plans[i] = plan } else { plans.append(plan) }
        let document = ScenarioDocument(path: loaded.tomlPath, text: loaded.tomlText, terms: s.terms,
                                        planBlocks: s.plans.map(block), fingerprint: loaded.tomlFingerprint)
        let text: String
        do { text = try document.textToSave(terms: s.terms, planBlocks: plans.map(block)) } catch {
            printError("error: not saved: \(error)")
            throw ExitWithCode(code: 1)
        }
        switch SafeWrite.replace(loaded.tomlPath, with: Array(text.utf8), expecting: loaded.tomlFingerprint) {
        case .written: return
        case .changedOnDisk:
            printError("error: not saved: \(loaded.tomlPath) changed on disk while optimizing; run again")
            throw ExitWithCode(code: 1)
        case .failed(let d):
            printError("error: not saved: " + d.description)
            throw ExitWithCode(code: 1)
        }
    }

    /// The plan as the scenario file stores it: the fixed plan's rules, then one rule per chosen invoice, and the
    /// credit-line drawings chosen.
    static func plan(named name: String, _ r: OptimizedPlan, fixed: Plan?, scenario s: Scenario) -> Plan {
        let rules = r.chosen.map { c in
            PlanRule(kind: c.ref.kind, selector: .invoice(s.invoices(c.ref.kind)[c.ref.index].id), decision: c.decision)
        }
        return Plan(name: name, rules: (fixed?.rules ?? []) + rules, defaulted: fixed?.defaulted ?? [], drawings: r.drawings)
    }

    static func json(_ r: OptimizedPlan, scenario s: Scenario) -> JSON {
        let decisions: [JSON] = r.chosen.map { c in
            .object([("invoice", .string(s.invoices(c.ref.kind)[c.ref.index].id)), ("action", .string(c.decision.code))])
        }
        return .object([
            ("status", .string(r.status.rawValue)),
            ("total_cost", .money(r.totalCost)),
            ("lower_bound", .money(r.lowerBound)),
            ("gap", .string(r.gapString)),
            ("decisions", .array(decisions)),
            ("drawings", .array(r.drawings.map(drawingJSON))),
            ("shortfall", r.shortfall.map { .money($0) } ?? .null),
            ("shortfall_date", r.shortfallDay.map { .day($0) } ?? .null),
            ("seconds", .number(String(format2(r.seconds)))),
            ("assumptions", .array(assumptions(of: r).map { .string($0) })),
        ])
    }

    /// A credit-line drawing as saved in the plan: `{"line", "amount", "from", "to"}` (or `"auto": true, "floor"`).
    static func drawingJSON(_ d: CreditDrawing) -> JSON {
        switch d.mode {
        case .fixed(let amount, let from, let to):
            return .object([("line", .string(d.line)), ("amount", .money(amount)), ("from", .day(from)), ("to", .day(to))])
        case .auto(let floor):
            return .object([("line", .string(d.line)), ("auto", .bool(true)), ("floor", floor.map { .money($0) } ?? .null)])
        }
    }

    /// `"risk": {"target", "in_sample", "out_of_sample", "paths", …}`: probabilities as 4-decimal numbers.
    static func riskJSON(_ r: RiskOptimizedPlan) -> JSON {
        .object([
            ("target", .number(PlanRisk.probabilityText(Int((r.target.probability * 10_000).rounded()), of: 10_000))),
            ("in_sample", .number(PlanRisk.probabilityText(r.breaches(r.inSample), of: r.inSample.paths))),
            ("out_of_sample", .number(PlanRisk.probabilityText(r.breaches(r.outOfSample), of: r.outOfSample.paths))),
            ("paths", .int(r.inSample.paths)),
            ("seed", .number(String(r.target.seed))),
            ("check_paths", .int(r.outOfSample.paths)),
            ("check_seed", .number(String(r.target.checkSeed))),
            ("allowed_paths", .int(r.allowedPaths)),
            ("expected_cost", .money(r.outOfSample.expectedCost)),
        ])
    }

    static func riskTable(_ r: RiskOptimizedPlan, scenario s: Scenario) -> String {
        let what = r.keep == .limit ? "exceeding the overdraft limit" : "going below the minimum cash"
        func pct(_ n: Int, _ of: Int) -> String {
            let t = PlanRisk.probabilityText(n * 100, of: of)
            guard let dot = t.firstIndex(of: ".") else { return t + " %" }
            return String(t[..<t.index(dot, offsetBy: 3)]) + " %"
        }
        var out = "At a risk level: the cheapest plan whose probability of \(what) is at most "
            + pct(Int((r.target.probability * 10_000).rounded()), 10_000) + " on \(r.inSample.paths) simulated paths (seed \(r.target.seed)).\n"
        out += "  in sample (the model's \(r.inSample.paths) paths, measured by the engine): " + pct(r.breaches(r.inSample), r.inSample.paths) + "\n"
        out += "  out of sample (\(r.outOfSample.paths) fresh paths, seed \(r.target.checkSeed)): " + pct(r.breaches(r.outOfSample), r.outOfSample.paths)
            + ", expected cost " + r.outOfSample.expectedCost.formatted() + "\n"
        out += "  delays: see `treso risk` for where each customer's come from; the figures below are the plan's deterministic ones.\n\n"
        return out
    }

    /// What the plan assumes rather than knows (suppliers accepting, VAT derived, what-if defaults), as
    /// `treso compare` says it next to the verdict: the optimum is only as sure as these.
    static func assumptions(of r: OptimizedPlan) -> [String] {
        PlanComparison(states: [r.state]).assumptions + r.result.assumptions + r.modelAssumptions
    }

    static func table(_ r: OptimizedPlan, request: OptimizeRequest, scenario s: Scenario, atRisk: Bool = false) -> String {
        var floor = request.keep == .limit ? "the overdraft limit (\(s.overdraft.limit.formatted()))" : "the minimum cash (\(s.minCash.formatted()))"
        if atRisk { floor += " at the risk level above" }
        var out = "\(s.name): cheapest plan over \(s.start.iso) … \(s.end.iso) — \(s.currency)\n\n"
        switch r.status {
        case .optimal: out += "Optimal: no plan that keeps \(floor) costs less (proven).\n"
        case .feasible where r.boundIsRelaxation:
            out += "Feasible: it keeps \(floor) on every account; no plan costs less than the bound (the model's, with the accounts seen as one).\n"
        case .feasible: out += "Feasible: the best plan found in the time allowed; it keeps \(floor).\n"
        case .infeasible:
            out += "Infeasible: no plan keeps \(floor).\n"
            if let m = r.shortfall, let d = r.shortfallDay {
                out += "It takes \(m.formatted()) more \(request.keep == .limit ? "overdraft limit" : "cash"), binding on \(d.iso); "
                    + "the plan below is the cheapest under that relaxed \(request.keep == .limit ? "limit" : "floor").\n"
            }
        }
        let rows: [(String, String)] = [
            ("Total cost (excl. VAT)", r.totalCost.formatted()),
            ("  of which bank charges", r.result.bankCharges.formatted()),
            ("Lower bound", r.lowerBound.formatted()),
            ("Gap", r.gapString),
            ("Lowest balance", r.result.projection.summary.lowestBalance.formatted() + " on " + r.result.projection.summary.lowestBalanceDate.iso),
        ]
        let width = rows.map { $0.1.count }.max() ?? 0
        out += "\n"
        for (label, value) in rows {
            out += label + String(repeating: " ", count: 26 - label.count + width - value.count) + value + "\n"
        }
        for a in assumptions(of: r) { out += "Note: " + a + "\n" }
        if let fixed = request.fixPlan { out += "Kept from \"\(fixed.name)\": \(r.state.decisions.count - r.chosen.count) decision(s).\n" }
        if r.chosen.isEmpty && r.drawings.isEmpty {
            out += "No decision: the overdraft alone is the cheapest way.\n"
        } else if !r.chosen.isEmpty {
            var d = TextTable(headers: ["Invoice", "Counterparty", "Amount", "Decision", "Its cost"], alignments: [.left, .left, .right, .left, .right])
            for c in r.chosen {
                let inv = s.invoices(c.ref.kind)[c.ref.index]
                d.add([inv.id, inv.counterparty, inv.amount.formatted(), c.decision.code, (r.state.effects[c.ref]?.cost.total ?? .zero).formatted()])
            }
            out += "\nDecisions (\(r.chosen.count)):\n" + d.render() + "\n"
        }
        if !r.drawings.isEmpty {
            var d = TextTable(headers: ["Credit line", "Amount", "Drawn", "Repaid"], alignments: [.left, .right, .left, .left])
            for x in r.drawings {
                if case .fixed(let amount, let from, let to) = x.mode { d.add([x.line, amount.formatted(), from.iso, to.iso]) }
            }
            let charges = r.result.summary.creditLineInterest + r.result.summary.commitmentFees
            out += (r.chosen.isEmpty ? "\n" : "") + "Drawings (\(r.drawings.count)), interest \(r.result.summary.creditLineInterest.formatted()) + commitment fees "
                + "\(r.result.summary.commitmentFees.formatted()) = \(charges.formatted()) in the bank charges:\n" + d.render() + "\n"
        }
        out += "Total cost as `treso compare` counts it for this plan; the bound is \(r.solver)'s proof that no plan costs less; "
            + "gap = (cost − bound) / cost. \(r.candidateOptions) options on \(r.candidateInvoices) invoices. "
            + "See docs/calculations.md § 14.\n"
        return out
    }
}

/// Seconds with two decimals, for people and for the JSON "seconds" number.
func format2(_ x: Double) -> String {
    let hundredths = Int((max(0, x) * 100).rounded())
    let frac = hundredths % 100
    return String(hundredths / 100) + "." + (frac < 10 ? "0" : "") + String(frac)
}

/// The text without leading and trailing spaces.
func trimmed(_ s: String) -> String {
    String(s.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
}
