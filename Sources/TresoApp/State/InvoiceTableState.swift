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

/// The text the filter searches for each invoice (`id counterparty`, lowercased, accents folded), as one flat byte
/// buffer: built once per scenario, scanned without allocating on every keystroke.
public struct InvoiceSearchText: Sendable, Equatable {
    let bytes: [UInt8]
    /// `starts[i] ..< starts[i + 1]` is invoice i's text.
    let starts: [Int]

    public init(_ invoices: [Invoice]) {
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        bytes.reserveCapacity(invoices.count * 32)
        starts.reserveCapacity(invoices.count + 1)
        for inv in invoices {
            bytes += foldForSearch(inv.id + " " + inv.counterparty).utf8
            starts.append(bytes.count)
        }
        self.bytes = bytes
        self.starts = starts
    }

    /// Whether invoice `i`'s text contains `term` (lowercased UTF-8).
    func contains(_ i: Int, _ term: [UInt8]) -> Bool {
        guard i + 1 < starts.count, let first = term.first else { return term.isEmpty }
        let lo = starts[i], hi = starts[i + 1] - term.count
        guard lo <= hi else { return false }
        var k = lo
        while k <= hi {
            if bytes[k] == first {
                var j = 1
                while j < term.count && bytes[k + j] == term[j] { j += 1 }
                if j == term.count { return true }
            }
            k += 1
        }
        return false
    }
}

/// What one invoice table shows: sort, filter, cursor, marks, and the cached row order.
///
/// Nothing is sorted on a keystroke that does not change the sort: `sorted` (every invoice in sort
/// order) is rebuilt only when the sort changes, from a permutation cached per column; the filter is a
/// linear pass over it (over the rows already shown while the user keeps typing). A decision change
/// leaves rows where they are (sorting again by decision is one key away), so the row under the
/// cursor never jumps.
public struct InvoiceTableState: Sendable, Equatable {
    public let kind: InvoiceKind
    public var sortColumn: InvoiceColumn = .expected
    public var ascending = true
    public var filter = ""
    /// Every invoice in sort order (before the filter).
    public private(set) var sorted: [Int] = []
    /// The rows shown: `sorted` after the filter.
    public private(set) var order: [Int] = []
    /// The filter `order` was built with.
    private var builtFilter = ""
    /// Ascending order of each column that does not depend on the plan, computed on first use.
    private var permutations: [InvoiceColumn: [Int]] = [:]
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

    /// Re-sorts every invoice (after a change of sort, or of plan when sorted by decision), then filters.
    mutating func resort(invoices: [Invoice], settlements: [Settlement], search: InvoiceSearchText, decisions: (Int) -> Decision) {
        let n = invoices.count
        func ascendingOrder<T: Comparable>(_ key: (Int) -> T) -> [Int] {
            // Keys are computed once per row, not once per comparison; ties keep the file's order.
            var keyed = (0..<n).map { (key: key($0), index: $0) }
            keyed.sort { a, b in a.key != b.key ? a.key < b.key : a.index < b.index }
            return keyed.map(\.index)
        }
        var ascendingRows: [Int]
        if sortColumn == .decision {
            // Rank the few distinct decisions by their code once; rows then sort on an integer.
            let all = (0..<n).map(decisions)
            let distinct = Set(all).sorted { ($0 == .none ? "" : $0.code) < ($1 == .none ? "" : $1.code) }
            let rank = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($0.element, $0.offset) })
            ascendingRows = ascendingOrder { rank[all[$0]] ?? 0 }
        } else if let cached = permutations[sortColumn], cached.count == n {
            ascendingRows = cached
        } else {
            switch sortColumn {
            case .id: ascendingRows = ascendingOrder { ByteKey(Array(invoices[$0].id.utf8)) }
            case .counterparty: ascendingRows = ascendingOrder { ByteKey(Array(invoices[$0].counterparty.lowercased().utf8)) }
            case .due: ascendingRows = ascendingOrder { invoices[$0].dueDate }
            case .expected: ascendingRows = ascendingOrder { settlements.indices.contains($0) ? settlements[$0].day : invoices[$0].dueDate }
            case .amount, .decision: ascendingRows = ascendingOrder { invoices[$0].amount }
            }
            permutations[sortColumn] = ascendingRows
        }
        sorted = ascending ? ascendingRows : ascendingRows.reversed()
        refilter(invoices: invoices, search: search, decisions: decisions, full: true, settlements: settlements)
    }

    /// Applies the filter to `sorted`. While the user types more of the same filter, only the rows
    /// already shown are scanned. Keeps the cursor on the same invoice when it is still shown.
    mutating func refilter(invoices: [Invoice], search: InvoiceSearchText, decisions: (Int) -> Decision, full: Bool = false,
                           settlements: [Settlement] = []) {
        let keep = selectedInvoice
        let lowered = foldForSearch(filter)
        let terms = filter.split(separator: " ").map(FilterTerm.parse)
        if terms.isEmpty {
            order = sorted
        } else {
            // Typing more of a text filter only narrows it; a comparison (`<1` → `<10`) may widen it.
            let narrowing = !full && !builtFilter.isEmpty && lowered.hasPrefix(foldForSearch(builtFilter)) && terms.allSatisfy(\.isText)
            let candidates = narrowing ? order : sorted
            var rows: [Int] = []
            rows.reserveCapacity(narrowing ? candidates.count : min(candidates.count, 4096))
            for i in candidates {
                var ok = true
                for term in terms {
                    switch term {
                    case .text(let t):
                        // Not in the id or name: the decision code (`factor`, `none`…) may match.
                        if !search.contains(i, t) && !Array(decisions(i).code.utf8).containsSubsequence(t) { ok = false }
                    case .amount(let op, let m):
                        if !op.holds(invoices[i].amount, m) { ok = false }
                    case .settles(let op, let d):
                        let day = settlements.indices.contains(i) ? settlements[i].day : invoices[i].dueDate
                        if !op.holds(day, d) { ok = false }
                    case .settlesWithin(let lo, let hi):
                        let day = settlements.indices.contains(i) ? settlements[i].day : invoices[i].dueDate
                        if day < lo || day > hi { ok = false }
                    }
                    if !ok { break }
                }
                if ok { rows.append(i) }
            }
            order = rows
        }
        builtFilter = filter
        var total: Int64 = 0
        for i in order { total &+= invoices[i].amount.cents }
        shownTotal = Money(cents: total)
        anchor = nil
        if let keep, let p = order.firstIndex(of: keep) { cursor = p } else { moveCursor(to: cursor) }
    }
}

/// Text compared byte by byte (UTF-8 order is code-point order): much cheaper than `String` comparison
/// when sorting 100 000 rows.
struct ByteKey: Comparable {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    static func < (a: ByteKey, b: ByteKey) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
}

extension Array where Element == UInt8 {
    func containsSubsequence(_ t: [UInt8]) -> Bool {
        guard !t.isEmpty else { return true }
        guard t.count <= count else { return false }
        for k in 0...(count - t.count) where self[k] == t[0] {
            var j = 1
            while j < t.count && self[k + j] == t[j] { j += 1 }
            if j == t.count { return true }
        }
        return false
    }
}
