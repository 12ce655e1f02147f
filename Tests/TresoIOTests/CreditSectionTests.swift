import Testing
import TestSupport
import TresoCore
@testable import TresoIO

/// `[credit_line.NAME]`, `[dailly.NAME]`, `[escompte.NAME]` and plans' `drawings`: read with their defaults, and every
/// mistake located at its file:line:column with a reason.
@Suite struct CreditSectionTests {
    @Test func theExampleLoadsEveryInstrumentAndDrawing() throws {
        let l = ScenarioLoader.load(path: packageRoot() + "/examples/credit-lines", defaultStart: .ymd(2027, 1, 4))
        #expect(l.errors.isEmpty, "\(l.errors)")
        let s = try #require(l.scenario)
        let line = try #require(s.instruments.credit.creditLine("bank"))
        #expect(line.limit.cents == 8_000_000 && line.annualRate == Rate(percent: "4.8") && line.commitmentFeeRate == Rate(percent: "0.5"))
        #expect(line.minimumDrawing.cents == 1_000_000)
        let d = try #require(s.instruments.credit.daillyProgram("bank"))
        #expect(d.advanceRate == Rate(percent: "80") && d.feePerInvoice.cents == 2_500 && d.fundingDelayDays == 2)
        let x = try #require(s.instruments.credit.billDiscountProgram("bank"))
        #expect(x.minimumDays == 10 && x.valueDays == 1 && x.feePerBill.cents == 800 && x.fundingDelayDays == 1)
        let fixed = try #require(s.plans.first { $0.name == "credit line 60 000" })
        #expect(fixed.drawings == [CreditDrawing(line: "bank", mode: .fixed(amount: Money(cents: 6_000_000), from: .ymd(2027, 1, 20), to: .ymd(2027, 3, 1)),
                                                 lineNumber: fixed.drawings.first?.lineNumber ?? 0)])
        #expect(s.plans.first { $0.name == "Dailly" }?.rules.first?.decision == .dailly("bank"))
        #expect(s.plans.first { $0.name == "escompte" }?.rules.first?.decision == .discount("bank"))
    }

    @Test func mistakesAreLocatedAndExplained() {
        let dir = HostileInputTests.scenario("""
        start = 2027-01-04
        [credit_line.bank]
        annual_rate = 4.8
        commitment_fee = 60
        [dailly.d]
        advance = 80
        [escompte.e]
        value_days = 45
        [[plans]]
        name = "p"
        drawings = [
          { line = "nope", amount = 1000, from = 2027-01-05, to = 2027-01-10 },
          { line = "bank", auto = true, amount = 5 },
          { line = "bank", amount = 1000, from = 2027-01-10, to = 2027-01-05 },
          { line = "bank", amount = 1000 },
        ]
        decisions = [{ all = "receivables", action = "dailly:other" }]
        """)
        let errors = HostileInputTests.errors(dir)
        func has(_ text: String) -> Bool { errors.contains { $0.contains(text) } }
        #expect(has("treso.toml:2:1") && has("'credit_line.bank.limit' must be above zero"))
        #expect(has("treso.toml:4:18") && has("'credit_line.bank.commitment_fee' = 60 % is out of range 0…50 %"))
        #expect(has("unknown key 'dailly.d.advance'"))
        #expect(has("'escompte.e.value_days' = 45 is out of range 0…30"))
        #expect(has("no credit line named \"nope\" (defined: bank)"))
        #expect(has("an automatic drawing has no 'amount'"))
        #expect(has("'to' (2027-01-05) must be after 'from' (2027-01-10)"))
        #expect(has("needs amount, from and to (or auto = true); missing: from, to"))
        #expect(has("no Dailly program named \"other\" (defined: d)"))
    }

    /// `account = "NAME"` names one of [accounts.NAME]; otherwise the error says where and which accounts exist.
    @Test func aCreditLineNamesAnExistingAccount() throws {
        let dir = HostileInputTests.scenario("""
        start = 2027-01-04
        [accounts.main]
        default = true
        [accounts.second]
        [credit_line.rcf]
        limit = 1000
        account = "secnod"
        [credit_line.ok]
        limit = 1000
        account = "second"
        """)
        let errors = HostileInputTests.errors(dir)
        #expect(errors.count == 1)
        #expect(errors.first?.contains("treso.toml:7:11") == true)
        #expect(errors.first?.contains("'credit_line.rcf.account': no bank account named \"secnod\" (accounts: main, second)") == true)
        let l = ScenarioLoader.load(path: packageRoot() + "/examples/accounts", defaultStart: .ymd(2027, 1, 4))
        #expect(l.errors.isEmpty, "\(l.errors)")
        #expect(try #require(l.scenario).instruments.credit.creditLine("rcf")?.account == "second")
    }

    /// VAT refunds (case 14) land on the VAT account like the returns: the accounts still add up day by day.
    @Test func vatRefundsAreSplitToo() throws {
        let l = ScenarioLoader.load(path: packageRoot() + "/examples/cases/14-vat-refund", defaultStart: .ymd(2026, 12, 1))
        var s = try #require(l.scenario)
        var a = BankAccount(name: "main"); a.isDefault = true
        var b = BankAccount(name: "tax"); b.categories = ["VAT"]
        s.accounts.accounts = [a, b]
        let st = PlanState(engine: ForecastEngine(scenario: s))
        #expect(st.engine.vat?.returns.contains { $0.refund != .zero } == true)
        let parts = st.accountLedgers(), whole = st.finalLedger
        for i in 0..<whole.count {
            #expect(parts[0].receipts[i] + parts[1].receipts[i] == whole.receipts[i], "day \(i)")
            #expect(parts[0].financing[i] + parts[1].financing[i] == whole.financing[i], "day \(i)")
        }
    }

    /// The demo (forecast lines, computed VAT returns, late payables) split over two accounts still adds up, day by day.
    @Test func theDemoSplitOverAccountsAddsUp() throws {
        let l = ScenarioLoader.load(path: packageRoot() + "/examples/demo", defaultStart: .ymd(2026, 12, 1))
        var s = try #require(l.scenario)
        var a = BankAccount(name: "main"); a.isDefault = true
        var b = BankAccount(name: "second"); b.counterparties = Array(Set(s.receivables.map(\.counterparty))).sorted().prefix(5).map { $0 }
        b.categories = ["VAT"]; b.instruments = s.instruments.factoring.map(\.name)
        s.accounts.accounts = [a, b]
        let e = ForecastEngine(scenario: s)
        for plan in PlanComparison.plansToCompare(s.plans) {
            let st = PlanState(engine: e, plan: plan)
            let parts = st.accountLedgers(), whole = st.finalLedger
            var same = true
            for i in 0..<whole.count {
                let r = parts.reduce(Int64(0)) { $0 + $1.receipts[i] }, d = parts.reduce(Int64(0)) { $0 + $1.disbursements[i] }
                let f = parts.reduce(Int64(0)) { $0 + $1.financing[i] }
                if r != whole.receipts[i] || d != whole.disbursements[i] || f != whole.financing[i] { same = false }
            }
            #expect(same, "\(plan.name)")
        }
    }
}
