/// When and how one invoice settles under the default conventions.
public struct Settlement: Sendable, Hashable {
    /// The date it was expected before the business-day move (due + delay, or the expected date).
    public var scheduled: Day
    /// The business day the cash moves (following rule), after moving overdue items onto the start.
    public var day: Day
    /// Expected before the start date: settled on the start date instead of being dropped.
    public var overdue: Bool
}

/// The forecasting engine for one scenario: settles every invoice and recurring flow once,
/// then projects plans over that base in O(horizon). Pure: no I/O, no clock.
public struct ForecastEngine: Sendable {
    public let scenario: Scenario
    public let calendar: BusinessCalendar
    public let table: SettlementTable
    /// Settlement of each receivable / payable, parallel to the scenario's arrays.
    public let receivableSettlements: [Settlement]
    public let payableSettlements: [Settlement]
    /// Recurring flow occurrences inside the horizon: (flow index, scheduled, settled).
    public let recurringOccurrences: [(flow: Int, scheduled: Day, day: Day)]
    /// The ledger of the plan with no decision.
    public let baseLedger: CashLedger

    public init(scenario: Scenario) {
        self.scenario = scenario
        let calendar = BusinessCalendar(scenario.calendar)
        self.calendar = calendar
        let start = scenario.start, end = scenario.end
        // Settlements can be pushed a few days past the end by holidays; 400 days of slack covers
        // instruments that move payments later (reverse factoring, split payment).
        let table = SettlementTable(calendar: calendar, from: start, through: end + 400)
        self.table = table
        var ledger = CashLedger(start: start, days: max(scenario.horizonDays, 1))

        // Customer delay lookup: exact name first, then case-insensitively.
        let delays = scenario.customerDelays
        var folded: [String: Int] = [:]
        for (k, v) in delays { folded[k.lowercased()] = v }
        let defaultDelay = scenario.customerDelayDays
        // Names repeat across thousands of invoices: resolve each distinct name once.
        var resolved: [String: Int] = [:]
        func delay(for name: String) -> Int {
            if delays.isEmpty { return defaultDelay }
            if let d = resolved[name] { return d }
            let d = delays[name] ?? folded[name.lowercased()] ?? defaultDelay
            resolved[name] = d
            return d
        }

        var rs: [Settlement] = []
        rs.reserveCapacity(scenario.receivables.count)
        // Fields are read in place: copying each Invoice would retain and release its strings a million times.
        scenario.receivables.withUnsafeBufferPointer { invoices in
            for i in invoices.indices {
                let scheduled = invoices[i].expectedDate ?? (invoices[i].dueDate + (delays.isEmpty ? defaultDelay : delay(for: invoices[i].counterparty)))
                let s = ForecastEngine.settle(scheduled, start: start, table: table)
                rs.append(s)
                if invoices[i].status == .open { ledger.add(invoices[i].amount, on: s.day, as: .receipt) }
            }
        }
        var ps: [Settlement] = []
        ps.reserveCapacity(scenario.payables.count)
        scenario.payables.withUnsafeBufferPointer { invoices in
            for i in invoices.indices {
                let s = ForecastEngine.settle(invoices[i].expectedDate ?? invoices[i].dueDate, start: start, table: table)
                ps.append(s)
                if invoices[i].status == .open { ledger.add(-invoices[i].amount, on: s.day, as: .disbursement) }
            }
        }
        var occ: [(flow: Int, scheduled: Day, day: Day)] = []
        for (i, flow) in scenario.recurring.enumerated() {
            for d in flow.scheduledDates(from: start, through: end) {
                let settled = table.following(d)
                occ.append((i, d, settled))
                ledger.add(flow.amount, on: settled, as: flow.amount.isNegative ? .disbursement : .receipt)
            }
        }
        receivableSettlements = rs
        payableSettlements = ps
        recurringOccurrences = occ
        baseLedger = ledger
    }

    static func settle(_ scheduled: Day, start: Day, table: SettlementTable) -> Settlement {
        let overdue = scheduled < start
        return Settlement(scheduled: scheduled, day: table.following(overdue ? start : scheduled), overdue: overdue)
    }

    public func invoice(_ ref: InvoiceRef) -> Invoice {
        ref.kind == .receivable ? scenario.receivables[ref.index] : scenario.payables[ref.index]
    }

    public func settlement(_ ref: InvoiceRef) -> Settlement {
        ref.kind == .receivable ? receivableSettlements[ref.index] : payableSettlements[ref.index]
    }

    /// The projection with no financing decision ("overdraft only").
    public func project() -> Projection {
        Projection.run(ledger: baseLedger, opening: scenario.openingBalance, minCash: scenario.minCash, overdraft: scenario.overdraft)
    }

    /// Every ordinary movement (invoices and recurring flows) settling on `day`, in a stable order:
    /// receipts, then disbursements, each by invoice order, then recurring flows.
    public func baseMovements(on day: Day) -> [Movement] {
        var out: [Movement] = []
        for (i, s) in receivableSettlements.enumerated() where s.day == day {
            let inv = scenario.receivables[i]
            guard inv.status == .open else { continue }
            out.append(Movement(day: day, amount: inv.amount, category: .receipt, source: .invoice(InvoiceRef(.receivable, i)),
                                reference: inv.id, detail: .collection(counterparty: inv.counterparty), overdue: s.overdue))
        }
        for (i, s) in payableSettlements.enumerated() where s.day == day {
            let inv = scenario.payables[i]
            guard inv.status == .open else { continue }
            out.append(Movement(day: day, amount: -inv.amount, category: .disbursement, source: .invoice(InvoiceRef(.payable, i)),
                                reference: inv.id, detail: .payment(counterparty: inv.counterparty), overdue: s.overdue))
        }
        for o in recurringOccurrences where o.day == day {
            let flow = scenario.recurring[o.flow]
            out.append(Movement(day: day, amount: flow.amount, category: flow.amount.isNegative ? .disbursement : .receipt,
                                source: .recurring(o.flow), reference: flow.label, label: flow.label))
        }
        return out
    }

    /// Bank charges posted on `day` by a projection, as movements.
    public static func chargeMovements(on day: Day, in projection: Projection) -> [Movement] {
        var out: [Movement] = []
        for c in projection.overdraftCharges where c.postedOn == day {
            let period = c.periodStart.iso + "…" + c.postedOn.iso
            if c.interest != .zero {
                out.append(Movement(day: day, amount: -c.interest, category: .charge, source: .bank, reference: "bank",
                                    label: "overdraft interest " + period))
            }
            if c.commission != .zero {
                out.append(Movement(day: day, amount: -c.commission, category: .charge, source: .bank, reference: "bank",
                                    label: "highest-overdraft commission " + period))
            }
        }
        return out
    }
}

extension ForecastEngine {
    /// Warnings about invoices the projection had to move: overdue ones collected or paid on the start date,
    /// and those settling after the horizon (not shown).
    public func settlementDiagnostics() -> [Diagnostic] {
        var out: [Diagnostic] = []
        for kind in InvoiceKind.allCases {
            let list = scenario.invoices(kind)
            let settlements = kind == .receivable ? receivableSettlements : payableSettlements
            let file = kind == .receivable ? scenario.receivablesFile : scenario.payablesFile
            for (i, inv) in list.enumerated() where inv.status == .open {
                let s = settlements[i]
                if s.overdue {
                    let verb = kind == .receivable ? "collection" : "payment"
                    out.append(.warning(file, line: Int(inv.line), column: 0,
                                        "\(inv.id): overdue — expected \(verb) \(s.scheduled.iso) is before the start \(scenario.start.iso); counted on \(s.day.iso)"))
                }
            }
        }
        return out
    }
}
