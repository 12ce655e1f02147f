import Testing
import TestSupport
import TresoCore
@testable import TresoIO
#if canImport(Glibc)
import Glibc
#endif

// Real exports as they come: statuses in words, open amounts, credit notes, currencies, missing terms.

private func read(_ text: String, kind: InvoiceKind = .receivable, options: InvoiceImportOptions = InvoiceImportOptions()) -> InvoiceFileResult {
    InvoiceCSVReader.read(bytes: Array(text.utf8), displayName: "t.csv", kind: kind, options: options)
}

private func day(_ iso: String) -> Day { Day(iso: iso) ?? Day(raw: 0) }
private func cents(_ r: InvoiceFileResult) -> [Int64] { r.invoices.map(\.amount.cents) }

@Suite("Import: statuses")
struct ImportStatusTests {
    @Test(arguments: [
        ("Non réglée", "open"), ("non payée", "open"), ("En cours", "open"), ("À payer", "open"), ("Bon à payer", "open"),
        ("Échue", "open"), ("EN RETARD", "open"), ("Partiellement réglée", "open"), ("Payée partiellement", "open"),
        ("Réglée", "paid"), ("Soldée", "paid"), ("Lettrée", "paid"), ("payée", "paid"),
        ("Litige", "disputed"), ("Contentieux", "disputed"), ("Douteux", "disputed"),
    ])
    func exportWords(word: String, expected: String) {
        let r = read("id;counterparty;issue_date;due_date;amount;Reste dû;Statut\nA;B;01/11/2026;01/12/2026;10,00;10,00;\(word)\n")
        #expect(r.errors.isEmpty, "\(word): \(r.diagnostics)")
        let got = r.paidSkipped == 1 ? "paid" : (r.disputed.isEmpty ? "open" : "disputed")
        #expect(got == expected, "\(word)")
    }

    @Test func importStatusTableMapsAnyOtherValue() {
        let options = InvoiceImportOptions(statuses: ["Bloquée client": .disputed, "Archivée": .paid])
        let r = read("id,counterparty,issue_date,due_date,amount,status\nA,B,2026-01-01,2026-01-31,10,BLOQUEE CLIENT\n"
                     + "C,B,2026-01-01,2026-01-31,10,archivee\n", options: options)
        #expect(r.diagnostics.isEmpty)
        #expect(r.disputed.map(\.id) == ["A"])
        #expect(r.paidSkipped == 1)
    }

    @Test func partlyPaidWithoutARemainingAmountNamesTheInvoice() {
        let r = read("id,counterparty,issue_date,due_date,amount,status\nF7,B,2026-01-01,2026-01-31,10,partiellement réglée\n")
        #expect(cents(r) == [1000])
        #expect(r.warnings.map(\.message) == ["invoice 'F7' is partly paid (status 'partiellement réglée') but the file has no remaining amount (e.g. a 'Reste dû' column): projected at its full amount"])
    }
}

@Suite("Import: open amounts and credit notes")
struct ImportAmountTests {
    @Test func remainingAmountIsWhatIsProjectedAndPartlyPaidIsFlagged() {
        let r = read("N° facture;Client;Date;Échéance;Montant TTC;TVA;Reste dû\n"
                     + "F1;ACME;01/11/2026;01/12/2026;10 000,00;1 666,67;4 000,00\n"
                     + "F2;ACME;01/11/2026;01/12/2026;1 200,00;200,00;0,00\n"
                     + "F3;ACME;01/11/2026;01/12/2026;600,00;100,00;600,00\n")
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(cents(r) == [400_000, 60_000])
        #expect(r.invoices[0].origin?.invoicedAmount == Money(cents: 1_000_000))
        // VAT of the open part, in proportion, rounded once: 1 666,67 × 4 000 / 10 000 = 666,668 → 666,67.
        #expect(r.invoices[0].vatAmount == Money(cents: 66_667))
        #expect(r.invoices[1].origin == nil)
        #expect(r.paidSkipped == 1)
    }

    @Test func aFileWithOnlyARemainingAmountLoads() {
        let r = read("Pièce;Tiers;Date;Échéance;Solde\nF1;ACME;01/11/2026;01/12/2026;1 234,56\n")
        #expect(r.errors.isEmpty)
        #expect(cents(r) == [123_456])
    }

    @Test func debitAndCreditColumnsGiveTheAmountSignedBySide() {
        let text = "Pièce;Tiers;Date;Échéance;Débit;Crédit\nF1;ACME;01/11/2026;01/12/2026;1 000,00;\nAV1;ACME;02/11/2026;02/12/2026;;250,00\n"
        #expect(cents(read(text, kind: .receivable)) == [100_000, -25_000])
        #expect(cents(read(text, kind: .payable)) == [-100_000, 25_000])
    }

    @Test func creditNotesLoadNegativeAndAnUnsignedRemainderFollowsTheAmount() {
        let r = read("id;counterparty;issue_date;due_date;amount;remaining\nAV1;ACME;01/11/2026;01/12/2026;-1 200,00;1 200,00\nAV2;ACME;01/11/2026;01/12/2026;(300,00);\n")
        #expect(cents(r) == [-120_000, -30_000])
        #expect(r.invoices.allSatisfy { $0.isCreditNote })
    }

    @Test func aZeroAmountIsSkippedWithAWarning() {
        let r = read("id,counterparty,issue_date,due_date,amount\nA,B,2026-01-01,2026-01-31,0\n")
        #expect(r.invoices.isEmpty)
        #expect(r.warnings.map(\.message) == ["amount is 0: nothing to project, skipped"])
    }

    @Test func aCreditNoteIsNeverFactoredOrFinanced() {
        var s = Scenario(start: day("2026-12-01"), receivables: [
            Invoice(id: "AV1", counterparty: "ACME", issueDate: day("2026-11-01"), dueDate: day("2027-01-15"), amount: Money(cents: -50_000)),
        ], payables: [
            Invoice(id: "AVF", counterparty: "Acier", issueDate: day("2026-11-01"), dueDate: day("2027-01-15"), amount: Money(cents: -30_000)),
        ])
        s.instruments.factoring = [FactoringContract(name: "bank")]
        let engine = ForecastEngine(scenario: s)
        guard case .failure(let refusal) = engine.effect(of: .factor("bank"), on: InvoiceRef(.receivable, 0)) else {
            Issue.record("a credit note was factored"); return
        }
        #expect(refusal.reason == "AV1: a credit note is never factored or financed")
        guard case .failure = engine.effect(of: .negotiate, on: InvoiceRef(.payable, 0)) else {
            Issue.record("a supplier credit note was negotiated"); return
        }
    }

    @Test func nettingCreditNotesAgainstTheSameCounterparty() {
        let inv = [
            Invoice(id: "F2", counterparty: "ACME", issueDate: day("2026-11-02"), dueDate: day("2026-12-20"), amount: Money(cents: 80_000), line: 2),
            Invoice(id: "F1", counterparty: "ACME", issueDate: day("2026-11-01"), dueDate: day("2026-12-10"), amount: Money(cents: 50_000), line: 3),
            Invoice(id: "G1", counterparty: "Other", issueDate: day("2026-11-01"), dueDate: day("2026-12-10"), amount: Money(cents: 10_000), line: 4),
            Invoice(id: "AV1", counterparty: "ACME", issueDate: day("2026-11-05"), dueDate: day("2026-12-05"), amount: Money(cents: -70_000), line: 5),
        ]
        let (kept, notes) = CreditNoteNetting.net(inv, file: "r.csv")
        // Earliest due first: F1 (500) fully, then 200 off F2.
        #expect(kept.map(\.id) == ["F2", "G1"])
        #expect(kept.map(\.amount.cents) == [60_000, 10_000])
        #expect(kept[0].origin?.invoicedAmount == Money(cents: 80_000))
        #expect(notes.map(\.description) == ["r.csv:5: warning: credit note 'AV1' netted against F1 (500.00), F2 (200.00)"])
    }
}

@Suite("Import: currencies")
struct ImportCurrencyTests {
    @Test func convertedExactlyWithOneRoundingAndTheOriginalKept() {
        let options = InvoiceImportOptions(fx: ["GBP": Rate(fraction: "1.17") ?? .zero, "USD": Rate(fraction: "0.92") ?? .zero])
        let r = read("id;counterparty;issue_date;due_date;amount;currency\nA;B;01/11/2026;01/12/2026;£9 612,35;\n"
                     + "C;B;01/11/2026;01/12/2026;1 200,00;USD\nD;B;01/11/2026;01/12/2026;0,05;GBP\n", options: options)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        // 961 235 × 1.17 = 1 124 644.95 → 1 124 645; 120 000 × 0.92 = 110 400; 5 × 1.17 = 5.85 → 6.
        #expect(cents(r) == [1_124_645, 110_400, 6])
        #expect(r.invoices[0].origin?.currency == "GBP")
        #expect(r.invoices[0].origin?.currencyAmount == Money(cents: 961_235))
    }

    @Test(arguments: [("£9 600,00", "GBP"), ("9 600,00 €", nil), ("$1,200.00", "USD")])
    func symbolsGiveTheCurrency(amount: String, code: String?) {
        let options = InvoiceImportOptions(fx: ["GBP": Rate(fraction: "1.17") ?? .zero, "USD": Rate(fraction: "0.92") ?? .zero])
        let r = read("id;counterparty;issue_date;due_date;amount\nA;B;01/11/2026;01/12/2026;\"\(amount)\"\n", options: options)
        #expect(r.errors.isEmpty, "\(r.diagnostics)")
        #expect(r.invoices.first?.origin?.currency == code)
    }

    @Test func aSymbolContradictingTheCurrencyColumnIsAnError() {
        let r = read("id;counterparty;issue_date;due_date;amount;currency\nA;B;01/11/2026;01/12/2026;£12,00;USD\n")
        #expect(r.errors.map(\.message) == ["currency USD contradicts the amount written in GBP"])
    }

    @Test func exposurePerCurrency() {
        let options = InvoiceImportOptions(fx: ["GBP": Rate(fraction: "1.17") ?? .zero])
        let r = read("id;counterparty;issue_date;due_date;amount\nA;B;01/11/2026;01/12/2026;£100,00\nC;B;01/11/2026;01/12/2026;£50,00\n", options: options)
        let s = Scenario(start: day("2026-12-01"), receivables: r.invoices)
        #expect(CheckReport.exposure(s) == [CheckReport.CurrencyExposure(currency: "GBP", rate: Rate(fraction: "1.17") ?? .zero,
            receivables: Money(cents: 15_000), payables: .zero, netConverted: Money(cents: 17_550))])
    }
}

@Suite("Import: due dates, dates and layout")
struct ImportLayoutTests {
    @Test(arguments: [("30", 30, false), ("45 jours fin de mois", 45, true), ("60 days net", 60, false), ("net 45", 45, false),
                      ("30 j fdm", 30, true), ("comptant", 0, false), ("30 days end of month", 30, true)])
    func paymentTermsText(text: String, days: Int, eom: Bool) {
        #expect(PaymentTerms(text: text) == PaymentTerms(days: days, endOfMonth: eom))
    }

    @Test func termsNonsenseIsRefused() { #expect(PaymentTerms(text: "whenever") == nil) }

    @Test func missingDueDatesAreInferredAndFlagged() {
        let options = InvoiceImportOptions(defaultTerms: PaymentTerms(days: 30),
                                           termsByCounterparty: ["ACME SA": PaymentTerms(days: 45, endOfMonth: true)])
        let r = read("id;counterparty;issue_date;due_date;amount\nA;Acme SA;20/11/2026;;10\nB;Other;20/11/2026;;10\nC;Other;20/11/2026;05/12/2026;10\n",
                     options: options)
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        // 20/11 + 45 = 04/01/2027, then end of month; 20/11 + 30 = 20/12.
        #expect(r.invoices.map(\.dueDate) == [day("2027-01-31"), day("2026-12-20"), day("2026-12-05")])
        #expect(r.invoices.map { $0.origin?.dueTerms } == ["45 days end of month", "30 days", nil])
    }

    @Test func aMissingDueDateWithoutTermsSaysWhichKeyToAdd() {
        let r = read("id;counterparty;issue_date;due_date;amount\nA;ACME;20/11/2026;;10\n")
        #expect(r.errors.map(\.description) == ["t.csv:2:19: error: missing due_date; set payment_terms_days = 30 in treso.toml (or \"ACME\" = \"45 jours fin de mois\" under [payment_terms]) to infer it from the issue date"])
        #expect(r.needs.missingDueDates == 1)
    }

    @Test func noDueDateColumnLoadsWithTerms() {
        let r = read("id;counterparty;issue_date;amount\nA;ACME;20/11/2026;10\n", options: InvoiceImportOptions(defaultTerms: PaymentTerms(days: 60)))
        #expect(r.invoices.map(\.dueDate) == [day("2027-01-19")])
    }

    @Test(arguments: ["09/03/26", "09.03.2026", "9.3.26", "20260309"])
    func dateForms(text: String) {
        let r = read("id;counterparty;issue_date;due_date;amount\nA;B;\(text);31/12/2026;10\n")
        #expect(r.invoices.map(\.issueDate) == [day("2026-03-09")], "\(text): \(r.diagnostics)")
    }

    @Test func excelSeparatorLineAndTrailingEmptyColumns() {
        let r = read("sep=;\r\nid;counterparty;issue_date;due_date;amount;;\r\nA;B, Inc;01/11/2026;01/12/2026;1,50;;\r\n")
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        #expect(r.invoices.map(\.counterparty) == ["B, Inc"])
        #expect(cents(r) == [150])
        #expect(r.invoices.map(\.line) == [3])
    }
}

@Suite("Import: FEC")
struct FECTests {
    static let terms = InvoiceImportOptions(defaultTerms: PaymentTerms(days: 30))

    func fixture(_ name: String) -> FECResult {
        let path = packageRoot() + "/Tests/Fixtures/fec/" + name
        return FECReader.read(path: path, displayName: name, options: FECTests.terms)
    }

    /// Real files (see Tests/Fixtures/fec/README.md for the independent figures).
    @Test func realTabSeparatedUTF8() {
        let r = fixture("000000000FEC20231231.txt")
        #expect(r.errors.isEmpty, "\(r.diagnostics)")
        #expect(r.receivables.count == 10)
        #expect(r.receivables.reduce(Money.zero) { $0 + $1.amount } == Money(cents: 2_777_170))
        #expect(r.payables.count == 11)
        #expect(r.payables.reduce(Money.zero) { $0 + $1.amount } == Money(cents: 979_540))
        #expect(r.bankBalance == Money(cents: 1_883_265))
        #expect(r.diagnostics.filter { $0.message.contains("matches no open invoice") }.count == 2)
        #expect(r.receivables.allSatisfy { $0.origin?.dueTerms == "30 days" && $0.dueDate == $0.issueDate + 30 })
    }

    @Test func realPipeSeparatedZeroPadded() {
        let r = fixture("111111111FEC20221231.TXT")
        #expect(r.errors.isEmpty, "\(r.diagnostics)")
        #expect(r.receivables.count == 24)
        #expect(r.receivables.reduce(Money.zero) { $0 + $1.amount } == Money(cents: 1_447_255))
        #expect(r.payables.reduce(Money.zero) { $0 + $1.amount } == Money(cents: 1_929_952))
        #expect(r.bankBalance == Money(cents: 2_558_592))
    }

    static let header = "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise"

    func read(_ lines: [String], eol: String = "\n", options: InvoiceImportOptions = FECTests.terms, latin9: Bool = false) -> FECResult {
        let text = lines.joined(separator: eol) + eol
        var bytes = Array(text.utf8)
        if latin9 {
            // Re-encode as ISO-8859-15 (€ = 0xA4, é = 0xE9).
            bytes = text.unicodeScalars.map { s -> UInt8 in s.value == 0x20AC ? 0xA4 : UInt8(truncatingIfNeeded: s.value) }
        }
        return FECReader.read(bytes: bytes, displayName: "FEC.txt", options: options)
    }

    @Test func openItemsPartialPaymentsLetteringAndCreditNotes() {
        let r = read([
            FECTests.header,
            // Invoice F1 1 200 to ACME (411), paid in full and lettered A.
            "VE|Ventes|1|20261001|411000|Clients|C001|ACME|F1|20261001|Facture F1|1200,00|0,00|A|20261020|20261001||",
            "VE|Ventes|1|20261001|706000|Prestations|||F1|20261001|Facture F1|0,00|1200,00||||",
            "BQ|Banque|2|20261020|411000|Clients|C001|ACME|VIR1|20261020|Règlement F1|0,00|1200,00|A|20261020|20261020||",
            "BQ|Banque|2|20261020|512000|Banque|||VIR1|20261020|Règlement F1|1200,00|0,00||||",
            // Invoice F2 1 000, partial payment 400 not lettered (other piece): 600 open.
            "VE|Ventes|3|20261105|411000|Clients|C001|ACME|F2|20261105|Facture F2|1000,00|0,00||||",
            "BQ|Banque|4|20261110|411000|Clients|C001|ACME|VIR2|20261110|Acompte F2|0,00|400,00||||",
            "BQ|Banque|4|20261110|512000|Banque|||VIR2|20261110|Acompte F2|400,00|0,00||||",
            // Credit note AV1 300 (sales journal, no bank): a credit note.
            "VE|Ventes|5|20261112|411000|Clients|C001|ACME|AV1|20261112|Avoir|0,00|300,00||||",
            // F3 500 partly lettered B with a 200 payment: 300 open.
            "VE|Ventes|6|20261113|411000|Clients|C002|Bolt|F3|20261113|Facture F3|500,00|0,00|B|||",
            "BQ|Banque|7|20261114|411000|Clients|C002|Bolt|VIR3|20261114|Partiel F3|0,00|200,00|B|||",
            "BQ|Banque|7|20261114|512000|Banque|||VIR3|20261114|Partiel F3|200,00|0,00||||",
            // Supplier invoice 2 400 (credit on 401).
            "AC|Achats|8|20261115|401000|Fournisseurs|F001|Aciers|A77|20261115|Facture A77|0,00|2400,00||||",
        ])
        #expect(r.errors.isEmpty, "\(r.diagnostics)")
        #expect(r.receivables.map(\.id) == ["F2", "AV1", "F3"])
        #expect(r.receivables.map(\.amount.cents) == [60_000, -30_000, 30_000])
        #expect(r.receivables.map(\.counterparty) == ["ACME", "ACME", "Bolt"])
        #expect(r.payables.map(\.amount.cents) == [240_000])
        #expect(r.bankBalance == Money(cents: 180_000))
        #expect(r.receivables[0].dueDate == day("2026-12-05"))
    }

    @Test func montantSensVariantLatin9TabsAndCRLineEnds() {
        let header = "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tMontant\tSens\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\t"
        let r = read([
            header,
            "VE\tVentes\t1\t20261001\t411000\tClients\tC001\tSociété Générale €\tF1\t20261001\tFacture\t0000001234,50\tD\t\t\t\t\t\t",
            "AN\tA-nouveaux\t2\t20261001\t512000\tBanque\t\t\tAN\t20261001\tReport\t000000500,00\tD\t\t\t\t\t\t",
        ], eol: "\r", latin9: true)
        #expect(r.errors.isEmpty, "\(r.diagnostics)")
        #expect(r.receivables.map(\.counterparty) == ["Société Générale €"])
        #expect(r.receivables.map(\.amount.cents) == [123_450])
        #expect(r.bankBalance == Money(cents: 50_000))
    }

    @Test func utf8BOMAndCRLF() {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array((FECTests.header + "\r\nVE|V|1|20261001|401100|F|S1|Acier|A1|20261001|x|0,00|10,00||||\r\n").utf8)
        let r = FECReader.read(bytes: bytes, displayName: "FEC.txt", options: FECTests.terms)
        #expect(r.payables.map(\.amount.cents) == [1000])
    }

    @Test func withoutTermsTheItemsAreListedAndOneErrorSaysWhichKey() {
        let r = read([FECTests.header, "VE|V|1|20261001|411000|C|C1|ACME|F1|20261001|x|10,00|0,00||||"], options: InvoiceImportOptions())
        #expect(r.receivables.isEmpty)
        #expect(r.rejectedReceivables.map(\.id) == ["F1"])
        #expect(r.errors.map(\.message) == ["1 open item(s) have no due date (a FEC has none): set payment_terms_days = 30 in treso.toml (or per counterparty under [payment_terms]) to count them from the piece date"])
    }

    @Test func notAFEC() {
        let r = FECReader.read(bytes: Array("a;b;c\n1;2;3\n".utf8), displayName: "FEC.txt", options: FECTests.terms)
        #expect(r.unusable)
        #expect(r.errors.first?.message.hasPrefix("not a FEC: missing columns CompteNum") == true)
    }

    @Test func randomMutationsNeverCrash() {
        var rng = SeededRandom(seed: 10)
        let base = Array((FECTests.header + "\nVE|V|1|20261001|411000|C|C1|ACME|F1|20261001|x|10,00|0,00||||\nBQ|B|2|20261002|512000|B|||V|20261002|x|5,00|0,00||||\n").utf8)
        for _ in 0..<300 {
            var b = base
            for _ in 0..<Int(rng.next() % 6 + 1) {
                let i = Int(rng.next() % UInt64(b.count))
                b[i] = UInt8(truncatingIfNeeded: rng.next())
            }
            let r = FECReader.read(bytes: b, displayName: "FEC.txt", options: FECTests.terms)
            #expect(r.diagnostics.allSatisfy { $0.line >= 0 && !$0.message.isEmpty })
        }
    }
}

extension InvoiceFileResult {}
extension FECResult {
    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

private func tempFolder() -> String {
    var template = Array("/tmp/treso-import-XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { buf -> String in
        guard let base = buf.baseAddress, let made = mkdtemp(base) else { return "/tmp" }
        return String(cString: made)
    }
}

@Suite("Import: scenario keys and loading")
struct ImportScenarioTests {
    func load(_ toml: String, files: [String: String]) -> LoadedScenario {
        let dir = tempFolder()
        writeText(dir + "/treso.toml", toml)
        for (name, text) in files { writeText(dir + "/" + name, text) }
        return ScenarioLoader.load(path: dir, defaultStart: day("2026-12-01"))
    }

    @Test func theScenarioRunsOnTheValidRowsAndNamesTheOthers() {
        let l = load("receivables = \"r.csv\"\n", files: ["r.csv": "id,counterparty,issue_date,due_date,amount\nA,B,2026-11-01,2026-12-01,10\nC,B,2026-11-31,2026-12-01,10\n"])
        #expect(l.scenario?.receivables.map(\.id) == ["A"])
        #expect(l.errors.count == 1)
        #expect(l.rejected[.receivable]?.map(\.id) == ["C"])
        #expect(l.rejectedCount == 1)
    }

    @Test func aTOMLErrorOrAnUnusableFileStillStopsTheScenario() {
        #expect(load("receivables = \"r.csv\"\nfx = 3\n", files: ["r.csv": "id,counterparty,issue_date,due_date,amount\n"]).scenario == nil)
        #expect(load("receivables = \"missing.csv\"\n", files: [:]).scenario == nil)
    }

    @Test func fxTermsAndStatusKeys() {
        let l = load("""
            receivables = "r.csv"
            payment_terms_days = 30
            [payment_terms]
            "Acme SA" = "45 jours fin de mois"
            Bolt = 60
            [fx]
            GBP = 1.17
            [import.status]
            "À valider" = "disputed"
            """, files: ["r.csv": "id;counterparty;issue_date;due_date;amount;status\nA;Acme SA;20/11/2026;;£100,00;\nB;Bolt;20/11/2026;;10;\nC;Other;20/11/2026;;10;à valider\n"])
        #expect(l.errors.isEmpty, "\(l.diagnostics)")
        #expect(l.scenario?.receivables.map(\.amount.cents) == [11_700, 1000])
        #expect(l.scenario?.receivables.map(\.dueDate) == [day("2027-01-31"), day("2027-01-19")])
        #expect(l.disputed[.receivable]?.map(\.id) == ["C"])
    }

    @Test func badImportKeysAreLocatedErrors() {
        let l = load("""
            [fx]
            gbp = 1.17
            USD = -1
            [payment_terms]
            X = "whenever"
            [import]
            net_credit_notes = "yes"
            [import.status]
            foo = "maybe"
            """, files: [:])
        #expect(l.errors.map(\.message).sorted() == [
            "'import.net_credit_notes' must be true or false, found string",
            "fx.USD must be a positive rate in EUR per USD, such as 1.1700",
            "fx: 'gbp' is not an ISO 4217 currency code such as GBP or USD",
            "import.status.\"foo\" must be \"open\", \"paid\" or \"disputed\"",
            "payment_terms.\"X\" must be days (30) or terms such as \"45 jours fin de mois\" or \"60 days net\"",
        ])
    }

    @Test func fecGivesTheOpenItemsAndTheOpeningBalance() {
        let dir = tempFolder()
        let fec = readText(packageRoot() + "/Tests/Fixtures/fec/000000000FEC20231231.txt") ?? ""
        writeText(dir + "/FEC.txt", fec)
        writeText(dir + "/treso.toml", "fec = \"FEC.txt\"\npayment_terms_days = 30\n")
        let l = ScenarioLoader.load(path: dir, defaultStart: day("2023-07-01"))
        #expect(l.errors.isEmpty, "\(l.errors)")
        #expect(l.scenario?.openingBalance == Money(cents: 1_883_265))
        #expect(l.scenario?.receivables.count == 10)
        #expect(l.openingBalanceSource?.contains("512") == true)
        writeText(dir + "/treso.toml", "fec = \"FEC.txt\"\npayment_terms_days = 30\nopening_balance = 1000\n")
        #expect(ScenarioLoader.load(path: dir, defaultStart: day("2023-07-01")).scenario?.openingBalance == Money(cents: 100_000))
    }

    @Test func checkReportJSONContract() {
        let l = load("receivables = \"r.csv\"\nopening_balance = 5\n", files: ["r.csv": "id,counterparty,issue_date,due_date,amount,status\nA,B,2026-11-01,2026-12-01,10.10,\nAV,B,2026-11-01,2026-12-01,-0.10,\nD,B,2026-11-01,2026-12-01,5,litige\nX,B,2026-11-31,2026-12-01,10,\n"])
        let json = CheckReport.json(l, diagnostics: l.diagnostics)
        #expect(json.contains("\"receivables\": {\n    \"count\": 2,\n    \"total\": \"10.00\""))
        #expect(json.contains("{\"id\": \"D\", \"reason\": \"disputed\", \"line\": 4}"))
        #expect(json.contains("{\"id\": \"X\", \"reason\": \"invalid issue_date '2026-11-31': no such day\", \"line\": 5}"))
        #expect(json.contains("\"opening_balance\": \"5.00\""))
        #expect(json.contains("{\"file\": ") && json.contains("\"severity\": \"error\""))
    }

    @Test func initOnASageLikeExport() {
        let dir = tempFolder()
        for f in ["clients.csv", "fournisseurs.csv"] {
            let src = packageRoot() + "/Tests/Fixtures/exports/sage-like/" + f
            guard case .success(let b) = readFileBytes(path: src, displayName: f) else { Issue.record("no fixture \(f)"); return }
            _ = writeFileAtomically(path: dir + "/" + f, bytes: b)
        }
        guard case .success(let out) = ScenarioInit.run(folder: dir, start: day("2026-12-01"), openingBalance: Money(cents: 5_000_000)) else {
            Issue.record("init failed"); return
        }
        #expect(out.found.map(\.file) == ["clients.csv", "fournisseurs.csv"])
        #expect(out.found.map(\.kind) == [.receivable, .payable])
        #expect(out.toml.contains("receivables = \"clients.csv\""))
        #expect(out.toml.contains("payables = \"fournisseurs.csv\""))
        #expect(out.toml.contains("payment_terms_days = 30"))
        #expect(out.toml.contains("# GBP = 1.0000"))
        #expect(out.toml.contains("#   remaining ← 'Reste dû'"))
        #expect(out.report.contains { $0.hasPrefix("ADD the GBP rate under [fx]") })
        #expect(out.toml.contains("# \"À valider\" = \"open\""))
        // The written scenario parses; only the GBP row waits for its rate.
        _ = writeFileAtomically(path: dir + "/treso.toml", bytes: Array(out.toml.utf8))
        let l = ScenarioLoader.load(path: dir, defaultStart: day("2026-12-01"))
        #expect(l.scenario != nil)
        #expect(l.rejected[.receivable]?.map(\.id) == ["FA-1004"])
        // A second init refuses to overwrite.
        guard case .failure = ScenarioInit.run(folder: dir, start: nil, openingBalance: nil) else { Issue.record("overwrote"); return }
    }
}

@Suite("Import: two threads")
struct ImportParallelTests {
    @Test func onceAFileMessagesStayOnceOnTwoThreads() {
        var text = "id;counterparty;issue_date;due_date;amount;status;Reste dû\n"
        for i in 0..<40_000 {
            let status = i % 1000 == 7 ? "À valider" : (i % 13 == 0 ? "Partiellement réglée" : "")
            let amount = i % 997 == 0 ? "£12,00" : (i % 11 == 0 ? "-5,00" : "\(i % 900 + 1),50")
            text += "F\(i);Client \(i % 300);03/11/2026;;\(amount);\(status);\n"
        }
        let bytes = Array(text.utf8)
        let options = InvoiceImportOptions(defaultTerms: PaymentTerms(days: 30))
        let one = bytes.withUnsafeBufferPointer { InvoiceCSVReader.read(buffer: $0, displayName: "p.csv", kind: .receivable, options: options, parallel: false) }
        let two = bytes.withUnsafeBufferPointer { InvoiceCSVReader.read(buffer: $0, displayName: "p.csv", kind: .receivable, options: options, parallel: true) }
        #expect(one.invoices == two.invoices)
        #expect(one.diagnostics == two.diagnostics)
        #expect(one.rejected == two.rejected)
        #expect(one.diagnostics.filter { $0.message.hasPrefix("unknown status") }.count == 1)
        #expect(one.errors.count == 1)
        #expect(one.rejected.count == 41)
        #expect(one.needs.missingRates == two.needs.missingRates)
    }
}
