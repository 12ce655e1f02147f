import ArgumentParser
import TresoCore
import TresoIO

struct Entries: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Journal entries of a plan's financing operations (French chart of accounts) and its impact on EBE."
    )

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: "The plan whose operations to journalise.")
    var plan: String

    @Option(help: "table or csv.")
    var format: OutputFormat = .table

    func run() throws {
        try Self.exitOnFailure {
            let (_, s) = try scenario.load()
            let state = try planState(ForecastEngine(scenario: s), name: plan)
            let entries = state.journalEntries(projection: state.project())
            printReport(EntriesExport.render(entries, format: format, title: "\(s.name) [\(state.name)]: journal entries"), format: format)
        }
    }
}
