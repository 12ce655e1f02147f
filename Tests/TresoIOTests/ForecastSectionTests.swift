import Testing
import TestSupport
import TresoCore
@testable import TresoIO
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ForecastSectionTests {
    func load(_ toml: String, receivables: String? = nil) -> LoadedScenario {
        let dir = "/tmp/treso-forecast-section-\(getpid())-\(toml.hashValue & 0xFFFFF)"
        mkdir(dir, 0o755)
        var head = "start = 2027-01-01\nhorizon_days = 90\n"
        if let receivables {
            writeText(dir + "/receivables.csv", receivables)
            head += "receivables = \"receivables.csv\"\n"
        }
        writeText(dir + "/treso.toml", head + toml)
        return ScenarioLoader.load(path: dir, defaultStart: Day.ymd(2027, 1, 1))
    }

    @Test func readsLinesAndVATAndConsumesWithTheFilesVAT() throws {
        let r = load("""
        [[forecast]]
        label = "Ventes"
        kind = "ventes"
        amount = 10000
        vat_rate = 20
        terms_days = 30
        category = "Ventes"

        [[forecast]]
        label = "Salon"
        kind = "sales"
        counterparty = "Expo SA"
        dates = [{ on = 2027-02-15, amount = 5000 }]

        [vat]
        regime = "CA3"
        basis = "débits"
        day = 20
        opening = 1500
        """, receivables: "id,counterparty,issue_date,due_date,amount_excl_vat,vat,amount\nF1,Acme,2027-01-10,2027-02-09,6000.00,1200.00,7200.00\n")
        #expect(r.errors.isEmpty, "\(r.errors)")
        let s = try #require(r.scenario)
        #expect(s.forecasts.count == 2)
        #expect(s.forecasts[1].dated.map(\.day) == [Day.ymd(2027, 2, 15)])
        #expect(s.vat == VATSettings(regime: .monthly, basis: .invoices, day: 20, opening: Money(cents: 150_000)))
        // The file's own VAT (1 200.00) makes F1 6 000.00 excl. VAT: January keeps 4 000.00 of forecast.
        let jan = try #require(s.receivables.first { $0.id == "FC 2027-01 Ventes" })
        #expect(jan.amount == Money(cents: 480_000))
        #expect(s.receivables.contains { $0.id == "FC 2027-02-15 Salon" && $0.counterparty == "Expo SA (forecast)" })
    }

    @Test func invoicingSpreadsTheRemainderOverThePeriod() throws {
        let r = load("""
        [[forecast]]
        label = "Ventes"
        kind = "sales"
        amount = 10000
        invoicing = "weekly"
        category = "Ventes"

        [[forecast]]
        label = "Bad"
        kind = "sales"
        amount = 1
        invoicing = "hourly"
        """)
        let m = r.errors.map(\.description)
        #expect(m.count == 1 && m[0].contains(":13:") && m[0].contains("'invoicing' = \"hourly\" is not one of end, weekly, daily"), "\(m)")
        let ok = load("""
        calendar = "none"
        [[forecast]]
        label = "Ventes"
        kind = "sales"
        amount = 3100
        invoicing = "daily"
        category = "Ventes"
        to = 2027-01-31
        """)
        let s = try #require(ok.scenario)
        let jan = s.receivables.filter(\.isForecast)
        #expect(jan.count == 31 && jan.allSatisfy { $0.amount == Money(cents: 12_000) }, "\(jan.map(\.amount))")
        #expect(jan.first?.id == "FC 2027-01-01 Ventes" && jan.first?.dueDate == Day.ymd(2027, 1, 31))
    }

    @Test func vatRefundOptions() throws {
        let ok = load("""
        [vat]
        regime = "monthly"
        refund = "each_return"
        refund_delay_days = 45
        """)
        #expect(ok.errors.isEmpty, "\(ok.errors)")
        let v = try #require(ok.scenario?.vat)
        #expect(v.refund == .eachReturn && v.refundDelayDays == 45)
        #expect(try #require(load("[vat]\nrefund = \"annuel\"\n").scenario?.vat).refund == .annual)
        let bad = load("""
        [vat]
        refund = "weekly"
        refund_delay_days = 400
        """)
        let m = bad.errors.map(\.description)
        #expect(m.contains { $0.contains(":4:") && $0.contains("'vat.refund' = \"weekly\" is not one of none, annual, each_return") }, "\(m)")
        #expect(m.contains { $0.contains(":5:") && $0.contains("refund_delay_days") }, "\(m)")
        let ca12 = load("[vat]\nregime = \"annual\"\nrefund = \"each_return\"\n")
        #expect(ca12.warnings.contains { $0.description.contains("under CA12 a credit is refunded with the annual return") }, "\(ca12.warnings)")
    }

    @Test func badValuesAreErrorsWithTheirPlace() {
        let r = load("""
        [[forecast]]
        label = "X"
        kind = "rent"
        amount = 100
        every = "day"

        [[forecast]]
        kind = "sales"
        counterparty = "A"
        category = "B"

        [vat]
        regime = "weekly"
        basis = "cash"
        day = 40
        """)
        let m = r.errors.map(\.description)
        #expect(m.contains { $0.contains(":5:") && $0.contains("not one of sales, purchases") }, "\(m)")
        #expect(m.contains { $0.contains(":7:") && $0.contains("not one of week, month, quarter") }, "\(m)")
        #expect(m.contains { $0.contains("has no 'label'") }, "\(m)")
        #expect(m.contains { $0.contains("both 'counterparty' and 'category'") }, "\(m)")
        #expect(m.contains { $0.contains("has no 'amount'") }, "\(m)")
        #expect(m.contains { $0.contains("'vat.regime'") }, "\(m)")
        #expect(m.contains { $0.contains("'vat.basis'") }, "\(m)")
        #expect(m.contains { $0.contains("'vat.day' = 40 is out of range") }, "\(m)")
        #expect(r.scenario == nil)
    }
}
