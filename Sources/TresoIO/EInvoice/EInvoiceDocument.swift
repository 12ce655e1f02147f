import TresoCore

/// One e-invoice as its file states it, before treso decides what it means for the scenario
/// (receivable or payable, currency conversion): a neutral value the readers return.
public struct EInvoiceDocument: Sendable, Hashable {
    public enum Syntax: String, Sendable, Hashable {
        /// UN/CEFACT Cross-Industry Invoice (Factur-X, ZUGFeRD 2, XRechnung CII).
        case cii
        /// OASIS UBL 2.1 Invoice or CreditNote.
        case ubl
        /// ZUGFeRD 1.0 (CrossIndustryDocument), the predecessor of Factur-X.
        case zugferd1
    }

    /// Where the due date came from: a verdict never hides an assumption.
    public enum DueDateSource: Sendable, Hashable {
        /// A structured field (CII DueDateDateTime, UBL DueDate / PaymentDueDate).
        case structured
        /// Read from the payment terms text, quoted.
        case text(String)
        /// None: the loader infers issue date + payment terms and flags it.
        case missing
    }

    public struct Party: Sendable, Hashable {
        public var name: String
        /// SIREN / SIRET / VAT / GLN / any scheme, as written (spaces removed).
        public var ids: [String]
        public init(name: String, ids: [String]) { self.name = name; self.ids = ids }
    }

    public var file: String
    public var syntax: Syntax
    /// The guideline / customization id (`urn:factur-x.eu:1p0:minimum`, `urn:cen.eu:en16931:2017`, …).
    public var profile: String?
    public var id: String
    /// UNTDID 1001 code: 380 invoice, 381 credit note, 384 corrected, 389 self-billed…
    public var typeCode: String
    public var isCreditNote: Bool
    public var issueDate: Day
    public var currency: String
    /// Amount due for payment as written (CII DuePayableAmount, UBL PayableAmount); a credit note's
    /// is positive here and `signedAmountDue` reverses it.
    public var amountDue: Money
    public var vatTotal: Money?
    public var dueDate: Day?
    public var dueDateSource: DueDateSource
    public var paymentTerms: String?
    public var discount: EarlyPaymentDiscount?
    public var paymentReference: String?
    public var seller: Party
    public var buyer: Party

    /// What the buyer owes the seller: negative for a credit note (money back to the buyer).
    public var signedAmountDue: Money { isCreditNote ? -amountDue : amountDue }
}

/// Ids compared the way users write them: case, spaces, dots and dashes ignored. A SIREN (9 digits)
/// matches the SIRET (14 digits) that starts with it and the French VAT number that ends with it.
public enum CompanyID {
    public static func normalized(_ s: String) -> String {
        String(s.uppercased().unicodeScalars.filter { CharacterSetLike.isAlnum($0) }.map(Character.init))
    }

    public static func matches(_ ours: String, _ theirs: String) -> Bool {
        let a = normalized(ours), b = normalized(theirs)
        guard !a.isEmpty, !b.isEmpty else { return false }
        if a == b { return true }
        func siren(_ x: String) -> String? {
            let digits = x.allSatisfy(\.isNumber)
            if digits && x.count == 9 { return x }
            if digits && x.count == 14 { return String(x.prefix(9)) }
            if x.hasPrefix("FR"), x.count == 13 { return String(x.suffix(9)) }
            return nil
        }
        if let sa = siren(a), let sb = siren(b) { return sa == sb }
        return false
    }
}

enum CharacterSetLike {
    static func isAlnum(_ u: Unicode.Scalar) -> Bool {
        (u >= "0" && u <= "9") || (u >= "A" && u <= "Z") || (u >= "a" && u <= "z")
    }
}
