import Foundation
import TresoCore

/// Turns a parsed CII / ZUGFeRD 1 / UBL document into an `EInvoiceDocument`. The root element's
/// namespace decides the syntax (prefixes are irrelevant); fields are looked up by local name under
/// that structure. Everything missing is named in one diagnostic.
enum EInvoiceXML {
    static let ciiNamespace = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    static let zugferd1Namespace = "urn:ferd:CrossIndustryDocument:invoice:1p0"
    static let ublInvoiceNamespace = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    static let ublCreditNoteNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"

    /// UNTDID 1001 codes of documents that credit the buyer.
    static let creditNoteCodes: Set<String> = ["381", "261", "262", "296", "308", "396", "420", "458", "532"]

    /// Whether this root is an invoice treso reads (used to pick a PDF attachment).
    static func isInvoiceRoot(_ root: XElement) -> Bool {
        (root.name == "CrossIndustryInvoice" && root.namespace == ciiNamespace)
            || (root.name == "CrossIndustryDocument" && root.namespace == zugferd1Namespace)
            || (root.name == "Invoice" && root.namespace == ublInvoiceNamespace)
            || (root.name == "CreditNote" && root.namespace == ublCreditNoteNamespace)
    }

    static func document(_ root: XElement, file: String) -> Result<EInvoiceDocument, Diagnostic> {
        switch (root.namespace, root.name) {
        case (ciiNamespace, "CrossIndustryInvoice"): return cii(root, file: file, zugferd1: false)
        case (zugferd1Namespace, "CrossIndustryDocument"): return cii(root, file: file, zugferd1: true)
        case (ublInvoiceNamespace, "Invoice"): return ubl(root, file: file, creditNote: false)
        case (ublCreditNoteNamespace, "CreditNote"): return ubl(root, file: file, creditNote: true)
        default:
            let ns = root.namespace.isEmpty ? "no namespace" : "namespace \(root.namespace)"
            return .failure(.error(file, line: root.line,
                "not an e-invoice: root element <\(root.name)> in \(ns) (expected a CII CrossIndustryInvoice, a UBL 2.1 Invoice or CreditNote)"))
        }
    }

    // MARK: CII (Factur-X, ZUGFeRD 2.x, XRechnung CII) and ZUGFeRD 1.0

    private static func cii(_ root: XElement, file: String, zugferd1: Bool) -> Result<EInvoiceDocument, Diagnostic> {
        var missing: [String] = []
        let context = root.child(zugferd1 ? "SpecifiedExchangedDocumentContext" : "ExchangedDocumentContext")
        let header = root.child(zugferd1 ? "HeaderExchangedDocument" : "ExchangedDocument")
        let transaction = root.child(zugferd1 ? "SpecifiedSupplyChainTradeTransaction" : "SupplyChainTradeTransaction")
        let agreement = transaction?.child(zugferd1 ? "ApplicableSupplyChainTradeAgreement" : "ApplicableHeaderTradeAgreement")
        let settlement = transaction?.child(zugferd1 ? "ApplicableSupplyChainTradeSettlement" : "ApplicableHeaderTradeSettlement")
        let summation = settlement?.child(zugferd1 ? "SpecifiedTradeSettlementMonetarySummation" : "SpecifiedTradeSettlementHeaderMonetarySummation")

        // An amount over ScenarioLimits.maxAmount is named at its line:column, not reported as "missing".
        for (name, what) in [("DuePayableAmount", "amount due"), ("GrandTotalAmount", "grand total"),
                             ("TotalPrepaidAmount", "prepaid amount"), ("RoundingAmount", "rounding amount")] {
            if let d = DecimalText.limitDiagnostic(summation?.child(name), file: file, what: "\(what) (\(name))") { return .failure(d) }
        }
        for t in summation?.all("TaxTotalAmount") ?? [] {
            if let d = DecimalText.limitDiagnostic(t, file: file, what: "VAT total (TaxTotalAmount)") { return .failure(d) }
        }

        let profile = context?.value("GuidelineSpecifiedDocumentContextParameter", "ID")
        let id = header?.value("ID")
        if id == nil { missing.append("the invoice number (ExchangedDocument/ID)") }
        let typeCode = header?.value("TypeCode") ?? "380"
        let issueText = header?.value("IssueDateTime", "DateTimeString")
        let issue = issueText.flatMap { ciiDate($0) }
        if issue == nil { missing.append(issueText == nil ? "the issue date (IssueDateTime)" : "a readable issue date ('\(issueText ?? "")')") }
        let currency = settlement?.value("InvoiceCurrencyCode")
        if currency == nil { missing.append("the currency (InvoiceCurrencyCode)") }

        var amount: Money?
        if let s = summation {
            if let due = s.value("DuePayableAmount") {
                amount = DecimalText.money(due)
                if amount == nil { missing.append("a readable amount due ('\(due)')") }
            } else if let grand = s.value("GrandTotalAmount").flatMap({ DecimalText.money($0) }) {
                // EN 16931 BR-CO-16: amount due = grand total − prepaid (+ rounding).
                let prepaid = s.value("TotalPrepaidAmount").flatMap { DecimalText.money($0) } ?? .zero
                let rounding = s.value("RoundingAmount").flatMap { DecimalText.money($0) } ?? .zero
                amount = grand - prepaid + rounding
            }
        }
        if amount == nil && !missing.contains(where: { $0.hasPrefix("a readable amount") }) {
            missing.append("the amount due (DuePayableAmount)")
        }
        let vat = summation.flatMap { s -> Money? in
            let totals = s.all("TaxTotalAmount")
            let pick = totals.first { $0.attributes["currencyID"] == currency } ?? totals.first
            return pick?.trimmedText.flatMap { DecimalText.money($0) }
        }

        let seller = agreement?.child("SellerTradeParty")
        let buyer = agreement?.child("BuyerTradeParty")
        if seller == nil { missing.append("the seller (SellerTradeParty)") }
        if buyer == nil { missing.append("the buyer (BuyerTradeParty)") }

        guard missing.isEmpty, let id, let issue, let currency, let amount, let seller, let buyer else {
            return .failure(.error(file, line: root.line, "e-invoice rejected: missing " + missing.joined(separator: ", ")))
        }

        // Payment terms: structured due date first, then the text, then nothing (inferred later).
        var due: Day?
        var source = EInvoiceDocument.DueDateSource.missing
        var discount: EarlyPaymentDiscount?
        var texts: [String] = []
        for terms in settlement?.all("SpecifiedTradePaymentTerms") ?? [] {
            if due == nil, let d = terms.value("DueDateDateTime", "DateTimeString").flatMap({ ciiDate($0) }) {
                due = d; source = .structured
            }
            if let t = terms.value("Description") { texts.append(t) }
            if discount == nil, let dt = terms.child("ApplicableTradePaymentDiscountTerms"),
               let pct = dt.value("CalculationPercent").flatMap({ Rate(percent: $0) }), pct > .zero, pct < .one {
                let days = dt.value("BasisPeriodMeasure").flatMap { Double($0) }.map { Int($0) }
                    ?? dt.value("BasisDateTime", "DateTimeString").flatMap { ciiDate($0) }.map { $0 - issue }
                if let days, days >= 0 { discount = EarlyPaymentDiscount(rate: pct, days: days) }
            }
        }
        let termsText = texts.isEmpty ? nil : texts.joined(separator: " ")
        if let t = termsText {
            let r = PaymentTermsText.read(t, issueDate: issue)
            if due == nil, let d = r.dueDate { due = d; source = .text(t) }
            if discount == nil { discount = r.discount }
        }
        let paymentReference = settlement?.value("PaymentReference")
        return .success(EInvoiceDocument(
            file: file, syntax: zugferd1 ? .zugferd1 : .cii, profile: profile, id: id, typeCode: typeCode,
            isCreditNote: creditNoteCodes.contains(typeCode), issueDate: issue, currency: currency,
            amountDue: amount, vatTotal: vat, dueDate: due, dueDateSource: source, paymentTerms: termsText,
            discount: discount, paymentReference: paymentReference,
            seller: ciiParty(seller), buyer: ciiParty(buyer)))
    }

    private static func ciiParty(_ p: XElement) -> EInvoiceDocument.Party {
        var ids: [String] = []
        for e in p.all("ID") + p.all("GlobalID") { if let t = e.trimmedText { ids.append(t) } }
        if let t = p.value("SpecifiedLegalOrganization", "ID") { ids.append(t) }
        for reg in p.all("SpecifiedTaxRegistration") { if let t = reg.value("ID") { ids.append(t) } }
        let name = p.value("Name") ?? p.value("SpecifiedLegalOrganization", "TradingBusinessName") ?? ids.first ?? ""
        return .init(name: name, ids: ids.map { $0.replacingOccurrences(of: " ", with: "") })
    }

    /// CII DateTimeString: format 102 (YYYYMMDD) is the rule; ISO dates are tolerated.
    static func ciiDate(_ s: String) -> Day? { DecimalText.day(s) }

    // MARK: UBL 2.1

    private static func ubl(_ root: XElement, file: String, creditNote: Bool) -> Result<EInvoiceDocument, Diagnostic> {
        var missing: [String] = []
        let id = root.value("ID")
        if id == nil { missing.append("the invoice number (cbc:ID)") }
        let issueText = root.value("IssueDate")
        let issue = issueText.flatMap { DecimalText.day($0) }
        if issue == nil { missing.append(issueText == nil ? "the issue date (cbc:IssueDate)" : "a readable issue date ('\(issueText ?? "")')") }
        let currency = root.value("DocumentCurrencyCode")
        if currency == nil { missing.append("the currency (cbc:DocumentCurrencyCode)") }
        if let d = DecimalText.limitDiagnostic(root.path("LegalMonetaryTotal", "PayableAmount"), file: file,
                                               what: "amount due (PayableAmount)") { return .failure(d) }
        for t in root.all("TaxTotal") {
            if let d = DecimalText.limitDiagnostic(t.child("TaxAmount"), file: file, what: "VAT total (TaxAmount)") { return .failure(d) }
        }
        let payableText = root.value("LegalMonetaryTotal", "PayableAmount")
        let amount = payableText.flatMap { DecimalText.money($0) }
        if amount == nil { missing.append(payableText == nil ? "the amount due (LegalMonetaryTotal/PayableAmount)" : "a readable amount due ('\(payableText ?? "")')") }
        let seller = root.path("AccountingSupplierParty", "Party")
        let buyer = root.path("AccountingCustomerParty", "Party")
        if seller == nil { missing.append("the seller (AccountingSupplierParty)") }
        if buyer == nil { missing.append("the buyer (AccountingCustomerParty)") }
        guard missing.isEmpty, let id, let issue, let currency, let amount, let seller, let buyer else {
            return .failure(.error(file, line: root.line, "e-invoice rejected: missing " + missing.joined(separator: ", ")))
        }
        let typeCode = root.value(creditNote ? "CreditNoteTypeCode" : "InvoiceTypeCode") ?? (creditNote ? "381" : "380")
        let vat = root.all("TaxTotal").lazy.compactMap { t -> Money? in
            guard let a = t.child("TaxAmount"), a.attributes["currencyID"] == nil || a.attributes["currencyID"] == currency else { return nil }
            return a.trimmedText.flatMap { DecimalText.money($0) }
        }.first

        var due: Day?
        var source = EInvoiceDocument.DueDateSource.missing
        if let d = root.value("DueDate").flatMap({ DecimalText.day($0) }) {
            due = d; source = .structured
        } else if let d = root.all("PaymentMeans").lazy.compactMap({ $0.value("PaymentDueDate").flatMap { DecimalText.day($0) } }).first {
            due = d; source = .structured
        }
        var discount: EarlyPaymentDiscount?
        var texts: [String] = []
        for terms in root.all("PaymentTerms") {
            for n in terms.all("Note") { if let t = n.trimmedText { texts.append(t) } }
            if discount == nil, let pct = terms.value("SettlementDiscountPercent").flatMap({ Rate(percent: $0) }), pct > .zero, pct < .one,
               let end = terms.value("SettlementPeriod", "EndDate").flatMap({ DecimalText.day($0) }), end >= issue {
                discount = EarlyPaymentDiscount(rate: pct, days: end - issue)
            }
            if due == nil, let d = terms.value("PaymentDueDate").flatMap({ DecimalText.day($0) }) { due = d; source = .structured }
        }
        let termsText = texts.isEmpty ? nil : texts.joined(separator: " ")
        if let t = termsText {
            let r = PaymentTermsText.read(t, issueDate: issue)
            if due == nil, let d = r.dueDate { due = d; source = .text(t) }
            if discount == nil { discount = r.discount }
        }
        let paymentReference = root.all("PaymentMeans").lazy.compactMap { $0.value("PaymentID") }.first
        return .success(EInvoiceDocument(
            file: file, syntax: .ubl, profile: root.value("CustomizationID"), id: id, typeCode: typeCode,
            isCreditNote: creditNote || creditNoteCodes.contains(typeCode), issueDate: issue, currency: currency,
            amountDue: amount, vatTotal: vat, dueDate: due, dueDateSource: source, paymentTerms: termsText,
            discount: discount, paymentReference: paymentReference,
            seller: ublParty(seller), buyer: ublParty(buyer)))
    }

    private static func ublParty(_ p: XElement) -> EInvoiceDocument.Party {
        var ids: [String] = []
        if let t = p.value("EndpointID") { ids.append(t) }
        for pi in p.all("PartyIdentification") { if let t = pi.value("ID") { ids.append(t) } }
        for ts in p.all("PartyTaxScheme") { if let t = ts.value("CompanyID") { ids.append(t) } }
        for le in p.all("PartyLegalEntity") { if let t = le.value("CompanyID") { ids.append(t) } }
        let name = p.value("PartyName", "Name") ?? p.value("PartyLegalEntity", "RegistrationName") ?? ids.first ?? ""
        return .init(name: name, ids: ids.map { $0.replacingOccurrences(of: " ", with: "") })
    }
}
