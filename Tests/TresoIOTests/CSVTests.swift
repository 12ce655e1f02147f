import Testing
import TestSupport
import TresoCore
@testable import TresoIO
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Helpers

private let file = "t.csv"

private func read(_ text: String, kind: InvoiceKind = .receivable, currency: String = "EUR") -> InvoiceFileResult {
    InvoiceCSVReader.read(bytes: Array(text.utf8), displayName: file, kind: kind, currency: currency)
}

private func read(bytes: [UInt8], kind: InvoiceKind = .receivable) -> InvoiceFileResult {
    InvoiceCSVReader.read(bytes: bytes, displayName: file, kind: kind, currency: "EUR")
}

private func day(_ iso: String) -> Day {
    guard let d = Day(iso: iso) else { Issue.record("bad test date \(iso)"); return Day(raw: 0) }
    return d
}

private func messages(_ r: InvoiceFileResult) -> [String] { r.diagnostics.map(\.description) }

/// The only diagnostic matching `location` (e.g. "t.csv:3:14: error:") and containing `phrase`.
private func expectDiagnostic(_ r: InvoiceFileResult, _ location: String, _ phrase: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
    let hits = messages(r).filter { $0.hasPrefix(location) && $0.contains(phrase) }
    #expect(hits.count == 1, "expected one '\(location) … \(phrase)' in \(messages(r))", sourceLocation: sourceLocation)
}

private let header = "id,counterparty,issue_date,due_date,amount,currency\n"

/// Deterministic generator for the property and fuzz tests.

// MARK: - Canonical format

@Suite("CSV reader: canonical format")
struct CSVCanonicalTests {
    @Test func minimalFile() {
        let r = read(header + "F-2026-000123,Client 0042,2026-11-03,2027-01-02,12345.67,EUR\n")
        #expect(r.diagnostics.isEmpty)
        #expect(r.invoices == [Invoice(id: "F-2026-000123", counterparty: "Client 0042", issueDate: day("2026-11-03"),
                                       dueDate: day("2027-01-02"), amount: Money(cents: 1_234_567), line: 2)])
        #expect(r.invoices.first?.issueDate.raw == 20_760)
        #expect(r.disputed.isEmpty && r.paidSkipped == 0)
    }

    @Test func allOptionalColumns() {
        let r = read("id,counterparty,issue_date,due_date,amount,currency,status,expected_date,discount,country,note\n"
                     + "A1,Acme,2026-01-10,2026-02-10,100,EUR,open,2026-02-20,2/10,FR,first order\n"
                     + "A2,Bolt,2026-01-11,2026-02-11,0.5,EUR,disputed,,,,\n"
                     + "A3,Cog,2026-01-12,2026-02-12,7.25,EUR,paid,,,,\n")
        #expect(r.diagnostics.isEmpty)
        #expect(r.invoices == [Invoice(id: "A1", counterparty: "Acme", issueDate: day("2026-01-10"), dueDate: day("2026-02-10"),
                                       amount: Money(cents: 10_000), status: .open, expectedDate: day("2026-02-20"),
                                       discount: EarlyPaymentDiscount(rate: Rate(percentHundredths: 200), days: 10),
                                       country: "FR", note: "first order", line: 2)])
        #expect(r.disputed == [Invoice(id: "A2", counterparty: "Bolt", issueDate: day("2026-01-11"), dueDate: day("2026-02-11"),
                                       amount: Money(cents: 50), status: .disputed, line: 3)])
        #expect(r.paidSkipped == 1)
    }

    @Test func currencyColumnIsOptional() {
        let r = read("id,counterparty,issue_date,due_date,amount\nA,B,2026-01-01,2026-01-31,10\n", currency: "CHF")
        #expect(r.diagnostics.isEmpty)
        #expect(r.invoices.map(\.amount) == [Money(cents: 1000)])
    }

    /// Found by fuzzing (AddressSanitizer: heap-buffer-overflow in CSVText.fieldOffset): a file whose only amount
    /// column is a credit column, with a currency symbol in it, located its "no exchange rate" error at column −1,
    /// reading before the row's fields. The error is now at the credit field.
    @Test func aCreditOnlyFileLocatesItsCurrencyErrorAtTheCredit() {
        let r = read("N° pièce;Fournisseur;Date pièce;Date échéance;Crédit\nP1;Acier;02/11/2026;02/12/2026;$ 20,00\n", kind: .payable)
        #expect(messages(r).count == 1, "\(messages(r))")
        #expect(messages(r).first?.hasPrefix("t.csv:2:32: error: no exchange rate for USD") == true, "\(messages(r))")
    }

    @Test func otherCurrencyWithoutARateIsOneErrorNamingTheKey() {
        let r = read(header + "A,B,2026-01-01,2026-01-31,10,EUR\nC,D,2026-01-01,2026-01-31,10,USD\nE,D,2026-01-01,2026-01-31,12,USD\n")
        #expect(messages(r) == ["t.csv:3:30: error: no exchange rate for USD: add it under [fx] in treso.toml, e.g. `USD = 1.1700` (EUR per USD); every USD row is left out until then"])
        #expect(r.invoices.map(\.id) == ["A"])
        #expect(r.rejected.map(\.id) == ["C", "E"])
        #expect(r.needs.missingRates == ["USD": 2])
    }

    @Test func currencyIsCaseInsensitiveAndAcceptsTheSign() {
        let r = read(header + "A,B,2026-01-01,2026-01-31,10,eur\nC,D,2026-01-01,2026-01-31,10,€\n")
        #expect(r.diagnostics.isEmpty)
        #expect(r.invoices.count == 2)
    }

    @Test(arguments: [
        ("open", InvoiceStatus.open), ("", .open), ("ouvert", .open), ("Ouverte", .open), ("OPEN", .open), ("En retard", .open), ("Échue", .open),
        ("disputed", .disputed), ("litige", .disputed), ("En litige", .disputed), ("contesté", .disputed), ("Contestée", .disputed),
    ])
    func statusWords(word: String, status: InvoiceStatus) {
        let r = read("id,counterparty,issue_date,due_date,amount,status\nA,B,2026-01-01,2026-01-31,10,\(word)\n")
        #expect(r.diagnostics.isEmpty)
        #expect((r.invoices + r.disputed).map(\.status) == [status])
    }

    @Test(arguments: ["paid", "payé", "Payée", "réglé", "REGLEE", "Réglée"])
    func paidWords(word: String) {
        let r = read("id,counterparty,issue_date,due_date,amount,status\nA,B,2026-01-01,2026-01-31,10,\(word)\nC,D,2026-01-01,2026-01-31,10,open\n")
        #expect(r.diagnostics.isEmpty)
        #expect(r.paidSkipped == 1)
        #expect(r.invoices.map(\.id) == ["C"])
    }

    @Test func paidRowsAreNotCheckedBeyondIdAndStatus() {
        // A paid credit note (negative) with a broken date does not block the file.
        let r = read("id,counterparty,issue_date,due_date,amount,status\nAV1,B,xx,2026-01-31,-10,payé\n")
        #expect(r.diagnostics.isEmpty)
        #expect(r.paidSkipped == 1)
    }

    @Test func unknownStatusIsAWarningNamingTheMappingToAdd() {
        let r = read("id,counterparty,issue_date,due_date,amount,status\nA,B,2026-01-01,2026-01-31,10,maybe\nC,B,2026-01-01,2026-01-31,10,maybe\n")
        #expect(messages(r) == ["t.csv:2:30: warning: unknown status 'maybe': treated as open; to say otherwise add `\"maybe\" = \"paid\"` (or \"open\", \"disputed\") under [import.status] in treso.toml"])
        #expect(r.invoices.map(\.id) == ["A", "C"])
        #expect(r.needs.unknownStatuses.keys.sorted() == ["maybe"])
    }

    @Test(arguments: [("2/10", 200, 10), ("2,5/10", 250, 10), ("2 % / 10 j", 200, 10), ("1.5/15 net 45", 150, 15)])
    func discounts(text: String, hundredths: Int64, days: Int) {
        let r = read("id,counterparty,issue_date,due_date,amount,discount\nA,B,2026-01-01,2026-01-31,10,\"\(text)\"\n")
        #expect(r.diagnostics.isEmpty)
        #expect(r.invoices.first?.discount == EarlyPaymentDiscount(rate: Rate(percentHundredths: hundredths), days: days))
    }

    @Test func badDiscount() {
        let r = read("id,counterparty,issue_date,due_date,amount,discount\nA,B,2026-01-01,2026-01-31,10,two percent\n")
        #expect(messages(r) == ["t.csv:2:30: error: invalid discount 'two percent': expected percent/days such as 2/10"])
    }
}

// MARK: - Headers

@Suite("CSV reader: headers")
struct CSVHeaderTests {
    @Test(arguments: [
        "Numéro;Client;Date;Échéance;Montant TTC;Devise",
        "numero;client;date facture;date d'échéance;montant ttc;devise",
        "N°;Raison sociale;Date d'émission;Date échéance;Total TTC;Monnaie",
        "  NO ; CUSTOMER ; ISSUE DATE ; DUE DATE ; AMOUNT ; CURRENCY ",
        "Num;Tiers;Invoice date;Due;TTC;devise",
        "Référence;Name;date emission;échéance;Montant;Devise",
        "Ref;Supplier;Date;Due date;Montant TTC (€);Devise",
        "Facture;Fournisseur;Date;ECHEANCE;montant_ttc;Devise",
        "Pièce;Client;Date;Echéance;TTC;Devise",
        "Invoice;Client;Date;Échéance;amount;currency",
        "Number;Client;Date;Échéance;Montant TTC EUR;Devise",
        "N° facture;Client;Date;Échéance;Montant TTC;Devise",
    ])
    func frenchAndEnglishAliases(headerLine: String) {
        let r = read(headerLine + "\nF1;ACME;03/11/2026;02/01/2027;1 234,56;EUR\n")
        #expect(r.diagnostics.isEmpty, "\(messages(r))")
        #expect(r.invoices == [Invoice(id: "F1", counterparty: "ACME", issueDate: day("2026-11-03"), dueDate: day("2027-01-02"),
                                       amount: Money(cents: 123_456), line: 2)])
    }

    @Test func optionalAliases() {
        let r = read("Numéro;Client;Date;Échéance;Montant TTC;Statut;Date prévue;Escompte;Pays;Commentaire\n"
                     + "F1;ACME;03/11/2026;02/01/2027;10;Litige;15/01/2027;2/10;BE;à relancer\n")
        #expect(r.diagnostics.isEmpty, "\(messages(r))")
        #expect(r.disputed == [Invoice(id: "F1", counterparty: "ACME", issueDate: day("2026-11-03"), dueDate: day("2027-01-02"),
                                       amount: Money(cents: 1000), status: .disputed, expectedDate: day("2027-01-15"),
                                       discount: EarlyPaymentDiscount(rate: Rate(percentHundredths: 200), days: 10),
                                       country: "BE", note: "à relancer", line: 2)])
    }

    @Test(arguments: ["État", "etat"])
    func stateAlias(name: String) {
        let r = read("id;counterparty;issue_date;due_date;amount;\(name)\nA;B;2026-01-01;2026-01-31;10;payée\n")
        #expect(r.diagnostics.isEmpty)
        #expect(r.paidSkipped == 1)
    }

    @Test(arguments: ["Libellé", "libelle", "Note", "memo"])
    func noteAliases(name: String) {
        let r = read("id;counterparty;issue_date;due_date;amount;\(name)\nA;B;2026-01-01;2026-01-31;10;hello\n")
        #expect(r.invoices.first?.note == "hello")
    }

    @Test func amountExcludingVATGivesTheVATWhenTTCExists() {
        let r = read("Numéro;Client;Date;Échéance;Montant HT;Montant TTC\nF1;ACME;03/11/2026;02/01/2027;1000,00;1200,00\n")
        #expect(r.invoices.map(\.amount) == [Money(cents: 120_000)])
        #expect(r.invoices.map(\.vatAmount) == [Money(cents: 20_000)])
        #expect(messages(r).isEmpty)
    }

    @Test func amountExcludingVATAloneIsAnError() {
        let r = read("Numéro;Client;Date;Échéance;Montant HT\nF1;ACME;03/11/2026;02/01/2027;1000,00\n")
        #expect(r.invoices.isEmpty)
        #expect(messages(r) == ["t.csv:1: error: no amount-TTC column (VAT included) found: 'Montant HT' excludes VAT, and invoice amounts are VAT included; columns found: 'Numéro', 'Client', 'Date', 'Échéance', 'Montant HT'"])
    }

    @Test func missingRequiredColumns() {
        let r = read("id,client,date,amount\nA,B,2026-01-01,10\n")
        #expect(messages(r) == ["t.csv:1: error: missing required column 'due_date' (e.g. 'Échéance', 'Date d'échéance', 'due date'); or set payment_terms_days = 30 (or [payment_terms]) in treso.toml to infer due dates; columns found: 'id', 'client', 'date', 'amount'"])
        #expect(r.invoices.isEmpty)
    }

    @Test func everyMissingColumnIsNamed() {
        let r = read("foo,bar\n1,2\n")
        #expect(r.errors.count == 5)
        #expect(r.errors.allSatisfy { $0.line == 1 && $0.message.contains("columns found: 'foo', 'bar'") })
        #expect(r.errors.map(\.message).filter { $0.contains("'amount'") }.count == 1)
    }

    @Test func headerAfterBlankLinesReportsItsLine() {
        let r = read("\n\nid,client\n")
        #expect(r.errors.first?.description.hasPrefix("t.csv:3: error: missing required column 'issue_date'") == true)
    }

    @Test func unknownColumnsGetOneWarning() {
        let r = read("Code journal,id,counterparty,issue_date,due_date,amount,Compte\nVT,A,B,2026-01-01,2026-01-31,10,411000\n")
        #expect(messages(r) == ["t.csv:1: warning: ignoring 2 columns treso does not use: 'Code journal', 'Compte'"])
        #expect(r.invoices.map(\.id) == ["A"])
    }

    @Test func twoColumnsForOneMeaning() {
        // "Date facture" is more specific than "Date"; "Raison sociale" than "Client" (often a code).
        let r = read("Numéro;Client;Raison sociale;Date;Date facture;Échéance;Montant TTC\nF1;C042;ACME SA;01/01/2026;02/01/2026;31/01/2026;10\n")
        #expect(r.invoices.first?.counterparty == "ACME SA")
        #expect(r.invoices.first?.issueDate == day("2026-01-02"))
        #expect(messages(r) == ["t.csv:1: warning: ignoring 2 columns treso does not use: 'Client' (another counterparty column; using 'Raison sociale'), 'Date' (another issue_date column; using 'Date facture')"])
    }

    @Test func kindPrefersTheRightCounterparty() {
        let text = "id;Client;Fournisseur;issue_date;due_date;amount\nA;Cust;Supp;2026-01-01;2026-01-31;10\n"
        #expect(read(text, kind: .receivable).invoices.first?.counterparty == "Cust")
        #expect(read(text, kind: .payable).invoices.first?.counterparty == "Supp")
    }

    @Test func quotedHeader() {
        let r = read("\"id\",\"counterparty\",\"issue_date\",\"due_date\",\"amount\"\nA,B,2026-01-01,2026-01-31,10\n")
        #expect(r.diagnostics.isEmpty && r.invoices.count == 1)
    }
}

// MARK: - Delimiters, line ends, quoting

@Suite("CSV reader: structure")
struct CSVStructureTests {
    @Test(arguments: [",", ";", "\t"])
    func delimiters(d: String) {
        let r = read(["id", "counterparty", "issue_date", "due_date", "amount"].joined(separator: d) + "\n"
                     + ["A", "B C", "2026-01-01", "2026-01-31", "10.50"].joined(separator: d) + "\n")
        #expect(r.diagnostics.isEmpty)
        #expect(r.invoices.map(\.counterparty) == ["B C"])
        #expect(r.invoices.map(\.amount) == [Money(cents: 1050)])
    }

    @Test func delimiterInsideQuotedHeaderIsNotCounted() {
        let r = read("\"Code, journal\";id;counterparty;issue_date;due_date;amount;\"a,b,c\"\nVT;A;B;2026-01-01;2026-01-31;10;z\n")
        #expect(r.invoices.map(\.id) == ["A"])
        #expect(messages(r) == ["t.csv:1: warning: ignoring 2 columns treso does not use: 'Code, journal', 'a,b,c'"])
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func lineEnds(eol: String) {
        let text = ["id,counterparty,issue_date,due_date,amount", "A,B,2026-01-01,2026-01-31,10", "", "C,D,2026-01-01,2026-01-31,x"]
            .joined(separator: eol) + eol
        let r = read(text)
        #expect(r.invoices.map(\.line) == [2])
        #expect(messages(r) == ["t.csv:4:27: error: invalid amount 'x': expected a number such as 1234.56 or 1 234,56"])
    }

    @Test func noFinalNewline() {
        let r = read(header + "A,B,2026-01-01,2026-01-31,10,EUR")
        #expect(r.invoices.count == 1 && r.diagnostics.isEmpty)
    }

    @Test func bomIsSkipped() {
        let r = read(bytes: [0xEF, 0xBB, 0xBF] + Array((header + "A,B,2026-01-01,2026-01-31,10,EUR\n").utf8))
        #expect(r.invoices.count == 1 && r.diagnostics.isEmpty)
    }

    @Test func quotedFields() {
        let r = read(header + "\"A,1\",\"Dupont \"\"&\"\" Fils, SARL\",2026-01-01,2026-01-31,\"1,5\",EUR\n")
        #expect(r.diagnostics.isEmpty)
        #expect(r.invoices.map(\.id) == ["A,1"])
        #expect(r.invoices.map(\.counterparty) == ["Dupont \"&\" Fils, SARL"])
        #expect(r.invoices.map(\.amount) == [Money(cents: 150)])
    }

    @Test func quotedMultiLineFieldKeepsLaterLineNumbers() {
        let text = "id,counterparty,issue_date,due_date,amount,note\n"
            + "A,B,2026-01-01,2026-01-31,10,\"line one\nline two\r\nline three\"\n"   // lines 2-4
            + "C,D,2026-01-01,2026-01-31,10,\n"                                       // line 5
            + "E,\"F\nG\",2026-01-01,2026-99-31,10,\n"                                // lines 6-7; bad due date on line 7
            + "H,I,2026-01-01,2026-01-31,zero,\n"                                     // line 8
        let r = read(text)
        #expect(r.invoices.map(\.line) == [2, 5])
        #expect(r.invoices.first?.note == "line one\nline two\r\nline three")
        #expect(messages(r) == [
            "t.csv:7:15: error: invalid due_date '2026-99-31': no such day",
            "t.csv:8:27: error: invalid amount 'zero': expected a number such as 1234.56 or 1 234,56",
        ])
    }

    @Test func blankLinesAndEmptyRowsAreSkipped() {
        let r = read("\n" + "id;counterparty;issue_date;due_date;amount\n\n  \n;;;;\n;;;;;\nA;B;2026-01-01;2026-01-31;10\n\n")
        #expect(r.diagnostics.isEmpty)
        #expect(r.invoices.map(\.line) == [7])
    }

    @Test func trailingDelimiterIsTolerated() {
        let r1 = read("id;counterparty;issue_date;due_date;amount\nA;B;2026-01-01;2026-01-31;10;\n")
        let r2 = read("id;counterparty;issue_date;due_date;amount;\nA;B;2026-01-01;2026-01-31;10;\n")
        let r3 = read("id;counterparty;issue_date;due_date;amount;\nA;B;2026-01-01;2026-01-31;10\n")
        #expect(r1.diagnostics.isEmpty && r1.invoices.count == 1)
        #expect(r2.diagnostics.isEmpty && r2.invoices.count == 1)
        #expect(r3.diagnostics.isEmpty && r3.invoices.count == 1)
    }

    @Test func tooFewFields() {
        let r = read(header + "A,B,2026-01-01,2026-01-31\n")
        #expect(messages(r) == ["t.csv:2:26: error: row has 4 fields but the header has 6"])
    }

    @Test func tooManyFields() {
        let r = read(header + "A,B,2026-01-01,2026-01-31,10,EUR,,oops\n")
        #expect(messages(r) == ["t.csv:2:35: error: row has 8 fields but the header has 6; unexpected extra value 'oops'"])
    }

    @Test func surroundingSpacesAreIgnored() {
        let r = read("id , counterparty,issue_date,due_date,amount\n  A  , \" B \" ,\t2026-01-01 , 2026-01-31 ,\u{00A0}10\u{00A0}\n")
        #expect(r.diagnostics.isEmpty, "\(messages(r))")
        #expect(r.invoices.map(\.id) == ["A"])
        #expect(r.invoices.map(\.counterparty) == ["B"])
    }

    @Test func unterminatedQuote() {
        let r = read(header + "A,B,2026-01-01,2026-01-31,10,EUR\nC,\"D,2026-01-01,2026-01-31,10,EUR\nE,F,2026-01-01,2026-01-31,10,EUR\n")
        #expect(r.invoices.map(\.id) == ["A"])
        #expect(messages(r) == ["t.csv:3:3: error: unterminated quoted field: no closing '\"' before the end of the file"])
    }

    @Test func textAfterClosingQuote() {
        let r = read(header + "A,\"B\"x,2026-01-01,2026-01-31,10,EUR\nC,D,2026-01-01,2026-01-31,10,EUR\n")
        #expect(r.invoices.map(\.id) == ["C"])
        #expect(messages(r) == ["t.csv:2:6: error: unexpected text after a closing quote (a quote inside a quoted field is written \"\")"])
    }

    @Test func quoteInsideAnUnquotedFieldIsKept() {
        let r = read(header + "A,12\" pipes Co,2026-01-01,2026-01-31,10,EUR\n")
        #expect(r.invoices.map(\.counterparty) == ["12\" pipes Co"])
    }

    @Test func columnsCountCharactersNotBytes() {
        let r = read(header + "É1,Société Générale,2026-01-01,2026-01-31,-5x,EUR\n")
        // Column 43 in characters; it would be 46 in bytes.
        expectDiagnostic(r, "t.csv:2:43: error:", "invalid amount")
    }

    @Test func headerOnly() {
        let r = read(header)
        #expect(r.invoices.isEmpty && r.diagnostics.isEmpty)
    }
}

// MARK: - Amounts

@Suite("CSV reader: amounts")
struct CSVAmountTests {
    /// (text, delimiter, cents)
    @Test(arguments: [
        ("1234.56", ",", 123_456), ("1234", ",", 123_400), ("0.5", ",", 50), ("12.3", ",", 1230), ("007.10", ",", 710),
        ("\"1234,56\"", ",", 123_456), ("1234,56", ";", 123_456), ("1 234,56", ";", 123_456),
        ("1\u{00A0}234,56", ";", 123_456), ("1\u{202F}234,56", ";", 123_456), ("1.234,56", ";", 123_456),
        ("1'234.56", ";", 123_456), ("1’234.56", ";", 123_456), ("\"1,234.56\"", ",", 123_456), ("1,234.56", ";", 123_456),
        ("1 234 567,89", ";", 123_456_789), ("1.234.567,89", ";", 123_456_789), ("\"1,234,567.89\"", ",", 123_456_789),
        ("1.234.567", ";", 123_456_700), ("1 234", ";", 123_400),
        ("+12,00", ";", 1200), ("12,00 €", ";", 1200), ("€12.00", ",", 1200), ("€ 1 234,56", ";", 123_456),
        ("1234.56 EUR", ",", 123_456), ("EUR 1234.56", ",", 123_456), ("12,5", ";", 1250), (",50", ";", 50),
        ("\"1 234,56 €\"", ",", 123_456),
        // The ambiguous single separator followed by exactly three digits (see parseAmountSlow):
        ("1.234", ";", 123_400),           // ';' file: '.' is a thousands separator there
        ("\"1,234\"", ",", 123_400),       // ',' file: ',' is a thousands separator there
    ])
    func accepted(text: String, delimiter: String, cents: Int64) {
        let h = ["id", "counterparty", "issue_date", "due_date", "amount"].joined(separator: delimiter)
        let row = ["A", "B", "2026-01-01", "2026-01-31", text].joined(separator: delimiter)
        let r = read(h + "\n" + row + "\n")
        #expect(r.diagnostics.isEmpty, "\(text): \(messages(r))")
        #expect(r.invoices.map(\.amount) == [Money(cents: cents)], "\(text)")
    }

    /// (text, delimiter, key phrase of the error)
    @Test(arguments: [
        ("1,234", ";", "more than 2 decimals (in a ';'-separated file ',' is the decimal comma; for thousands write 1234 or 1 234)"),
        ("1.234", ",", "more than 2 decimals"),
        ("12.345", ",", "more than 2 decimals"), ("1 234,567", ";", "more than 2 decimals"),
        ("abc", ",", "expected a number"), ("12.", ",", "expected a number"), ("1..2", ",", "expected a number"),
        ("12 34,56", ";", "expected a number"), ("1.234 567,00", ";", "expected a number"), ("1,2,3", ";", "expected a number"),
        ("1e5", ",", "expected a number"), ("--1", ",", "expected a number"), ("€", ";", "expected a number"),
        ("12 USD", ";", "no exchange rate for USD: add it under [fx]"),
        ("$12", ";", "no exchange rate for USD"),
        ("1234567890123456", ",", "is over the limit of 1 000 000 000.00 per amount"),
    ])
    func rejected(text: String, delimiter: String, phrase: String) {
        let h = ["id", "counterparty", "issue_date", "due_date", "amount"].joined(separator: delimiter)
        let row = ["A", "B", "2026-01-01", "2026-01-31", text].joined(separator: delimiter)
        let r = read(h + "\n" + row + "\n")
        #expect(r.invoices.isEmpty, "\(text)")
        expectDiagnostic(r, "t.csv:2:27: error:", phrase)
    }

    @Test func missingAmount() {
        let r = read(header + "A,B,2026-01-01,2026-01-31,,EUR\n")
        #expect(messages(r) == ["t.csv:2:27: error: missing amount"])
    }
}

// MARK: - Dates

@Suite("CSV reader: dates")
struct CSVDateTests {
    @Test(arguments: ["2026-03-09", "09/03/2026", "9/3/2026", "09.03.2026", "09-03-2026", "2026/03/09",
                      "2026-03-09 00:00:00", "2026-03-09T10:30:00Z", "09/03/2026 00:00"])
    func formats(text: String) {
        let r = read(header + "A,B,\(text),2026-12-31,10,EUR\n")
        #expect(r.diagnostics.isEmpty, "\(text): \(messages(r))")
        #expect(r.invoices.map(\.issueDate) == [day("2026-03-09")])
    }

    @Test func impossibleDateNamesTheColumn() {
        let r = read("Numéro;Client;Date;Échéance;Montant TTC\nF1;ACME;03/11/2026;31/02/2027;10\n")
        #expect(messages(r) == ["t.csv:2:20: error: invalid due_date (column 'Échéance') '31/02/2027': no such day"])
    }

    @Test(arguments: [("2026-02-29", "no such day"), ("2024-02-30", "no such day"), ("31/04/2026", "no such day"),
                      ("2026-13-01", "no such day"), ("00/01/2026", "no such day"),
                      ("1/1/2", "expected a date such as 2026-12-31 or 31/12/2026"), ("tomorrow", "expected a date"),
                      ("2026-01-01x", "expected a date"), ("01/01-2026", "expected a date")])
    func badDates(text: String, phrase: String) {
        let r = read(header + "A,B,\(text),2026-12-31,10,EUR\n")
        expectDiagnostic(r, "t.csv:2:5: error: invalid issue_date '\(text)'", phrase)
    }

    @Test func leapDay() {
        let r = read(header + "A,B,29/02/2028,2028-03-01,10,EUR\n")
        #expect(r.invoices.map(\.issueDate) == [day("2028-02-29")])
    }

    @Test func missingDates() {
        let r = read(header + "A,B,,  ,10,EUR\n")
        #expect(messages(r) == ["t.csv:2:5: error: missing issue_date",
                                "t.csv:2:6: error: missing due_date; set payment_terms_days = 30 in treso.toml (or \"B\" = \"45 jours fin de mois\" under [payment_terms]) to infer it from the issue date"])
    }

    @Test func dueBeforeIssueIsAWarning() {
        let r = read(header + "A,B,2026-02-01,2026-01-01,10,EUR\n")
        #expect(r.invoices.count == 1)
        #expect(messages(r) == ["t.csv:2:16: warning: due_date 2026-01-01 is before issue_date 2026-02-01"])
    }

    @Test func badExpectedDate() {
        let r = read("id,counterparty,issue_date,due_date,amount,expected_date\nA,B,2026-01-01,2026-01-31,10,soon\n")
        #expect(messages(r) == ["t.csv:2:30: error: invalid expected_date 'soon': expected a date such as 2026-12-31 or 31/12/2026"])
    }
}

// MARK: - Row checks

@Suite("CSV reader: row checks")
struct CSVRowCheckTests {
    @Test func emptyIdAndCounterparty() {
        let r = read(header + " ,B,2026-01-01,2026-01-31,10,EUR\nC,\"  \",2026-01-01,2026-01-31,10,EUR\n")
        #expect(messages(r) == ["t.csv:2:1: error: empty id", "t.csv:3:3: error: empty counterparty"])
        #expect(r.invoices.isEmpty)
    }

    @Test func duplicateIdsAreWarnings() {
        let r = read(header + "F2,B,2026-01-01,2026-01-31,10,EUR\nF1,C,2026-01-01,2026-01-31,10,EUR\nF2,D,2026-01-01,2026-01-31,10,EUR\n"
                     + "\"F1\",E,2026-01-01,2026-01-31,10,EUR\n")
        #expect(r.invoices.map(\.counterparty) == ["B", "C", "D", "E"])
        #expect(messages(r) == ["t.csv:4:1: warning: duplicate id 'F2' (first on line 2)",
                                "t.csv:5:1: warning: duplicate id 'F1' (first on line 3)"])
    }

    @Test func duplicateIdsInSortedFile() {
        let r = read(header + "F1,B,2026-01-01,2026-01-31,10,EUR\nF2,C,2026-01-01,2026-01-31,10,EUR\nF3,D,2026-01-01,2026-01-31,10,EUR\n"
                     + "F3,E,2026-01-01,2026-01-31,10,EUR\nF4,E,2026-01-01,2026-01-31,10,EUR\nF1,E,2026-01-01,2026-01-31,10,EUR\n")
        #expect(messages(r) == ["t.csv:5:1: warning: duplicate id 'F3' (first on line 4)",
                                "t.csv:7:1: warning: duplicate id 'F1' (first on line 2)"])
    }

    @Test func duplicateIdsWithEscapedQuotes() {
        let r = read(header + "\"A\"\"1\",B,2026-01-01,2026-01-31,10,EUR\nX,B,2026-01-01,2026-01-31,10,EUR\n\"A\"\"1\",C,2026-01-01,2026-01-31,10,EUR\n")
        #expect(r.invoices.map(\.id) == ["A\"1", "X", "A\"1"])
        #expect(messages(r) == ["t.csv:4:1: warning: duplicate id 'A\"1' (first on line 2)"])
    }

    @Test func fiveBadRowsAreAllReported() {
        let text = header
            + "A,B,2026-01-01,2026-01-31,10,EUR\n"      // 2 fine
            + ",B,2026-01-01,2026-01-31,10,EUR\n"       // 3 empty id
            + "C,D,2026-01-01,2026-01-31,-1x,EUR\n"     // 4 not a number
            + "E,F,2026-02-30,2026-03-31,10,EUR\n"      // 5 impossible date
            + "G,H,2026-01-01,2026-01-31,10\n"          // 6 too few fields
            + "I,J,2026-01-01,2026-01-31,10,GBP\n"      // 7 other currency
            + "K,L,2026-01-01,2026-01-31,10,EUR\n"      // 8 fine
        let r = read(text)
        #expect(r.invoices.map(\.id) == ["A", "K"])
        #expect(messages(r) == [
            "t.csv:3:1: error: empty id",
            "t.csv:4:27: error: invalid amount '-1x': expected a number such as 1234.56 or 1 234,56",
            "t.csv:5:5: error: invalid issue_date '2026-02-30': no such day",
            "t.csv:6:29: error: row has 5 fields but the header has 6",
            "t.csv:7:30: error: no exchange rate for GBP: add it under [fx] in treso.toml, e.g. `GBP = 1.1700` (EUR per GBP); every GBP row is left out until then",
        ])
        #expect(r.rejected.map(\.id) == ["", "C", "E", "G", "I"])
        #expect(r.rejected.map(\.line) == [3, 4, 5, 6, 7])
    }

    @Test func severalProblemsInOneRowAreAllReported() {
        let r = read(header + ",,xx,yy,zz,USD\n")
        #expect(messages(r) == [
            "t.csv:2:1: error: empty id",
            "t.csv:2:2: error: empty counterparty",
            "t.csv:2:3: error: invalid issue_date 'xx': expected a date such as 2026-12-31 or 31/12/2026",
            "t.csv:2:6: error: invalid due_date 'yy': expected a date such as 2026-12-31 or 31/12/2026",
            "t.csv:2:9: error: invalid amount 'zz': expected a number such as 1234.56 or 1 234,56",
        ])
    }

    @Test func countersignedNamesShareStorage() {
        // Long names (over 15 UTF-8 bytes) are interned: equal values, one allocation.
        var text = header
        for i in 0..<50 { text += "F\(i),Établissements Martin & Fils,2026-01-01,2026-01-31,10,EUR\n" }
        let r = read(text)
        #expect(Set(r.invoices.map(\.counterparty)) == ["Établissements Martin & Fils"])
    }
}

// MARK: - Real-looking exports

@Suite("CSV reader: exports")
struct CSVExportTests {
    /// Sage / EBP style: BOM, CRLF, semicolons, French header, `1 234,56`, dd/mm/yyyy.
    @Test func frenchAccountingExport() {
        let text = "Numéro;Client;Date;Échéance;Montant HT;Montant TTC;Devise;Code journal\r\n"
            + "FA-0001;SARL Dupont & Fils;03/11/2026;03/01/2027;1 028,80;1 234,56;EUR;VT\r\n"
            + "FA-0002;\"Boulangerie \"\"Chez Paul\"\"\";05/11/2026;05/12/2026;100,00;120,00;EUR;VT\r\n"
            + "FA-0003;Société Générale de Négoce;15/11/2026;15/01/2027;10 000,00;12 000,00;EUR;VT\r\n"
            + ";;;;;;;\r\n"
        let r = read(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(messages(r) == ["t.csv:1: warning: ignoring 1 column treso does not use: 'Code journal'"])
        #expect(r.invoices == [
            Invoice(id: "FA-0001", counterparty: "SARL Dupont & Fils", issueDate: day("2026-11-03"), dueDate: day("2027-01-03"),
                    amount: Money(cents: 123_456), line: 2, vatAmount: Money(cents: 20_576)),
            Invoice(id: "FA-0002", counterparty: "Boulangerie \"Chez Paul\"", issueDate: day("2026-11-05"), dueDate: day("2026-12-05"),
                    amount: Money(cents: 12_000), line: 3, vatAmount: Money(cents: 2_000)),
            Invoice(id: "FA-0003", counterparty: "Société Générale de Négoce", issueDate: day("2026-11-15"), dueDate: day("2027-01-15"),
                    amount: Money(cents: 1_200_000), line: 4, vatAmount: Money(cents: 200_000)),
        ])
    }

    /// Pennylane-like: commas, quoted decimal commas, status in French.
    @Test func pennylaneLikeExport() {
        let text = "Numéro de facture,Client,Date de facture,Date d'échéance,Montant TTC,Devise,Statut\n"
            + "F-2026-001,\"Martin, Durand & Associés\",2026-11-03,2026-12-03,\"1 200,00\",EUR,Payée\n"
            + "F-2026-002,Agence Nova,2026-11-04,2026-12-04,\"360,50\",EUR,En attente\n"
            + "F-2026-003,Agence Nova,2026-11-05,2026-12-05,\"99,90\",EUR,Litige\n"
        let r = read(text)
        #expect(r.diagnostics.isEmpty, "\(messages(r))")
        #expect(r.paidSkipped == 1)
        #expect(r.invoices.map(\.amount) == [Money(cents: 36_050)])
        #expect(r.disputed.map(\.id) == ["F-2026-003"])
    }

    /// Windows-1252 (Latin-1) bytes, as older French software writes them.
    @Test func windows1252() {
        func cp1252(_ s: String) -> [UInt8] {
            s.unicodeScalars.map { sc -> UInt8 in
                switch sc.value { case 0x20AC: 0x80; case 0x2019: 0x92; case 0x152: 0x8C; case 0x153: 0x9C; default: UInt8(truncatingIfNeeded: sc.value) }
            }
        }
        let text = "Numéro;Client;Date;Échéance;Montant TTC\r\nF1;Société Générale;03/11/2026;03/12/2026;1 234,56 €\r\nF2;L’Œuvre cœur;03/11/2026;03/12/2026;10\r\n"
        let r = read(bytes: cp1252(text))
        #expect(messages(r) == ["t.csv: warning: not valid UTF-8: decoded as Windows-1252 (Latin-1); save the file as UTF-8 to silence this warning"])
        #expect(r.invoices.map(\.counterparty) == ["Société Générale", "L’Œuvre cœur"])
        #expect(r.invoices.map(\.amount) == [Money(cents: 123_456), Money(cents: 1000)])
    }

    @Test func invalidUTF8InAUTF8FileIsAnErrorForThatRow() {
        var bytes = Array((header + "A,Société,2026-01-01,2026-01-31,10,EUR\nB,Caf").utf8)
        bytes += [0xC3, 0x28] // broken sequence
        bytes += Array(",2026-01-01,2026-01-31,10,EUR\nC,Crème,2026-01-01,2026-01-31,10,EUR\n".utf8)
        let r = read(bytes: bytes)
        #expect(r.invoices.map(\.id) == ["A", "C"])
        #expect(messages(r) == ["t.csv:3:3: error: invalid UTF-8 (byte 0xC3) in column 'counterparty'; save the file as UTF-8"])
    }

    @Test func utf16WithBOM() {
        let text = "Numéro\tClient\tDate\tÉchéance\tMontant TTC\r\nF1\tSociété\t03/11/2026\t03/12/2026\t1 234,56\r\n"
        var le: [UInt8] = [0xFF, 0xFE]
        var be: [UInt8] = [0xFE, 0xFF]
        for u in text.utf16 { le += [UInt8(u & 0xFF), UInt8(u >> 8)]; be += [UInt8(u >> 8), UInt8(u & 0xFF)] }
        for bytes in [le, be] {
            let r = read(bytes: bytes)
            #expect(r.diagnostics.isEmpty)
            #expect(r.invoices.map(\.counterparty) == ["Société"])
            #expect(r.invoices.map(\.amount) == [Money(cents: 123_456)])
        }
    }

    @Test(arguments: [[], [0xEF, 0xBB, 0xBF], Array(" \r\n\t\n".utf8), [0xEF, 0xBB, 0xBF, 0x0A, 0x0A], [0xFF, 0xFE]] as [[UInt8]])
    func emptyFile(bytes: [UInt8]) {
        #expect(messages(read(bytes: bytes)) == ["t.csv: error: empty file: no header row"])
    }
}

// MARK: - Files

@Suite("CSV reader: files")
struct CSVFileTests {
    static func tempDir() -> String {
        var template = Array("/tmp/treso-csv-test-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress, let made = mkdtemp(base) else { Issue.record("mkdtemp failed"); return "/tmp" }
            return String(cString: made)
        }
    }

    static func write(_ bytes: [UInt8], to path: String) {
        guard let f = fopen(path, "wb") else { Issue.record("cannot write \(path)"); return }
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }

    @Test func missingFile() {
        let r = readFileBytes(path: "/nonexistent/dir/x.csv", displayName: "data/x.csv")
        #expect(r.failure?.description == "data/x.csv: error: file not found")
        let r2 = InvoiceCSVReader.read(path: "/nonexistent/x.csv", displayName: "x.csv", kind: .receivable, currency: "EUR")
        #expect(messages(r2) == ["x.csv: error: file not found"])
    }

    @Test func directory() {
        let dir = CSVFileTests.tempDir()
        #expect(readFileBytes(path: dir, displayName: "d").failure?.description == "d: error: is a directory, not a file")
        #expect(messages(InvoiceCSVReader.read(path: dir, displayName: "d", kind: .payable, currency: "EUR"))
                == ["d: error: is a directory, not a file"])
    }

    @Test(.enabled(if: geteuid() != 0, "root can read anything"))
    func permissionDenied() {
        let path = CSVFileTests.tempDir() + "/secret.csv"
        CSVFileTests.write(Array(header.utf8), to: path)
        chmod(path, 0)
        #expect(readFileBytes(path: path, displayName: "s.csv").failure?.description == "s.csv: error: permission denied: cannot read the file")
    }

    @Test func emptyFiles() {
        let dir = CSVFileTests.tempDir()
        for (i, bytes) in [[], [0xEF, 0xBB, 0xBF], Array("  \n\r\n".utf8)].enumerated() {
            let path = "\(dir)/e\(i).csv"
            CSVFileTests.write(bytes, to: path)
            #expect(readFileBytes(path: path, displayName: "e.csv").failure?.description == "e.csv: error: empty file: no header row")
            #expect(messages(InvoiceCSVReader.read(path: path, displayName: "e.csv", kind: .receivable, currency: "EUR"))
                    == ["e.csv: error: empty file: no header row"])
        }
    }

    @Test func smallAndLargeFilesReadTheSame() {
        // Files of 1 MB and more are memory-mapped; smaller ones are read.
        let dir = CSVFileTests.tempDir()
        var small = header
        for i in 0..<10 { small += "S\(i),B,2026-01-01,2026-01-31,10,EUR\n" }
        CSVFileTests.write(Array(small.utf8), to: dir + "/small.csv")
        let invoices = (0..<30_000).map { i in
            Invoice(id: "L\(i)", counterparty: "Client \(i % 97)", issueDate: day("2026-01-01") + i % 300,
                    dueDate: day("2026-03-01") + i % 300, amount: Money(cents: Int64(100 + i)))
        }
        let large = InvoiceCSVWriter.write(invoices, kind: .receivable, currency: "EUR")
        #expect(large.count > 1 << 20)
        CSVFileTests.write(large, to: dir + "/large.csv")
        let rs = InvoiceCSVReader.read(path: dir + "/small.csv", displayName: "s", kind: .receivable, currency: "EUR")
        #expect(rs.invoices.count == 10 && rs.diagnostics.isEmpty)
        let rl = InvoiceCSVReader.read(path: dir + "/large.csv", displayName: "l", kind: .receivable, currency: "EUR")
        #expect(rl.diagnostics.isEmpty)
        #expect(rl.invoices.map { withLine($0, 0) } == invoices)
        if case .success(let bytes) = readFileBytes(path: dir + "/large.csv", displayName: "l") { #expect(bytes == large) } else { Issue.record("read failed") }
    }
}

private extension Result {
    var failure: Failure? { if case .failure(let f) = self { return f }; return nil }
}

private func withLine(_ i: Invoice, _ line: Int32) -> Invoice { var c = i; c.line = line; return c }

// MARK: - Writer and round trip

@Suite("CSV writer")
struct CSVWriterTests {
    @Test func canonicalOutput() {
        let inv = [
            Invoice(id: "F-1", counterparty: "Dupont, \"Fils\"", issueDate: day("2026-11-03"), dueDate: day("2027-01-02"),
                    amount: Money(cents: 1_234_567), status: .disputed, expectedDate: day("2027-01-20"),
                    discount: EarlyPaymentDiscount(rate: Rate(percentHundredths: 250), days: 10), country: "FR", note: "a\nb"),
            Invoice(id: "F-2", counterparty: "Nova", issueDate: day("2026-11-04"), dueDate: day("2026-12-04"), amount: Money(cents: 5)),
        ]
        let text = String(decoding: InvoiceCSVWriter.write(inv, kind: .receivable, currency: "EUR"), as: UTF8.self)
        #expect(text == #"""
            id,counterparty,issue_date,due_date,amount,currency,status,expected_date,discount,country,note
            F-1,"Dupont, ""Fils""",2026-11-03,2027-01-02,12345.67,EUR,disputed,2027-01-20,2.5/10,FR,"a
            b"
            F-2,Nova,2026-11-04,2026-12-04,0.05,EUR,open,,,,

            """#)
    }

    static let alphabet: [String] = ["a", "Z", "0", " ", ",", "\"", "\n", "\r\n", ";", "\t", "é", "É", "ü", "ß", "œ", "€", "中", "文",
                                     "日本", "🙂", "'", "(", ")", "&", "-", "/", "\u{00A0}x", "x\u{202F}y"]

    static func randomText(_ rng: inout SeededRandom, maxLength: Int) -> String {
        var s = ""
        for _ in 0..<Int.random(in: 1...maxLength, using: &rng) { s += alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
        // The reader ignores blanks around a field, so a value is generated without them.
        let blanks: Set<Character> = [" ", "\t", "\u{00A0}", "\u{202F}"]
        while let f = s.first, blanks.contains(f) { s.removeFirst() }
        while let l = s.last, blanks.contains(l) { s.removeLast() }
        return s.isEmpty ? "x" : s
    }

    static func randomInvoice(_ rng: inout SeededRandom) -> Invoice {
        let issue = Day(raw: Int32.random(in: 19_000...22_000, using: &rng))
        return Invoice(
            id: randomText(&rng, maxLength: 12), counterparty: randomText(&rng, maxLength: 30), issueDate: issue,
            dueDate: issue + Int.random(in: -5...120, using: &rng), amount: Money(cents: Int64.random(in: 1...99_999_999_999, using: &rng)),
            status: Bool.random(using: &rng) ? .open : .disputed,
            expectedDate: Bool.random(using: &rng) ? issue + Int.random(in: 0...200, using: &rng) : nil,
            discount: Bool.random(using: &rng) ? EarlyPaymentDiscount(rate: Rate(nanos: Int64.random(in: 0..<1_000_000_000, using: &rng) / 100 * 100),
                                                                       days: Int.random(in: 0...60, using: &rng)) : nil,
            country: Bool.random(using: &rng) ? randomText(&rng, maxLength: 3) : nil,
            note: Bool.random(using: &rng) ? randomText(&rng, maxLength: 40) : nil)
    }

    @Test(arguments: 0..<20)
    func roundTrip(seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let invoices = (0..<50).map { _ in CSVWriterTests.randomInvoice(&rng) }
        let bytes = InvoiceCSVWriter.write(invoices, kind: .payable, currency: "EUR")
        let r = InvoiceCSVReader.read(bytes: bytes, displayName: "w.csv", kind: .payable, currency: "EUR")
        #expect(r.errors.isEmpty, "\(r.errors.prefix(3))")
        #expect(r.warnings.allSatisfy { $0.message.contains("is before") || $0.message.contains("duplicate id") })
        #expect(r.invoices.map { withLine($0, 0) } == invoices.filter { $0.status == .open })
        #expect(r.disputed.map { withLine($0, 0) } == invoices.filter { $0.status == .disputed })
        // Line numbers count the line breaks inside quoted names and notes (CRLF counts once).
        var line: Int32 = 2
        var lines: [Int32] = []
        for inv in invoices {
            lines.append(line)
            let bytes = Array([inv.id, inv.counterparty, inv.country ?? "", inv.note ?? ""].joined(separator: ",").utf8)
            let lf = bytes.filter { $0 == 10 }.count, cr = bytes.filter { $0 == 13 }.count
            let crlf = zip(bytes, bytes.dropFirst()).filter { $0 == 13 && $1 == 10 }.count
            line += 1 + Int32(lf + cr - crlf)
        }
        #expect((r.invoices + r.disputed).map(\.line).sorted() == lines)
    }
}

// MARK: - Robustness

@Suite("CSV reader: robustness")
struct CSVRobustnessTests {
    static let seedFile: [UInt8] = Array(("Numéro;Client;Date;Échéance;Montant TTC;Devise;Statut;Escompte;Note\r\n"
        + "F1;\"Dupont; Fils\";03/11/2026;03/01/2027;1 234,56;EUR;ouvert;2/10;\"multi\nline\"\r\n"
        + "F2;Société;2026-11-04;2026-12-04;12,00 €;EUR;payée;;\r\n"
        + "F3;Nova;04.11.2026;04-12-2026;(5,00);EUR;litige;;\r\n"
        + "F1;X;01/01/2026;01/02/2026;1.234,56;EUR;;;\"\"\"q\"\"\"\r\n").utf8)

    @Test func mutatedFilesNeverCrash() {
        var rng = SeededRandom(seed: 42)
        let interesting: [UInt8] = [0x22, 0x3B, 0x2C, 0x0A, 0x0D, 0x09, 0x20, 0x00, 0xFF, 0xC3, 0xA9, 0xE2, 0x80, 0xEF, 0xBB, 0xBF, 0x2D, 0x2E, 0x2F, 0x30, 0x39]
        var loaded = 0
        for _ in 0..<600 {
            var bytes = CSVRobustnessTests.seedFile
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let i = Int.random(in: 0..<max(1, bytes.count), using: &rng)
                let b = Bool.random(using: &rng) ? interesting[Int.random(in: 0..<interesting.count, using: &rng)] : UInt8.random(in: 0...255, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0 where !bytes.isEmpty: bytes[i] = b
                case 1: bytes.insert(b, at: min(i, bytes.count))
                case 2 where !bytes.isEmpty: bytes.remove(at: i)
                default: bytes = Array(bytes.prefix(i))
                }
            }
            let r = read(bytes: bytes)
            loaded += r.invoices.count
            for d in r.diagnostics {
                #expect(d.line >= 0 && d.column >= 0)
                #expect(!d.message.isEmpty)
            }
            for inv in r.invoices + r.disputed {
                #expect(inv.amount.cents != 0)
                #expect(!inv.id.isEmpty && !inv.counterparty.isEmpty)
            }
        }
        #expect(loaded > 0)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = read(bytes: Array(header.utf8) + bytes)
            _ = read(bytes: bytes)
        }
    }
}

// MARK: - Parallel parsing

@Suite("CSV reader: two halves")
struct CSVParallelTests {
    static func compare(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let one = bytes.withUnsafeBufferPointer { InvoiceCSVReader.read(buffer: $0, displayName: "p.csv", kind: .receivable, currency: "EUR", parallel: false) }
        let two = bytes.withUnsafeBufferPointer { InvoiceCSVReader.read(buffer: $0, displayName: "p.csv", kind: .receivable, currency: "EUR", parallel: true) }
        // Reported as the first difference: dumping two arrays of 100 000 invoices helps nobody.
        func firstDifference(_ a: [Invoice], _ b: [Invoice]) -> String? {
            if let i = a.indices.first(where: { $0 < b.count && a[$0] != b[$0] }) { return "index \(i): \(a[i]) vs \(b[i])" }
            return a.count == b.count ? nil : "counts \(a.count) vs \(b.count)"
        }
        #expect(firstDifference(one.invoices, two.invoices) == nil, sourceLocation: sourceLocation)
        #expect(firstDifference(one.disputed, two.disputed) == nil, sourceLocation: sourceLocation)
        #expect(one.paidSkipped == two.paidSkipped, sourceLocation: sourceLocation)
        #expect(one.diagnostics == two.diagnostics, sourceLocation: sourceLocation)
        #expect(one.rejected == two.rejected, sourceLocation: sourceLocation)
        #expect(one.payments == two.payments, sourceLocation: sourceLocation)
    }

    static func bigFile(rows: Int, row: (Int) -> String) -> [UInt8] {
        var text = "id;counterparty;issue_date;due_date;amount;status;note\n"
        for i in 0..<rows { text += row(i) + "\n" }
        return Array(text.utf8)
    }

    @Test func sameResultAsOneThread() {
        let bytes = CSVParallelTests.bigFile(rows: 40_000) { i in
            let id = i % 1000 == 999 ? "F\(i / 3)" : "F\(i)"                 // duplicates across the halves
            let status = i % 17 == 0 ? "payé" : (i % 23 == 0 ? "litige" : "")
            let amount = i % 5001 == 0 ? "-1x" : "\(i % 900 + 1),\(i % 100)"  // a few errors everywhere
            let note = i % 7 == 0 ? "\"two\nlines; \"\"quoted\"\"\"" : "n\(i)"
            return "\(id);Client \(i % 300);03/11/2026;0\(i % 9 + 1)/12/2026;\(amount);\(status);\(note)"
        }
        #expect(bytes.count > InvoiceCSVParser.parallelThreshold)
        CSVParallelTests.compare(bytes)
        let r = InvoiceCSVReader.read(bytes: bytes, displayName: "p.csv", kind: .receivable, currency: "EUR")
        #expect(r.warnings.contains { $0.message.contains("duplicate id") })
        #expect(r.errors.count > 3)
    }

    @Test func unsortedIds() {
        let bytes = CSVParallelTests.bigFile(rows: 40_000) { i in
            "K\((i * 7919) % 40_000 / (i % 4000 == 0 ? 2 : 1));ACME;2026-11-03;2026-12-03;10;;"
        }
        CSVParallelTests.compare(bytes)
    }

    @Test func splitInsideAQuotedField() {
        // A note spans the middle of the file: the split is tried there, found inside a quoted field
        // (the first half does not stop on it), and undone.
        var text = "id;counterparty;issue_date;due_date;amount;status;note\n"
        for i in 0..<10_000 { text += "A\(i);B;2026-11-03;2026-12-03;10;;x\n" }
        text += "Q;B;2026-11-03;2026-12-03;10;;\"" + String(repeating: "long note line\n", count: 100_000) + "\"\n"
        for i in 0..<10_000 { text += "C\(i);B;2026-11-03;2026-12-03;10;;x\n" }
        CSVParallelTests.compare(Array(text.utf8))

        var even = "id;counterparty;issue_date;due_date;amount;status;note\n"
        for i in 0...10_000 { even += "A\(i);12\" pipes;2026-11-03;2026-12-03;10;;x\n" } // stray quotes too
        even += "Q;B;2026-11-03;2026-12-03;10;;\"" + String(repeating: "long note line\n", count: 100_000) + "\"\n"
        for i in 0..<10_000 { even += "C\(i);B;2026-11-03;2026-12-03;10;;x\n" }
        CSVParallelTests.compare(Array(even.utf8))
        // Check that the split really was tried inside the note, then undone.
        Array(even.utf8).withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            var parser = InvoiceCSVParser(base: base, end: buf.count, start: 0, file: "p", kind: .receivable, options: InvoiceImportOptions(currency: "EUR"), invalidOffsets: [])
            defer { parser.release() }
            guard let data = parser.readHeader() else { Issue.record("no header"); return }
            let plan = parser.plan(data, parallel: true)
            guard let split = plan.split else { Issue.record("expected a split"); return }
            let stop = parser.parseRange(from: data.0, to: split.offset, line: data.1)
            #expect(stop.offset > split.offset)
        }
    }

    @Test func estimateTooLow() {
        // Long rows first make the capacity estimate far too low: the extra invoices go to overflow, in order.
        var text = "id;counterparty;issue_date;due_date;amount;status;note\n"
        for i in 0..<40 { text += "L\(i);B;2026-11-03;2026-12-03;10;;\(String(repeating: "n", count: 3000))\n" }
        for i in 0..<100_000 { text += "S\(i);B;2026-11-03;2026-12-03;\(i % 50 + 1);;\n" }
        let bytes = Array(text.utf8)
        CSVParallelTests.compare(bytes)
        let r = InvoiceCSVReader.read(bytes: bytes, displayName: "p.csv", kind: .receivable, currency: "EUR")
        #expect(r.invoices.count == 100_040)
        #expect(r.invoices.map(\.line) == (0..<100_040).map { Int32($0 + 2) })

        // The same with a quoted note over the middle: the split is undone after the first half overflowed.
        var quoted = "id;counterparty;issue_date;due_date;amount;status;note\n"
        for i in 0..<40 { quoted += "L\(i);B;2026-11-03;2026-12-03;10;;\(String(repeating: "n", count: 3000))\n" }
        for i in 0..<30_000 { quoted += "S\(i);B;2026-11-03;2026-12-03;\(i % 50 + 1);;\n" }
        quoted += "Q;B;2026-11-03;2026-12-03;10;;\"" + String(repeating: "note line\n", count: 150_000) + "\"\n"
        for i in 0..<30_000 { quoted += "T\(i);B;2026-11-03;2026-12-03;\(i % 50 + 1);;\n" }
        CSVParallelTests.compare(Array(quoted.utf8))
    }

    @Test func crOnlyAndCRLF() {
        for eol in ["\r", "\r\n"] {
            var text = "id,counterparty,issue_date,due_date,amount" + eol
            for i in 0..<30_000 { text += "F\(i),Client \(i % 50),2026-11-03,2026-12-03,\(i + 1).5" + eol + (i % 1000 == 0 ? eol : "") }
            CSVParallelTests.compare(Array(text.utf8))
        }
    }
}
