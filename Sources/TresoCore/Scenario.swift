/// A regular flow: payroll, rent, VAT, loan instalments.
public struct RecurringFlow: Sendable, Hashable {
    public enum Frequency: String, Sendable, Hashable, CaseIterable {
        case week, month, quarter, year
    }
    public var label: String
    /// Signed: negative for a payment, positive for an inflow.
    public var amount: Money
    public var every: Frequency
    /// Day of the month (1–31, clamped to the month's last day) or, weekly, the ISO weekday (1 = Monday).
    public var day: Int
    /// For quarterly and yearly flows: a month of the cycle (1–12). Quarterly with 1 → Jan, Apr, Jul, Oct.
    public var month: Int
    /// First and last scheduled dates considered (inclusive), if bounded.
    public var from: Day?
    public var until: Day?
    /// The row of the period table it adds to ("Payroll", "VAT", "Rent"…); nil = its label.
    public var category: String?

    public init(label: String, amount: Money, every: Frequency, day: Int, month: Int = 1, from: Day? = nil, until: Day? = nil,
                category: String? = nil) {
        self.label = label; self.amount = amount; self.every = every; self.day = day; self.month = month
        self.from = from; self.until = until; self.category = category
    }

    /// The period-table row: the `category` key, or the label when there is none.
    public var categoryName: String { category ?? label }

    /// Scheduled dates (before the business-day move) falling in `first...last`.
    public func scheduledDates(from first: Day, through last: Day) -> [Day] {
        let lo = max(first, from ?? first), hi = min(last, until ?? last)
        guard lo <= hi else { return [] }
        var out: [Day] = []
        switch every {
        case .week:
            let wd = min(max(day, 1), 7)
            var d = lo + ((wd - lo.weekday + 7) % 7)
            while d <= hi { out.append(d); d = d + 7 }
        case .month, .quarter, .year:
            let step = every == .month ? 1 : (every == .quarter ? 3 : 12)
            let c = lo.components
            var y = c.year, m = c.month
            while true {
                let inCycle = step == 1 || ((m - month) % step + step) % step == 0
                if inCycle {
                    let d = Day(raw: Int32(Day.daysFromCivil(y, m, min(max(day, 1), Day.daysInMonth(year: y, month: m)))))
                    if d > hi { break }
                    if d >= lo { out.append(d) }
                } else if Day(raw: Int32(Day.daysFromCivil(y, m, 1))) > hi {
                    break
                }
                m += 1
                if m > 12 { m = 1; y += 1 }
            }
        }
        return out
    }
}

/// The bank's authorised overdraft [découvert autorisé] and what it costs [agios].
public struct OverdraftTerms: Sendable, Hashable {
    /// Largest authorised debit balance (a positive amount).
    public var limit: Money
    /// Annual interest rate on the daily debit balance, ACT/360.
    public var annualRate: Rate
    /// Monthly commission on the month's largest debit [commission du plus fort découvert].
    public var highestOverdraftRate: Rate
    /// Extra annual rate on the part of the daily debit above the limit, ACT/360 [majoration hors autorisation].
    public var penaltyRate: Rate = .zero
    /// The usury ceiling [taux d'usure]: a warning when the all-in rate exceeds it (nil = not checked).
    public var usuryRate: Rate? = nil

    public init(limit: Money = .zero, annualRate: Rate = .zero, highestOverdraftRate: Rate = .zero,
                penaltyRate: Rate = .zero, usuryRate: Rate? = nil) {
        self.limit = limit; self.annualRate = annualRate; self.highestOverdraftRate = highestOverdraftRate
        self.penaltyRate = penaltyRate; self.usuryRate = usuryRate
    }
}

/// Everything treso knows about a company's position and the choices open to it.
/// Built by TresoIO from a scenario folder; the engine never touches files.
public struct Scenario: Sendable {
    public var name: String
    public var currency: String
    public var start: Day
    public var horizonDays: Int
    public var openingBalance: Money
    public var minCash: Money
    public var calendar: CalendarKind
    public var receivables: [Invoice]
    public var payables: [Invoice]
    /// Default expected lateness of customers, in days after the due date.
    public var customerDelayDays: Int
    /// Expected lateness per customer name, overriding the default.
    public var customerDelays: [String: Int]
    public var overdraft: OverdraftTerms
    public var recurring: [RecurringFlow]
    /// Financing offers available to the plans.
    public var instruments = Instruments()
    /// The user's named plans (the comparison adds "overdraft only" and "negotiate terms").
    public var plans: [Plan] = []
    /// What-if: receivables (by id) whose customer never pays, in every plan (`[what_if] defaulted`).
    public var defaulted: [String] = []
    /// How late customers may pay, for the risk simulation (`[risk]`; nil = the default built from the delays above).
    public var risk: RiskSettings? = nil
    /// Payment delays observed on paid receivables (days after the due date), by customer, when the export gives them.
    public var paymentHistory: [String: [Int]] = [:]
    /// VAT rate used to derive the amount excluding VAT of an invoice that does not give its VAT.
    public var defaultVATRate: Rate = Rate(percentHundredths: 2000)
    /// Sales and purchases expected but not yet invoiced (`[[forecast]]`); `withForecastInvoices()` turns them into invoices.
    public var forecasts: [ForecastLine] = []
    /// How VAT returns are computed and paid (`[vat]`; nil = no VAT return computed).
    public var vat: VATSettings? = nil
    /// Source files, for locating problems in messages ("receivables.csv").
    public var receivablesFile: String
    public var payablesFile: String

    public init(name: String = "Scenario", currency: String = "EUR", start: Day, horizonDays: Int = 90,
                openingBalance: Money = .zero, minCash: Money = .zero, calendar: CalendarKind = .fr,
                receivables: [Invoice] = [], payables: [Invoice] = [], customerDelayDays: Int = 0,
                customerDelays: [String: Int] = [:], overdraft: OverdraftTerms = OverdraftTerms(),
                recurring: [RecurringFlow] = [], receivablesFile: String = "receivables.csv",
                payablesFile: String = "payables.csv") {
        self.name = name; self.currency = currency; self.start = start; self.horizonDays = horizonDays
        self.openingBalance = openingBalance; self.minCash = minCash; self.calendar = calendar
        self.receivables = receivables; self.payables = payables; self.customerDelayDays = customerDelayDays
        self.customerDelays = customerDelays; self.overdraft = overdraft; self.recurring = recurring
        self.receivablesFile = receivablesFile; self.payablesFile = payablesFile
    }

    /// Last day of the projection (inclusive).
    public var end: Day { start + max(horizonDays, 1) - 1 }

    public func invoices(_ kind: InvoiceKind) -> [Invoice] { kind == .receivable ? receivables : payables }
}
