/// Points at one invoice of a scenario.
public struct InvoiceRef: Sendable, Hashable, Comparable {
    public var kind: InvoiceKind
    public var index: Int
    public init(_ kind: InvoiceKind, _ index: Int) { self.kind = kind; self.index = index }
    public static func < (a: InvoiceRef, b: InvoiceRef) -> Bool {
        (a.kind == .receivable ? 0 : 1, a.index) < (b.kind == .receivable ? 0 : 1, b.index)
    }
}

/// Which column of the daily table a movement adds to.
public enum MovementCategory: String, Sendable, Hashable, CaseIterable {
    /// Customer collections and other ordinary inflows.
    case receipt
    /// Supplier payments and other ordinary outflows.
    case disbursement
    /// Cash moved by a financing instrument (advance, fee, reserve, deferred payment…).
    case financing
    /// Bank charges on the overdraft (interest, highest-overdraft commission).
    case charge
}

/// Where a movement comes from, so that a day can be explained.
public enum MovementSource: Sendable, Hashable {
    case invoice(InvoiceRef)
    case recurring(Int)
    case bank
    /// A VAT payment computed from the invoices (`[vat]`), or a plan's change to it.
    case vatReturn
}

/// What a movement is, kept as data so that building a plan of a million movements formats no text;
/// `Movement.label` renders it when a person looks.
public enum MovementDetail: Sendable, Hashable {
    case text(String)
    case collection(counterparty: String)
    case payment(counterparty: String)
    case factoringAdvance, factoringCommission, factoringVAT, factoringInterest(days: Int)
    case reserveReleased, reserveReleasedDefaultBorne, advanceReclaimed, insuranceIndemnity
    case deferredPayment, reverseFactoringFee(days: Int)
    case platformRepayment, supplierFinancingFee(days: Int)
    case instalment(Int, of: Int), splitPaymentFee
    case negotiatedPayment(due: Day)
    case latePayment(days: Int), lateInterest(days: Int), lateIndemnity
    case minimumFeeTopUp, minimumFeeVAT
    /// Interest on a defaulted advance from the expected collection until the factor reclaims it.
    case factoringInterestUntilReclaim(days: Int)
    /// The implicit price increase a supplier asks for a longer term (an operating cost).
    case priceIncrease(days: Int)
    /// Bank charges of one overdraft period (`from`…`to`, the posting day).
    case overdraftInterest(from: Day, to: Day), highestOverdraftCommission(from: Day, to: Day), overdraftPenalty(from: Day, to: Day)
    /// Dailly (§16): the advance, its interest, the rest of the collection kept, the advance repaid after a default.
    case daillyAdvance, daillyInterest(days: Int), daillyBalance, daillyRepaidAfterDefault
    /// Escompte (§16): the bill's amount, the discount interest, an unpaid bill debited back.
    case billDiscounted, discountInterest(days: Int), billReturnedUnpaid
    /// A bank fee per invoice or bill (Dailly, escompte).
    case creditFee
    /// Credit line (§16): a drawing, a repayment, and the period's interest and commitment fee.
    case creditLineDrawing, creditLineRepayment
    case creditLineInterest(from: Day, to: Day), commitmentFee(from: Day, to: Day)
    /// A VAT payment (`instrument` names the form, CA3 or CA12) for the period `from`…`to`.
    case vatPayment(kind: VATReturn.Kind, from: Day, to: Day)
    /// Less VAT to pay because a plan's fees carry deductible VAT (period `from`…`to`).
    case vatRecovered(from: Day, to: Day)
    /// A sweep between two of the scenario's accounts (§17): `instrument` names the other account.
    case transferTo, transferFrom
    /// A VAT credit refunded (requested with the return of the period, form 3519 or the CA12).
    case vatRefund(from: Day, to: Day)

    /// An ordinary settlement (a collection or a payment), not something an instrument added.
    public var isOrdinarySettlement: Bool {
        switch self {
        case .collection, .payment: return true
        default: return false
        }
    }

    /// The text shown to people; `instrument` is the contract or program name.
    public func text(instrument: String) -> String {
        let by = " (" + instrument + ")"
        switch self {
        case .text(let t): return t
        case .collection(let c): return "collection " + c
        case .payment(let c): return "payment " + c
        case .factoringAdvance: return "factoring advance" + by
        case .factoringCommission: return "factoring commission" + by
        case .factoringVAT: return "VAT on factoring commission" + by
        case .factoringInterest(let d): return "factoring interest \(d) d" + by
        case .reserveReleased: return "reserve released" + by
        case .reserveReleasedDefaultBorne: return "reserve released, default borne by the factor" + by
        case .advanceReclaimed: return "advance reclaimed after default" + by
        case .insuranceIndemnity: return "credit-insurance indemnity" + by
        case .deferredPayment: return "deferred payment to the factor" + by
        case .reverseFactoringFee(let d): return "reverse-factoring fee \(d) d" + by
        case .platformRepayment: return "repayment to the platform" + by
        case .supplierFinancingFee(let d): return "supplier-financing fee \(d) d" + by
        case .instalment(let k, let n): return "instalment \(k)/\(n)" + by
        case .splitPaymentFee: return "split-payment fee" + by
        case .negotiatedPayment(let due): return "payment at negotiated term " + due.iso
        case .latePayment(let d): return "late payment (\(d) d after due)"
        case .lateInterest(let d): return "late-payment interest \(d) d"
        case .lateIndemnity: return "fixed late-payment indemnity"
        case .minimumFeeTopUp: return "annual minimum fee top-up, prorated" + by
        case .minimumFeeVAT: return "VAT on minimum fee top-up" + by
        case .factoringInterestUntilReclaim(let d): return "factoring interest until reclaim \(d) d" + by
        case .priceIncrease(let d): return "price increase for \(d) extra days"
        case .overdraftInterest(let a, let b): return "overdraft interest " + a.iso + "…" + b.iso
        case .highestOverdraftCommission(let a, let b): return "highest-overdraft commission " + a.iso + "…" + b.iso
        case .overdraftPenalty(let a, let b): return "overdraft penalty over the limit " + a.iso + "…" + b.iso
        case .daillyAdvance: return "Dailly advance" + by
        case .daillyInterest(let d): return "Dailly interest \(d) d" + by
        case .daillyBalance: return "collection less the Dailly advance" + by
        case .daillyRepaidAfterDefault: return "Dailly advance repaid after default" + by
        case .billDiscounted: return "LCR discounted" + by
        case .discountInterest(let d): return "discount interest \(d) d" + by
        case .billReturnedUnpaid: return "unpaid LCR debited back" + by
        case .creditFee: return "bank fee" + by
        case .creditLineDrawing: return "credit line drawing" + by
        case .creditLineRepayment: return "credit line repayment" + by
        case .creditLineInterest(let a, let b): return "credit line interest " + a.iso + "…" + b.iso + by
        case .commitmentFee(let a, let b): return "commitment fee " + a.iso + "…" + b.iso + by
        case .vatPayment(let kind, let a, let b):
            switch kind {
            case .opening: return "VAT owed at the start ([vat] opening)"
            case .instalment: return "VAT instalment \(a.year) (" + instrument + ")"
            case .return: return "VAT return " + a.iso + "…" + b.iso + " (" + instrument + ")"
            }
        case .vatRecovered(let a, let b): return "fees' VAT deducted in the return " + a.iso + "…" + b.iso + " (" + instrument + ")"
        case .transferTo: return "Transfer to " + instrument
        case .transferFrom: return "Transfer from " + instrument
        case .vatRefund(let a, let b): return "VAT refund of the credit of the return " + a.iso + "…" + b.iso + " (" + instrument + ")"
        }
    }
}

/// One cash movement of the projection. `amount` is signed: positive in, negative out.
public struct Movement: Sendable, Hashable {
    public var day: Day
    public var amount: Money
    public var category: MovementCategory
    public var source: MovementSource
    /// The invoice id, recurring label or "bank": what a user searches for.
    public var reference: String
    public var detail: MovementDetail
    /// The contract or program that moved the cash ("" for ordinary movements).
    public var instrument: String
    /// Scheduled before the start date and moved onto it.
    public var overdue: Bool

    /// What happened, e.g. "collection Acme SA", "Salaires", "factoring advance (bank)".
    public var label: String { detail.text(instrument: instrument) }

    public init(day: Day, amount: Money, category: MovementCategory, source: MovementSource,
                reference: String, detail: MovementDetail, instrument: String = "", overdue: Bool = false) {
        self.day = day; self.amount = amount; self.category = category; self.source = source
        self.reference = reference; self.detail = detail; self.instrument = instrument; self.overdue = overdue
    }

    public init(day: Day, amount: Money, category: MovementCategory, source: MovementSource,
                reference: String, label: String, overdue: Bool = false) {
        self.init(day: day, amount: amount, category: category, source: source, reference: reference,
                  detail: .text(label), overdue: overdue)
    }
}
