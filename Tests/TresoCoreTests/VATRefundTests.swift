import Testing
import TestSupport
@testable import TresoCore

/// VAT credit refunds (`[vat] refund`): docs/calculations.md §19.
@Suite struct VATRefundTests {
    /// Worked case 14: a machine bought in January makes January's return a credit of 8 000.00.
    static func case14(_ refund: VATSettings.Refund, delay: Int = 30) -> Scenario {
        var s = Scenario(start: .ymd(2027, 1, 1), horizonDays: 120, openingBalance: Money(cents: 6_000_000), calendar: .none,
                         receivables: [Invoice(id: "F-201", counterparty: "Acme", issueDate: .ymd(2027, 1, 15), dueDate: .ymd(2027, 2, 14),
                                               amount: Money(cents: 1_200_000), vatAmount: Money(cents: 200_000)),
                                       Invoice(id: "F-202", counterparty: "Acme", issueDate: .ymd(2027, 2, 10), dueDate: .ymd(2027, 3, 12),
                                               amount: Money(cents: 2_400_000), vatAmount: Money(cents: 400_000))],
                         payables: [Invoice(id: "M-1", counterparty: "Machines Outils SA", issueDate: .ymd(2027, 1, 10), dueDate: .ymd(2027, 2, 9),
                                            amount: Money(cents: 6_000_000), vatAmount: Money(cents: 1_000_000))])
        var v = VATSettings(regime: .monthly, basis: .invoices, day: 24)
        v.refund = refund
        v.refundDelayDays = delay
        s.vat = v
        return s
    }

    @Test func aCreditOfAtLeast760IsRefundedWithTheMonthsReturn() throws {
        let e = ForecastEngine(scenario: Self.case14(.eachReturn))
        let v = try #require(e.vat)
        let jan = try #require(v.returns.first { $0.kind == .return && $0.first == .ymd(2027, 1, 1) })
        #expect(jan.due == Money(cents: -800_000) && jan.refund == Money(cents: 800_000) && jan.creditAfter == .zero)
        #expect(jan.refundDay == .ymd(2027, 3, 26))
        // February's 4 000.00 is paid in full: the credit was refunded, not carried.
        let feb = try #require(v.returns.first { $0.kind == .return && $0.first == .ymd(2027, 2, 1) })
        #expect(feb.creditUsed == .zero && feb.payment == Money(cents: 400_000))
        let p = e.project()
        #expect(p.position(on: .ymd(2027, 3, 26))?.receipts == Money(cents: 800_000))
        let moves = e.baseMovements(on: .ymd(2027, 3, 26))
        #expect(moves.contains { $0.amount == Money(cents: 800_000) && $0.label.hasPrefix("VAT refund") })
        // Without refund the credit is carried: February pays nothing, and March's cash is 8 000.00 lower by 30 April.
        let carried = ForecastEngine(scenario: Self.case14(.none))
        let feb0 = try #require(carried.vat?.returns.first { $0.kind == .return && $0.first == .ymd(2027, 2, 1) })
        #expect(feb0.creditUsed == Money(cents: 400_000) && feb0.payment == .zero && feb0.creditAfter == Money(cents: 400_000))
        #expect(p.days.last!.closing - carried.project().days.last!.closing == Money(cents: 400_000))
        // Period table: a row of its own; entries: 44583 in and out, balanced.
        let st = PlanState(engine: e)
        let t = st.periodTable(.month, projection: p)
        let row = try #require(t.categories.firstIndex(of: .vatRefunds))
        #expect(t.periods[2].amounts[row] == Money(cents: 800_000))
        let entries = st.journalEntries(projection: p)
        #expect(entries.allSatisfy { $0.isBalanced })
        let refundLines = entries.flatMap(\.lines).filter { $0.account == .vatRefundRequested }
        #expect(refundLines.map(\.debit) == [Money(cents: 800_000), .zero] && refundLines.map(\.credit) == [.zero, Money(cents: 800_000)])
    }

    /// The legal minimums: 760 € with a monthly or quarterly return, 150 € with January's (the year's last period);
    /// "annual" refunds only at the year end.
    @Test func minimumsAndTheYearEnd() throws {
        func refunds(_ refund: VATSettings.Refund, regime: VATSettings.Regime, credits: [(Day, Int64)]) throws -> [String] {
            var s = Scenario(start: .ymd(2026, 10, 1), horizonDays: 200, calendar: .none)
            s.payables = credits.enumerated().map { i, c in
                Invoice(id: "P\(i)", counterparty: "S", issueDate: c.0, dueDate: c.0 + 30, amount: Money(cents: c.1 * 6), vatAmount: Money(cents: c.1))
            }
            var v = VATSettings(regime: regime, basis: .invoices, day: 20)
            v.refund = refund
            s.vat = v
            let vat = try #require(ForecastEngine(scenario: s).vat)
            return vat.returns.filter { $0.refund != .zero }.map { "\($0.last.iso) \($0.refund.cents)" }
        }
        // October: 700 (< 760) carried; November: +100 → 800 refunded; December: 200 (≥ 150 at the year end) refunded.
        let credits: [(Day, Int64)] = [(.ymd(2026, 10, 5), 70_000), (.ymd(2026, 11, 5), 10_000), (.ymd(2026, 12, 5), 20_000)]
        #expect(try refunds(.eachReturn, regime: .monthly, credits: credits) == ["2026-11-30 80000", "2026-12-31 20000"])
        #expect(try refunds(.annual, regime: .monthly, credits: credits) == ["2026-12-31 100000"])
        #expect(try refunds(.none, regime: .monthly, credits: credits) == [])
        // A year-end credit under 150 € stays carried.
        #expect(try refunds(.annual, regime: .monthly, credits: [(.ymd(2026, 12, 5), 14_999)]) == [])
        // Quarterly: Q4 at 150 (the January return).
        #expect(try refunds(.eachReturn, regime: .quarterly, credits: [(.ymd(2026, 10, 5), 20_000)]) == ["2026-12-31 20000"])
        // CA12: with the annual return (May), at least 150.
        #expect(try refunds(.eachReturn, regime: .annual, credits: [(.ymd(2026, 10, 5), 20_000)]) == ["2026-12-31 20000"])
    }

    /// A plan whose fees' VAT adds to a refunded credit gets a larger refund, as a movement on the refund day.
    @Test func aPlansFeesVATEnlargesTheRefund() throws {
        var s = Self.case14(.eachReturn)
        var c = FactoringContract(name: "spot")
        c.kind = .spot
        c.commissionRate = Rate(percentHundredths: 200)
        c.feeBaseSetting = .invoice
        c.vatRate = Rate(percentHundredths: 2000)
        c.annualRate = .zero
        s.instruments.factoring = [c]
        let e = ForecastEngine(scenario: s)
        let plan = Plan(name: "factor F-201", rules: [PlanRule(kind: .receivable, selector: .invoice("F-201"), decision: .factor("spot"))])
        let st = PlanState(engine: e, plan: plan)
        #expect(st.decisions.count == 1)
        // Commission 2 % of 12 000.00 = 240.00, VAT 48.00 paid in January: January's credit is 8 048.00.
        let jan = try #require(st.vatReturns().first { $0.kind == .return && $0.first == .ymd(2027, 1, 1) })
        #expect(jan.refund == Money(cents: 804_800))
        let adj = st.planMovements().filter { $0.source == .vatReturn }
        #expect(adj.map(\.amount) == [Money(cents: 4_800)] && adj.first?.day == .ymd(2027, 3, 26))
        #expect(st.journalEntries(projection: st.project()).allSatisfy { $0.isBalanced })
    }
}
