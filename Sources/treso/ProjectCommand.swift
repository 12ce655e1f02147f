import ArgumentParser
import TresoCore
import TresoIO

struct Project: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the day-by-day cash projection.",
        discussion: "One row per calendar day: opening, receipts, disbursements, financing, bank charges, closing and flags, then a summary."
    )

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: "table, csv, json or xlsx (with --output: numbers as numbers, dates as dates).")
    var format: CommandFormat = .table

    @Option(help: "First day to print.")
    var from: Day?

    @Option(help: "Last day to print.")
    var to: Day?

    @Option(help: "Print every movement of this day with its source instead of the daily table.")
    var day: Day?

    @Option(help: "Project this plan of the scenario (default: no decision, \"overdraft only\").")
    var plan: String?

    @Option(help: "With [accounts]: project this bank account alone, with --day and --by too (default: every account consolidated).")
    var account: String?

    @Option(help: "day (the daily table), week or month: the period table, categories by period (weeks run Monday to Sunday).")
    var by: PeriodLength = .day

    @Flag(help: "With --by week|month: one row per customer and per supplier instead of \"Customers\" and \"Suppliers\".")
    var byCounterparty = false

    @OptionGroup var out: OutputOptions

    func run() throws {
        try Self.exitOnFailure {
            let (_, s) = try scenario.load()
            let engine = ForecastEngine(scenario: s)
            let state = try planState(engine, name: plan)
            for r in state.refusals { printError("warning: [\(state.name)] \(r.text(currency: state.engine.scenario.currency))") }
            var projection = state.project()
            var accountTitle = ""
            var accountIndex: Int? = nil
            if let account {
                let names = s.accounts.accounts.map(\.name)
                guard let k = names.firstIndex(of: account) else {
                    printError("error: no bank account named \"\(account)\"" + (names.isEmpty ? " (the scenario has no [accounts])" : " (accounts: " + names.joined(separator: ", ") + ")"))
                    throw ExitWithCode(code: 64)
                }
                projection = state.accountProjections().accounts[k]
                accountIndex = k
                accountTitle = ", account " + account
            }
            if let day {
                guard let pos = projection.position(on: day) else {
                    printError("error: \(day.iso) is outside the projection (\(s.start.iso) … \(s.end.iso))")
                    throw ExitWithCode(code: 1)
                }
                let moves = accountIndex.map { state.movements(on: day, account: $0, projection: projection) }
                    ?? state.movements(on: day, projection: projection)
                let text = try format.textOnly()
                printReport(ProjectionExport.dayDetail(pos, movements: moves, format: text, currency: s.currency), format: text)
                return
            }
            let lo = max(from ?? s.start, s.start), hi = min(to ?? s.end, s.end)
            guard lo <= hi else {
                printError("error: --from/--to select no day of the projection (\(s.start.iso) … \(s.end.iso))")
                throw ExitWithCode(code: 1)
            }
            let title = "\(s.name) [\(state.name)\(accountTitle)]: \(lo.iso) … \(hi.iso)"
            if by != .day {
                let t = state.periodTable(by, projection: projection, from: lo, through: hi, byCounterparty: byCounterparty,
                                          account: accountIndex)
                switch format {
                case .table:
                    var text = PeriodExport.table(t, title: title, currency: s.currency)
                    // The forecast and VAT tables are the company's, not one account's.
                    if accountIndex == nil {
                        let f = ForecastVATExport.forecastTable(s, from: lo, through: hi)
                        if !f.isEmpty { text += "\n" + f }
                        let v = ForecastVATExport.vatTable(state, from: lo, through: hi)
                        if !v.isEmpty { text += "\n" + v }
                    }
                    try out.emit(text, format: .table)
                case .csv: try out.emit(PeriodExport.sheet(t).csv(out.dialect), format: .csv)
                case .json: try out.emit(PeriodExport.json(t), format: .json)
                case .xlsx:
                    let days = projection.days[(lo - s.start)...(hi - s.start)]
                    try out.emitWorkbook([PeriodExport.sheet(t), ProjectionExport.sheet(days)])
                }
                return
            }
            let slice = projection.days[(lo - s.start)...(hi - s.start)]
            switch format {
            case .csv: try out.emit(ProjectionExport.sheet(slice).csv(out.dialect), format: .csv)
            case .xlsx: try out.emitWorkbook([ProjectionExport.sheet(slice)])
            case .table, .json:
                let text = try format.textOnly()
                try out.emit(ProjectionExport.render(slice, summary: projection.summary(from: lo, through: hi), format: text,
                                                     title: title, currency: s.currency), format: text)
            }
        }
    }
}
