/// Several bank accounts (docs/calculations.md §17): each with its own opening balance and overdraft, the flows routed
/// to one of them by rules, optional sweeps between them; the projection per account and consolidated. A scenario
/// without `[accounts]` has one implicit account and never comes here.
public struct BankAccount: Sendable, Hashable {
    public var name: String
    public var openingBalance: Money = .zero
    /// Its own authorised overdraft and rates (the overdraft model of §4, per account).
    public var overdraft = OverdraftTerms()
    /// A currency account: invoices originally in this currency (before the [fx] conversion) land here.
    public var currency: String? = nil
    /// The balance a sweep keeps this account at (and the most a sweep leaves it with when it gives).
    public var floor: Money = .zero
    /// Invoices of these customers or suppliers land here (case-insensitive).
    public var counterparties: [String] = []
    /// Recurring flows of these categories (or labels) land here.
    public var categories: [String] = []
    /// Financing flows of these instruments (factoring contracts, Dailly, escompte, programs) land here: the factor's account.
    public var instruments: [String] = []
    /// The account for every flow no rule routes elsewhere (the first account when none says so).
    public var isDefault = false
    /// Its PCG sub-account of 512 in the journal entries (`ledger = "5121"`); nil = 5121, 5122… in written order.
    public var ledger: String? = nil
    public init(name: String) { self.name = name }

    /// The sub-account its bank lines are booked to: `ledger`, else 512 followed by its rank (from 1).
    public func ledgerAccount(at index: Int) -> String { ledger ?? "512\(index + 1)" }
}

/// The accounts of a scenario and whether sweeps run between them.
public struct AccountSettings: Sendable, Hashable {
    public var accounts: [BankAccount] = []
    /// Each day, an account below its floor is topped up from the others above theirs, in the accounts' order.
    public var sweep = false
    public init() {}
    public var isEmpty: Bool { accounts.isEmpty }
    public var defaultIndex: Int { accounts.firstIndex { $0.isDefault } ?? 0 }
}

/// Which account a flow lands on: the invoice's counterparty, else its original currency, else the default; a recurring
/// flow's category (or label), else the default; an instrument's flows on the account naming it, else the invoice's.
struct AccountRouter {
    let defaultIndex: Int
    var byCounterparty: [String: Int] = [:]
    var byCategory: [String: Int] = [:]
    var byInstrument: [String: Int] = [:]
    var byCurrency: [String: Int] = [:]
    var byName: [String: Int] = [:]

    init(_ settings: AccountSettings) {
        defaultIndex = settings.defaultIndex
        for (i, a) in settings.accounts.enumerated() where byName[a.name] == nil { byName[a.name] = i }
        // The first account naming something wins.
        for (i, a) in settings.accounts.enumerated() {
            for c in a.counterparties where byCounterparty[c.lowercased()] == nil { byCounterparty[c.lowercased()] = i }
            for c in a.categories where byCategory[c.lowercased()] == nil { byCategory[c.lowercased()] = i }
            for n in a.instruments where byInstrument[n] == nil { byInstrument[n] = i }
            if let cur = a.currency, byCurrency[cur.uppercased()] == nil { byCurrency[cur.uppercased()] = i }
        }
    }

    func account(of inv: Invoice) -> Int {
        if !byCounterparty.isEmpty, let i = byCounterparty[inv.counterparty.lowercased()] { return i }
        if !byCurrency.isEmpty, let c = inv.origin?.currency, let i = byCurrency[c.uppercased()] { return i }
        return defaultIndex
    }

    func account(of flow: RecurringFlow) -> Int {
        byCategory[flow.categoryName.lowercased()] ?? byCategory[flow.label.lowercased()] ?? defaultIndex
    }

    func account(ofInstrument name: String, otherwise fallback: Int) -> Int {
        name.isEmpty ? fallback : (byInstrument[name] ?? fallback)
    }

    /// VAT payments (§19) and a plan's change to them: the account of the category "VAT", else the default.
    var vatIndex: Int { byCategory["vat"] ?? defaultIndex }

    /// A credit line runs on the account it names (`account = "NAME"`, checked by the loader), else the default.
    func account(of line: CreditLine) -> Int {
        line.account.flatMap { byName[$0] } ?? defaultIndex
    }

    /// The account of any movement a plan lists, by its source: the rules above. The one routing function for the
    /// ledgers, the day's movement list and the period table of one account.
    func account(of m: Movement, in engine: ForecastEngine) -> Int {
        switch m.source {
        case .invoice(let ref): return account(ofInstrument: m.instrument, otherwise: account(of: engine.invoice(ref)))
        case .recurring(let i):
            let flows = engine.scenario.recurring
            return i >= 0 && i < flows.count ? account(of: flows[i]) : defaultIndex
        case .vatReturn: return vatIndex
        case .bank: return account(ofInstrument: m.instrument, otherwise: defaultIndex)
        }
    }
}

extension PlanState {
    /// The plan's ledger split by account: every settlement, effect movement and plan-level fee on the account its
    /// rule names. Their sum is `finalLedger`. O(invoices + movements): built when a projection is asked for.
    public func accountLedgers() -> [CashLedger] {
        let s = engine.scenario
        let router = AccountRouter(s.accounts)
        let base = engine.settlementLedger
        var out = Array(repeating: CashLedger(start: base.start, days: base.count), count: max(s.accounts.accounts.count, 1))
        func replaced(_ ref: InvoiceRef) -> Bool {
            if let e = effects[ref] { return e.replacesSettlement }
            return engine.baseEffect(ref)?.replacesSettlement ?? false
        }
        for kind in InvoiceKind.allCases {
            let list = s.invoices(kind)
            for i in list.indices where list[i].status == .open {
                let ref = InvoiceRef(kind, i)
                let a = router.account(of: list[i])
                if !replaced(ref) {
                    let day = engine.settlement(ref).day
                    if kind == .receivable { out[a].add(list[i].amount, on: day, as: .receipt) } else { out[a].add(-list[i].amount, on: day, as: .disbursement) }
                }
                let e = effects[ref] ?? (engine.baseEffectRefs.isEmpty ? nil : engine.baseEffect(ref))
                for m in e?.movements ?? [] {
                    out[router.account(of: m, in: engine)].add(m.amount, on: m.day, as: m.category)
                }
            }
        }
        for o in engine.recurringOccurrences {
            let flow = s.recurring[o.flow]
            out[router.account(of: flow)].add(flow.amount, on: o.day, as: flow.amount.isNegative ? .disbursement : .receipt)
        }
        // Computed VAT returns (§19) are paid from the account of the category "VAT", else the default.
        for r in engine.vat?.returns ?? [] where r.payment != .zero {
            out[router.vatIndex].add(-r.payment, on: r.day, as: .disbursement)
        }
        for r in engine.vat?.returns ?? [] where r.refund != .zero {
            if let d = r.refundDay { out[router.vatIndex].add(r.refund, on: d, as: .receipt) }
        }
        for m in planMovements() { out[router.account(of: m, in: engine)].add(m.amount, on: m.day, as: m.category) }
        return out
    }

    /// The projection of every account (in the scenario's order) and the consolidated one, through `last` (§17).
    public func accountProjections(through last: Day? = nil) -> (consolidated: Projection, accounts: [Projection]) {
        let s = engine.scenario
        let end = min(last ?? s.end, engine.windowLimit)
        return AccountsRun.run(ledgers: accountLedgers(), settings: s.accounts, minCash: s.minCash,
                               days: max(end - s.start + 1, 1), lines: lineUses)
    }
}

/// The daily run over several accounts (§17), a day at a time for every account together: each account's flows; the
/// sweep on those balances (an account the sweep covers neither draws on a line nor pays interest that day); each
/// account's credit lines (a line on the account it names); the day's debit and overdraft charges of each account;
/// the sweep again on the balances after every charge (a bank's cash pooling runs on the end-of-day balances); the
/// day closed. The
/// consolidated day sums the accounts (transfers cancel out) and is over the limit when any account is.
enum AccountsRun {
    static func run(ledgers: [CashLedger], settings: AccountSettings, minCash: Money, days count: Int,
                    lines: [CreditLineUse]) -> (consolidated: Projection, accounts: [Projection]) {
        let accounts = settings.accounts
        let router = AccountRouter(settings)
        guard !accounts.isEmpty, ledgers.count == accounts.count else {
            return (Projection.run(ledger: CashLedger(start: ledgers.first?.start ?? Day(raw: 0), days: 0), opening: .zero, minCash: minCash,
                                   overdraft: OverdraftTerms()), [])
        }
        var runs = accounts.indices.map { k in
            BalanceRun(ledger: ledgers[k], opening: accounts[k].openingBalance, minCash: accounts[k].floor, overdraft: accounts[k].overdraft,
                       days: count, lines: lines.filter { router.account(of: $0.line) == k })
        }
        let n = runs.map(\.n).min() ?? 0
        let sweeping = settings.sweep && accounts.count > 1
        var transfers = Array(repeating: [Movement](), count: accounts.count)
        var balance = Array(repeating: Int64(0), count: accounts.count)
        /// Tops up each account below its floor from the others above theirs, in the accounts' order.
        func sweep(_ day: Day) {
            for k in accounts.indices where balance[k] < accounts[k].floor.cents {
                var need = accounts[k].floor.cents - balance[k]
                for d in accounts.indices where d != k && need > 0 && balance[d] > accounts[d].floor.cents {
                    let moved = min(need, balance[d] - accounts[d].floor.cents)
                    balance[d] -= moved; balance[k] += moved; need -= moved
                    runs[d].transfer(-moved); runs[k].transfer(moved)
                    record(&transfers[d], day, -moved, .transferTo, accounts[k].name)
                    record(&transfers[k], day, moved, .transferFrom, accounts[d].name)
                }
            }
        }
        for i in 0..<n {
            for k in accounts.indices { balance[k] = runs[k].flows(i) }
            let day = ledgers[0].start + i
            if sweeping { sweep(day) }
            for k in accounts.indices { balance[k] = runs[k].lines() }
            for k in accounts.indices { balance[k] = runs[k].postCharges() }
            if sweeping { sweep(day) }
            for k in accounts.indices { runs[k].close() }
        }
        var per = runs.map { $0.finish() }
        for k in per.indices { per[k].transferMovements = transfers[k] }
        let first = per[0]
        var days = first.days
        for p in per.dropFirst() {
            for i in days.indices where i < p.days.count {
                let d = p.days[i]
                days[i].opening += d.opening; days[i].receipts += d.receipts; days[i].disbursements += d.disbursements
                days[i].financing += d.financing; days[i].charges += d.charges; days[i].closing += d.closing
                days[i].debit += d.debit
                days[i].flags.formUnion(d.flags.intersection([.overdrawn, .overLimit]))
            }
        }
        for i in days.indices {
            if days[i].closing < minCash { days[i].flags.insert(.belowBuffer) } else { days[i].flags.remove(.belowBuffer) }
        }
        let charges = per.flatMap(\.overdraftCharges).sorted { $0.postedOn < $1.postedOn }
        var consolidated = Projection(days: days, summary: first.summary, overdraftCharges: charges)
        // Stable by day: the accounts' order within a day.
        consolidated.creditLineMovements = per.flatMap(\.creditLineMovements).enumerated()
            .sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(\.element)
        var summary = consolidated.summary()
        summary.creditLineDrawnDays = per.reduce(0) { $0 + $1.summary.creditLineDrawnDays }
        summary.peakDrawn = per.map(\.summary.peakDrawn).max() ?? .zero
        consolidated.summary = summary
        return (consolidated, per)
    }

    /// A transfer of the day, added to the one already listed with the same account that day (both sweeps).
    private static func record(_ list: inout [Movement], _ day: Day, _ cents: Int64, _ detail: MovementDetail, _ other: String) {
        if let last = list.last, last.day == day, last.detail == detail, last.instrument == other {
            list[list.count - 1].amount += Money(cents: cents)
            return
        }
        list.append(Movement(day: day, amount: Money(cents: cents), category: .financing, source: .bank, reference: other,
                             detail: detail, instrument: other))
    }
}
