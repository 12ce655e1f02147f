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
}

/// One cash movement of the projection. `amount` is signed: positive in, negative out.
public struct Movement: Sendable, Hashable {
    public var day: Day
    public var amount: Money
    public var category: MovementCategory
    public var source: MovementSource
    /// The invoice id, recurring label or "bank": what a user searches for.
    public var reference: String
    /// What happened, e.g. "collection Acme SA", "Salaries", "overdraft interest 2026-12".
    public var label: String
    /// Scheduled before the start date and moved onto it.
    public var overdue: Bool

    public init(day: Day, amount: Money, category: MovementCategory, source: MovementSource,
                reference: String, label: String, overdue: Bool = false) {
        self.day = day; self.amount = amount; self.category = category; self.source = source
        self.reference = reference; self.label = label; self.overdue = overdue
    }
}
