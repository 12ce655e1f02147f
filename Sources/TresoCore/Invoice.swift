/// Whether an invoice brings money in or takes it out.
public enum InvoiceKind: String, Sendable, Hashable, CaseIterable {
    case receivable, payable
}

public enum InvoiceStatus: String, Sendable, Hashable, CaseIterable {
    case open, paid, disputed
}

/// An early-payment discount such as "2/10 net 30": `rate` off when paid within `days` of issue.
public struct EarlyPaymentDiscount: Sendable, Hashable {
    public var rate: Rate
    public var days: Int
    public init(rate: Rate, days: Int) { self.rate = rate; self.days = days }

    /// Parses `2/10` (percent / days); `2.5/10` too.
    public init?(text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let r = Rate(percent: parts[0].trimmingSpaces()),
              let d = Int(parts[1].trimmingSpaces()), d >= 0, r >= .zero, r < .one else { return nil }
        rate = r; days = d
    }

    public var text: String { rate.percentString + "/" + String(days) }
}

/// One open invoice, a receivable or a payable, amounts VAT included; negative for a credit note [avoir].
public struct Invoice: Sendable, Hashable {
    public var id: String
    public var counterparty: String
    public var issueDate: Day
    public var dueDate: Day
    public var amount: Money
    public var status: InvoiceStatus
    /// When the user expects it to settle, overriding the delay conventions.
    public var expectedDate: Day?
    public var discount: EarlyPaymentDiscount?
    /// VAT included in `amount`, when the source gives it (a TVA / Montant HT column, an e-invoice's VAT total).
    /// Losses, insurance and discount gains are measured excluding VAT; nil means "derive it from the
    /// scenario's default VAT rate".
    public var vatAmount: Money?
    public var country: String?
    public var note: String?
    /// 1-based line of the row in its source file (0 when built in code).
    public var line: Int32
    /// What the import inferred or converted (nil for a plain row): one pointer, so the common row stays small.
    public var origin: InvoiceOrigin?

    @inlinable public init(id: String, counterparty: String, issueDate: Day, dueDate: Day, amount: Money,
                status: InvoiceStatus = .open, expectedDate: Day? = nil, discount: EarlyPaymentDiscount? = nil,
                country: String? = nil, note: String? = nil, line: Int32 = 0, vatAmount: Money? = nil,
                origin: InvoiceOrigin? = nil) {
        self.id = id; self.counterparty = counterparty; self.issueDate = issueDate; self.dueDate = dueDate
        self.amount = amount; self.status = status; self.expectedDate = expectedDate; self.discount = discount
        self.country = country; self.note = note; self.line = line; self.vatAmount = vatAmount
        self.origin = origin
    }

    /// A credit note [avoir]: money back to a customer (receivable) or from a supplier (payable).
    /// It settles on its date and counts in totals, but is never factored or financed.
    @inlinable public var isCreditNote: Bool { amount.isNegative }
}

/// How an imported invoice differs from its source row: converted from another currency, only partly
/// open, or with a due date inferred from payment terms. Shown next to the amount, never hidden.
public final class InvoiceOrigin: Sendable, Hashable {
    /// The invoice's total when `amount` is only what remains open (a partly paid invoice).
    public let invoicedAmount: Money?
    /// The currency the source gives, when it is not the scenario's; `currencyAmount` is the open amount in it.
    public let currency: String?
    public let currencyAmount: Money?
    /// The rate used (scenario currency per unit of `currency`), as written in `[fx]`.
    public let rate: Rate?
    /// The due date was not in the source: issue date + payment terms (`dueTerms` says which).
    public let dueTerms: String?
    /// Not a real invoice: a `[[forecast]]` line's remaining amount for one period (docs/calculations.md §18).
    public let forecast: ForecastTag?

    public init(invoicedAmount: Money? = nil, currency: String? = nil, currencyAmount: Money? = nil, rate: Rate? = nil,
                dueTerms: String? = nil, forecast: ForecastTag? = nil) {
        self.invoicedAmount = invoicedAmount; self.currency = currency; self.currencyAmount = currencyAmount
        self.rate = rate; self.dueTerms = dueTerms; self.forecast = forecast
    }

    public var isPartlyPaid: Bool { invoicedAmount != nil }
    public var dueDateInferred: Bool { dueTerms != nil }

    public static func == (a: InvoiceOrigin, b: InvoiceOrigin) -> Bool {
        a.invoicedAmount == b.invoicedAmount && a.currency == b.currency && a.currencyAmount == b.currencyAmount
            && a.rate == b.rate && a.dueTerms == b.dueTerms && a.forecast == b.forecast
    }
    public func hash(into h: inout Hasher) {
        h.combine(invoicedAmount); h.combine(currency); h.combine(currencyAmount); h.combine(rate); h.combine(dueTerms); h.combine(forecast)
    }
}

extension StringProtocol {
    /// Trims ASCII spaces and tabs (and the no-break spaces exports like to add).
    public func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\u{00A0}" || f == "\u{202F}" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\u{00A0}" || l == "\u{202F}" { s = s.dropLast() }
        return String(s)
    }
}
