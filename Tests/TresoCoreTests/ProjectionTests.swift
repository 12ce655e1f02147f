import Testing
import TestSupport
@testable import TresoCore

@Suite struct ProjectionTests {
    /// The overdraft worked example of docs/calculations.md § Overdraft, to the cent.
    @Test func overdraftWorkedExample() {
        let start = Day.ymd(2026, 12, 28)
        let s = Scenario(name: "overdraft", start: start, horizonDays: 7, openingBalance: Money(cents: 100_000), calendar: .none,
                         payables: [Invoice(id: "P1", counterparty: "Supplier", issueDate: start - 30, dueDate: Day.ymd(2026, 12, 29),
                                            amount: Money(cents: 1_100_000))],
                         overdraft: OverdraftTerms(limit: Money(cents: 1_000_000), annualRate: Rate(percent: "9.5")!,
                                                   highestOverdraftRate: Rate(percent: "0.05")!))
        let p = ForecastEngine(scenario: s).project()
        #expect(p.days.map(\.closing.cents) == [100_000, -1_000_000, -1_000_000, -1_001_292, -1_001_292, -1_001_292, -1_002_586])
        #expect(p.overdraftCharges.count == 2)
        #expect(p.overdraftCharges[0].debitDays == 3_000_000)
        #expect(p.overdraftCharges[0].interest.cents == 792)
        #expect(p.overdraftCharges[0].commission.cents == 500)
        #expect(p.overdraftCharges[1].interest.cents == 793)
        #expect(p.overdraftCharges[1].commission.cents == 501)
        #expect(p.summary.bankCharges.cents == 2_586)
        #expect(p.summary.daysOverdrawn == 6)
        // Over the 10 000.00 limit once charges push the debit past it.
        #expect(p.summary.daysOverLimit == 4)
        #expect(p.summary.lowestBalance.cents == -1_002_586)
        #expect(p.summary.lowestBalanceDate == Day.ymd(2027, 1, 3))
    }

    @Test func receivableCollectedAfterCustomerDelayOnBusinessDay() {
        let start = Day.ymd(2026, 12, 1)
        let inv = Invoice(id: "F1", counterparty: "Acme SA", issueDate: Day.ymd(2026, 11, 1), dueDate: Day.ymd(2026, 12, 1),
                          amount: Money(cents: 1_000_000))
        var s = Scenario(start: start, horizonDays: 60, receivables: [inv], customerDelayDays: 12, customerDelays: ["acme sa": 25])
        // 1 Dec + 25 days = Fri 25 Dec (Christmas) → Mon 28 Dec; the per-customer delay matches case-insensitively.
        var e = ForecastEngine(scenario: s)
        #expect(e.receivableSettlements[0].day == Day.ymd(2026, 12, 28))
        s.customerDelays = [:]
        e = ForecastEngine(scenario: s)
        // Default delay: 1 Dec + 12 = Sun 13 Dec → Mon 14 Dec.
        #expect(e.receivableSettlements[0].day == Day.ymd(2026, 12, 14))
        #expect(e.project().position(on: Day.ymd(2026, 12, 14))?.receipts.cents == 1_000_000)
    }

    @Test func overdueInvoicesAreCountedOnTheStartNotDropped() {
        let start = Day.ymd(2026, 12, 5) // a Saturday
        let s = Scenario(start: start, horizonDays: 10,
                         receivables: [Invoice(id: "OLD", counterparty: "C", issueDate: Day.ymd(2026, 9, 1), dueDate: Day.ymd(2026, 10, 1), amount: Money(cents: 500))],
                         payables: [Invoice(id: "LATE", counterparty: "S", issueDate: Day.ymd(2026, 9, 1), dueDate: Day.ymd(2026, 11, 1), amount: Money(cents: 200))])
        let e = ForecastEngine(scenario: s)
        #expect(e.receivableSettlements[0].overdue)
        #expect(e.receivableSettlements[0].day == Day.ymd(2026, 12, 7))
        #expect(e.payableSettlements[0].day == Day.ymd(2026, 12, 7))
        let d = e.project().position(on: Day.ymd(2026, 12, 7))
        #expect(d?.receipts.cents == 500)
        #expect(d?.disbursements.cents == 200)
        #expect(e.settlementDiagnostics().count == 2)
    }

    @Test func paidAndDisputedInvoicesDoNotMoveCash() {
        let start = Day.ymd(2026, 12, 1)
        var a = Invoice(id: "A", counterparty: "C", issueDate: start, dueDate: start + 2, amount: Money(cents: 700))
        a.status = .disputed
        let s = Scenario(start: start, horizonDays: 10, openingBalance: Money(cents: 1000), calendar: .none, receivables: [a])
        #expect(ForecastEngine(scenario: s).project().summary.finalBalance.cents == 1000)
    }

    @Test func recurringFlowsFollowTheirRule() {
        let r = RecurringFlow(label: "Rent", amount: Money(cents: -100), every: .month, day: 31)
        #expect(r.scheduledDates(from: Day.ymd(2027, 1, 1), through: Day.ymd(2027, 4, 30)) ==
                [Day.ymd(2027, 1, 31), Day.ymd(2027, 2, 28), Day.ymd(2027, 3, 31), Day.ymd(2027, 4, 30)])
        let q = RecurringFlow(label: "Loan", amount: Money(cents: -100), every: .quarter, day: 15, month: 2)
        #expect(q.scheduledDates(from: Day.ymd(2026, 12, 1), through: Day.ymd(2027, 12, 31)) ==
                [Day.ymd(2027, 2, 15), Day.ymd(2027, 5, 15), Day.ymd(2027, 8, 15), Day.ymd(2027, 11, 15)])
        let w = RecurringFlow(label: "Fuel", amount: Money(cents: -10), every: .week, day: 5)
        #expect(w.scheduledDates(from: Day.ymd(2026, 12, 1), through: Day.ymd(2026, 12, 20)) ==
                [Day.ymd(2026, 12, 4), Day.ymd(2026, 12, 11), Day.ymd(2026, 12, 18)])
    }

    /// Invariants of every projection, on thousands of random scenarios.
    @Test(arguments: 0..<40)
    func invariantsHoldOnRandomScenarios(batch: Int) {
        for k in 0..<60 {
            let seed = UInt64(batch * 1000 + k)
            let s = RandomScenario.make(seed: seed)
            let e = ForecastEngine(scenario: s)
            let p = e.project()
            let cal = BusinessCalendar(s.calendar)
            #expect(p.days.count == s.horizonDays, "seed \(seed)")
            var expectedOpening = s.openingBalance
            var receipts = Money.zero, disbursed = Money.zero, charges = Money.zero, financing = Money.zero
            for (i, d) in p.days.enumerated() {
                #expect(d.day == s.start + i)
                #expect(d.opening == expectedOpening, "seed \(seed) day \(d.day): opening is the previous closing")
                #expect(d.closing == d.opening + d.receipts - d.disbursements + d.financing - d.charges, "seed \(seed) day \(d.day)")
                #expect(d.receipts >= .zero && d.disbursements >= .zero && d.charges >= .zero)
                if d.receipts != .zero || d.disbursements != .zero { #expect(cal.isBusinessDay(d.day), "seed \(seed): cash moved on a closed day \(d.day)") }
                // The day's total is exactly the movements that explain it.
                let moves = e.baseMovements(on: d.day)
                #expect(moves.filter { $0.category == .receipt }.reduce(Money.zero) { $0 + $1.amount } == d.receipts, "seed \(seed) \(d.day)")
                #expect(moves.filter { $0.category == .disbursement }.reduce(Money.zero) { $0 - $1.amount } == d.disbursements, "seed \(seed) \(d.day)")
                // Late penalties of payables paid after their due date, in every plan.
                #expect(moves.filter { $0.category == .financing }.reduce(Money.zero) { $0 + $1.amount } == d.financing, "seed \(seed) \(d.day)")
                #expect(ForecastEngine.chargeMovements(on: d.day, in: p).reduce(Money.zero) { $0 - $1.amount } == d.charges)
                expectedOpening = d.closing
                receipts += d.receipts; disbursed += d.disbursements; charges += d.charges; financing += d.financing
            }
            #expect(p.summary.finalBalance == s.openingBalance + receipts - disbursed + financing - charges)
            // No open invoice is dropped: each one settling inside the horizon is counted once.
            var expectedIn = Money.zero
            for (i, inv) in s.receivables.enumerated() where inv.status == .open {
                let st = e.receivableSettlements[i]
                #expect(cal.isBusinessDay(st.day))
                #expect(st.day >= s.start)
                if st.day <= s.end { expectedIn += inv.amount }
            }
            for o in e.recurringOccurrences where o.day <= s.end && !s.recurring[o.flow].amount.isNegative {
                expectedIn += s.recurring[o.flow].amount
            }
            #expect(receipts == expectedIn, "seed \(seed)")
            // Charges only when the account was overdrawn, and never negative.
            if p.days.allSatisfy({ $0.debit == .zero }) { #expect(charges == .zero) }
            // Summary agrees with the days.
            #expect(p.summary.daysOverdrawn == p.days.filter { $0.closing < .zero }.count)
            #expect(p.summary.lowestBalance == p.days.map(\.closing).min())
        }
    }
}
