import ArgumentParser
import TresoCore
import TresoIO

struct Risk: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate customers' payment delays and defaults: per plan, the odds of breaking the overdraft limit.",
        discussion: """
        Each path draws a delay (and a default) for every open receivable from [risk], the payment history or the \
        default built from the expected delays (docs/calculations.md §15); every plan is projected on the same draws. \
        Same seed → same output.
        """
    )

    @OptionGroup var scenario: ScenarioOptions

    /// The most memory the exact quantiles may take (2 GB).
    static let memoryCapBytes = 2 << 30

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
            // Exact quantiles keep every path's closing of every day of every plan: refuse what would not fit.
            let plansCount = PlanComparison.plansToCompare(selected).count
            let bytes = Double(paths) * Double(max(s.horizonDays, 1)) * Double(plansCount) * 8
            if bytes > Double(Risk.memoryCapBytes) {
                printError("error: \(paths) paths × \(s.horizonDays) days × \(plansCount) plans need \(Int(bytes / 1_048_576)) MB for exact quantiles "
                           + "(at most \(Risk.memoryCapBytes / 1_048_576) MB): use fewer --paths, a shorter --horizon or fewer --plan")
                throw ExitWithCode(code: 64)
            }
            let engine = ForecastEngine(scenario: s)
            let states = PlanComparison.plansToCompare(selected).map { PlanState(engine: engine, plan: $0) }
            let report = RiskSimulation.run(states: states, model: DelayModel(scenario: s), paths: paths, seed: seed,
                                            concurrently: secondCoreLooksFree() ? { runConcurrently($0, $1) } : nil)
            print(RiskExport.render(report, format: format, title: "\(s.name): cash at risk over \(s.start.iso) … \(s.end.iso)",
                                    currency: s.currency), terminator: "")
        }
    }
}
