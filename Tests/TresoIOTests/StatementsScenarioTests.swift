import Foundation
import Testing
import TestSupport
import TresoCore
@testable import TresoIO

/// `einvoices`, `company_id`, `bank_statements` and `[bank] refuse_matches` in treso.toml.
@Suite struct StatementsScenarioTests {
    func copyExample(toml edit: (String) -> String) throws -> String {
        let src = packageRoot() + "/examples/einvoices-bank"
        let dir = NSTemporaryDirectory() + "treso-ebank-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try FileManager.default.copyItem(atPath: src, toPath: dir)
        let toml = try String(contentsOfFile: dir + "/treso.toml", encoding: .utf8)
        try edit(toml).write(toFile: dir + "/treso.toml", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func refusedMatchLeavesTheInvoiceWholeAndGivenBalanceAndStartWin() throws {
        let dir = try copyExample { $0.replacingOccurrences(of: "refuse_matches = []", with: "refuse_matches = [\"ACH-2026-015\"]")
            .replacingOccurrences(of: "payment_terms_days = 30", with: "payment_terms_days = 30\nopening_balance = 5000\nstart = 2026-03-01") }
        let l = ScenarioLoader.load(path: dir, defaultStart: Day(year: 2026, month: 1, day: 1)!)
        let s = try #require(l.scenario, "\(l.diagnostics)")
        #expect(s.openingBalance == Money(cents: 500_000) && s.start == Day(year: 2026, month: 3, day: 1))
        #expect(l.bank?.matches.isEmpty == true && l.bank?.unmatched.count == 3)
        #expect(s.payables.first { $0.id == "ACH-2026-015" }?.amount == Money(cents: 150_000))
        // "Paiement à 45 jours fin de mois" from 2026-02-01: 2026-03-18, then the month's end.
        #expect(s.payables.first { $0.id == "ACH-2026-015" }?.dueDate == Day(year: 2026, month: 3, day: 31))
    }

    @Test func aCompanyThatIsNeitherSellerNorBuyerIsNamedInTheError() throws {
        let dir = try copyExample { $0.replacingOccurrences(of: "company_id = \"123456782\"", with: "company_id = \"FR05987654321\"") }
        let l = ScenarioLoader.load(path: dir, defaultStart: Day(year: 2026, month: 1, day: 1)!)
        // FR05987654321 is LE CLIENT: the Factur-X invoice becomes a payable; the two supplier documents are rejected.
        let rejected = l.diagnostics.filter { $0.message.contains("is neither its seller nor its buyer") }
        #expect(rejected.count == 2)
        #expect(l.scenario == nil || l.scenario?.payables.contains { $0.id == "F20260023" } == true)
    }

    @Test func einvoicesWithoutCompanyIDIsAnError() throws {
        let dir = try copyExample { $0.replacingOccurrences(of: "company_id = \"123456782\"", with: "") }
        let l = ScenarioLoader.load(path: dir, defaultStart: Day(year: 2026, month: 1, day: 1)!)
        #expect(l.errors.contains { $0.message.contains("'einvoices' needs 'company_id'") })
    }
}
