import ArgumentParser
import TresoCore
import TresoIO

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare plans side by side against the overdraft and payment-term negotiation.",
        discussion: "Always includes \"overdraft only\" and \"negotiate terms\". Without --plan, every plan of the scenario is compared."
    )

    @OptionGroup var scenario: ScenarioOptions

    @Option(name: .customLong("plan"), help: "A plan to include (repeatable). Default: every plan in the scenario.")
    var plans: [String] = []

    @Option(help: "table, csv, json or xlsx (with --output: numbers as numbers, dates as dates).")
    var format: CommandFormat = .table

    @OptionGroup var out: OutputOptions

    func run() throws {
        try Self.exitOnFailure {
            let (_, s) = try scenario.load()
            let selected = try selectPlans(s, names: plans)
            let comparison = PlanComparison(engine: ForecastEngine(scenario: s), plans: selected)
            switch format {
            case .csv: try out.emit(ComparisonExport.sheet(comparison).csv(out.dialect), format: .csv)
            case .xlsx: try out.emitWorkbook([ComparisonExport.sheet(comparison)])
            case .table, .json:
                let text = try format.textOnly()
                try out.emit(ComparisonExport.render(comparison, format: text, title: "\(s.name): plans over \(s.start.iso) … \(s.end.iso)",
                                                     currency: s.currency), format: text)
            }
        }
    }
}

/// The scenario's plans named on the command line (all of them when none is named); an unknown name stops with the list.
func selectPlans(_ s: Scenario, names: [String]) throws -> [Plan] {
    if names.isEmpty { return s.plans }
    var out: [Plan] = []
    for n in names {
        if PlanComparison.isBuiltin(n) { continue }
        guard let p = PlanComparison.plan(named: n, in: s.plans) else {
            let known = PlanComparison.plansToCompare(s.plans).map { "\"\($0.name)\"" }.joined(separator: ", ")
            printError("error: no plan named \"\(n)\"; the scenario has \(known)")
            throw ExitWithCode(code: 64)   // the command line is wrong, not the scenario
        }
        out.append(p)
    }
    return out
}

/// The plan state for `--plan NAME` (a scenario plan or a built-in one).
func planState(_ engine: ForecastEngine, name: String?) throws -> PlanState {
    guard let name else { return PlanState(engine: engine) }
    if let p = PlanComparison.plan(named: name, in: engine.scenario.plans) { return PlanState(engine: engine, plan: p) }
    _ = try selectPlans(engine.scenario, names: [name])   // prints the known names and stops
    return PlanState(engine: engine)
}
