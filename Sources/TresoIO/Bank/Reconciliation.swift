import Foundation
import TresoCore

/// Matches booked statement lines to open invoices: money in against receivables, money out against
/// payables. In order of confidence:
/// 1. the invoice id (or the e-invoice's payment reference) appears in the line's label or references;
/// 2. the exact open amount, and the counterparty's name in the line;
/// 3. the exact open amount, when exactly one open invoice of that direction has it.
/// Only invoices issued on or before the line's booking day are candidates.
/// A line smaller than the invoice it names pays part of it (the rest stays open). Every match says
/// why; invoices listed in `refused` are never matched (the user's veto); lines matching nothing are
/// returned as unmatched.
public enum Reconciliation {
    public struct Match: Sendable, Hashable {
        public var kind: InvoiceKind
        public var invoiceID: String
        public var transaction: BankTransaction
        /// Part of the invoice the line pays (never more than what was open).
        public var applied: Money
        /// What remains open after this match (zero: the invoice is paid).
        public var remaining: Money
        public var reason: String
    }

    public struct Result: Sendable {
        public var matches: [Match] = []
        public var unmatched: [BankTransaction] = []
        /// Open amount per invoice id after the matches (only invoices that were matched).
        public var remaining: [InvoiceKind: [String: Money]] = [.receivable: [:], .payable: [:]]
    }

    public static func reconcile(_ transactions: [BankTransaction], receivables: [Invoice], payables: [Invoice],
                                 paymentReferences: [String: String] = [:], refused: Set<String> = []) -> Result {
        var result = Result()
        var open: [InvoiceKind: [(inv: Invoice, left: Money)]] = [
            .receivable: receivables.filter { $0.status == .open && $0.amount > .zero && !refused.contains($0.id) }.map { ($0, $0.amount) },
            .payable: payables.filter { $0.status == .open && $0.amount > .zero && !refused.contains($0.id) }.map { ($0, $0.amount) },
        ]
        for tx in transactions.sorted(by: { ($0.bookingDate, $0.line) < ($1.bookingDate, $1.line) }) {
            guard tx.amount != .zero else { continue }
            let kind: InvoiceKind = tx.amount > .zero ? .receivable : .payable
            let paid = tx.amount.magnitude
            let text = normalize(([tx.label] + tx.references + [tx.counterparty ?? ""]).joined(separator: " "))
            var list = open[kind] ?? []
            // A line booked before an invoice was issued does not pay it.
            let eligible = { (i: Int) in list[i].left > .zero && list[i].inv.issueDate <= tx.bookingDate }
            var pick: (index: Int, reason: String)?
            // 1. id or payment reference in the text (longest id first: "F-12" must not win over "F-123").
            let byID = list.indices.filter(eligible)
                .filter { i in
                    let id = normalize(list[i].inv.id)
                    if id.count >= 3 && containsToken(text, id) { return true }
                    if let ref = paymentReferences[list[i].inv.id].map(normalize), ref.count >= 3, containsToken(text, ref) { return true }
                    return false
                }
                .sorted { list[$0].inv.id.count > list[$1].inv.id.count }
            if let i = byID.first {
                let named = containsToken(text, normalize(list[i].inv.id)) ? "invoice id '\(list[i].inv.id)'" : "payment reference '\(paymentReferences[list[i].inv.id] ?? "")'"
                pick = (i, "\(named) in the bank label")
            }
            // 2. exact amount and counterparty name.
            if pick == nil {
                let sameAmount = list.indices.filter { eligible($0) && list[$0].left == paid }
                if let i = sameAmount.first(where: { nameMatches(list[$0].inv.counterparty, text) }) {
                    pick = (i, "exact amount \(paid.decimalString) and counterparty '\(list[i].inv.counterparty)' in the label")
                } else if sameAmount.count == 1, let i = sameAmount.first {
                    pick = (i, "exact amount \(paid.decimalString), the only open \(kind.rawValue) of that amount")
                }
            }
            guard let (i, reason) = pick else { result.unmatched.append(tx); continue }
            let applied = min(paid, list[i].left)
            let left = list[i].left - applied
            list[i].left = left
            open[kind] = list
            result.remaining[kind, default: [:]][list[i].inv.id] = left
            var why = reason
            if applied < paid { why += "; the line is \((paid - applied).decimalString) more than was open" }
            if left > .zero { why += "; partly paid, \(left.decimalString) still open" }
            result.matches.append(Match(kind: kind, invoiceID: list[i].inv.id, transaction: tx, applied: applied,
                                        remaining: left, reason: why))
        }
        return result
    }

    /// Upper-case letters and digits, everything else one space: "Fact. n°F-2024/12" → "FACT N F 2024 12".
    static func normalize(_ s: String) -> String {
        var out = ""
        var space = true
        for ch in s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).uppercased() {
            if ch.isLetter || ch.isNumber { out.append(ch); space = false } else if !space { out.append(" "); space = true }
        }
        return out.trimmingSpaces()
    }

    /// `needle` as whole words in `hay` ("F 12" is not in "F 123"), both normalized.
    static func containsToken(_ hay: String, _ needle: String) -> Bool {
        guard !needle.isEmpty else { return false }
        let h = " " + hay + " ", n = " " + needle + " "
        if h.contains(n) { return true }
        // Ids written without their separators ("F2024012" for "F-2024-012").
        let compactNeedle = String(needle.filter { $0 != " " })
        return compactNeedle.count >= 5 && h.split(separator: " ").contains { $0 == compactNeedle }
    }

    /// The counterparty's significant words (3+ letters, legal forms left out) all appear in the text.
    static func nameMatches(_ counterparty: String, _ text: String) -> Bool {
        let stop: Set<String> = ["SA", "SAS", "SARL", "SASU", "EURL", "SCI", "GMBH", "AG", "LTD", "LLC", "INC", "BV", "NV", "THE", "LES", "DES"]
        let words = normalize(counterparty).split(separator: " ").map(String.init).filter { $0.count >= 3 && !stop.contains($0) }
        guard !words.isEmpty else { return false }
        let t = Set(text.split(separator: " ").map(String.init))
        return words.allSatisfy { t.contains($0) }
    }
}

