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

    @Option(help: "table, csv, json or xlsx (with --output). Debit and credit are both positive, as in a journal.")
    var format: CommandFormat = .table

    @OptionGroup var out: OutputOptions

    func run() throws {
        try Self.exitOnFailure {
            let (_, s) = try scenario.load()
            let state = try planState(ForecastEngine(scenario: s), name: plan)
            let entries = state.journalEntries(projection: state.project())
            switch format {
            case .csv: try out.emit(EntriesExport.sheet(entries).csv(out.dialect), format: .csv)
            case .xlsx: try out.emitWorkbook([EntriesExport.sheet(entries)])
            case .table, .json:
                let text = try format.textOnly()
                try out.emit(EntriesExport.render(entries, format: text, title: "\(s.name) [\(state.name)]: journal entries"), format: text)
            }
        }
    }
}
