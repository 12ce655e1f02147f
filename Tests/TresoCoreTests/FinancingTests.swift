import Testing
import TestSupport
@testable import TresoCore

@Suite struct FinancingTests {
    let start = Day.ymd(2026, 12, 1) // Tuesday

    func bank() -> FactoringContract {
        var c = FactoringContract(name: "bank")
        c.advanceRate = Rate(percent: "90")!
        c.commissionRate = Rate(percent: "1")!
        c.annualRate = Rate(percent: "4.5")!
        return c
    }

    /// Worked case 2: 20 000 € at 60 days, 90 % advance within two business days.
    @Test func case2FactoringAdvance() throws {
        var s = Scenario(start: start, horizonDays: 120, calendar: .fr,
                         receivables: [Invoice(id: "F-2026-001", counterparty: "Client", issueDate: start, dueDate: start + 60, amount: Money(cents: 2_000_000))])
        s.instruments.factoring = [bank()]
        let e = ForecastEngine(scenario: s)
        let eff = try #require(try e.effect(of: .factor("bank"), on: InvoiceRef(.receivable, 0)).get())
        let byLabel = Dictionary(eff.movements.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a })
        let advance = try #require(byLabel["factoring advance (bank)"])
        #expect(advance.amount.cents == 1_800_000)
        #expect(advance.day == Day.ymd(2026, 12, 3)) // two business days after Tue 1 Dec
        #expect(byLabel["factoring commission (bank)"]?.amount.cents == -20_000)
        #expect(byLabel["VAT on factoring commission (bank)"]?.amount.cents == -4_000)
        // Due Sat 30 Jan 2027 → collected Mon 1 Feb: 60 days from funding; 18 000 × 4.5 % × 60 / 360 = 135.00
        #expect(byLabel["factoring interest 60 d (bank)"]?.amount.cents == -13_500)
        #expect(byLabel["reserve released (bank)"]?.amount.cents == 200_000)
        #expect(byLabel["reserve released (bank)"]?.day == Day.ymd(2027, 2, 1))
        #expect(eff.cost.operating.cents == 20_000)
        #expect(eff.cost.financial.cents == 13_500)
        #expect(eff.cost.recoverableVAT.cents == 4_000)
        // In the projection: +17 625.00 net on 3 Dec, +2 000.00 on 1 Feb instead of 20 000.00.
        var plan = PlanState(engine: e, name: "factor")
        #expect(plan.set(.factor("bank"), for: InvoiceRef(.receivable, 0)) == nil)
        let p = plan.project()
        #expect(p.position(on: Day.ymd(2026, 12, 3))?.financing.cents == 1_762_500)
        #expect(p.position(on: Day.ymd(2027, 2, 1))?.receipts.cents == 0)
        #expect(p.position(on: Day.ymd(2027, 2, 1))?.financing.cents == 200_000)
    }

    /// Worked case 3: receivables 30 000 € all assigned: +27 000 € at once; fees 2 000 € reduce EBE.
    @Test func case3WholeLedgerAssigned() {
        var c = bank()
        c.kind = .global
        c.commissionRate = Rate(percent: "0.5")!
        c.annualMinimumFee = Money(cents: 200_000)
        c.annualRate = .zero
        c.vatRate = .zero
        var s = Scenario(start: start, horizonDays: 365, calendar: .none)
        s.receivables = (0..<3).map { Invoice(id: "R\($0)", counterparty: "C\($0)", issueDate: start, dueDate: start + 45, amount: Money(cents: 1_000_000)) }
        s.instruments.factoring = [c]
        let e = ForecastEngine(scenario: s)
        let plan = PlanState(engine: e, plan: Plan(name: "all", rules: [PlanRule(kind: .receivable, selector: .all, decision: .factor("bank"))]))
        #expect(plan.refusals.isEmpty)
        let p = plan.project()
        // Funding 2 days after the start (calendar none): 3 × (9 000 − 50 commission).
        #expect(p.position(on: start + 2)?.financing == Money(cents: 2_685_000))
        #expect(plan.financingCost.operating.cents == 200_000) // 150 commission + 1 850 top-up to the annual minimum
        #expect(plan.financingCost.financial.cents == 0)
    }

    /// Worked case 4: a 50 000 € default; insured at 90 % → 45 000 € indemnity; with recourse the advance is reclaimed.
    @Test func case4DefaultWithInsuranceAndRecourse() throws {
        var c = bank()
        c.recourse = true
        c.reclaimDays = 30
        c.insuranceCoverage = Rate(percent: "90")!
        c.indemnityDelayDays = 120
        var s = Scenario(start: start, horizonDays: 300, calendar: .none,
                         receivables: [Invoice(id: "BK", counterparty: "Bankrupt SA", issueDate: start, dueDate: start + 30, amount: Money(cents: 5_000_000))])
        s.instruments.factoring = [c]
        let e = ForecastEngine(scenario: s)
        let ref = InvoiceRef(.receivable, 0)
        let insured = try #require(try e.effect(of: .factor("bank"), on: ref, defaulted: true).get())
        let m = Dictionary(insured.movements.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a })
        // Insurers cover the amount excl. VAT by default: 90 % × 41 666.67 (VAT derived at 20 %) = 37 500.00;
        // the loss is 41 666.67 − 37 500.00 = 4 166.67 and the 8 333.33 of VAT comes back as bad-debt relief.
        #expect(m["credit-insurance indemnity (bank)"]?.amount.cents == 3_750_000)
        #expect(insured.cost.creditLosses.cents == 416_667 && insured.cost.badDebtVATRelief.cents == 833_333)
        #expect(insured.assumptions.contains(.derivedVAT))
        var inclVAT = c
        inclVAT.insuranceBase = .inclVAT
        s.instruments.factoring = [inclVAT]
        let onTTC = try #require(try ForecastEngine(scenario: s).effect(of: .factor("bank"), on: ref, defaulted: true).get())
        #expect(onTTC.movements.first { $0.detail == .insuranceIndemnity }?.amount.cents == 4_500_000)
        s.instruments.factoring = [c]
        #expect(m["credit-insurance indemnity (bank)"]?.day == start + 30 + 120)
        #expect(m["advance reclaimed after default (bank)"]?.amount.cents == -4_500_000)
        #expect(m["advance reclaimed after default (bank)"]?.day == start + 60)
        #expect(m["reserve released (bank)"] == nil)
        // Without insurance, with recourse: the advance is repaid and nothing comes back.
        c.insuranceCoverage = .zero
        s.instruments.factoring = [c]
        let bare = try #require(try ForecastEngine(scenario: s).effect(of: .factor("bank"), on: ref, defaulted: true).get())
        #expect(bare.movements.contains { $0.detail == .advanceReclaimed && $0.amount.cents == -4_500_000 })
        #expect(!bare.movements.contains { $0.detail == .insuranceIndemnity })
        // Without recourse the factor bears it: the reserve still comes back.
        c.recourse = false
        s.instruments.factoring = [c]
        let noRecourse = try #require(try ForecastEngine(scenario: s).effect(of: .factor("bank"), on: ref, defaulted: true).get())
        #expect(!noRecourse.movements.contains { $0.detail == .advanceReclaimed })
        // Not factored and defaulted: the collection simply disappears.
        var plan = PlanState(engine: ForecastEngine(scenario: s))
        plan.setDefaulted(true, for: ref)
        #expect(plan.project().summary.finalBalance == .zero)
    }

    /// Worked case 1: reverse factoring of 50 000 €: we pay the factor 60 days after the due date.
    @Test func case1ReverseFactoring() throws {
        var s = Scenario(start: start, horizonDays: 200, calendar: .fr,
                         payables: [Invoice(id: "MAT-1", counterparty: "Acier", issueDate: start, dueDate: Day.ymd(2026, 12, 31), amount: Money(cents: 5_000_000))])
        var p = ReverseFactoringProgram(name: "scf"); p.extensionDays = 60; p.annualRate = Rate(percent: "3.6")!
        s.instruments.reverseFactoring = [p]
        let eff = try #require(try ForecastEngine(scenario: s).effect(of: .reverseFactor("scf"), on: InvoiceRef(.payable, 0)).get())
        // 31 Dec + 60 = Mon 1 Mar 2027; fee = 50 000 × 3.6 % × 60 / 360 = 300.00
        #expect(eff.movements.map(\.day) == [Day.ymd(2027, 3, 1), Day.ymd(2027, 3, 1)])
        #expect(eff.movements.map(\.amount.cents) == [-5_000_000, -30_000])
        #expect(eff.cost.financial.cents == 30_000)
    }

    /// Worked case 7: a 15 000 € machine in 3 instalments.
    @Test func case7SplitPayment() throws {
        var s = Scenario(start: start, horizonDays: 200, calendar: .none,
                         payables: [Invoice(id: "MACH", counterparty: "Machines", issueDate: start, dueDate: start + 10, amount: Money(cents: 1_500_001))])
        var p = SplitPaymentProgram(name: "bnpl"); p.instalments = 3; p.feeRate = Rate(percent: "2.5")!
        s.instruments.splitPayment = [p]
        let eff = try #require(try ForecastEngine(scenario: s).effect(of: .splitPayment("bnpl"), on: InvoiceRef(.payable, 0)).get())
        let inst = eff.movements.filter { { if case .instalment = $0.detail { return true }; return false }($0) }
        #expect(inst.map(\.amount.cents) == [-500_000, -500_000, -500_001]) // remainder on the last
        #expect(inst.map(\.day) == [start + 10, start + 40, start + 70])
        #expect(eff.movements.first { $0.detail == .splitPaymentFee }?.amount.cents == -37_500)
    }

    /// Worked cases 5 and 6: supplier-invoice financing pays the supplier now, we repay after the term.
    @Test func case5and6SupplierFinancing() throws {
        var s = Scenario(start: start, horizonDays: 200, calendar: .none,
                         payables: [Invoice(id: "MAT", counterparty: "Matériaux", issueDate: start, dueDate: start + 10, amount: Money(cents: 2_000_000))])
        var p = SupplierFinancingProgram(name: "avance"); p.termDays = 45; p.monthlyRate = Rate(percent: "1")!
        s.instruments.supplierFinancing = [p]
        let eff = try #require(try ForecastEngine(scenario: s).effect(of: .supplierFinancing("avance"), on: InvoiceRef(.payable, 0)).get())
        // Repay on due + 45 days; fee = 20 000 × 1 % × 45 / 30 = 300.00
        #expect(eff.movements.map(\.day) == [start + 55, start + 55])
        #expect(eff.movements.map(\.amount.cents) == [-2_000_000, -30_000])
    }

    @Test func refusalsSayWhy() {
        var c = bank()
        c.maximumInvoice = Money(cents: 10_000_000)
        var s = Scenario(start: start, horizonDays: 90, receivables: [
            Invoice(id: "F-2026-104", counterparty: "Big", issueDate: start, dueDate: start + 30, amount: Money(cents: 15_000_000)),
        ])
        s.instruments.factoring = [c]
        let e = ForecastEngine(scenario: s)
        var plan = PlanState(engine: e)
        let r = plan.set(.factor("bank"), for: InvoiceRef(.receivable, 0))
        #expect(r?.why == .aboveMaximum(amount: Money(cents: 15_000_000), maximum: Money(cents: 10_000_000), instrument: "contract", name: "bank"))
        #expect(r?.reason == "F-2026-104: 150 000.00 exceeds the 100 000.00 maximum of contract \"bank\"")
        #expect(plan.ledger == e.baseLedger)
    }

    @Test func negotiationIsCappedByLaw() throws {
        var s = Scenario(start: start, horizonDays: 200, calendar: .none,
                         payables: [Invoice(id: "P", counterparty: "S", issueDate: start, dueDate: start + 30, amount: Money(cents: 100_000))])
        s.instruments.negotiation.targetDays = 90
        let e = ForecastEngine(scenario: s)
        let eff = try #require(try e.effect(of: .negotiate, on: InvoiceRef(.payable, 0)).get())
        #expect(eff.movements.first?.day == start + 60)
        // Capped to the legal maximum: the capped date is lawful, not a breach (issue 8).
        #expect(!eff.legalBreach)
        #expect(eff.note?.contains("capped") == true)
        // Late payment: 1 000 € 20 days late at ECB 2.15 % + 10 points = 12.15 % → 6.66 € + 40 €.
        let late = try #require(try e.effect(of: .payLate(20), on: InvoiceRef(.payable, 0)).get())
        #expect(late.cost.penalties.cents == 666 + 4_000)
        #expect(late.movements.first?.day == start + 50)
    }

    /// Money is conserved: with every settlement inside the horizon, a plan's final balance is the
    /// base's minus its financing cash cost minus the extra bank charges. Cash cost = the cost over the base
    /// (whose own penalties and losses every plan shares) + recoverable VAT − discounts given up (not cash)
    /// + bad-debt VAT relief (recovered through a later VAT return, not inside the projection).
    @Test(arguments: 0..<20)
    func moneyIsConserved(batch: Int) {
        for k in 0..<25 {
            let seed = UInt64(50_000 + batch * 100 + k)
            let s = RandomScenario.withInstruments(seed: seed)
            let e = ForecastEngine(scenario: s)
            let base = e.project()
            var plan = PlanState(engine: e)
            for (ref, d) in RandomScenario.decisions(for: s, seed: seed) { plan.set(d, for: ref) }
            let p = plan.project()
            let cost = plan.financingCost - e.baseCost
            let cashCost = cost.total + cost.recoverableVAT - cost.lostDiscounts + cost.badDebtVATRelief
            #expect(p.summary.finalBalance == base.summary.finalBalance - cashCost - (p.summary.bankCharges - base.summary.bankCharges),
                    "seed \(seed)")
            // And a plan never makes cash appear from nowhere: each day still adds up.
            for d in p.days { #expect(d.closing == d.opening + d.receipts - d.disbursements + d.financing - d.charges) }
        }
    }

    /// Equal terms: over the comparison window, the difference of two plans' closing positions is minus the
    /// difference of their total costs, once the cash items that are not costs are set aside — recoverable VAT
    /// paid (cash out, not a cost), bad-debt VAT relief (a cost avoided, recovered after the window) and discounts
    /// given up (a cost, not cash). Holds however far past the horizon the decisions move flows (short horizon).
    @Test(arguments: 0..<10)
    func closingPositionsDifferByTheCosts(batch: Int) {
        for k in 0..<20 {
            let seed = UInt64(150_000 + batch * 100 + k)
            let s = RandomScenario.withVerdictRules(seed: seed, horizonDays: 30 + Int(seed % 150))
            let e = ForecastEngine(scenario: s)
            var plan = PlanState(engine: e, name: "random")
            // Only decisions whose flows settle within the window limit (end + 400 days): beyond it a comparison
            // says that some flows escape (tested below), and the identity cannot hold.
            for (ref, d) in RandomScenario.decisions(for: s, seed: seed) {
                guard case .success(let eff?) = e.effect(of: d, on: ref), e.settlement(ref).day <= e.windowLimit,
                      eff.movements.allSatisfy({ $0.day <= e.windowLimit }) else { continue }
                plan.set(d, for: ref)
            }
            #expect(plan.flowsBeyondWindowLimit == 0)
            let cmp = PlanComparison(states: [PlanState(engine: e), plan])
            let (a, b) = (cmp.results[1], cmp.results[0])
            func nonCost(_ r: PlanResult) -> Money { r.financing.recoverableVAT + r.financing.badDebtVATRelief - r.financing.lostDiscounts }
            #expect(a.closingPosition - b.closingPosition == -(a.totalCost - b.totalCost) - (nonCost(a) - nonCost(b)), "seed \(seed)")
            #expect(cmp.windowEnd >= s.end && cmp.windowEnd <= e.windowLimit)
            #expect(a.window.days.count == b.window.days.count)
            // ★ never goes to a plan over the limit or breaking the law.
            if let i = cmp.bestIndex {
                #expect(cmp.results[i].summary.daysOverLimit == 0 && cmp.results[i].legalBreaches == 0, "seed \(seed)")
            }
        }
    }

    /// Applying decisions then clearing them restores the projection exactly; refused ones change nothing;
    /// the order decisions are applied in does not matter.
    @Test(arguments: 0..<20)
    func togglingTwiceRestoresThePlan(batch: Int) {
        for k in 0..<25 {
            let seed = UInt64(90_000 + batch * 100 + k)
            let s = RandomScenario.withInstruments(seed: seed)
            let e = ForecastEngine(scenario: s)
            let decisions = RandomScenario.decisions(for: s, seed: seed)
            var plan = PlanState(engine: e)
            for (ref, d) in decisions {
                let before = plan.ledger
                if plan.set(d, for: ref) != nil { #expect(plan.ledger == before, "seed \(seed): a refused decision changed the plan") }
            }
            var reversed = PlanState(engine: e)
            for (ref, d) in decisions.reversed() { reversed.set(d, for: ref) }
            #expect(reversed.ledger == plan.ledger, "seed \(seed)")
            for (ref, _) in decisions { plan.set(.none, for: ref) }
            #expect(plan.ledger == e.baseLedger, "seed \(seed)")
            #expect(plan.effectsCost == e.baseCost)
            #expect(plan.project().days == e.project().days)
        }
    }

    @Test func comparisonMarksTheCheapestPlanWithinTheLimit() {
        var s = Scenario(start: start, horizonDays: 90, openingBalance: Money(cents: 100_000), calendar: .none,
                         receivables: [Invoice(id: "R", counterparty: "C", issueDate: start, dueDate: start + 60, amount: Money(cents: 5_000_000))],
                         payables: [Invoice(id: "P", counterparty: "S", issueDate: start - 20, dueDate: start + 5, amount: Money(cents: 4_000_000))],
                         overdraft: OverdraftTerms(limit: Money(cents: 1_000_000), annualRate: Rate(percent: "12")!, highestOverdraftRate: Rate(percent: "0.05")!))
        s.instruments.factoring = [bank()]
        s.plans = [Plan(name: "factor R", rules: [PlanRule(kind: .receivable, selector: .invoice("R"), decision: .factor("bank"))])]
        let cmp = PlanComparison(engine: ForecastEngine(scenario: s), plans: s.plans)
        #expect(cmp.results.map(\.name) == ["overdraft only", "negotiate terms", "factor R"])
        // Overdraft only breaches the 10 000 limit (−39 000 for 55 days); negotiating moves P to day 40, still breaching.
        #expect(cmp.results[0].projection.summary.daysOverLimit > 0)
        #expect(cmp.bestIndex == 2)
        let r = cmp.results[2]
        #expect(r.totalCost == r.operatingCost + r.financialCost)
        #expect(r.effectiveAnnualRate != nil)
    }
}

@Suite struct AccountingTests {
    /// Every journal entry balances, and the EBE impact equals the plan's operating cost.
    @Test(arguments: 0..<10)
    func entriesBalanceAndMatchTheCosts(batch: Int) {
        for k in 0..<20 {
            let seed = UInt64(70_000 + batch * 100 + k)
            let s = RandomScenario.withInstruments(seed: seed)
            let e = ForecastEngine(scenario: s)
            var plan = PlanState(engine: e)
            for (ref, d) in RandomScenario.decisions(for: s, seed: seed) { plan.set(d, for: ref) }
            let p = plan.project()
            let entries = plan.journalEntries(projection: p)
            for en in entries { #expect(en.isBalanced, "seed \(seed): \(en.reference) \(en.label)") }
            let ebe = entries.flatMap(\.lines).filter { $0.account.reducesEBE }.reduce(Money.zero) { $0 + $1.debit - $1.credit }
            #expect(ebe == plan.financingCost.operating + plan.financingCost.priceIncrease, "seed \(seed)")
            let vat = entries.flatMap(\.lines).filter { $0.account == .deductibleVAT }.reduce(Money.zero) { $0 + $1.debit - $1.credit }
            #expect(vat == plan.financingCost.recoverableVAT, "seed \(seed)")
        }
    }
}

@Suite struct VerdictAccountingTests {
    /// With the verdict rules (defaults, VAT given, fee classes, price increases…) every entry still balances, the EBE
    /// impact is the operating cost, and the deductible VAT is the recoverable VAT.
    @Test(arguments: 0..<5)
    func entriesBalanceUnderTheVerdictRules(batch: Int) {
        for k in 0..<20 {
            let seed = UInt64(170_000 + batch * 100 + k)
            let s = RandomScenario.withVerdictRules(seed: seed)
            let e = ForecastEngine(scenario: s)
            var plan = PlanState(engine: e)
            for (ref, d) in RandomScenario.decisions(for: s, seed: seed) { plan.set(d, for: ref) }
            let entries = plan.journalEntries(projection: plan.project())
            for en in entries { #expect(en.isBalanced, "seed \(seed): \(en.reference) \(en.label)") }
            let lines = entries.flatMap(\.lines)
            func net(_ a: Account) -> Money { lines.filter { $0.account == a }.reduce(Money.zero) { $0 + $1.debit - $1.credit } }
            let ebe = lines.filter { $0.account.reducesEBE }.reduce(Money.zero) { $0 + $1.debit - $1.credit }
            #expect(ebe == plan.financingCost.operating + plan.financingCost.priceIncrease, "seed \(seed)")
            #expect(net(.deductibleVAT) == plan.financingCost.recoverableVAT, "seed \(seed)")
            #expect(net(.creditLosses) == plan.financingCost.creditLosses, "seed \(seed)")
            #expect(net(.latePenalties) == plan.financingCost.penalties, "seed \(seed)")
        }
    }
}

/// Regressions found by the independent reference check (scripts/reference_check.py).
@Suite struct ReferenceCheckRegressions {
    let start = Day.ymd(2026, 3, 2) // Monday

    @Test func overduePayableCanStillBeFinancedFromTheStart() throws {
        var s = Scenario(start: start, horizonDays: 90, openingBalance: Money(cents: 500_000), calendar: .none,
                         payables: [Invoice(id: "P-1", counterparty: "F", issueDate: Day.ymd(2026, 1, 20), dueDate: Day.ymd(2026, 2, 20), amount: Money(cents: 100_000))])
        var p = ReverseFactoringProgram(name: "scf"); p.extensionDays = 60; p.annualRate = Rate(percent: "3.6")!
        s.instruments.reverseFactoring = [p]
        let eff = try #require(try ForecastEngine(scenario: s).effect(of: .reverseFactor("scf"), on: InvoiceRef(.payable, 0)).get())
        #expect(eff.movements.map(\.day) == [start + 60, start + 60, start, start])
        #expect(eff.cost.financial.cents == 600)
        // The factor pays the supplier at the start, 10 days after the due date: the late penalties stay owed.
        #expect(eff.cost.lateInterest.cents == 333 && eff.cost.lateIndemnities.cents == 4_000)
    }

    @Test func aDefaultedReceivableStaysDefaultedWhenItsDecisionIsRefused() {
        var c = FactoringContract(name: "bank"); c.maximumInvoice = Money(cents: 50_000)
        var s = Scenario(start: start, horizonDays: 60, calendar: .none,
                         receivables: [Invoice(id: "R-1", counterparty: "C", issueDate: start - 1, dueDate: start + 29, amount: Money(cents: 100_000))])
        s.instruments.factoring = [c]
        let plan = PlanState(engine: ForecastEngine(scenario: s),
                             plan: Plan(name: "p", rules: [PlanRule(kind: .receivable, selector: .invoice("R-1"), decision: .factor("bank"))], defaulted: ["R-1"]))
        #expect(plan.refusals.count == 1)
        #expect(plan.project().summary.finalBalance == .zero)
    }

    @Test func aboveMeansStrictlyAbove() {
        var s = Scenario(start: start, horizonDays: 60, calendar: .none,
                         receivables: [Invoice(id: "R-1", counterparty: "C", issueDate: start, dueDate: start + 30, amount: Money(cents: 100_000))])
        s.instruments.factoring = [FactoringContract(name: "bank")]
        let plan = PlanState(engine: ForecastEngine(scenario: s),
                             plan: Plan(name: "p", rules: [PlanRule(kind: .receivable, selector: .amountAbove(Money(cents: 100_000)), decision: .factor("bank"))]))
        #expect(plan.decisions.isEmpty)
    }

    @Test func oneBusinessDayAfterASaturdayIsTheMonday() {
        #expect(BusinessCalendar(.fr).addingBusinessDays(1, to: Day.ymd(2026, 3, 7)) == Day.ymd(2026, 3, 9))
        #expect(BusinessCalendar(.fr).addingBusinessDays(0, to: Day.ymd(2026, 3, 7)) == Day.ymd(2026, 3, 9))
    }

    @Test func effectiveRateIsRoundedOnce() throws {
        let s = Scenario(start: start, horizonDays: 30, openingBalance: Money(cents: 1_000_000), calendar: .none,
                         payables: [Invoice(id: "P-1", counterparty: "S", issueDate: start - 1, dueDate: Day.ymd(2026, 3, 10), amount: Money(cents: 123_118))])
        let cmp = PlanComparison(engine: ForecastEngine(scenario: s),
                                 plans: [Plan(name: "late", rules: [PlanRule(kind: .payable, selector: .invoice("P-1"), decision: .payLate(5))])])
        let r = try #require(cmp.results.first { $0.name == "late" })
        #expect(r.totalCost.cents == 205 + 4_000)
        // 42.05 × 365 / (1 231.18 × 5) = 249.32584999… %
        #expect(r.effectiveAnnualRatePercent(decimals: 4) == "249.3258")
    }
}
