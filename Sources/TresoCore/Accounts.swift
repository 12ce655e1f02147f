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
    public init(name: String) { self.name = name }
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

    init(_ settings: AccountSettings) {
        defaultIndex = settings.defaultIndex
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
                    out[router.account(ofInstrument: m.instrument, otherwise: a)].add(m.amount, on: m.day, as: m.category)
                }
            }
        }
        for o in engine.recurringOccurrences {
            let flow = s.recurring[o.flow]
            out[router.account(of: flow)].add(flow.amount, on: o.day, as: flow.amount.isNegative ? .disbursement : .receipt)
        }
        // Computed VAT returns (§19) are paid from the account of the category "VAT", else the default.
        for r in engine.vat?.returns ?? [] where r.payment != .zero {
            out[router.byCategory["vat"] ?? router.defaultIndex].add(-r.payment, on: r.day, as: .disbursement)
        }
        for m in planMovements() {
            out[router.account(ofInstrument: m.instrument, otherwise: router.defaultIndex)].add(m.amount, on: m.day, as: m.category)
        }
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

/// The daily run over several accounts: sweeps computed on the balances before bank charges, in the accounts' order;
/// then each account projected with its own overdraft (§4), the credit lines on the default account; the consolidated
/// day sums the accounts, and is over the limit when any account is.
enum AccountsRun {
    static func run(ledgers: [CashLedger], settings: AccountSettings, minCash: Money, days count: Int,
                    lines: [CreditLineUse]) -> (consolidated: Projection, accounts: [Projection]) {
        var ledgers = ledgers
        let accounts = settings.accounts
        let n = min(count, ledgers.first?.count ?? 0)
        if settings.sweep && accounts.count > 1 && n > 0 {
            var balance = accounts.map(\.openingBalance.cents)
            for i in 0..<n {
                for k in accounts.indices { balance[k] += ledgers[k].receipts[i] - ledgers[k].disbursements[i] + ledgers[k].financing[i] }
                for k in accounts.indices where balance[k] < accounts[k].floor.cents {
                    var need = accounts[k].floor.cents - balance[k]
                    for d in accounts.indices where d != k && need > 0 && balance[d] > accounts[d].floor.cents {
                        let moved = min(need, balance[d] - accounts[d].floor.cents)
                        balance[d] -= moved; balance[k] += moved; need -= moved
                        ledgers[d].financing[i] -= moved
                        ledgers[k].financing[i] += moved
                    }
                }
            }
        }
        let def = settings.defaultIndex
        let per = accounts.indices.map { k in
            Projection.run(ledger: ledgers[k], opening: accounts[k].openingBalance, minCash: accounts[k].floor, overdraft: accounts[k].overdraft,
                           days: count, lines: k == def ? lines : [])
        }
        guard let first = per.first else {
            return (Projection.run(ledger: CashLedger(start: ledgers.first?.start ?? Day(raw: 0), days: 0), opening: .zero, minCash: minCash,
                                   overdraft: OverdraftTerms()), [])
        }
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
        consolidated.creditLineMovements = per.flatMap(\.creditLineMovements)
        var summary = consolidated.summary()
        summary.creditLineDrawnDays = per.reduce(0) { $0 + $1.summary.creditLineDrawnDays }
        summary.peakDrawn = per.map(\.summary.peakDrawn).max() ?? .zero
        consolidated.summary = summary
        return (consolidated, per)
    }
}
