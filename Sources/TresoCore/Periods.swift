/// How long one column of the period table is.
public enum PeriodLength: String, Sendable, Hashable, CaseIterable {
    case day, week, month

    /// The first day of the period containing `d` (weeks run Monday to Sunday, ISO 8601).
    public func start(of d: Day) -> Day {
        switch self {
        case .day: return d
        case .week: return d - (d.weekday - 1)
        case .month: return d - (d.dayOfMonth - 1)
        }
    }

    /// The next length in the planner's toggle: day → week → month → day.
    public var next: PeriodLength {
        switch self {
        case .day: return .week
        case .week: return .month
        case .month: return .day
        }
    }
}

/// One row of the period table: where the cash of a movement comes from or goes to.
public struct PeriodCategory: Sendable, Hashable, Comparable {
    /// Rows are grouped in this order; receipts first, the bank last.
    public enum Group: Int, Sendable, Hashable, Comparable {
        case customers, recurring, suppliers, financing, bankCharges, other
        public static func < (a: Group, b: Group) -> Bool { a.rawValue < b.rawValue }
    }
    public var group: Group
    /// "Customers", "Suppliers", a counterparty's name, a recurring flow's category, "Financing", "Bank charges".
    public var name: String
    /// Rank within the group (scenario order of recurring flows; 0 otherwise, then by name).
    public var rank: Int

    public init(group: Group, name: String, rank: Int = 0) { self.group = group; self.name = name; self.rank = rank }

    public static func < (a: PeriodCategory, b: PeriodCategory) -> Bool {
        (a.group, a.rank, a.name) < (b.group, b.rank, b.name)
    }
}

/// One column of the period table: its cash at both ends, its lowest closing balance, and its net movements by row.
/// Invariant: Σ amounts = closing − opening (bank charges and financing are rows like any other).
public struct CashPeriod: Sendable, Hashable {
    public var start: Day
    public var end: Day
    public var opening: Money
    public var closing: Money
    /// The lowest closing balance of a day in the period, and the first day it is reached.
    public var lowest: Money
    public var lowestDate: Day
    /// Every condition met by a day of the period (overdrawn, over the limit, below the buffer).
    public var flags: DayFlags
    /// Net cash of each category (parallel to `PeriodTable.categories`), signed: + in, − out.
    public var amounts: [Money]

    /// Sum of the positive and of the negative rows.
    public var inflows: Money { amounts.reduce(.zero) { $1.cents > 0 ? $0 + $1 : $0 } }
    public var outflows: Money { amounts.reduce(.zero) { $1.cents < 0 ? $0 + $1 : $0 } }
}

/// The 13-week cash table: categories (rows) × periods (columns), read from one plan's projection and movements.
/// Balances come from the projection; only the split of each period's change into categories is summed here.
public struct PeriodTable: Sendable, Hashable {
    public var length: PeriodLength
    public var categories: [PeriodCategory]
    public var periods: [CashPeriod]

    public init(length: PeriodLength, categories: [PeriodCategory], periods: [CashPeriod]) {
        self.length = length; self.categories = categories; self.periods = periods
    }

    /// A category's amount over the whole table.
    public func total(_ category: Int) -> Money {
        periods.reduce(.zero) { $0 + (category < $1.amounts.count ? $1.amounts[category] : .zero) }
    }
}

extension PeriodCategory {
    public static let customers = PeriodCategory(group: .customers, name: "Customers")
    public static let suppliers = PeriodCategory(group: .suppliers, name: "Suppliers")
    public static let financing = PeriodCategory(group: .financing, name: "Financing")
    public static let bankCharges = PeriodCategory(group: .bankCharges, name: "Bank charges")
    public static let other = PeriodCategory(group: .other, name: "Other")
    /// Cash of forecast invoices (`[[forecast]]`, not yet invoiced), beside the invoiced rows.
    public static let customersForecast = PeriodCategory(group: .customers, name: "Customers (forecast)", rank: 1)
    public static let suppliersForecast = PeriodCategory(group: .suppliers, name: "Suppliers (forecast)", rank: 1)
    /// VAT payments computed from the invoices (`[vat]`), after the recurring flows.
    public static let vatReturns = PeriodCategory(group: .recurring, name: "VAT returns", rank: Int.max)
    /// VAT credits refunded (`[vat] refund`), beside the payments.
    public static let vatRefunds = PeriodCategory(group: .recurring, name: "VAT refunds", rank: Int.max)

    /// Whether the row holds forecast (not yet invoiced) cash.
    public var isForecast: Bool { self == .customersForecast || self == .suppliersForecast || name.hasSuffix(" (forecast)") }
}

extension PlanState {
    /// The plan's period table over [from, through] (the projection's days by default).
    /// `byCounterparty`: one row per customer and per supplier instead of "Customers" and "Suppliers".
    /// O(invoices + effects' movements + days): every movement the daily detail lists is counted once.
    /// `account`: the table of one account (§17) — `projection` is then that account's, and only the movements the
    /// routing puts on it are counted, with its transfers as financing.
    public func periodTable(_ length: PeriodLength, projection: Projection, from: Day? = nil, through: Day? = nil,
                            byCounterparty: Bool = false, account: Int? = nil) -> PeriodTable {
        guard let first = projection.days.first, let last = projection.days.last else {
            return PeriodTable(length: length, categories: [], periods: [])
        }
        let lo = max(from ?? first.day, first.day), hi = min(through ?? last.day, last.day)
        guard lo <= hi else { return PeriodTable(length: length, categories: [], periods: []) }

        // Periods and, for each day of the range, the index of its period.
        var periods: [CashPeriod] = []
        var periodOf: [Int32] = []
        periodOf.reserveCapacity(hi - lo + 1)
        var d = lo
        while d <= hi {
            let pos = projection.days[d - first.day]
            if periods.isEmpty || length.start(of: d) != length.start(of: periods[periods.count - 1].start) {
                periods.append(CashPeriod(start: d, end: d, opening: pos.opening, closing: pos.closing, lowest: pos.closing,
                                          lowestDate: d, flags: pos.flags, amounts: []))
            } else {
                let i = periods.count - 1
                periods[i].end = d
                periods[i].closing = pos.closing
                periods[i].flags.formUnion(pos.flags)
                if pos.closing < periods[i].lowest { periods[i].lowest = pos.closing; periods[i].lowestDate = d }
            }
            periodOf.append(Int32(periods.count - 1))
            d = d + 1
        }

        // Categories are registered as met; the cells are one flat array, category-major.
        let s = engine.scenario
        let n = periods.count
        var categories: [PeriodCategory] = []
        var index: [PeriodCategory: Int] = [:]
        var cells: [Int64] = []
        func slot(_ c: PeriodCategory) -> Int {
            if let i = index[c] { return i }
            let i = categories.count
            categories.append(c)
            index[c] = i
            cells.append(contentsOf: repeatElement(0, count: n))
            return i
        }
        @inline(__always) func add(_ cents: Int64, _ category: Int, on day: Day) {
            guard day >= lo && day <= hi else { return }
            cells[category * n + Int(periodOf[day - lo])] += cents
        }
        // One account: every plan movement passes the routing of §17 (the same function as the account's ledger).
        let router = account.map { _ in AccountRouter(s.accounts) }
        func mine(_ m: Movement) -> Bool {
            guard let router, let account else { return true }
            return router.account(of: m, in: engine) == account
        }
        let customers = byCounterparty ? -1 : slot(.customers)
        let suppliers = byCounterparty ? -1 : slot(.suppliers)
        let hasForecasts = !s.forecasts.isEmpty
        func invoiceCategory(_ ref: InvoiceRef) -> Int {
            let receivable = ref.kind == .receivable
            if !byCounterparty && hasForecasts && engine.invoice(ref).isForecast {
                return slot(receivable ? .customersForecast : .suppliersForecast)
            }
            guard byCounterparty else { return receivable ? customers : suppliers }
            let name = engine.invoice(ref).counterparty
            return slot(PeriodCategory(group: receivable ? .customers : .suppliers, name: name))
        }
        let recurringSlots = s.recurring.enumerated().map { i, f in
            slot(PeriodCategory(group: .recurring, name: f.categoryName, rank: s.recurring.firstIndex { $0.categoryName == f.categoryName } ?? i))
        }
        func category(of m: Movement) -> Int {
            switch m.category {
            case .charge: return slot(.bankCharges)
            case .financing: return slot(.financing)
            case .receipt, .disbursement:
                switch m.source {
                case .invoice(let ref): return invoiceCategory(ref)
                case .recurring(let i): return i >= 0 && i < recurringSlots.count ? recurringSlots[i] : slot(.other)
                case .bank: return slot(.other)
                case .vatReturn:
                    if case .vatRefund = m.detail { return slot(.vatRefunds) }
                    return slot(.vatReturns)
                }
            }
        }

        // Ordinary settlements not replaced by an effect (the plan's own, or else the engine's base effect).
        // The replaced ones are flagged first from the (few) effects: no dictionary lookup per invoice.
        var replaced: [InvoiceKind: [Bool]] = [.receivable: Array(repeating: false, count: s.receivables.count),
                                               .payable: Array(repeating: false, count: s.payables.count)]
        // Base effects are built on demand by the engine; only those of invoices settling in the range can move cash in it
        // (their movements fall on the settlement day, or nowhere for a default).
        var baseInRange: [FinancingEffect] = []
        for ref in engine.baseEffectRefs where effects[ref] == nil {
            let day = engine.settlement(ref).day
            guard day >= lo && day <= hi, let e = engine.baseEffect(ref) else { continue }
            if e.replacesSettlement { replaced[ref.kind]?[ref.index] = true }
            baseInRange.append(e)
        }
        for (ref, e) in effects where e.replacesSettlement { replaced[ref.kind]?[ref.index] = true }
        for kind in InvoiceKind.allCases {
            let settlements = kind == .receivable ? engine.receivableSettlements : engine.payableSettlements
            let sign: Int64 = kind == .receivable ? 1 : -1
            let skip = replaced[kind] ?? []
            s.invoices(kind).withUnsafeBufferPointer { invoices in
                for i in invoices.indices where invoices[i].status == .open {
                    let day = settlements[i].day
                    guard day >= lo && day <= hi, i >= skip.count || !skip[i] else { continue }
                    if let router, let account, router.account(of: invoices[i]) != account { continue }
                    if hasForecasts && !byCounterparty && invoices[i].isForecast {
                        add(sign * invoices[i].amount.cents, slot(kind == .receivable ? .customersForecast : .suppliersForecast), on: day)
                        continue
                    }
                    add(sign * invoices[i].amount.cents, invoiceCategory(InvoiceRef(kind, i)), on: day)
                }
            }
        }
        for e in baseInRange {
            for m in e.movements where mine(m) { add(m.amount.cents, category(of: m), on: m.day) }
        }
        for e in effects.values {
            for m in e.movements where mine(m) { add(m.amount.cents, category(of: m), on: m.day) }
        }
        for o in engine.recurringOccurrences {
            if let router, let account, router.account(of: s.recurring[o.flow]) != account { continue }
            add(s.recurring[o.flow].amount.cents, recurringSlots[o.flow], on: o.day)
        }
        if engine.vat != nil { for m in engine.vatMovements() where mine(m) { add(m.amount.cents, category(of: m), on: m.day) } }
        for m in planMovements() where mine(m) { add(m.amount.cents, category(of: m), on: m.day) }
        for m in projection.transferMovements { add(m.amount.cents, slot(.financing), on: m.day) }
        for c in projection.overdraftCharges { add(-c.total.cents, slot(.bankCharges), on: c.postedOn) }
        // Credit-line drawings and repayments are financing, their interest and commitment fees bank charges (§16).
        for m in projection.creditLineMovements { add(m.amount.cents, category(of: m), on: m.day) }

        // Rows in a stable order; a row empty over the whole range is dropped (except the two invoice rows).
        var order = categories.indices.filter { c in
            c == customers || c == suppliers || (0..<n).contains { cells[c * n + $0] != 0 }
        }
        order.sort { categories[$0] < categories[$1] }
        for p in 0..<n { periods[p].amounts = order.map { Money(cents: cells[$0 * n + p]) } }
        return PeriodTable(length: length, categories: order.map { categories[$0] }, periods: periods)
    }
}
