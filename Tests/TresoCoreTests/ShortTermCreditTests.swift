import Testing
import TestSupport
@testable import TresoCore

/// Credit lines (§16), Dailly (§17) and escompte of LCR (§18): figures a CFO checks by hand, and invariants.
@Suite struct ShortTermCreditTests {
    let start = Day.ymd(2026, 12, 1) // Tuesday

    func scenario(calendar: CalendarKind = .none) -> Scenario {
        var s = Scenario(start: start, horizonDays: 120, calendar: calendar,
                         receivables: [Invoice(id: "F1", counterparty: "Client", issueDate: start, dueDate: start + 60, amount: Money(cents: 2_000_000))])
        s.customerDelayDays = 10
        var d = DaillyProgram(name: "bank")
        d.advanceRate = Rate(percent: "80")!
        d.annualRate = Rate(percent: "5.4")!
        d.feePerInvoice = Money(cents: 2_500)
        var x = BillDiscountProgram(name: "bank")
        x.annualRate = Rate(percent: "6")!
        x.minimumDays = 10
        x.valueDays = 1
        x.feePerBill = Money(cents: 800)
        var l = CreditLine(name: "bank")
        l.limit = Money(cents: 5_000_000)
        l.annualRate = Rate(percent: "4.8")!
        l.commitmentFeeRate = Rate(percent: "0.5")!
        l.minimumDrawing = Money(cents: 1_000_000)
        s.instruments.credit.dailly = [d]
        s.instruments.credit.billDiscount = [x]
        s.instruments.credit.creditLines = [l]
        return s
    }

    @Test func daillyAdvancesAShareUntilTheCustomerPays() throws {
        let e = ForecastEngine(scenario: scenario())
        let eff = try #require(try e.effect(of: .dailly("bank"), on: InvoiceRef(.receivable, 0)).get())
        let by = Dictionary(eff.movements.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a })
        // Funding 2 days after the start; collection = due + 10 days = start + 70: 68 days.
        #expect(by["Dailly advance (bank)"]?.amount.cents == 1_600_000)
        #expect(by["Dailly advance (bank)"]?.day == start + 2)
        #expect(by["bank fee (bank)"]?.amount.cents == -2_500)
        // 16 000 × 5.4 % × 68 / 360 = 163.20
        #expect(by["Dailly interest 68 d (bank)"]?.amount.cents == -16_320)
        #expect(by["collection less the Dailly advance (bank)"]?.amount.cents == 400_000)
        #expect(by["collection less the Dailly advance (bank)"]?.day == start + 70)
        #expect(eff.cost.operating.cents == 2_500 && eff.cost.financial.cents == 16_320)
    }

    @Test func escompteRunsToMaturityNotToTheLateCollection() throws {
        let e = ForecastEngine(scenario: scenario())
        let eff = try #require(try e.effect(of: .discount("bank"), on: InvoiceRef(.receivable, 0)).get())
        let by = Dictionary(eff.movements.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a })
        // Funding 1 day after the start; maturity = due (start + 60): 59 days + 1 value day = 60.
        #expect(by["LCR discounted (bank)"]?.amount.cents == 2_000_000)
        // 20 000 × 6 % × 60 / 360 = 200.00
        #expect(by["discount interest 60 d (bank)"]?.amount.cents == -20_000)
        #expect(by["bank fee (bank)"]?.amount.cents == -800)
        #expect(eff.assumptions.contains(.billAccepted))
        #expect(eff.movements.count == 3)   // nothing at maturity: the customer pays the bank
    }

    @Test func escompteCountsTheMinimumDays() throws {
        var s = scenario()
        s.receivables[0].dueDate = start + 5
        let e = ForecastEngine(scenario: s)
        let eff = try #require(try e.effect(of: .discount("bank"), on: InvoiceRef(.receivable, 0)).get())
        // 4 days + 1 value day < 10 minimum days: 20 000 × 6 % × 10 / 360 = 33.33
        #expect(eff.movements.contains { $0.detail == .discountInterest(days: 10) && $0.amount.cents == -3_333 })
    }

    @Test func defaultedBillsAndDaillyAdvancesComeBack() throws {
        let e = ForecastEngine(scenario: scenario())
        let ref = InvoiceRef(.receivable, 0)
        let d = try #require(try e.effect(of: .dailly("bank"), on: ref, defaulted: true).get())
        #expect(d.movements.contains { $0.detail == .daillyRepaidAfterDefault && $0.amount.cents == -1_600_000 })
        #expect(d.cost.creditLosses.cents > 0)
        let x = try #require(try e.effect(of: .discount("bank"), on: ref, defaulted: true).get())
        #expect(x.movements.contains { $0.detail == .billReturnedUnpaid && $0.amount.cents == -2_000_000 && $0.day == start + 60 })
    }

    @Test func pastDueReceivablesAreRefused() {
        var s = scenario()
        s.receivables[0].issueDate = start - 90
        s.receivables[0].dueDate = start - 1
        let e = ForecastEngine(scenario: s)
        for d in [Decision.dailly("bank"), .discount("bank")] {
            guard case .failure(let r) = e.effect(of: d, on: InvoiceRef(.receivable, 0)) else { Issue.record("\(d) accepted"); continue }
            #expect(r.reason.contains("never finances past-due invoices") || r.reason.contains("overdue"))
        }
    }

    @Test func theDecisionPickerOffersDaillyAndEscompte() {
        let e = ForecastEngine(scenario: scenario())
        let codes = e.options(for: InvoiceRef(.receivable, 0)).map(\.decision.code)
        #expect(codes == ["none", "dailly:bank", "escompte:bank"])
        #expect(Decision(code: "escompte:bank") == .discount("bank") && Decision(code: "lcr:bank") == .discount("bank"))
        #expect(Decision(code: "dailly:bank") == .dailly("bank"))
    }

    /// 30 000 drawn from 2026-12-10 to 2027-01-11: interest and commitment fee per month, each rounded once.
    @Test func fixedDrawingChargesInterestAndCommitmentMonthly() throws {
        var s = scenario()
        s.receivables = []
        s.horizonDays = 62   // through 2027-01-31
        let e = ForecastEngine(scenario: s)
        var plan = PlanState(engine: e, name: "line")
        let refused = plan.setDrawings([CreditDrawing(line: "bank", mode: .fixed(amount: Money(cents: 3_000_000), from: Day.ymd(2026, 12, 10), to: Day.ymd(2027, 1, 11)))])
        #expect(refused.isEmpty)
        let p = plan.project()
        #expect(p.position(on: Day.ymd(2026, 12, 10))?.financing.cents == 3_000_000)
        #expect(p.position(on: Day.ymd(2027, 1, 11))?.financing.cents == -3_000_000)
        // December: drawn 22 days (10…31) × 30 000 × 4.8 % / 360 = 88.00;
        // unused: 9 days × 50 000 + 22 days × 20 000 = 890 000 €·days × 0.5 % / 360 = 12.36
        let dec = p.creditLineMovements.filter { $0.day == Day.ymd(2026, 12, 31) }
        #expect(dec.contains { if case .creditLineInterest = $0.detail { return $0.amount.cents == -8_800 }; return false })
        #expect(dec.contains { if case .commitmentFee = $0.detail { return $0.amount.cents == -1_236 }; return false })
        #expect(p.position(on: Day.ymd(2026, 12, 31))?.charges == Money(cents: 10_036))
        // January: drawn 10 days (1…10) = 40.00; unused 10 × 20 000 + 21 × 50 000 = 1 250 000 × 0.5 % / 360 = 17.36
        #expect(p.summary.creditLineInterest.cents == 8_800 + 4_000)
        #expect(p.summary.commitmentFees.cents == 1_236 + 1_736)
        #expect(p.summary.bankCharges == p.summary.creditLineInterest + p.summary.commitmentFees)
        #expect(p.summary.peakDrawn.cents == 3_000_000)
        let entries = plan.journalEntries(projection: p)
        #expect(entries.allSatisfy { $0.isBalanced })
        #expect(entries.contains { $0.lines.contains { $0.account == .bankCredit && $0.credit.cents == 3_000_000 } })
    }

    @Test func drawingsTheLineCannotTakeAreRefused() {
        let e = ForecastEngine(scenario: scenario())
        var plan = PlanState(engine: e, name: "line")
        let a = Money(cents: 3_000_000)
        let refused = plan.setDrawings([
            CreditDrawing(line: "bank", mode: .fixed(amount: a, from: start + 5, to: start + 40)),
            CreditDrawing(line: "bank", mode: .fixed(amount: a, from: start + 20, to: start + 50)),   // 60 000 > 50 000
            CreditDrawing(line: "bank", mode: .fixed(amount: Money(cents: 500_000), from: start + 60, to: start + 70)),   // < minimum
            CreditDrawing(line: "other", mode: .auto(floor: nil)),
            CreditDrawing(line: "bank", mode: .fixed(amount: a, from: start + 40, to: start + 60)),   // after the first is repaid
        ])
        #expect(refused.count == 3)
        #expect(refused[0].reason.contains("exceeds the line's limit"))
        #expect(refused[1].reason.contains("minimum drawing"))
        #expect(refused[2].reason.contains("no credit line named \"other\""))
        #expect(plan.drawings.count == 2)
    }

    /// Property: an automatic line never exceeds its limit, never stays drawn while cash sits above the floor by more
    /// than the minimum drawing, and keeps the balance at the floor (before charges) on business days while it has room.
    @Test(arguments: 0..<8)
    func automaticLineStaysWithinItsLimit(seed: Int) {
        var s = RandomScenario.make(seed: UInt64(90_000 + seed))
        var l = CreditLine(name: "auto")
        l.limit = Money(cents: Int64(1 + seed) * 2_000_000)
        l.annualRate = Rate(percent: "5")!
        l.commitmentFeeRate = Rate(percent: "0.4")!
        l.minimumDrawing = Money(cents: seed.isMultiple(of: 2) ? 0 : 500_000)
        s.instruments.credit.creditLines = [l]
        let e = ForecastEngine(scenario: s)
        var plan = PlanState(engine: e, name: "auto")
        #expect(plan.setDrawings([CreditDrawing(line: "auto", mode: .auto(floor: nil))]).isEmpty)
        let p = plan.project()
        var drawn: Int64 = 0
        var byDay: [Day: Int64] = [:]
        for m in p.creditLineMovements where m.detail == .creditLineDrawing || m.detail == .creditLineRepayment { byDay[m.day, default: 0] += m.amount.cents }
        for d in p.days {
            drawn += byDay[d.day] ?? 0
            #expect(drawn >= 0 && drawn <= l.limit.cents, "seed \(seed) \(d.day.iso): drawn \(drawn)")
            if drawn < l.limit.cents && e.calendar.isBusinessDay(d.day) {
                #expect(d.closing >= s.minCash, "seed \(seed) \(d.day.iso): below the floor with room left")
            }
        }
        // The period table's rows still add up to the change in cash (drawings are financing, charges bank charges).
        for period in plan.periodTable(.week, projection: p).periods {
            #expect(period.amounts.reduce(.zero, +) == period.closing - period.opening, "seed \(seed) \(period.start.iso)")
        }
        // The line's charges are in the plan's cost, and the same figures come out of every entry.
        #expect(p.summary.bankCharges == p.summary.overdraftCharges + p.summary.creditLineInterest + p.summary.commitmentFees)
        #expect(plan.journalEntries(projection: p).allSatisfy { $0.isBalanced })
    }

    /// A plan without drawings projects exactly as before: the line machinery is not even built.
    @Test func noDrawingsNoChange() {
        let s = RandomScenario.make(seed: 4242)
        let e = ForecastEngine(scenario: s)
        let a = Projection.run(ledger: e.baseLedger, opening: s.openingBalance, minCash: s.minCash, overdraft: s.overdraft, days: e.horizonCount)
        let b = PlanState(engine: e).project()
        #expect(a.days == b.days && a.summary == b.summary && b.creditLineMovements.isEmpty)
    }

    @Test func comparisonCountsTheLineAndSaysWhatIsStillDrawn() {
        var s = scenario()
        s.receivables = []
        s.openingBalance = Money(cents: -1_000_000)
        s.overdraft.limit = .zero
        s.instruments.credit.creditLines[0].minimumDrawing = .zero
        s.plans = [Plan(name: "auto", drawings: [CreditDrawing(line: "bank", mode: .auto(floor: nil))])]
        let c = PlanComparison(engine: ForecastEngine(scenario: s), plans: s.plans)
        let r = c.results[2]
        #expect(r.name == "auto")
        #expect(r.isAdmissible)
        #expect(c.results[0].isAdmissible == false)
        #expect(r.totalCost == r.window.summary.creditLineInterest + r.window.summary.commitmentFees)
        #expect(r.operatingCost == r.window.summary.commitmentFees)
        #expect(r.assumptions.contains { $0.contains("credit line bank still drawn 10 ") })
    }
}
