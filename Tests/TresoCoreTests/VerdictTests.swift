import Testing
import TestSupport
@testable import TresoCore

/// Issue 8, bullet by bullet: each misleading verdict reproduced on a small scenario, now giving the
/// economically right answer (docs/calculations.md §4–§11).
@Suite struct VerdictTests {
    let start = Day.ymd(2026, 12, 1) // Tuesday
    func m(_ cents: Int64) -> Money { Money(cents: cents) }
    func pct(_ s: String) -> Rate { Rate(percent: s) ?? .zero }
    func compare(_ s: Scenario) -> PlanComparison { PlanComparison(engine: ForecastEngine(scenario: s), plans: s.plans) }
    func result(_ c: PlanComparison, _ name: String) throws -> PlanResult { try #require(c.results.first { $0.name == name }) }

    // MARK: 1. Costs after the horizon are not free

    /// A payment deferred past the horizon: the comparison runs on until it settles, every plan pays the same flows up to
    /// that day, and the deferring plan's closing position carries the payment (it no longer looks 10 000 richer).
    @Test func aPaymentDeferredPastTheHorizonStillCounts() throws {
        var s = Scenario(start: start, horizonDays: 30, openingBalance: m(500_000), calendar: .none,
                         payables: [Invoice(id: "P", counterparty: "S", issueDate: start, dueDate: start + 20, amount: m(1_000_000))],
                         overdraft: OverdraftTerms(limit: m(5_000_000), annualRate: pct("10")),
                         recurring: [RecurringFlow(label: "rent", amount: m(-100_000), every: .month, day: 15)])
        var p = ReverseFactoringProgram(name: "scf"); p.extensionDays = 60; p.annualRate = pct("3.6")
        s.instruments.reverseFactoring = [p]
        s.plans = [Plan(name: "defer", rules: [PlanRule(kind: .payable, selector: .invoice("P"), decision: .reverseFactor("scf"))])]
        let c = compare(s)
        #expect(c.windowEnd == start + 80, "the window reaches the deferred payment")
        #expect(c.daysPastHorizon == 51)   // the horizon ends on start + 29
        let only = try result(c, "overdraft only"), deferred = try result(c, "defer")
        #expect(deferred.window.days.count == 81 && only.window.days.count == 81)
        // The rent of 15 Jan and 15 Feb (after the horizon) is paid in every plan.
        #expect(only.closingPosition == m(500_000 - 1_000_000 - 300_000) - only.bankCharges)
        // fee = 10 000 × 3.6 % × 60 / 360 = 60.00; the deferring plan ends at the same position minus its costs.
        #expect(deferred.financing.financial == m(6_000))
        #expect(deferred.closingPosition - only.closingPosition == -(deferred.totalCost - only.totalCost))
        // Its cash need after the horizon shows in the window: the balance is negative on the repayment day.
        #expect(deferred.summary.lowestBalance < .zero)
        // The horizon projection (what `treso project` shows) is unchanged: 30 days.
        #expect(deferred.projection.days.count == 30)
    }

    /// The window never runs more than 400 days past the horizon; a plan moving cash beyond says so.
    @Test func theWindowIsCappedAndSaysWhatEscapes() throws {
        var s = Scenario(start: start, horizonDays: 10, calendar: .none,
                         payables: [Invoice(id: "P", counterparty: "S", issueDate: start + 400, dueDate: start + 405, amount: m(100_000))])
        var p = ReverseFactoringProgram(name: "scf"); p.extensionDays = 60
        s.instruments.reverseFactoring = [p]
        s.plans = [Plan(name: "defer", rules: [PlanRule(kind: .payable, selector: .all, decision: .reverseFactor("scf"))])]
        let c = compare(s)
        #expect(c.windowEnd == s.end + 400)
        let deferring = try result(c, "defer")
        #expect(deferring.warnings.contains { $0.contains("beyond the longest window") })
        #expect(deferring.verdict == .excluded(daysOverLimit: 0, legalBreaches: 0, flowsBeyondWindow: 1))
    }

    // MARK: 2. Credit losses are costs, and a default is the scenario's

    /// 60 000 € incl. 10 000 € of VAT (given by the invoice) defaults in every plan: the loss excl. VAT is 50 000, the
    /// insurer pays 90 % of it (45 000, the domain's case 4), and "overdraft only" bears the whole loss.
    @Test func aDefaultCostsEveryPlanItsLossExclVAT() throws {
        var s = Scenario(start: start, horizonDays: 300, openingBalance: m(1_000_000), calendar: .none,
                         receivables: [Invoice(id: "R", counterparty: "Faillite SA", issueDate: start, dueDate: start + 60,
                                               amount: m(6_000_000), vatAmount: m(1_000_000))])
        var insured = FactoringContract(name: "insured")
        insured.commissionRate = pct("0.5"); insured.annualRate = pct("4"); insured.insuranceCoverage = pct("90")
        insured.indemnityDelayDays = 120
        var bare = insured; bare.name = "bare"; bare.insuranceCoverage = .zero
        s.instruments.factoring = [insured, bare]
        s.defaulted = ["R"]
        s.plans = [Plan(name: "insured", rules: [PlanRule(kind: .receivable, selector: .all, decision: .factor("insured"))]),
                   Plan(name: "bare", rules: [PlanRule(kind: .receivable, selector: .all, decision: .factor("bare"))])]
        let c = compare(s)
        let only = try result(c, "overdraft only"), neg = try result(c, "negotiate terms")
        let ins = try result(c, "insured"), unins = try result(c, "bare")
        #expect(only.creditLosses == m(5_000_000) && neg.creditLosses == m(5_000_000))
        #expect(only.financing.badDebtVATRelief == m(1_000_000))
        #expect(ins.creditLosses == m(500_000))            // 50 000 − 45 000
        #expect(unins.creditLosses == m(5_000_000))
        // No plan looks cheaper by ignoring the loss; the uninsured factoring costs its fees on top of it.
        #expect(unins.totalCost > only.totalCost)
        #expect(c.bestIndex.map { c.results[$0].name } == "insured")
        #expect(only.assumptions.isEmpty, "the VAT is given: nothing derived")
        #expect(c.assumptions.contains { $0.contains("defaulted in every plan") })
    }

    /// With recourse the advance stays out until the factor reclaims it: interest runs to the reclaim (case 4: 150.00).
    @Test func interestRunsUntilTheReclaim() throws {
        var s = Scenario(start: start, horizonDays: 200, calendar: .none,
                         receivables: [Invoice(id: "R", counterparty: "C", issueDate: start, dueDate: Day.ymd(2027, 1, 30), amount: m(5_000_000))])
        var c = FactoringContract(name: "f"); c.annualRate = pct("4"); c.reclaimDays = 30
        s.instruments.factoring = [c]
        s.defaulted = ["R"]
        let e = ForecastEngine(scenario: s)
        let eff = try #require(try e.effect(of: .factor("f"), on: InvoiceRef(.receivable, 0)).get())
        let extra = try #require(eff.movements.first { if case .factoringInterestUntilReclaim = $0.detail { return true }; return false })
        #expect(extra.amount == m(-15_000) && extra.day == Day.ymd(2027, 3, 1))
    }

    // MARK: 3. The law

    /// The only plan within the overdraft limit pays a 20 000 € supplier after the 60-day cap: it is not ★.
    @Test func starNeverGoesToAPlanBreakingTheLaw() throws {
        var s = Scenario(start: start, horizonDays: 120, openingBalance: m(500_000), calendar: .none,
                         payables: [Invoice(id: "P", counterparty: "S", issueDate: start - 40, dueDate: start + 10, amount: m(2_000_000))],
                         overdraft: OverdraftTerms(limit: m(1_000_000), annualRate: pct("10")),
                         recurring: [RecurringFlow(label: "sales", amount: m(2_000_000), every: .month, day: 28)])
        s.instruments.negotiation.unlistedAccept = false   // nobody accepts longer terms
        s.plans = [Plan(name: "pay late", rules: [PlanRule(kind: .payable, selector: .invoice("P"), decision: .payLate(30))])]
        let c = compare(s)
        let late = try result(c, "pay late")
        #expect(late.summary.daysOverLimit == 0 && late.legalBreaches == 1)
        #expect(try result(c, "overdraft only").summary.daysOverLimit > 0)
        #expect(c.bestIndex == nil, "no plan stays within the limit and the law")
        #expect(late.verdict == .excluded(daysOverLimit: 0, legalBreaches: 1, flowsBeyondWindow: 0))
    }

    /// Late interest runs from the day after the due date: due 31 Oct, unpaid at a 1 Dec start, paid 20 days "late"
    /// is 51 days late: 1 000 × 12.15 % × 51 / 365 = 16.98, + 40 €.
    @Test func lateInterestRunsFromTheDueDate() throws {
        var s = Scenario(start: start, horizonDays: 60, calendar: .none,
                         payables: [Invoice(id: "P", counterparty: "S", issueDate: Day.ymd(2026, 9, 1), dueDate: Day.ymd(2026, 10, 31), amount: m(100_000))])
        s.plans = [Plan(name: "late", rules: [PlanRule(kind: .payable, selector: .invoice("P"), decision: .payLate(20))])]
        let c = compare(s)
        let late = try result(c, "late")
        #expect(late.financing.lateInterest == m(1_698) && late.financing.lateIndemnities == m(4_000))
        // Already overdue at the start: it owes penalties in every plan, paid on the start date (31 days: 10.32).
        let only = try result(c, "overdraft only")
        #expect(only.financing.lateInterest == m(1_032) && only.financing.lateIndemnities == m(4_000))
        #expect(only.legalBreaches == 0, "a delay that happened before the plan is no plan's breach")
    }

    /// The ECB rate is the one of the half-year in which the lateness starts.
    @Test func theECBRateIsSetPerHalfYear() throws {
        var s = Scenario(start: start, horizonDays: 90, calendar: .none,
                         payables: [Invoice(id: "P", counterparty: "S", issueDate: start, dueDate: Day.ymd(2026, 12, 31), amount: m(100_000))])
        s.instruments.negotiation.ecbRates = ["2026-H2": pct("2.15"), "2027-H1": pct("2")]
        let e = ForecastEngine(scenario: s)
        let eff = try #require(try e.effect(of: .payLate(20), on: InvoiceRef(.payable, 0)).get())
        #expect(eff.cost.lateInterest == m(658))   // 1 000 × 12 % × 20 / 365 = 6.575… (2027-H1)
    }

    /// A capped negotiation is lawful: no breach, and ★ can go to it.
    @Test func aCappedNegotiationIsNoBreach() throws {
        var s = Scenario(start: start, horizonDays: 120, calendar: .none,
                         payables: [Invoice(id: "P", counterparty: "S", issueDate: start, dueDate: start + 30, amount: m(100_000))])
        s.instruments.negotiation.targetDays = 90
        let c = compare(s)
        #expect(try result(c, "negotiate terms").legalBreaches == 0)
    }

    /// `treso check` warns about invoices whose own terms exceed the legal cap.
    @Test func termsBeyondTheCapAreWarnedAbout() {
        let s = Scenario(start: start, calendar: .none,
                         payables: [Invoice(id: "LONG", counterparty: "S", issueDate: start, dueDate: start + 90, amount: m(100_000), line: 3),
                                    Invoice(id: "OK", counterparty: "S", issueDate: start, dueDate: start + 60, amount: m(100_000), line: 4)])
        let d = ForecastEngine(scenario: s).legalTermDiagnostics()
        #expect(d.count == 1)
        #expect(d.first?.line == 3 && d.first?.message.contains("LONG: terms of 90 days") == true)
    }

    // MARK: 4. Honest negotiation

    @Test func negotiationIsNeitherFreeUniversalNorRetroactive() throws {
        var s = Scenario(start: start, horizonDays: 150, calendar: .none, payables: [
            Invoice(id: "DUE", counterparty: "A", issueDate: start - 40, dueDate: start - 10, amount: m(100_000)),
            Invoice(id: "ACC", counterparty: "A", issueDate: start, dueDate: start + 30, amount: m(100_000),
                    discount: EarlyPaymentDiscount(rate: pct("2"), days: 10), vatAmount: m(16_667)),
            Invoice(id: "MAX", counterparty: "B", issueDate: start, dueDate: start + 30, amount: m(100_000)),
            Invoice(id: "NO", counterparty: "C", issueDate: start, dueDate: start + 30, amount: m(100_000)),
        ])
        s.instruments.negotiation.suppliers = ["B": .init(accepts: true, maxDays: 45), "C": .init(accepts: false)]
        s.instruments.negotiation.priceIncreasePer30Days = pct("1")
        let e = ForecastEngine(scenario: s)
        func eff(_ i: Int) -> Result<FinancingEffect?, Refusal> { e.effect(of: .negotiate, on: InvoiceRef(.payable, i)) }
        // Already due: never extended retroactively.
        if case .failure(let r) = eff(0) { #expect(r.why == .pastDue(due: start - 10, start: start)) } else { Issue.record("DUE accepted") }
        // Unlisted supplier A: accepted as an assumption; 60 days; the 2 % discount is given up (excl. VAT: 20.00 − 3.33);
        // the price increase for 30 more days at 1 % is 10.00.
        let acc = try #require(try eff(1).get())
        #expect(acc.movements.first?.day == start + 60)
        #expect(acc.assumptions.contains(.supplierAcceptance))
        #expect(acc.cost.lostDiscounts == m(1_667) && acc.cost.priceIncrease == m(1_000))
        // B accepts up to 45 days.
        #expect(try eff(2).get()?.movements.first?.day == start + 45)
        // C refuses.
        if case .failure(let r) = eff(3) { #expect(r.why == .supplierRefuses(supplier: "C")) } else { Issue.record("NO accepted") }
        // The reference plan says what it assumes.
        let c = PlanComparison(engine: e, plans: [])
        #expect(c.results[1].assumptions == ["assumes 1 supplier accepts the negotiated term (not confirmed)"])
        #expect(c.results[1].refusals.count == 2)
        // Unlisted suppliers refused when the scenario says so.
        s.instruments.negotiation.unlistedAccept = false
        if case .failure(let r) = ForecastEngine(scenario: s).effect(of: .negotiate, on: InvoiceRef(.payable, 1)) {
            #expect(r.why == .supplierUnlisted(supplier: "A"))
        } else { Issue.record("unlisted accepted") }
    }

    // MARK: 5. Instrument fidelity

    @Test func factorsRefusePastDueInvoicesAndPriceSpotOffersOnTheAdvance() throws {
        var s = Scenario(start: start, horizonDays: 90, calendar: .none, receivables: [
            Invoice(id: "PAST", counterparty: "C", issueDate: start - 40, dueDate: start - 5, amount: m(1_000_000), expectedDate: start + 10),
            Invoice(id: "OK", counterparty: "C", issueDate: start, dueDate: start + 60, amount: m(1_000_000)),
        ])
        var spot = FactoringContract(name: "spot"); spot.kind = .spot; spot.advanceRate = pct("80"); spot.commissionRate = pct("2")
        spot.vatRate = .zero; spot.feeClass = .financial
        s.instruments.factoring = [spot]
        let e = ForecastEngine(scenario: s)
        if case .failure(let r) = e.effect(of: .factor("spot"), on: InvoiceRef(.receivable, 0)) {
            #expect(r.why == .pastDue(due: start - 5, start: start))
        } else { Issue.record("a past-due invoice was financed") }
        let ok = try #require(try e.effect(of: .factor("spot"), on: InvoiceRef(.receivable, 1)).get())
        // 2 % of the 8 000 advanced = 160.00, no VAT, a financial charge (EBE untouched).
        #expect(ok.cost.commissions == m(16_000) && ok.cost.financial == m(16_000) && ok.cost.operating == .zero)
        #expect(ok.cost.recoverableVAT == .zero)
        var plan = PlanState(engine: e)
        plan.set(.factor("spot"), for: InvoiceRef(.receivable, 1))
        let ebe = plan.journalEntries(projection: plan.project()).flatMap(\.lines).filter { $0.account.reducesEBE }
        #expect(ebe.isEmpty)
    }

    /// Reverse factoring capturing a discount: the factor funds on the discount date, the fee runs from there to the
    /// (rolled) repayment; the gain is excl. VAT when the invoice gives its VAT.
    @Test func reverseFactoringPaysItsFeeFromFunding() throws {
        let fr = Day.ymd(2026, 12, 4)
        var s = Scenario(start: start, horizonDays: 150, calendar: .fr, payables: [
            Invoice(id: "P", counterparty: "S", issueDate: fr, dueDate: Day.ymd(2027, 1, 15), amount: m(1_200_000),
                    discount: EarlyPaymentDiscount(rate: pct("2"), days: 10), vatAmount: m(200_000)),
        ])
        var p = ReverseFactoringProgram(name: "scf"); p.extensionDays = 60; p.annualRate = pct("3.6"); p.capturesDiscounts = true
        s.instruments.reverseFactoring = [p]
        let eff = try #require(try ForecastEngine(scenario: s).effect(of: .reverseFactor("scf"), on: InvoiceRef(.payable, 0)).get())
        // Funded Mon 14 Dec; repaid following(15 Jan + 60 = Tue 16 Mar) → 92 days on 11 760.00 → 108.19.
        let fee = try #require(eff.movements.first { if case .reverseFactoringFee = $0.detail { return true }; return false })
        #expect(fee.day == Day.ymd(2027, 3, 16) && fee.detail == .reverseFactoringFee(days: 92) && fee.amount == m(-10_819))
        // Discount 240.00 of which 40.00 VAT: the gain is 200.00, and the deductible VAT falls by 40.00.
        #expect(eff.cost.financial == m(10_819 - 20_000) && eff.cost.recoverableVAT == m(-4_000))
    }

    // MARK: 7. Over the limit

    @Test func theOverdraftBeyondItsLimitCostsMoreAndUsuryIsWarnedAbout() throws {
        var s = Scenario(start: Day.ymd(2026, 12, 28), horizonDays: 7, openingBalance: m(100_000), calendar: .none,
                         payables: [Invoice(id: "P", counterparty: "S", issueDate: Day.ymd(2026, 10, 30), dueDate: Day.ymd(2026, 12, 29), amount: m(1_100_000))],
                         overdraft: OverdraftTerms(limit: m(500_000), annualRate: pct("9.5"), highestOverdraftRate: pct("0.05"),
                                                   penaltyRate: pct("4"), usuryRate: pct("15")))
        s.plans = []
        let c = compare(s)
        let only = c.results[0]
        #expect(only.summary.overdraftPenalty == m(334))   // 1.67 + 1.67
        #expect(only.bankCharges == m(2_920))
        #expect(only.warnings.contains { $0.contains("usury ceiling") })
        let moves = ForecastEngine.chargeMovements(on: Day.ymd(2026, 12, 31), in: only.window)
        #expect(moves.contains { if case .overdraftPenalty = $0.detail { return $0.amount == m(-167) }; return false })
    }

    // MARK: The cost model's identity on the worked cases' kinds of plans

    @Test func builtInPlansWinOverUserPlansOfTheSameName() {
        let plans = PlanComparison.plansToCompare([Plan(name: "overdraft only", rules: [PlanRule(kind: .payable, selector: .all, decision: .payLate(5))]),
                                                   Plan(name: "mine"), Plan(name: "mine")])
        #expect(plans.map(\.name) == ["overdraft only", "negotiate terms", "mine"])
        #expect(plans[0].rules.isEmpty)
    }
}
