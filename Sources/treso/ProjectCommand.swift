import ArgumentParser
import TresoCore
import TresoIO

struct Project: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the day-by-day cash projection.",
        discussion: "One row per calendar day: opening, receipts, disbursements, financing, bank charges, closing and flags, then a summary."
    )

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: "table, csv or json.")
    var format: OutputFormat = .table

    @Option(help: "First day to print.")
    var from: Day?

    @Option(help: "Last day to print.")
    var to: Day?

    @Option(help: "Print every movement of this day with its source instead of the daily table.")
    var day: Day?

    @Option(help: "Project this plan of the scenario (default: no decision, \"overdraft only\").")
    var plan: String?

    func run() throws {
        try Self.exitOnFailure {
            let (_, s) = try scenario.load()
            let engine = ForecastEngine(scenario: s)
            let state = try planState(engine, name: plan)
            for r in state.refusals { printError("warning: [\(state.name)] \(r.text(currency: state.engine.scenario.currency))") }
            let projection = state.project()
            if let day {
                guard let pos = projection.position(on: day) else {
                    printError("error: \(day.iso) is outside the projection (\(s.start.iso) … \(s.end.iso))")
                    throw ExitWithCode(code: 1)
                }
                let moves = state.movements(on: day, projection: projection)
                printReport(ProjectionExport.dayDetail(pos, movements: moves, format: format, currency: s.currency), format: format)
                return
            }
            let lo = max(from ?? s.start, s.start), hi = min(to ?? s.end, s.end)
            guard lo <= hi else {
                printError("error: --from/--to select no day of the projection (\(s.start.iso) … \(s.end.iso))")
                throw ExitWithCode(code: 1)
            }
            let slice = projection.days[(lo - s.start)...(hi - s.start)]
            let title = "\(s.name) [\(state.name)]: \(lo.iso) … \(hi.iso)"
            printReport(ProjectionExport.render(slice, summary: projection.summary(from: lo, through: hi), format: format,
                                          title: title, currency: s.currency), format: format)
        }
    }
}
