import Testing
import TestSupport
import TresoCore
@testable import TresoIO

/// Issue 9: the e-invoice and bank statement readers take ScenarioLimits' maximum per amount
/// (1 000 000 000.00), not a cap of their own, and name it at the amount's file:line:column.
@Suite("Amount limits in the e-invoice and bank readers")
struct AmountLimitTests {
    static let limitText = "over the limit of 1 000 000 000.00 per amount"

    /// A fixture with one substring replaced (it must be there).
    func fixture(_ path: String, replacing old: String, with new: String) throws -> [UInt8] {
        let text = try #require(readText(packageRoot() + "/Tests/Fixtures/" + path))
        let parts = text.split(separator: old, maxSplits: 1, omittingEmptySubsequences: false)
        try #require(parts.count == 2, "\(old) not in \(path)")
        return Array(parts.joined(separator: new).utf8)
    }

    @Test func theLimitIsScenarioLimits() {
        #expect(DecimalText.limit == ScenarioLimits.maxAmount.cents)
        #expect(DecimalText.money("1000000000.00") == ScenarioLimits.maxAmount)
        #expect(DecimalText.money("-1000000000.00") == -ScenarioLimits.maxAmount)
        #expect(DecimalText.money("1000000000.01") == nil)
        #expect(DecimalText.limitProblem("1000000000.01")?.contains(Self.limitText) == true)
        #expect(DecimalText.limitProblem("99999999999999999999999.00")?.contains(Self.limitText) == true)
        #expect(DecimalText.limitProblem("12.5") == nil && DecimalText.limitProblem("abc") == nil)
    }

    @Test func ciiAmountDueOverTheLimitIsNamedAtItsLineAndColumn() throws {
        let bytes = try fixture("einvoices/akretion-factur-x-minimum.xml", replacing: ">104.90</ram:DuePayableAmount>", with: ">2000000000.00</ram:DuePayableAmount>")
        guard case .failure(let d) = EInvoiceReader.document(bytes, file: "big.xml") else {
            Issue.record("an amount due of 2 000 000 000.00 was accepted"); return
        }
        // The column is where the value starts, just after the start tag.
        let line = String(decoding: bytes, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)[53]
        let column = try #require(line.firstRange(of: ">2000000000.00<")).lowerBound.utf16Offset(in: line) + 2
        #expect(d.line == 54 && d.column == column, "\(d) expected column \(column)")
        #expect(d.message.contains("amount due (DuePayableAmount) 2 000 000 000.00 is " + Self.limitText), "\(d)")
    }

    @Test func ublPayableAmountOverTheLimitIsNamed() throws {
        let bytes = try fixture("einvoices/akretion-ubl-21-en16931.xml", replacing: ">208.03<", with: ">1000000000.01<")
        guard case .failure(let d) = EInvoiceReader.document(bytes, file: "big.xml") else {
            Issue.record("a payable amount over the limit was accepted"); return
        }
        #expect(d.line == 271 && d.column > 1, "\(d)")
        #expect(d.message.contains(Self.limitText), "\(d)")
    }

    @Test func camtEntryOverTheLimitIsSkippedWithTheLimitNamed() throws {
        let bytes = try fixture("bank/genkgo-camt053.v4.xml", replacing: "<Amt Ccy=\"EUR\">8.85</Amt>", with: "<Amt Ccy=\"EUR\">5000000000.00</Amt>")
        let r = BankStatementReader.statements(bytes, file: "big.xml")
        let d = try #require(r.diagnostics.first { $0.message.contains(Self.limitText) }, "\(r.diagnostics)")
        #expect(d.line == 111 && d.column > 1 && d.message.hasSuffix(": skipped"), "\(d)")
        #expect(r.statements.allSatisfy { $0.transactions.allSatisfy { $0.amount.cents.magnitude <= ScenarioLimits.maxAmount.cents } })
    }

    @Test func cfonbOperationOverTheLimitIsNamedAtColumn91() throws {
        let bytes = try fixture("bank/pennylane-cfonb-example.txt", replacing: "0000000000000000322J", with: "00000000200000000000")
        let r = BankStatementReader.statements(bytes, file: "big.txt")
        let d = try #require(r.diagnostics.first { $0.message.contains(Self.limitText) }, "\(r.diagnostics)")
        #expect(d.line == 3 && d.column == 91, "\(d)")
    }

    @Test func mt940StatementLineOverTheLimitIsNamedAtItsAmount() throws {
        let bytes = try fixture("bank/jejik-ing.sta", replacing: ":61:100722D25,03NTRF", with: ":61:100722D2500000000,03NTRF")
        let r = BankStatementReader.statements(bytes, file: "big.sta")
        let d = try #require(r.diagnostics.first { $0.message.contains(Self.limitText) }, "\(r.diagnostics)")
        #expect(d.line == 8 && d.column == 12, "\(d)")
    }

    @Test func ofxTransactionOverTheLimitIsNamedAtItsValue() throws {
        let bytes = try fixture("bank/ofxparse-checking.ofx", replacing: "<TRNAMT>0.01", with: "<TRNAMT>-5000000000.00")
        let r = BankStatementReader.statements(bytes, file: "big.ofx")
        let d = try #require(r.diagnostics.first { $0.message.contains(Self.limitText) }, "\(r.diagnostics)")
        #expect(d.line == 49 && d.column == 15, "\(d)")
    }
}
