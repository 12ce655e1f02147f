import Foundation
import Testing
import TestSupport

/// Issue 12's "done when": a scenario built from e-invoices plus a bank statement projects and
/// compares, with the balance from the statement and the matched invoice reduced.
@Suite struct EBankEndToEndTests {
    @Test func checkJSONHasTheBankObjectAndCountsTheEInvoices() throws {
        let (out, err, code) = try run("treso check examples/einvoices-bank --format json")
        #expect(code == 0, "\(err)\n\(out)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let rec = try #require(obj["receivables"] as? [String: Any])
        let pay = try #require(obj["payables"] as? [String: Any])
        // F20260023 (Factur-X, 104.90) is ours to collect; ACH-2026-015 (1 500.00, 600.00 paid per the
        // statement) less the credit note AV-2026-003 (120.00) is ours to pay.
        #expect(rec["count"] as? Int == 1 && rec["total"] as? String == "104.90")
        #expect(pay["count"] as? Int == 2 && pay["total"] as? String == "780.00")
        #expect(pay["credit_notes"] as? Int == 1 && pay["partly_paid"] as? Int == 1)
        #expect(obj["opening_balance"] as? String == "13800.00")
        let bank = try #require(obj["bank"] as? [String: Any])
        let accounts = try #require(bank["accounts"] as? [[String: Any]])
        #expect(accounts.count == 1)
        #expect(accounts.first?["account"] as? String == "FR7630001007941234567890185")
        #expect(accounts.first?["closing_balance"] as? String == "13800.00")
        #expect(accounts.first?["closing_date"] as? String == "2026-02-27")
        #expect(bank["transactions"] as? Int == 3)
        #expect(bank["matched"] as? Int == 1 && bank["unmatched"] as? Int == 2)
        #expect(bank["einvoices"] as? Int == 3)
        #expect(err.contains("opening balance 13800.00 from bank statement"))
    }

    @Test func projectStartsTheDayAfterTheStatementAndComparesPlans() throws {
        let (out, err, code) = try run("treso project examples/einvoices-bank")
        #expect(code == 0, "\(err)")
        #expect(out.contains("2026-02-28 … 2026-05-28"))
        #expect(out.contains("2026-03-02  Mon  13 800.00    104.90"))
        let (cmp, cerr, ccode) = try run("treso compare examples/einvoices-bank")
        #expect(ccode == 0, "\(cerr)\n\(cmp)")
    }

    @Test func textCheckListsEveryMatchWithItsReasonAndTheUnmatchedLines() throws {
        let (out, _, code) = try run("treso check examples/einvoices-bank")
        #expect(code == 0)
        #expect(out.contains("match: payable ACH-2026-015 ← 2026-02-10 -600.00: invoice id 'ACH-2026-015' in the bank label; partly paid, 900.00 still open"))
        #expect(out.contains("unmatched: 2026-02-20 1800.00 REGLEMENT DEVIS D-88"))
    }

    @Test func actualComparesTheSavedForecastWithWhatTheBankBooked() throws {
        let dir = NSTemporaryDirectory() + "treso-actual-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try FileManager.default.copyItem(atPath: packageRoot() + "/examples/einvoices-bank", toPath: dir)
        var toml = try String(contentsOfFile: dir + "/treso.toml", encoding: .utf8)
        toml = toml.replacingOccurrences(of: "payment_terms_days = 30", with: "payment_terms_days = 30\nstart = 2026-02-01\nopening_balance = 12000")
        try toml.write(toFile: dir + "/treso.toml", atomically: true, encoding: .utf8)
        let (out, err, code) = try run("treso actual \(dir)")
        #expect(code == 0, "\(err)")
        #expect(out.contains("forecast against actual, 2026-02-01 … 2026-02-20"))
        #expect(out.contains("2026-02-10 Tue      0.00   -600.00     -600.00"))
        #expect(out.contains("2026-02-09 … 2026-02-15      0.00   -600.00     -600.00"))
        #expect(out.contains("ACH-2026-015  payable  600.00  2026-03-31  2026-02-10  49 d early"))
        // Without a start of its own the scenario begins after its statements: nothing to compare, said so.
        let (_, err2, code2) = try run("treso actual examples/einvoices-bank")
        #expect(code2 == 1 && err2.contains("gives no 'start'"))
    }
}
