import TresoCore

/// Formats an amount the French way for messages: `150 000,00 €`.
public func frenchAmount(_ m: Money, currency: String) -> String {
    m.formatted(grouping: "\u{00A0}", decimalPoint: ",") + (currency == "EUR" ? "\u{00A0}€" : "\u{00A0}" + currency)
}

extension Refusal {
    /// The reason with amounts written the French way (`150 000,00 €`), as the commands and the planner show it.
    public func text(currency: String) -> String { reason(amount: { frenchAmount($0, currency: currency) }) }
}
