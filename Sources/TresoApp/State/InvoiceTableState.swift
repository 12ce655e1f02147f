import TresoCore

/// A column of the receivables and payables tables.
public enum InvoiceColumn: Int, CaseIterable, Sendable, Hashable {
    case id, counterparty, due, expected, amount, decision

    public var title: String {
        switch self {
        case .id: return "Id"
        case .counterparty: return "Counterparty"
        case .due: return "Due"
        case .expected: return "Expected"
        case .amount: return "Amount"
        case .decision: return "Decision"
        }
    }
}

/// What one invoice table shows: sort, filter, cursor, marks, and the cached row order.
///
/// `order` (invoice indices after the filter, in sort order) is rebuilt only when the sort, the filter
/// or the data changes, never on a keypress that moves or toggles: a decision change leaves rows where
/// they are (sorting again by decision is one key away), so the row under the cursor never jumps.
public struct InvoiceTableState: Sendable, Equatable {
    public let kind: InvoiceKind
    public var sortColumn: InvoiceColumn = .expected
    public var ascending = true
    public var filter = ""
    public private(set) var order: [Int] = []
    /// Position in `order` of the selected row.
    public var cursor = 0
    /// First row shown.
    public var offset = 0
    /// Marked invoices, by index in the scenario's list (they stay marked when the filter hides them).
    public var marked: Set<Int> = []
    /// Where a range selection started (a position in `order`), while one is open.
    public var anchor: Int?
    /// Sum of the amounts of the rows shown.
    public private(set) var shownTotal = Money.zero

    public init(kind: InvoiceKind) { self.kind = kind }

    public var count: Int { order.count }
    public var selectedInvoice: Int? { order.indices.contains(cursor) ? order[cursor] : nil }

    /// The rows a decision applies to: the marked rows and the open range, or else the selected row.
    public var selection: [Int] {
        var set = marked
        if let a = anchor, !order.isEmpty {
            let lo = max(0, min(a, cursor)), hi = min(order.count - 1, max(a, cursor))
            if lo <= hi { for p in lo...hi { set.insert(order[p]) } }
        }
        if set.isEmpty, let s = selectedInvoice { return [s] }
        return set.sorted()
    }

    /// Positions (in `order`) covered by the open range.
    public func inRange(_ position: Int) -> Bool {
        guard let a = anchor else { return false }
        return position >= min(a, cursor) && position <= max(a, cursor)
    }

    mutating func moveCursor(to p: Int) {
        cursor = order.isEmpty ? 0 : min(max(0, p), order.count - 1)
    }

    /// Rebuilds `order` from the data; keeps the cursor on the same invoice when it is still shown.
    mutating func rebuild(invoices: [Invoice], settlements: [Settlement], searchKeys: [String], decisions: (Int) -> Decision) {
        let keep = selectedInvoice
        let terms = filter.lowercased().split(separator: " ").map(String.init)
        var rows: [Int] = []
        rows.reserveCapacity(invoices.count)
        for i in invoices.indices {
            if !terms.isEmpty {
                let hay = i < searchKeys.count ? searchKeys[i] : ""
                let code = decisions(i).code
                if !terms.allSatisfy({ hay.contains($0) || code.contains($0) }) { continue }
            }
            rows.append(i)
        }
        let asc = ascending
        // Keys are computed once per row, not once per comparison.
        func ordered<T: Comparable>(_ key: (Int) -> T) {
            var keyed = rows.map { (key: key($0), index: $0) }
            keyed.sort { a, b in
                if a.key != b.key { return asc ? a.key < b.key : a.key > b.key }
                return a.index < b.index
            }
            rows = keyed.map(\.index)
        }
        switch sortColumn {
        case .id: ordered { invoices[$0].id }
        case .counterparty: ordered { invoices[$0].counterparty.lowercased() }
        case .due: ordered { invoices[$0].dueDate }
        case .expected: ordered { settlements.indices.contains($0) ? settlements[$0].day : invoices[$0].dueDate }
        case .amount: ordered { invoices[$0].amount }
        case .decision: ordered { decisions($0) == .none ? "" : decisions($0).code }
        }
        order = rows
        shownTotal = rows.reduce(Money.zero) { $0 + invoices[$1].amount }
        anchor = nil
        if let keep, let p = rows.firstIndex(of: keep) { cursor = p } else { moveCursor(to: cursor) }
    }
}
