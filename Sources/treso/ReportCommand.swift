import ArgumentParser
import TresoCore
import TresoIO

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a one-page HTML report for the bank or the board.",
        discussion: "Self-contained (inline CSS, SVG chart, no JavaScript): key figures, daily balance chart, 13-week cash table, plans compared, assumptions."
    )

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: "The plan to report on (default: the scenario's first plan, else \"overdraft only\").")
    var plan: String?

    @OptionGroup var out: OutputOptions

    func run() throws {
        try Self.exitOnFailure {
            let (_, s) = try scenario.load()
            let engine = ForecastEngine(scenario: s)
            let state = try planState(engine, name: plan ?? s.plans.first?.name)
            let comparison = PlanComparison(engine: engine, plans: s.plans)
            guard out.output != nil else {
                printError("error: report needs --output FILE.html")
                throw ExitWithCode(code: 64)
            }
            try out.emit(HTMLReport.render(scenario: s, plan: state, comparison: comparison))
        }
    }
}
