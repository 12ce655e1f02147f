import Testing
import TestSupport
import TresoCore
@testable import TresoIO

/// Real published samples (Tests/Fixtures/einvoices, licences beside them): amounts, dates, parties.
@Suite struct EInvoiceTests {
    static let dir = packageRoot() + "/Tests/Fixtures/einvoices/"

    func load(_ name: String) -> EInvoiceDocument? {
        let r = EInvoiceReader.read(paths: [(Self.dir + name, name)])
        #expect(r.diagnostics.isEmpty, "\(r.diagnostics)")
        return r.documents.first
    }

    @Test func facturXMinimumHasAmountButNoDueDate() throws {
        let d = try #require(load("akretion-factur-x-minimum.xml"))
        #expect(d.syntax == .cii)
        #expect(d.profile == "urn:factur-x.eu:1p0:minimum")
        #expect(d.id == "F20260023")
        #expect(d.issueDate == Day(year: 2026, month: 1, day: 31))
        #expect(d.amountDue == Money(cents: 10_490))
        #expect(d.currency == "EUR")
        #expect(d.dueDate == nil && d.dueDateSource == .missing)
        #expect(d.seller.ids.contains("123456782"))
        #expect(d.buyer.name == "LE CLIENT")
        #expect(!d.isCreditNote)
    }

    @Test func everyProfileLoads() {
        for f in ["akretion-factur-x-basicwl.xml", "akretion-factur-x-en16931.xml", "akretion-factur-x-extended.xml",
                  "akretion-zugferd-basic.xml", "horstoeko-xml-en16931-1.xml", "akretion-ubl-21-en16931.xml"] {
            let d = load(f)
            #expect(d != nil, "\(f)")
            #expect((d?.amountDue ?? .zero) > .zero, "\(f)")
        }
    }

    @Test func dueDatesFromStructuredTermsThenText() throws {
        let en = try #require(load("akretion-factur-x-en16931.xml"))
        #expect(en.dueDate == Day(year: 2026, month: 3, day: 2) && en.dueDateSource == .structured)
        #expect(en.amountDue == Money(cents: 10_490))
        let ubl = try #require(load("akretion-ubl-21-en16931.xml"))
        #expect(ubl.syntax == .ubl && ubl.amountDue == Money(cents: 20_803))
        #expect(ubl.dueDate == Day(year: 2026, month: 7, day: 16))
        // "Zahlbar innerhalb 30 Tagen netto bis 04.04.2018, 3% Skonto innerhalb 10 Tagen bis 15.03.2018"
        let de = try #require(load("horstoeko-xml-en16931-1.xml"))
        #expect(de.amountDue == Money(cents: 52_987))
        #expect(de.dueDate == Day(year: 2018, month: 4, day: 4))
        guard case .text = de.dueDateSource else { Issue.record("\(de.dueDateSource)"); return }
        #expect(de.discount == EarlyPaymentDiscount(rate: Rate(percent: "3")!, days: 10))
        // ZUGFeRD 1.0 BASIC: no DuePayableAmount, grand total minus prepaid.
        let z1 = try #require(load("akretion-zugferd-basic.xml"))
        #expect(z1.syntax == .zugferd1 && z1.amountDue == Money(cents: 23_562))
        #expect(z1.issueDate == Day(year: 2013, month: 3, day: 5))
    }

    @Test func facturXPDFEmbeddedXMLIsInflatedAndRead() throws {
        let d = try #require(load("horstoeko-zf-en16931-1.pdf"))
        let xml = try #require(load("horstoeko-xml-en16931-1.xml"))
        #expect(d.syntax == .cii)
        #expect(d.id == xml.id)
        #expect(d.amountDue == xml.amountDue)
    }

    @Test func companyIDsMatchAcrossSirenSiretAndVAT() {
        #expect(CompanyID.matches("123 456 782", "FR11123456782"))
        #expect(CompanyID.matches("12345678200017", "123456782"))
        #expect(!CompanyID.matches("123456782", "987654321"))
    }

    @Test func termsTextIsReadOnlyWhenUnambiguous() {
        let issue = Day(year: 2018, month: 3, day: 5)!
        #expect(PaymentTermsText.read("30 jours net", issueDate: issue).dueDate == issue + 30)
        #expect(PaymentTermsText.read("Net 30 days", issueDate: issue).dueDate == issue + 30)
        #expect(PaymentTermsText.read("Zahlbar ohne Abzug bis 04.04.2018", issueDate: issue).dueDate == Day(year: 2018, month: 4, day: 4))
        #expect(PaymentTermsText.read("45 jours fin de mois", issueDate: issue).dueDate == (issue + 45).endOfMonth)
        let both = PaymentTermsText.read("Payment within 10 days, 2% discount; net 30 days", issueDate: issue)
        #expect(both.discount == EarlyPaymentDiscount(rate: Rate(percent: "2")!, days: 10))
        #expect(both.dueDate == issue + 30)
        #expect(PaymentTermsText.read("30 or 60 days", issueDate: issue).dueDate == nil)
    }

    @Test func creditNoteReversesAndRejectionsNameWhatIsMissing() throws {
        let ubl = """
        \u{FEFF}<?xml version="1.0" encoding="UTF-8"?>
        <!-- a comment before the root -->
        <x:CreditNote xmlns:x="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
           xmlns:b="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
           xmlns:a="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">
          <b:ID>AV-1</b:ID><b:IssueDate>2026-01-10</b:IssueDate><b:DocumentCurrencyCode>EUR</b:DocumentCurrencyCode>
          <a:PaymentTerms><b:Note>30 jours net</b:Note></a:PaymentTerms>
          <a:AccountingSupplierParty><a:Party><a:PartyName><b:Name>S</b:Name></a:PartyName></a:Party></a:AccountingSupplierParty>
          <a:AccountingCustomerParty><a:Party><a:PartyName><b:Name>B</b:Name></a:PartyName></a:Party></a:AccountingCustomerParty>
          <a:LegalMonetaryTotal><b:PayableAmount currencyID="EUR">120.00</b:PayableAmount></a:LegalMonetaryTotal>
        </x:CreditNote>
        """
        let d = try EInvoiceReader.document(Array(ubl.utf8), file: "cn.xml").get()
        #expect(d.isCreditNote && d.signedAmountDue == Money(cents: -12_000))
        #expect(d.dueDate == Day(year: 2026, month: 2, day: 9))
        #expect(d.dueDateSource == .text("30 jours net"))

        let broken = #"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID xmlns="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">1</ID></Invoice>"#
        guard case .failure(let diag) = EInvoiceReader.document(Array(broken.utf8), file: "b.xml") else { Issue.record("accepted"); return }
        #expect(diag.file == "b.xml")
        #expect(diag.message.contains("issue date") && diag.message.contains("amount due") && diag.message.contains("seller"))

        guard case .failure(let notPDF) = EInvoiceReader.document(Array("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".utf8), file: "p.pdf") else { return }
        #expect(notPDF.message.contains("without an embedded e-invoice"))
    }
}

