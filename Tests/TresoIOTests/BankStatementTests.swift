import Testing
import TestSupport
import TresoCore
@testable import TresoIO

/// Real published samples (Tests/Fixtures/bank, licences beside them).
@Suite struct BankStatementTests {
    static let dir = packageRoot() + "/Tests/Fixtures/bank/"

    func load(_ name: String) -> BankStatementReader.Result {
        BankStatementReader.read(paths: [(Self.dir + name, name)])
    }

    func day(_ y: Int, _ m: Int, _ d: Int) -> Day { Day(year: y, month: m, day: d)! }

    @Test func camt053SeveralStatementsPerMessageAddUp() throws {
        let r = load("genkgo-camt053.v2.multi.statement.xml")
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(r.statements.count == 2)
        let first = try #require(r.statements.first)
        #expect(first.format == .camt053 && first.account == "NL26VAYB8060476890" && first.currency == "EUR")
        #expect(first.openingBalance == Money(cents: 1_815) && first.closingBalance == Money(cents: 2_700))
        #expect(first.closingDate == day(2014, 12, 31))
        #expect(first.transactions.map(\.amount) == [Money(cents: 885)])
        let second = r.statements[1]
        #expect(second.transactions.first?.amount == Money(cents: -700))
        #expect(second.transactions.first?.counterparty == "Company Name 2")
        #expect(second.discrepancy == .zero)
    }

    @Test func camt053LaterVersionsLoadAndABalanceThatDoesNotAddUpIsAWarningWithTheGap() throws {
        for f in ["genkgo-camt053.v3.xml", "genkgo-camt053.v4.xml", "genkgo-camt053.v8.xml"] {
            let r = load(f)
            let s = try #require(r.statements.first, "\(f)")
            #expect(s.transactions.first?.amount == Money(cents: 885))
            #expect(s.transactions.first?.counterparty == "NAME NAME")
            // These samples close at 27.00 DBIT after opening 18.15 CRDT + 8.85: off by 54.00.
            #expect(r.diagnostics.count == 1)
            #expect(r.diagnostics.first?.severity == .warning)
            #expect(r.diagnostics.first?.message.contains("off by 54.00") == true, "\(r.diagnostics)")
        }
    }

    @Test func cfonb120OverpunchSignsComplementsAndTwoAccounts() throws {
        let r = load("pennylane-cfonb-example.txt")
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(r.statements.count == 2)
        let a = r.statements[0], b = r.statements[1]
        #expect(a.account == "15589-00000-98765432100" && a.currency == "EUR")
        #expect(a.openingBalance == Money(cents: -19_040) && a.openingDate == day(2019, 5, 15))
        #expect(a.closingBalance == Money(cents: -24_121) && a.closingDate == day(2019, 5, 16))
        #expect(a.transactions.map(\.amount) == [Money(cents: -3_221), Money(cents: -1_070), Money(cents: -790)])
        #expect(a.transactions[0].counterparty == "INTERNET SFR")
        #expect(a.transactions[0].references.contains("REFERENCE"))
        #expect(b.transactions.first?.amount == Money(cents: 9_749))
        #expect(a.discrepancy == .zero && b.discrepancy == .zero)
    }

    @Test func cfonb120WithoutLineBreaksReadsTheSame() throws {
        let text = try #require(readText(Self.dir + "pennylane-cfonb-example.txt"))
        let joined = text.split(separator: "\n").map { l -> String in
            let t = String(l.filter { $0 != "\r" })
            return t.isEmpty ? "" : t.padding(toLength: 120, withPad: " ", startingAt: 0)
        }.joined()
        let r = BankStatementReader.statements(Array(joined.utf8), file: "one-line.cfo")
        #expect(r.statements.count == 2)
        #expect(r.statements.flatMap(\.transactions).count == 6)
        #expect(CFONBReader.overpunch("0000000001904}", decimals: 2) == Money(cents: -19_040))
        #expect(CFONBReader.overpunch("0000000000974I", decimals: 2) == Money(cents: 9_749))
    }

    @Test func ofxSGMLAndXMLWithSeveralAccounts() throws {
        let sgml = load("ofxparse-checking.ofx")
        let s = try #require(sgml.statements.first)
        #expect(s.format == .ofx && s.currency == "USD" && s.closingBalance == Money(cents: 10_099))
        #expect(s.transactions.map(\.amount).prefix(2) == [Money(cents: 1), Money(cents: -3_451)])
        #expect(s.transactions[1].bookingDate == day(2011, 4, 5))
        let xml = load("ofxparse-multiple_accounts2.ofx")
        #expect(xml.statements.map(\.account) == ["123-00-9100", "123-00-9200"])
        #expect(xml.statements.map(\.closingBalance) == [Money(cents: 11_100), Money(cents: 22_200)])
        let medium = load("ofxparse-bank_medium.ofx")
        #expect(medium.statements.first?.transactions.count == 3)
    }

    @Test func mt940BalancesLinesAndInformation() throws {
        let r = load("jejik-abnamro.sta")
        #expect(r.statements.count == 2)
        let s = r.statements[0]
        #expect(s.account == "517852257")
        #expect(s.openingBalance == Money(cents: 323_628) && s.closingBalance == Money(cents: 87_684))
        #expect(s.transactions.count == 8)
        #expect(s.transactions[0].amount == Money(cents: -900) && s.transactions[0].valueDate == day(2011, 5, 24))
        #expect(s.transactions.contains { $0.amount == Money(cents: -10_700) }) // "D107," (no decimals written)
        #expect(s.transactions[0].label.contains("KPN - DIGITENNE"))
        // The published sample's balances do not add up: loaded, with the gap said.
        #expect(r.diagnostics.first?.message.contains("off by 2038.00") == true)
        let ing = load("jejik-ing.sta")
        #expect(ing.statements.first?.transactions.count == 7)
    }

    @Test func unknownFilesAreOneClearError() {
        let r = BankStatementReader.statements(Array("hello".utf8), file: "x.txt")
        #expect(r.statements.isEmpty && r.diagnostics.count == 1 && r.diagnostics[0].severity == .error)
    }
}

@Suite struct ReconciliationTests {
    let d = Day(year: 2026, month: 3, day: 2)!
    func inv(_ id: String, _ who: String, _ cents: Int64) -> Invoice {
        Invoice(id: id, counterparty: who, issueDate: d - 30, dueDate: d, amount: Money(cents: cents))
    }
    func tx(_ cents: Int64, _ label: String, who: String? = nil) -> BankTransaction {
        BankTransaction(bookingDate: d, amount: Money(cents: cents), label: label, counterparty: who)
    }

    @Test func idInLabelThenAmountAndNameThenUniqueAmount() {
        let rec = [inv("F-2026-012", "Société Générale", 100_000), inv("F-2026-0123", "Dupont", 50_000), inv("F-7", "Martin SARL", 12_345)]
        let pay = [inv("ACH-9", "EDF", 30_000), inv("ACH-10", "Orange", 30_000)]
        let r = Reconciliation.reconcile([
            tx(40_000, "VIR SEPA FACT F-2026-012 ACOMPTE"),         // partial, by id
            tx(50_000, "virement", who: "DUPONT"),                 // exact amount + name... and unique amount
            tx(12_345, "REGLEMENT CLIENT"),                        // unique amount only
            tx(-30_000, "PRLV SEPA ORANGE SA"),                    // two payables of 300: name decides
            tx(-99_999, "CB RESTAURANT"),                          // nothing
        ], receivables: rec, payables: pay)
        #expect(r.matches.count == 4)
        #expect(r.matches[0].invoiceID == "F-2026-012" && r.matches[0].remaining == Money(cents: 60_000))
        #expect(r.matches[0].reason.contains("invoice id 'F-2026-012'") && r.matches[0].reason.contains("600.00 still open"))
        #expect(r.matches[1].invoiceID == "F-2026-0123" && r.matches[1].reason.contains("counterparty 'Dupont'"))
        #expect(r.matches[2].invoiceID == "F-7" && r.matches[2].reason.contains("the only open receivable"))
        #expect(r.matches[3].invoiceID == "ACH-10")
        #expect(r.unmatched.map(\.amount) == [Money(cents: -99_999)])
    }

    @Test func aLineBookedBeforeTheInvoiceWasIssuedDoesNotPayIt() {
        var later = inv("F-2026-099", "X", 40_000)
        later.issueDate = d + 1
        let r = Reconciliation.reconcile([tx(40_000, "FACT F-2026-099")], receivables: [later], payables: [])
        #expect(r.matches.isEmpty && r.unmatched.count == 1)
    }

    @Test func refusedInvoicesAreNeverMatched() {
        let r = Reconciliation.reconcile([tx(40_000, "FACT F-2026-012")], receivables: [inv("F-2026-012", "X", 40_000)],
                                         payables: [], refused: ["F-2026-012"])
        #expect(r.matches.isEmpty && r.unmatched.count == 1)
    }
}
