import ArgumentParser
import TresoCore
import TresoIO

struct Risk: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate customers' payment delays and defaults: per plan, the odds of breaking the overdraft limit.",
        discussion: """
        Each path draws a delay (and a default) for every open receivable from [risk], the payment history or the \
        default built from the expected delays (docs/calculations.md §15); every plan is projected on the same draws. \
        Same seed → same output. Memory does not grow with --paths: percentiles are exact while a day has at most 32 \
        distinct balances, else within the error the report prints.
        """
    )

    @OptionGroup var scenario: ScenarioOptions

    @Option(name: .customLong("plan"), help: "A plan to include (repeatable). Default: every plan in the scenario.")
    var plans: [String] = []

    @Option(help: "Number of simulated paths (1 … 1 000 000).")
    var paths: Int = RiskSimulation.defaultPaths

    @Option(help: "Seed of the pseudo-random draws (same seed → same result).")
    var seed: UInt64 = 1

    @Option(help: "table, csv (daily quantiles) or json.")
    var format: OutputFormat = .table

    func validate() throws {
        if paths < 1 || paths > 1_000_000 { throw ValidationError("--paths must be between 1 and 1000000") }
    }

    func run() throws {
        try Self.exitOnFailure {
            let (_, s) = try scenario.load()
            let selected = try selectPlans(s, names: plans)
            let engine = ForecastEngine(scenario: s)
            let states = PlanComparison.plansToCompare(selected).map { PlanState(engine: engine, plan: $0) }
            let report = RiskSimulation.run(states: states, model: DelayModel(scenario: s), paths: paths, seed: seed,
                                            concurrently: secondCoreLooksFree() ? { runConcurrently($0, $1) } : nil)
            print(RiskExport.render(report, format: format, title: "\(s.name): cash at risk over \(s.start.iso) … \(s.end.iso)",
                                    currency: s.currency), terminator: "")
        }
    }
}
