import TresoCore

/// What a scenario forecast against what the bank booked, over the days the statements cover:
/// per day and per week (Monday to Sunday) the forecast net flow (closing − opening of the projection,
/// "overdraft only") and the booked net flow (sum of the statement lines), and, for every invoice a
/// line was matched to, the day it was forecast to settle and the day it was booked.
///
/// The forecast is the scenario as saved — the invoices the statements settled are put back — so the
/// scenario must give its own `start` (and usually `opening_balance`): the forecast made before the
/// statements arrived.
public struct ForecastVsActual: Sendable {
    public struct Row: Sendable, Hashable {
        public var from: Day
        public var through: Day
        public var forecast: Money
        public var actual: Money
        public var difference: Money { actual - forecast }
    }

    public struct Timing: Sendable, Hashable {
        public var kind: InvoiceKind
        public var invoiceID: String
        public var forecastDay: Day
        public var bookedDay: Day
        public var amount: Money
        /// Booked − forecast, in days: positive = late, negative = early.
        public var daysLate: Int { bookedDay - forecastDay }
    }

    public var days: [Row] = []
    public var weeks: [Row] = []
    public var timings: [Timing] = []
    public var window: (from: Day, through: Day)?

    /// `scenario` is the loaded scenario (matched invoices already settled), `bank` what the loader found.
    public static func compute(scenario: Scenario, bank: BankSummary, transactions: [BankTransaction]) -> ForecastVsActual {
        var result = ForecastVsActual()
        var forecast = scenario
        // Put back what the statements settled: the forecast made before them.
        var applied: [String: Money] = [:]
        for m in bank.matches where m.remaining > .zero { applied[m.kind.rawValue + " " + m.invoiceID, default: .zero] += m.applied }
        for kind in InvoiceKind.allCases {
            var list = forecast.invoices(kind)
            for i in list.indices { if let a = applied[kind.rawValue + " " + list[i].id] { list[i].amount += a } }
            list += bank.paid[kind] ?? []
            if kind == .receivable { forecast.receivables = list } else { forecast.payables = list }
        }
        guard let lastBooked = transactions.map(\.bookingDate).max() else { return result }
        let from = forecast.start
        let through = min(lastBooked, forecast.end)
        guard from <= through else { return result }
        result.window = (from, through)
        let engine = ForecastEngine(scenario: forecast)
        let projection = engine.project()
        var booked: [Day: Money] = [:]
        var perDay: [Day: [Money]] = [:]
        for t in transactions where t.bookingDate >= from && t.bookingDate <= through { perDay[t.bookingDate, default: []].append(t.amount) }
        for (d, list) in perDay { booked[d] = DecimalText.sum(list) ?? .zero }
        var day = from
        while day <= through {
            let p = projection.position(on: day)
            let f = p.map { $0.closing - $0.opening } ?? .zero
            result.days.append(Row(from: day, through: day, forecast: f, actual: booked[day] ?? .zero))
            day = day + 1
        }
        for r in result.days {
            let monday = r.from - (r.from.weekday - 1)
            if let last = result.weeks.last, last.from == max(monday, from) {
                result.weeks[result.weeks.count - 1].forecast += r.forecast
                result.weeks[result.weeks.count - 1].actual += r.actual
                result.weeks[result.weeks.count - 1].through = r.through
            } else {
                result.weeks.append(Row(from: max(monday, from), through: r.through, forecast: r.forecast, actual: r.actual))
            }
        }
        for m in bank.matches {
            let list = forecast.invoices(m.kind)
            guard let i = list.firstIndex(where: { $0.id == m.invoiceID }) else { continue }
            let s = engine.settlement(InvoiceRef(m.kind, i))
            result.timings.append(Timing(kind: m.kind, invoiceID: m.invoiceID, forecastDay: s.day,
                                         bookedDay: m.transaction.bookingDate, amount: m.applied))
        }
        return result
    }
}
