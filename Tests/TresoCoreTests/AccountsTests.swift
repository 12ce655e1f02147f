import Testing
import TestSupport
@testable import TresoCore

/// Several bank accounts (§17): the split loses nothing, one account is the implicit one, sweeps move cash without
/// creating any, and a breach on any account excludes the plan.
@Suite struct AccountsTests {
    /// Three accounts routing by counterparty, category and instrument on a random scenario with random decisions.
    func split(_ s: Scenario, sweep: Bool = false) -> Scenario {
        var s = s
        var a = BankAccount(name: "main"); a.isDefault = true; a.openingBalance = s.openingBalance; a.overdraft = s.overdraft
        var b = BankAccount(name: "second"); b.counterparties = s.receivables.prefix(5).map(\.counterparty) + s.payables.prefix(3).map(\.counterparty)
        b.categories = s.recurring.prefix(1).map(\.categoryName)
        var c = BankAccount(name: "factor"); c.instruments = s.instruments.factoring.map(\.name)
        s.accounts.accounts = [a, b, c]
        s.accounts.sweep = sweep
        return s
    }

    @Test(arguments: 0..<6)
    func theAccountsAddUpToTheConsolidatedLedger(seed: Int) {
        let s = split(RandomScenario.withInstruments(seed: UInt64(81_000 + seed)))
        let e = ForecastEngine(scenario: s)
        var plan = PlanState(engine: e)
        for (ref, d) in RandomScenario.decisions(for: s, seed: UInt64(81_000 + seed)) { plan.set(d, for: ref) }
        let parts = plan.accountLedgers()
        let whole = plan.finalLedger
        for i in 0..<whole.count {
            #expect(parts.reduce(Int64(0)) { $0 + $1.receipts[i] } == whole.receipts[i], "seed \(seed) day \(i)")
            #expect(parts.reduce(Int64(0)) { $0 + $1.disbursements[i] } == whole.disbursements[i], "seed \(seed) day \(i)")
            #expect(parts.reduce(Int64(0)) { $0 + $1.financing[i] } == whole.financing[i], "seed \(seed) day \(i)")
        }
    }

    /// One explicit account with the implicit one's balance and overdraft gives exactly the same projection.
    @Test(arguments: 0..<4)
    func oneAccountIsTheImplicitOne(seed: Int) {
        var s = RandomScenario.withInstruments(seed: UInt64(82_000 + seed))
        let implicit = PlanComparison(engine: ForecastEngine(scenario: s), plans: [])
        var a = BankAccount(name: "only"); a.openingBalance = s.openingBalance; a.overdraft = s.overdraft; a.floor = s.minCash
        s.accounts.accounts = [a]
        let explicit = PlanComparison(engine: ForecastEngine(scenario: s), plans: [])
        for (x, y) in zip(implicit.results, explicit.results) {
            #expect(x.projection.days == y.projection.days, "seed \(seed)")
            #expect(x.totalCost == y.totalCost && x.summary == y.summary, "seed \(seed)")
        }
    }

    /// Without charges, sweeping only moves cash between accounts: the consolidated balance is the single account's,
    /// and no account stays below its floor while another has cash above its own.
    @Test(arguments: 0..<4)
    func sweepsMoveCashWithoutMakingAny(seed: Int) {
        var s = RandomScenario.make(seed: UInt64(83_000 + seed))
        s.overdraft = OverdraftTerms(limit: Money(cents: 100_000_000))
        let single = PlanState(engine: ForecastEngine(scenario: s)).project()
        s = split(s, sweep: true)
        s.accounts.accounts[0].overdraft = OverdraftTerms(limit: Money(cents: 100_000_000))
        let st = PlanState(engine: ForecastEngine(scenario: s))
        let (consolidated, accounts) = st.accountProjections()
        for (i, d) in consolidated.days.enumerated() {
            #expect(d.closing == single.days[i].closing, "seed \(seed) \(d.day.iso)")
            let below = accounts.indices.filter { accounts[$0].days[i].closing < s.accounts.accounts[$0].floor }
            let above = accounts.indices.filter { accounts[$0].days[i].closing > s.accounts.accounts[$0].floor }
            #expect(below.isEmpty || above.isEmpty, "seed \(seed) \(d.day.iso): \(below) below while \(above) above")
        }
    }

    /// A second account over its own limit excludes the plan even when the consolidated balance is positive.
    @Test func aBreachOnAnyAccountIsABreach() {
        let start = Day.ymd(2026, 12, 1)
        var s = Scenario(start: start, horizonDays: 30, calendar: .none)
        s.payables = [Invoice(id: "P1", counterparty: "Supplier", issueDate: start, dueDate: start + 5, amount: Money(cents: 1_000_000))]
        var a = BankAccount(name: "main"); a.isDefault = true; a.openingBalance = Money(cents: 5_000_000)
        var b = BankAccount(name: "second"); b.counterparties = ["Supplier"]
        b.overdraft = OverdraftTerms(limit: Money(cents: 500_000), annualRate: Rate(percent: "10")!)
        s.accounts.accounts = [a, b]
        let c = PlanComparison(engine: ForecastEngine(scenario: s), plans: [])
        let r = c.results[0]
        let h = r.projection.summary
        #expect(h.lowestBalance.cents == 4_000_000 - h.bankCharges.cents)
        #expect(h.daysOverLimit == 25)
        #expect(!r.isAdmissible)
        // 10 000 overdrawn on "second" for 25 days of the horizon (6…30 Dec) at 10 %: 10 000 × 10 % × 25 / 360 = 69.44
        #expect(h.bankCharges.cents == 6_944)
        // Swept, the main account covers it: no breach, no charge.
        s.accounts.sweep = true
        let swept = PlanComparison(engine: ForecastEngine(scenario: s), plans: []).results[0]
        #expect(swept.isAdmissible && swept.bankCharges == .zero)
    }

    /// The accounts add up to the consolidated projection day by day, with a credit line drawn automatically on a
    /// second account, overdraft charges on every account and sweeps: closing balances, charges and bank-charge
    /// totals are the sums, and every transfer has its counterpart on the same day.
    @Test(arguments: 0..<6)
    func theAccountsAddUpWithLinesChargesAndSweeps(seed: Int) {
        var s = split(RandomScenario.withInstruments(seed: UInt64(84_000 + seed)), sweep: seed % 2 == 0)
        let rate = Rate(percent: "9")!
        for k in s.accounts.accounts.indices {
            s.accounts.accounts[k].overdraft = OverdraftTerms(limit: Money(cents: 2_000_000), annualRate: rate,
                                                             highestOverdraftRate: Rate(percent: "0.05")!)
            s.accounts.accounts[k].floor = Money(cents: Int64(k) * 100_000)
        }
        var line = CreditLine(name: "second-line"); line.limit = Money(cents: 1_500_000); line.annualRate = Rate(percent: "4")!
        line.commitmentFeeRate = Rate(percent: "0.5")!; line.account = "second"
        s.instruments.credit.creditLines.append(line)
        let e = ForecastEngine(scenario: s)
        var plan = PlanState(engine: e)
        for (ref, d) in RandomScenario.decisions(for: s, seed: UInt64(84_000 + seed)) { plan.set(d, for: ref) }
        #expect(plan.setDrawings([CreditDrawing(line: "second-line", mode: .auto(floor: .zero))]).isEmpty)
        let (whole, parts) = plan.accountProjections()
        #expect(parts[0].creditLineMovements.isEmpty && parts[2].creditLineMovements.isEmpty, "seed \(seed): the line runs on \"second\" only")
        for i in whole.days.indices {
            #expect(parts.reduce(Money.zero) { $0 + $1.days[i].closing } == whole.days[i].closing, "seed \(seed) day \(i)")
            #expect(parts.reduce(Money.zero) { $0 + $1.days[i].charges } == whole.days[i].charges, "seed \(seed) day \(i)")
            #expect(parts.reduce(Money.zero) { $0 + $1.days[i].financing } == whole.days[i].financing, "seed \(seed) day \(i)")
            let d = whole.days[i]
            #expect(d.closing == d.opening + d.receipts - d.disbursements + d.financing - d.charges, "seed \(seed) day \(i)")
        }
        #expect(parts.reduce(Money.zero) { $0 + $1.summary.bankCharges } == whole.summary.bankCharges, "seed \(seed)")
        #expect(parts.reduce(Money.zero) { $0 + $1.transferMovements.reduce(Money.zero) { $0 + $1.amount } } == .zero, "seed \(seed)")
        // Every account's charges are listed among its own movements.
        for (k, p) in parts.enumerated() {
            let listed = p.days.reduce(Money.zero) { acc, d in acc - plan.movements(on: d.day, account: k, projection: p)
                .filter { $0.category == .charge || { if case .creditLineInterest = $0.detail { return true }; if case .commitmentFee = $0.detail { return true }; return false }($0) }
                .reduce(Money.zero) { $0 + $1.amount } }
            #expect(listed == p.summary.bankCharges, "seed \(seed) account \(k)")
        }
    }

    /// The sweep runs on the balances after the day's charges: the month's interest on an account that was overdrawn
    /// earlier in the month is covered by the other account on the day it is posted (before, it left the account
    /// below its floor).
    @Test func theSweepCoversTheMonthEndCharges() {
        let start = Day.ymd(2026, 12, 1)
        var s = Scenario(start: start, horizonDays: 31, calendar: .none)
        s.payables = [Invoice(id: "P1", counterparty: "Supplier", issueDate: start, dueDate: start + 2, amount: Money(cents: 1_000_000))]
        s.receivables = [Invoice(id: "R1", counterparty: "Customer", issueDate: start, dueDate: start + 14, amount: Money(cents: 2_000_000))]
        var a = BankAccount(name: "main"); a.isDefault = true
        var b = BankAccount(name: "second"); b.counterparties = ["Supplier"]
        b.overdraft = OverdraftTerms(limit: Money(cents: 2_000_000), annualRate: Rate(percent: "10")!)
        s.accounts.accounts = [a, b]
        s.accounts.sweep = true
        let (whole, parts) = PlanState(engine: ForecastEngine(scenario: s)).accountProjections()
        // 10 000 overdrawn on "second" from 3 to 14 Dec (12 days; the sweep covers it on the 15th) at 10 %: 33.33.
        let dec31 = Day.ymd(2026, 12, 31)
        #expect(parts[1].summary.bankCharges.cents == 3_333)
        #expect(parts[1].position(on: dec31)?.closing == .zero)
        #expect(parts[0].position(on: dec31)?.closing == Money(cents: 996_667))
        #expect(parts[1].transferMovements.map(\.amount.cents) == [1_000_000, 3_333])
        #expect(parts[0].transferMovements.map(\.label) == ["Transfer to second", "Transfer to second"])
        #expect(whole.position(on: dec31)?.closing == Money(cents: 996_667))
    }

    /// A credit line with `account = "second"` runs on that account's balance: it draws when "second" is short,
    /// whatever the default account holds.
    @Test func aCreditLineRunsOnItsAccount() {
        let start = Day.ymd(2026, 12, 1)
        var s = Scenario(start: start, horizonDays: 20, calendar: .none)
        s.payables = [Invoice(id: "P1", counterparty: "Supplier", issueDate: start, dueDate: start + 4, amount: Money(cents: 1_000_000))]
        var a = BankAccount(name: "main"); a.isDefault = true; a.openingBalance = Money(cents: 5_000_000)
        var b = BankAccount(name: "second"); b.counterparties = ["Supplier"]
        s.accounts.accounts = [a, b]
        var line = CreditLine(name: "rcf"); line.limit = Money(cents: 3_000_000); line.account = "second"
        s.instruments.credit.creditLines = [line]
        var plan = PlanState(engine: ForecastEngine(scenario: s))
        #expect(plan.setDrawings([CreditDrawing(line: "rcf", mode: .auto(floor: .zero))]).isEmpty)
        let (_, parts) = plan.accountProjections()
        #expect(parts[1].creditLineMovements.map(\.amount.cents) == [1_000_000])
        #expect(parts[1].creditLineMovements.first?.day == start + 4)
        #expect(parts[1].summary.lowestBalance == .zero)
        #expect(parts[0].creditLineMovements.isEmpty && parts[0].summary.lowestBalance.cents == 5_000_000)
    }

    /// `treso entries` with [accounts]: each account's bank lines on its 512 sub-account (5121, 5122… or its
    /// `ledger`), every sweep through 580 which nets to zero, and each sub-account moves exactly as its account's
    /// projection (the charges and credit lines included). Without [accounts] everything stays on 512.
    @Test(arguments: 0..<4)
    func entriesBookEachAccountOnItsSubAccount(seed: Int) {
        var s = split(RandomScenario.withInstruments(seed: UInt64(85_000 + seed)), sweep: true)
        s.accounts.accounts[1].ledger = "51250"
        for k in s.accounts.accounts.indices {
            s.accounts.accounts[k].overdraft = OverdraftTerms(limit: Money(cents: 2_000_000), annualRate: Rate(percent: "9")!)
        }
        var line = CreditLine(name: "second-line"); line.limit = Money(cents: 1_500_000); line.annualRate = Rate(percent: "4")!
        line.commitmentFeeRate = Rate(percent: "0.5")!; line.account = "second"
        s.instruments.credit.creditLines.append(line)
        var plan = PlanState(engine: ForecastEngine(scenario: s))
        for (ref, d) in RandomScenario.decisions(for: s, seed: UInt64(85_000 + seed)) { plan.set(d, for: ref) }
        _ = plan.setDrawings([CreditDrawing(line: "second-line", mode: .auto(floor: .zero))])
        let (whole, parts) = plan.accountProjections()
        let entries = plan.journalEntries(projection: whole)
        #expect(entries.allSatisfy { $0.isBalanced }, "seed \(seed)")
        let lines = entries.flatMap(\.lines)
        #expect(!lines.contains { $0.number == "512" }, "seed \(seed)")
        let transfers = lines.filter { $0.account == .internalTransfers }
        #expect(transfers.reduce(Money.zero) { $0 + $1.debit - $1.credit } == .zero, "seed \(seed)")
        #expect(transfers.isEmpty == parts.allSatisfy { $0.transferMovements.isEmpty }, "seed \(seed)")
        // What the journal books on each sub-account that the projection also moves: transfers, credit lines, charges.
        for (k, number) in ["5121", "51250", "5123"].enumerated() {
            let booked = entries.filter { $0.reference == "transfer" || $0.reference == "bank" || $0.reference == "second-line" }
                .flatMap(\.lines).filter { $0.number == number }.reduce(Money.zero) { $0 + $1.debit - $1.credit }
            let p = parts[k]
            let moved = p.transferMovements.reduce(Money.zero) { $0 + $1.amount } + p.creditLineMovements.reduce(Money.zero) { $0 + $1.amount }
                - p.overdraftCharges.reduce(Money.zero) { $0 + $1.total }
            #expect(booked == moved, "seed \(seed) account \(k)")
        }
        // One account only: the implicit 512.
        var one = RandomScenario.withInstruments(seed: UInt64(85_000 + seed))
        one.accounts = AccountSettings()
        var single = PlanState(engine: ForecastEngine(scenario: one))
        for (ref, d) in RandomScenario.decisions(for: one, seed: UInt64(85_000 + seed)) { single.set(d, for: ref) }
        let plain = single.journalEntries(projection: single.project()).flatMap(\.lines)
        #expect(plain.allSatisfy { $0.subAccount == nil && !$0.number.hasPrefix("512") || $0.number == "512" }, "seed \(seed)")
    }
}
