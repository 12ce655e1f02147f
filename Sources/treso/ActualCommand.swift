import ArgumentParser
import TresoCore
import TresoIO

struct Actual: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forecast against actual: what the scenario forecast and what the bank statements booked, per day and per week.",
        discussion: """
        The scenario is the forecast saved earlier (it gives its own start and opening_balance); its bank_statements cover days \
        it forecast. Prints, per day with a movement and per week, the forecast net flow ("overdraft only"), the booked net flow \
        and the difference, then each invoice a statement line was matched to, with the day it was forecast and the day it was \
        booked (late or early). docs/bank-statements.md.
        """
    )

    @OptionGroup var scenario: ScenarioOptions

    func run() throws {
        try Self.exitOnFailure {
            let (loaded, s) = try scenario.load()
            guard let bank = loaded.bank, !bank.lines.isEmpty else {
                printError("error: \(scenario.path) names no bank_statements with booked lines: nothing to compare the forecast with")
                throw ExitWithCode(code: 1)
            }
            if bank.startFromStatements && scenario.start == nil {
                printError("error: the scenario gives no 'start', so it starts after its statements: give the forecast's first day (start = … in treso.toml, or --start)")
                throw ExitWithCode(code: 1)
            }
            let r = ForecastVsActual.compute(scenario: s, bank: bank, transactions: bank.lines)
            guard let w = r.window else {
                printError("error: the statements book nothing between the forecast's start \(s.start.iso) and its end \(s.end.iso)")
                throw ExitWithCode(code: 1)
            }
            print("\(s.name): forecast against actual, \(w.from.iso) … \(w.through.iso) — \(s.currency)\n")
            func table(_ title: String, _ rows: [ForecastVsActual.Row], label: (ForecastVsActual.Row) -> String) {
                var t = TextTable(headers: [title, "Forecast", "Booked", "Difference"], alignments: [.left, .right, .right, .right])
                for row in rows {
                    t.add([label(row), row.forecast.formatted(), row.actual.formatted(), row.difference.formatted(plusSign: true)])
                }
                t.addSeparator()
                let f = rows.reduce(Money.zero) { $0 + $1.forecast }, a = rows.reduce(Money.zero) { $0 + $1.actual }
                t.add(["Total", f.formatted(), a.formatted(), (a - f).formatted(plusSign: true)])
                print(t.render(), terminator: "")
            }
            table("Day", r.days.filter { $0.forecast != .zero || $0.actual != .zero }) { "\($0.from.iso) \(weekdayName($0.from))" }
            print("")
            table("Week", r.weeks) { "\($0.from.iso) … \($0.through.iso)" }
            if !r.timings.isEmpty {
                print("")
                var t = TextTable(headers: ["Invoice", "Kind", "Amount", "Forecast", "Booked", "Timing"], alignments: [.left, .left, .right, .left, .left, .left])
                for m in r.timings {
                    let timing = m.daysLate == 0 ? "on time" : m.daysLate > 0 ? "\(m.daysLate) d late" : "\(-m.daysLate) d early"
                    t.add([m.invoiceID, m.kind.rawValue, m.amount.formatted(), m.forecastDay.iso, m.bookedDay.iso, timing])
                }
                print(t.render(), terminator: "")
            }
        }
    }

    private func weekdayName(_ d: Day) -> String { ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][max(0, min(6, d.weekday - 1))] }
}
