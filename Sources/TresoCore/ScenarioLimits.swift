/// The bounds every scenario stays within, so that no sum, charge or date the engine computes can
/// overflow: readers reject a value past a limit at its file:line:column, the planner refuses an edit
/// that would cross one, and the headless commands check again after `--start` / `--horizon`.
///
/// Why these numbers (docs/decisions.md § Money that cannot overflow): with every amount at most
/// `maxAmount`, all of them together at most `maxTotal`, the overdraft at most 50 % a year plus a 1 %
/// monthly commission, other rates at most 100 % and the horizon at most 10 years, the worst balance the
/// projection can reach — every amount a debit, every fee at its maximum, overdraft charges compounding
/// monthly — stays more than ten times inside Int64. `HostileInputTests.everyLimitAtOnce…` projects it.
public enum ScenarioLimits {
    /// Largest single amount: an invoice, a recurring flow, the opening balance, a limit or a threshold.
    public static let maxAmount = Money(cents: 100_000_000_000)          // 1 000 000 000.00
    /// Largest sum of the magnitudes of every amount that moves cash over the horizon: open invoices,
    /// recurring flows (each occurrence), the opening balance and the overdraft limit.
    public static let maxTotal = Money(cents: 10_000_000_000_000)        // 100 000 000 000.00
    public static let maxHorizonDays = 3660
    /// Largest overdraft rate, % a year, the over-limit penalty included: the debit compounds monthly at
    /// this rate (usury rates in France are near 20 %).
    public static let maxOverdraftRate = Rate(percentHundredths: 5000)   // 50 %
    /// Largest highest-overdraft commission, % a month (the French legal cap is 0.05 %).
    public static let maxHighestOverdraftRate = Rate(percentHundredths: 100)   // 1 %
    public static let maxRecurringFlows = 10_000
    /// Recurring occurrences inside the horizon, all flows together.
    public static let maxRecurringOccurrences = 1_000_000
    /// Invoices in one file.
    public static let maxInvoicesPerFile = 20_000_000
    public static let earliestStart = Day(raw: -25_567)    // 1900-01-01
    public static let latestStart = Day(raw: 376_199)      // 2999-12-31

    /// What crossed a limit, and where in the scenario, so that a reader can point at the value.
    public struct Violation: Sendable, Hashable, CustomStringConvertible {
        public enum Place: Sendable, Hashable {
            case start, horizon, openingBalance, minCash, overdraftLimit, overdraftRate, highestOverdraftRate
            case recurring(Int)
            case invoice(InvoiceKind, Int)
        }
        public var place: Place
        public var message: String
        public var description: String { message }
    }

    /// "1 000 000 000.00"
    static func shown(_ m: Money) -> String { m.formatted() }

    public static func amountProblem(_ m: Money, what: String) -> String? {
        m.cents.magnitude <= maxAmount.cents.magnitude ? nil
            : "\(what) \(m.formatted()) is over the limit of \(shown(maxAmount)) per amount"
    }

    /// The first limit the scenario crosses, or nil. Sums are computed in Int128: they cannot overflow.
    public static func firstViolation(in s: Scenario) -> Violation? {
        if s.start < earliestStart || s.start > latestStart {
            return Violation(place: .start, message: "start \(s.start.iso) is outside \(earliestStart.iso) … \(latestStart.iso), the dates treso projects")
        }
        if s.horizonDays < 1 || s.horizonDays > maxHorizonDays {
            return Violation(place: .horizon, message: "horizon of \(s.horizonDays) days is outside 1 … \(maxHorizonDays) (10 years), the limit")
        }
        // The over-limit penalty adds to the same compounding debit: the cap is on the sum.
        if Int128(s.overdraft.annualRate.nanos) + Int128(s.overdraft.penaltyRate.nanos) > Int128(maxOverdraftRate.nanos) {
            let penalty = s.overdraft.penaltyRate == .zero ? "" : " plus the over-limit penalty \(s.overdraft.penaltyRate.percentString) %"
            return Violation(place: .overdraftRate,
                             message: "overdraft rate \(s.overdraft.annualRate.percentString) % a year\(penalty) is over the limit of \(maxOverdraftRate.percentString) %")
        }
        if s.overdraft.highestOverdraftRate > maxHighestOverdraftRate {
            return Violation(place: .highestOverdraftRate,
                             message: "highest-overdraft commission \(s.overdraft.highestOverdraftRate.percentString) % a month is over the limit of \(maxHighestOverdraftRate.percentString) % (the legal cap in France is 0.05 %)")
        }
        if s.recurring.count > maxRecurringFlows {
            return Violation(place: .recurring(maxRecurringFlows),
                             message: "\(s.recurring.count) recurring flows: over the limit of \(maxRecurringFlows)")
        }
        let limit = Int128(maxTotal.cents)
        var total: Int128 = 0
        // `what` is built only for a violation: this runs over every invoice of a million-row scenario.
        func over(_ m: Money, _ place: Violation.Place, _ what: @autoclosure () -> String, times n: Int = 1) -> Violation? {
            total += Int128(m.cents.magnitude) * Int128(n)
            if m.cents.magnitude > maxAmount.cents.magnitude {
                return Violation(place: place, message: amountProblem(m, what: what()) ?? "")
            }
            guard total > limit else { return nil }
            return Violation(place: place, message: "\(what()) brings the scenario's amounts to more than \(shown(maxTotal)), the limit per scenario "
                             + "(open invoices, every recurring occurrence, opening balance and overdraft limit, added as magnitudes)")
        }
        if let v = over(s.openingBalance, .openingBalance, "opening balance") { return v }
        if let v = amountProblem(s.minCash, what: "minimum cash") { return Violation(place: .minCash, message: v) }
        if let v = over(s.overdraft.limit, .overdraftLimit, "overdraft limit") { return v }
        var occurrences = 0
        for (i, f) in s.recurring.enumerated() {
            let n = f.maxOccurrences(from: s.start, through: s.end)
            occurrences += n
            if occurrences > maxRecurringOccurrences {
                return Violation(place: .recurring(i), message: "recurring flow '\(f.label)' brings the occurrences inside the horizon to \(occurrences), "
                                 + "over the limit of \(maxRecurringOccurrences)")
            }
            if let v = over(f.amount, .recurring(i), "recurring flow '\(f.label)' (up to \(n) occurrence\(n == 1 ? "" : "s"))", times: n) { return v }
        }
        for kind in InvoiceKind.allCases {
            let list = s.invoices(kind)
            if list.count > maxInvoicesPerFile {
                return Violation(place: .invoice(kind, maxInvoicesPerFile), message: "\(list.count) \(kind)s: over the limit of \(maxInvoicesPerFile) per file")
            }
            // Read in place: copying each Invoice would retain and release its strings a million times.
            let found: Violation? = list.withUnsafeBufferPointer { invoices in
                for i in invoices.indices where invoices[i].status == .open {
                    total += Int128(invoices[i].amount.cents.magnitude)
                    if invoices[i].amount.cents.magnitude > maxAmount.cents.magnitude || total > limit {
                        total -= Int128(invoices[i].amount.cents.magnitude)
                        return over(invoices[i].amount, .invoice(kind, i), "invoice \(invoices[i].id)")
                    }
                }
                return nil
            }
            if let found { return found }
        }
        return nil
    }
}

extension RecurringFlow {
    /// At least as many as the scheduled dates in `first...last` (a bound, counted without building them).
    public func maxOccurrences(from first: Day, through last: Day) -> Int {
        let lo = max(first, from ?? first), hi = min(last, until ?? last)
        guard lo <= hi else { return 0 }
        let days = hi - lo + 1
        switch every {
        case .week: return days / 7 + 1
        case .month: return days / 28 + 1
        case .quarter: return days / 89 + 1
        case .year: return days / 365 + 1
        }
    }
}
