import Testing
import TestSupport
@testable import TresoCore

@Suite struct ForecastVATTests {
    static func randomForecasts(_ s: inout Scenario, seed: UInt64) {
        var rng = SeededRandom(seed: seed ^ 0xF0CA57)
        for n in 0..<Int.random(in: 1...4, using: &rng) {
            let kind: ForecastLine.Kind = Bool.random(using: &rng) ? .sales : .purchases
            var line = ForecastLine(label: "L\(n)", kind: kind, amount: Money(cents: Int64.random(in: 0...40_000_000, using: &rng)),
                                    every: ForecastLine.Every.allCases.randomElement(using: &rng)!,
                                    vatRate: Rate(percentHundredths: Int64([0, 550, 1000, 2000].randomElement(using: &rng)!)),
                                    termsDays: Int.random(in: 0...90, using: &rng))
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: line.counterparty = "Party \(Int.random(in: 0..<12, using: &rng))"
            case 1: line.category = "Cat"
            default: break
            }
            if Int.random(in: 0..<4, using: &rng) == 0 {
                line.dated = (0..<Int.random(in: 1...5, using: &rng)).map { _ in
                    (s.start + Int.random(in: 0...max(s.horizonDays, 1), using: &rng), Money(cents: Int64.random(in: 0...10_000_000, using: &rng)))
                }
            }
            s.forecasts.append(line)
        }
        // Spread invoicing on its own stream, so the draws above stay those of earlier sessions.
        var spread = SeededRandom(seed: seed ^ 0x5B8EAD)
        for i in s.forecasts.indices { s.forecasts[i].invoicing = ForecastLine.Invoicing.allCases.randomElement(using: &spread)! }
        if Bool.random(using: &rng) {
            s.vat = VATSettings(regime: VATSettings.Regime.allCases.randomElement(using: &rng)!,
                                basis: VATSettings.Basis.allCases.randomElement(using: &rng)!, day: Int.random(in: 1...31, using: &rng),
                                opening: Money(cents: Int64.random(in: -1_000_000...1_000_000, using: &rng)),
                                previousYear: Money(cents: Int64.random(in: 0...5_000_000, using: &rng)))
        }
    }

    /// No double counting: for every forecast period, invoiced + remaining = max(forecast, invoiced), and the forecast
    /// invoices carry exactly the remaining amounts (excl. VAT) — whatever the invoices and lines.
    @Test(arguments: 0..<40) func consumptionNeverDoubleCounts(seed: UInt64) {
        var s = RandomScenario.make(seed: seed)
        Self.randomForecasts(&s, seed: seed)
        let periods = s.forecastPeriods()
        for p in periods {
            #expect(p.invoiced + p.remaining == max(p.forecast, p.invoiced), "seed \(seed) \(p.name)")
            #expect(p.remaining >= .zero)
        }
        let built = s.withForecastInvoices()
        let forecastInvoices = (built.receivables + built.payables).filter(\.isForecast)
        let tagged = Set(forecastInvoices.compactMap { $0.origin?.forecast }.map { "\($0.line) \($0.period)" })
        #expect(tagged.count == periods.filter { $0.remaining > .zero }.count)
        // Per period, the pieces carry exactly its remaining, each issued inside the period and not before the start.
        for p in periods where p.remaining > .zero {
            let mine = forecastInvoices.filter { $0.origin?.forecast?.line == p.line && $0.origin?.forecast?.period == p.name }
            #expect(mine.reduce(Money.zero) { $0 + $1.amount - ($1.vatAmount ?? .zero) } == p.remaining, "seed \(seed) \(p.name)")
            #expect(mine.allSatisfy { $0.issueDate >= min(max(p.first, s.start), p.issue) && $0.issueDate <= p.last }, "seed \(seed) \(p.name)")
        }
        let excl = forecastInvoices.reduce(Money.zero) { $0 + ($1.amount - ($1.vatAmount ?? .zero)) }
        #expect(excl == periods.reduce(Money.zero) { $0 + $1.remaining })
        // The real invoices are untouched and come first.
        #expect(Array(built.receivables.prefix(s.receivables.count)) == s.receivables)
        #expect(Array(built.payables.prefix(s.payables.count)) == s.payables)
    }

    /// With forecasts, computed VAT and random decisions, each period's rows still add up to closing − opening, and by
    /// day they are the movements the daily detail lists (VAT payments and the plan's VAT changes included).
    @Test(arguments: 0..<40) func rowsAddUpWithForecastsAndVAT(seed: UInt64) {
        var s = RandomScenario.withVerdictRules(seed: seed, horizonDays: 30 + Int(seed % 7) * 20)
        Self.randomForecasts(&s, seed: seed)
        s = s.withForecastInvoices()
        let e = ForecastEngine(scenario: s)
        var plan = PlanState(engine: e)
        for (ref, d) in RandomScenario.decisions(for: s, seed: seed) { plan.set(d, for: ref) }
        let p = plan.project()
        for length in PeriodLength.allCases {
            for byCounterparty in [false, true] {
                let t = plan.periodTable(length, projection: p, byCounterparty: byCounterparty)
                for period in t.periods {
                    #expect(period.amounts.reduce(.zero, +) == period.closing - period.opening, "seed \(seed) \(length) \(period.start.iso)")
                }
            }
        }
        let t = plan.periodTable(.day, projection: p)
        for period in t.periods {
            let moves = plan.movements(on: period.start, projection: p)
            #expect(period.amounts.reduce(.zero, +) == moves.reduce(Money.zero) { $0 + $1.amount }, "seed \(seed) \(period.start.iso)")
        }
    }

    /// examples/cases/11-forecast-vat, built in code: docs/calculations.md §18–19.
    static func case11() -> Scenario {
        var s = Scenario(start: .ymd(2027, 1, 1), horizonDays: 90, openingBalance: Money(cents: 1_000_000), calendar: .none,
                         receivables: [Invoice(id: "F-101", counterparty: "Acme", issueDate: .ymd(2027, 1, 10), dueDate: .ymd(2027, 2, 9),
                                               amount: Money(cents: 720_000), vatAmount: Money(cents: 120_000))],
                         payables: [Invoice(id: "P-7", counterparty: "Bureau Services", issueDate: .ymd(2027, 1, 5), dueDate: .ymd(2027, 2, 4),
                                            amount: Money(cents: 360_000), vatAmount: Money(cents: 60_000))])
        s.forecasts = [ForecastLine(label: "Sales", kind: .sales, amount: Money(cents: 1_000_000), vatRate: Rate(percentHundredths: 2000),
                                    termsDays: 30, category: "Sales")]
        s.vat = VATSettings(regime: .monthly, basis: .invoices, day: 24)
        var c = FactoringContract(name: "spot")
        c.kind = .spot
        c.advanceRate = Rate(percentHundredths: 9000)
        c.commissionRate = Rate(percentHundredths: 200)
        c.feeBaseSetting = .invoice
        c.vatRate = Rate(percentHundredths: 2000)
        c.annualRate = .zero
        c.fundingDelayDays = 2
        s.instruments.factoring = [c]
        return s.withForecastInvoices()
    }

    /// Spread pieces: each rounded once, summing exactly to the remainder, one per business day (daily) or week
    /// (weekly, on its last business day, weighted by its business days), never differing by more than a cent per
    /// day of weight.
    @Test(arguments: 0..<200) func piecesSumExactlyToTheRemainder(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let first = Day.ymd(2026, 12, 1) + Int.random(in: 0...400, using: &rng)
        let last = first + Int.random(in: 0...95, using: &rng)
        let r = Money(cents: Int64.random(in: 0...(seed % 3 == 0 ? 500 : 90_000_000_000), using: &rng))
        let cal = BusinessCalendar(CalendarKind.allCases.randomElement(using: &rng)!)
        for how in ForecastLine.Invoicing.allCases {
            let p = ForecastLine.pieces(r, first: first, last: last, invoicing: how, calendar: cal)
            #expect(p.reduce(Money.zero) { $0 + $1.amount } == r, "seed \(seed) \(how)")
            #expect(p.allSatisfy { $0.day >= first && $0.day <= last && $0.amount >= .zero })
            #expect(zip(p, p.dropFirst()).allSatisfy { $0.day < $1.day })
            let business = (0...(last - first)).map { first + $0 }.filter(cal.isBusinessDay)
            switch how {
            case .end: #expect(p.count == 1 && p[0].day == last)
            case .daily:
                if business.isEmpty { #expect(p.count == 1 && p[0].day == last) } else {
                    #expect(p.allSatisfy { business.contains($0.day) })
                    if r.cents >= Int64(business.count) {
                        #expect(p.count == business.count)
                        let a = p.map(\.amount.cents)
                        #expect(a.max()! - a.min()! <= 1, "seed \(seed)")
                    }
                }
            case .weekly:
                if !business.isEmpty {
                    let weeks = Set(business.map { $0 - ($0.weekday - 1) })
                    #expect(p.count <= weeks.count && p.allSatisfy { business.contains($0.day) })
                    #expect(Set(p.map { $0.day - ($0.day.weekday - 1) }).count == p.count, "one piece a week")
                }
            }
        }
    }

    @Test func workedExampleConsumesJanuaryAndAddsTheRest() {
        let s = Self.case11()
        let fc = s.receivables.filter(\.isForecast)
        #expect(fc.map(\.id) == ["FC 2027-01 Sales", "FC 2027-02 Sales", "FC 2027-03 Sales"])
        #expect(fc.map(\.amount.cents) == [480_000, 1_200_000, 1_200_000])
        #expect(fc.map(\.vatAmount) == [Money(cents: 80_000), Money(cents: 200_000), Money(cents: 200_000)])
        #expect(fc[0].issueDate == .ymd(2027, 1, 31) && fc[0].dueDate == .ymd(2027, 3, 2))
        #expect(fc[0].counterparty == "Sales (forecast)")
        let plan = PlanState(engine: ForecastEngine(scenario: s))
        let t = plan.periodTable(.month, projection: plan.project())
        let row = t.categories.firstIndex(of: .customersForecast)
        #expect(row.map { t.periods[2].amounts[$0] } == Money(cents: 1_680_000))
    }

    @Test func workedExampleVATReturns() throws {
        let s = Self.case11()
        let e = ForecastEngine(scenario: s)
        let v = try #require(e.vat)
        #expect(v.periods[0].collected == Money(cents: 200_000) && v.periods[0].deductible == Money(cents: 60_000))
        let paid = v.returns.filter { $0.payment != .zero }.map { ($0.day.iso, $0.payment.cents) }
        #expect(paid.map(\.0) == ["2027-02-24", "2027-03-24", "2027-04-24"])
        #expect(paid.map(\.1) == [140_000, 200_000, 200_000])
        // In the base ledger: 1 400.00 leaves on 24 February.
        let p = e.project()
        #expect(p.position(on: .ymd(2027, 2, 24))?.disbursements == Money(cents: 140_000))
    }

    /// A plan factoring a forecast receivable: the forecast is financed on its expected terms, the verdict says it is
    /// a forecast, and the commission's VAT comes back through the next VAT return.
    @Test func factoringAForecastReceivable() throws {
        let s = Self.case11()
        let e = ForecastEngine(scenario: s)
        let plan = Plan(name: "factor forecast", rules: [PlanRule(kind: .receivable, selector: .invoice("FC 2027-01 Sales"), decision: .factor("spot"))])
        let st = PlanState(engine: e, plan: plan)
        #expect(st.refusals.isEmpty && st.decisions.count == 1)
        #expect(st.financingCost.commissions == Money(cents: 9_600))
        let adj = st.planMovements().filter { $0.source == .vatReturn }
        #expect(adj.map(\.amount) == [Money(cents: 1_920)])
        #expect(adj.first?.day == .ymd(2027, 3, 24))
        #expect(st.vatReturns().first { $0.day == .ymd(2027, 3, 24) }?.payment == Money(cents: 198_080))
        let cmp = PlanComparison(engine: e, plans: [plan])
        let r = try #require(cmp.results.first { $0.name == "factor forecast" })
        #expect(r.assumptions.contains { $0.contains("finances 1 forecast receivable") })
        #expect(cmp.assumptions.contains { $0.contains("assumes forecast sales of 28 800.00") })
        // Journal entries stay balanced with the VAT returns.
        let entries = st.journalEntries(projection: st.project())
        #expect(entries.allSatisfy { $0.isBalanced })
        #expect(entries.contains { $0.lines.contains { $0.account == .vatDue } })
    }

    /// A credit (deductible above collected) is carried forward and reduces the next return; `opening` is paid on the
    /// previous period's return date.
    @Test func creditIsCarriedForwardAndOpeningIsPaidFirst() throws {
        var s = Scenario(start: .ymd(2027, 1, 1), horizonDays: 120, calendar: .none,
                         receivables: [Invoice(id: "R2", counterparty: "A", issueDate: .ymd(2027, 2, 3), dueDate: .ymd(2027, 3, 5),
                                               amount: Money(cents: 600_000), vatAmount: Money(cents: 100_000))],
                         payables: [Invoice(id: "P1", counterparty: "B", issueDate: .ymd(2027, 1, 3), dueDate: .ymd(2027, 2, 2),
                                            amount: Money(cents: 240_000), vatAmount: Money(cents: 40_000))])
        s.vat = VATSettings(regime: .monthly, basis: .invoices, day: 20, opening: Money(cents: 5_000))
        let v = try #require(ForecastEngine(scenario: s).vat)
        let r = v.returns
        #expect(r[0].kind == .opening && r[0].day == .ymd(2027, 1, 20) && r[0].payment == Money(cents: 5_000))
        #expect(r[1].due == Money(cents: -40_000) && r[1].payment == .zero && r[1].creditAfter == Money(cents: 40_000))
        #expect(r[2].due == Money(cents: 100_000) && r[2].creditUsed == Money(cents: 40_000) && r[2].payment == Money(cents: 60_000))
    }

    /// Receipts basis: VAT counts when the cash moves, so a receivable collected in March is in March's return.
    @Test func receiptsBasisFollowsTheCash() throws {
        var s = Scenario(start: .ymd(2027, 1, 1), horizonDays: 120, calendar: .none,
                         receivables: [Invoice(id: "R1", counterparty: "A", issueDate: .ymd(2027, 1, 10), dueDate: .ymd(2027, 3, 10),
                                               amount: Money(cents: 120_000))])
        s.vat = VATSettings(regime: .quarterly, basis: .receipts, day: 24)
        let v = try #require(ForecastEngine(scenario: s).vat)
        #expect(v.derivedCount == 1)
        #expect(v.periods[0].collected == Money(cents: 20_000))   // 1 200.00 incl. 20 % → 200.00
        #expect(v.returns.first { $0.payment != .zero }?.day == .ymd(2027, 4, 24))
    }

    /// CA12: instalments of 55 % and 40 % of the previous year's VAT in July and December.
    @Test func annualRegimePaysInstalments() throws {
        var s = Scenario(start: .ymd(2027, 6, 1), horizonDays: 300, calendar: .none)
        s.vat = VATSettings(regime: .annual, basis: .invoices, day: 15, previousYear: Money(cents: 1_000_000))
        let v = try #require(ForecastEngine(scenario: s).vat)
        let inst = v.returns.filter { $0.kind == .instalment && $0.payment != .zero }
        #expect(inst.map(\.day.iso).prefix(2) == ["2027-07-15", "2027-12-15"])
        #expect(inst.map(\.payment.cents).prefix(2) == [550_000, 400_000])
        // The 2027 return (May 2028) finds 9 500.00 already paid and nothing collected: a credit carried forward.
        let y2027 = try #require(v.returns.first { $0.kind == .return && $0.first == .ymd(2027, 1, 1) })
        #expect(y2027.due == Money(cents: -950_000) && y2027.creditAfter == Money(cents: 950_000))
    }

    /// A scenario without [[forecast]] and [vat] is untouched: same invoices, no VAT schedule, no new rows.
    @Test func withoutForecastNothingChanges() {
        let s = RandomScenario.make(seed: 7)
        let b = s.withForecastInvoices()
        #expect(b.receivables == s.receivables && b.payables == s.payables)
        let e = ForecastEngine(scenario: s)
        #expect(e.vat == nil)
        let plan = PlanState(engine: e)
        let t = plan.periodTable(.month, projection: plan.project())
        #expect(!t.categories.contains(.vatReturns) && !t.categories.contains(.customersForecast))
    }
}
