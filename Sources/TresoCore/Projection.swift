/// Conditions a day is in, each shown as text as well as colour.
public struct DayFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Closing balance below zero.
    public static let overdrawn = DayFlags(rawValue: 1)
    /// Debit larger than the authorised overdraft.
    public static let overLimit = DayFlags(rawValue: 2)
    /// Closing balance below the minimum cash the CFO wants to keep.
    public static let belowBuffer = DayFlags(rawValue: 4)

    public var names: [String] {
        var out: [String] = []
        if contains(.overdrawn) { out.append("overdrawn") }
        if contains(.overLimit) { out.append("over_limit") }
        if contains(.belowBuffer) { out.append("below_buffer") }
        return out
    }
}

/// One calendar day of the projection.
/// closing = opening + receipts − disbursements + financing − charges.
public struct DailyPosition: Sendable, Hashable {
    public var day: Day
    public var opening: Money
    /// Ordinary inflows (≥ 0).
    public var receipts: Money
    /// Ordinary outflows, as a positive amount.
    public var disbursements: Money
    /// Net cash from financing instruments (signed).
    public var financing: Money
    /// Bank charges posted this day (≥ 0 for a debit balance; interest and commission).
    public var charges: Money
    public var closing: Money
    public var flags: DayFlags
    /// max(0, −balance) counted for overdraft interest this day.
    public var debit: Money
}

public struct ProjectionSummary: Sendable, Hashable {
    public var lowestBalance: Money
    public var lowestBalanceDate: Day
    public var peakOverdraft: Money
    public var daysOverdrawn: Int
    public var daysOverLimit: Int
    public var daysBelowBuffer: Int
    public var bankCharges: Money
    /// Of which interest on the debit balance, and highest-overdraft commission.
    public var overdraftInterest: Money
    public var overdraftCommission: Money
    public var finalBalance: Money
    /// Of which the penalty rate on the part of the debit above the limit.
    public var overdraftPenalty: Money = .zero
    /// Last day of the projection.
    public var lastDay: Day? = nil
    /// Credit lines (§16), included in `bankCharges`: interest on the drawn balance and the commitment fee.
    public var creditLineInterest: Money = .zero
    public var commitmentFees: Money = .zero
    /// Σ daily drawn balance (cents × days) of the credit lines, and the largest amount drawn at once.
    public var creditLineDrawnDays: Int64 = 0
    public var peakDrawn: Money = .zero
    /// Overdraft interest, commission and penalty: the bank charges without the credit lines'.
    public var overdraftCharges: Money { overdraftInterest + overdraftCommission + overdraftPenalty }
}

/// The day-by-day treasury of one plan over the scenario's horizon.
public struct Projection: Sendable {
    public var days: [DailyPosition]
    public var summary: ProjectionSummary
    /// The overdraft charges posted, one per month (or partial month) with a debit.
    public var overdraftCharges: [OverdraftCharge]
    /// Credit-line drawings, repayments, interest and commitment fees, in day order (empty without a line).
    public var creditLineMovements: [Movement] = []
    /// With several accounts (§17): the sweeps into and out of this account, in day order (empty in the consolidated
    /// projection, where they cancel out).
    public var transferMovements: [Movement] = []

    public func position(on day: Day) -> DailyPosition? {
        guard let first = days.first else { return nil }
        let i = day - first.day
        return i >= 0 && i < days.count ? days[i] : nil
    }
}

/// Per-day sums of movements over the horizon: the only thing the daily balance
/// depends on. Plans add their financing movements into a copy of the base ledger,
/// which keeps re-projection after one decision at O(horizon).
public struct CashLedger: Sendable, Hashable {
    public let start: Day
    public var receipts: [Int64]
    public var disbursements: [Int64]
    public var financing: [Int64]

    public init(start: Day, days: Int) {
        self.start = start
        receipts = Array(repeating: 0, count: days)
        disbursements = Array(repeating: 0, count: days)
        financing = Array(repeating: 0, count: days)
    }

    public var count: Int { receipts.count }

    /// The day-by-day sum of ledgers over the same days (the accounts' ledgers → the consolidated one, §17).
    public static func sum(_ ledgers: [CashLedger]) -> CashLedger {
        guard var out = ledgers.first else { return CashLedger(start: Day(raw: 0), days: 0) }
        for l in ledgers.dropFirst() {
            for i in 0..<min(out.count, l.count) {
                out.receipts[i] += l.receipts[i]; out.disbursements[i] += l.disbursements[i]; out.financing[i] += l.financing[i]
            }
        }
        return out
    }

    /// Index of a day in the ledger, or nil outside the horizon.
    @inlinable public func offset(_ day: Day) -> Int? {
        let i = day - start
        return i >= 0 && i < receipts.count ? i : nil
    }

    /// Adds a signed movement to its column; movements outside the horizon are ignored.
    @inlinable public mutating func add(_ amount: Money, on day: Day, as category: MovementCategory) {
        guard let i = offset(day) else { return }
        switch category {
        case .receipt: receipts[i] += amount.cents
        case .disbursement: disbursements[i] -= amount.cents   // stored as a positive outflow
        case .financing: financing[i] += amount.cents
        case .charge: break   // bank charges are derived from the balance by `Projection.run`, never added
        }
    }
}

/// Bank charges of one month (or the partial month at either end of the horizon).
public struct OverdraftCharge: Sendable, Hashable {
    public var postedOn: Day
    public var periodStart: Day
    /// Σ daily debit (cents × days) over the period.
    public var debitDays: Int64
    public var largestDebit: Money
    public var interest: Money
    public var commission: Money
    /// Σ max(0, daily debit − limit) over the period, and the penalty interest on it.
    public var overLimitDebitDays: Int64 = 0
    public var penalty: Money = .zero
    public var total: Money { interest + commission + penalty }
}

extension Projection {
    /// The summary of a range of days (the whole horizon by default), as the table footer and JSON show it.
    public func summary(from: Day? = nil, through: Day? = nil) -> ProjectionSummary {
        guard let first = days.first, let last = days.last else { return summary }
        let lo = max(0, (from ?? first.day) - first.day), hi = min(days.count - 1, (through ?? last.day) - first.day)
        guard lo <= hi else { return summary }
        var s = ProjectionSummary(lowestBalance: days[lo].closing, lowestBalanceDate: days[lo].day, peakOverdraft: .zero,
                                  daysOverdrawn: 0, daysOverLimit: 0, daysBelowBuffer: 0, bankCharges: .zero,
                                  overdraftInterest: .zero, overdraftCommission: .zero, finalBalance: days[hi].closing,
                                  lastDay: days[hi].day)
        for d in days[lo...hi] {
            if d.closing < s.lowestBalance { s.lowestBalance = d.closing; s.lowestBalanceDate = d.day }
            if -d.closing > s.peakOverdraft { s.peakOverdraft = -d.closing }
            if d.flags.contains(.overdrawn) { s.daysOverdrawn += 1 }
            if d.flags.contains(.overLimit) { s.daysOverLimit += 1 }
            if d.flags.contains(.belowBuffer) { s.daysBelowBuffer += 1 }
        }
        for c in overdraftCharges where c.postedOn >= days[lo].day && c.postedOn <= days[hi].day {
            s.overdraftInterest += c.interest
            s.overdraftCommission += c.commission
            s.overdraftPenalty += c.penalty
        }
        for m in creditLineMovements where m.day >= days[lo].day && m.day <= days[hi].day {
            if case .creditLineInterest = m.detail { s.creditLineInterest -= m.amount }
            if case .commitmentFee = m.detail { s.commitmentFees -= m.amount }
        }
        s.bankCharges = s.overdraftInterest + s.overdraftCommission + s.overdraftPenalty + s.creditLineInterest + s.commitmentFees
        return s
    }

    /// Runs the balance over the ledger, posting overdraft charges monthly.
    /// See docs/calculations.md § Overdraft for the exact rule and a worked example.
    /// `days` limits the run to the ledger's first days (the horizon, or a comparison window); nil = the whole ledger.
    /// `lines`: the credit lines the plan draws on (§16), run day by day with the balance they depend on.
    public static func run(ledger: CashLedger, opening: Money, minCash: Money, overdraft: OverdraftTerms, days count: Int? = nil,
                           lines: [CreditLineUse] = []) -> Projection {
        var r = BalanceRun(ledger: ledger, opening: opening, minCash: minCash, overdraft: overdraft, days: count, lines: lines)
        for i in 0..<r.n {
            _ = r.flows(i)
            _ = r.lines()
            _ = r.postCharges()
            r.close()
        }
        return r.finish()
    }
}

/// One account's balance run a day at a time (§4, §16): `Projection.run` for one account, and `AccountsRun` for
/// several, which moves cash between the accounts between the steps (the sweep, §17). A day is
/// `flows` (the ledger's movements) → `transfer` (the first sweep) → `lines` (the credit lines: drawings, repayments
/// and their month-end charges) → `postCharges` (the day's debit, then the overdraft charges on the month's last day,
/// computed on the debits counted through today) → `transfer` (the sweep again, covering the charges) → `close`.
struct BalanceRun {
    let ledger: CashLedger
    let minCash: Int64
    let overdraft: OverdraftTerms
    let limit: Int64
    let n: Int
    let opening: Int64
    var days: [DailyPosition] = []
    var balance: Int64
    var monthDebitSum: Int64 = 0
    var monthMaxDebit: Int64 = 0
    var periodStart: Day
    var lowest = Int64.max
    var lowestDay: Day
    var peak: Int64 = 0
    var overdrawn = 0, overLimit = 0, belowBuffer = 0
    var interestTotal: Int64 = 0, commissionTotal: Int64 = 0, penaltyTotal: Int64 = 0
    var monthOverLimitSum: Int64 = 0
    var charges: [OverdraftCharge] = []
    // The month's last day, advanced when passed (a calendar conversion per month, not per day).
    var monthEnd: Day
    var lineRun: CreditLineRun?
    // The day being run.
    var day: Day
    var open: Int64 = 0
    var pre: Int64 = 0
    var lineFlow: Int64 = 0, lineCharge: Int64 = 0
    var transferred: Int64 = 0
    var charge: Int64 = 0
    var debit: Int64 = 0
    var chargesPosted = false

    init(ledger: CashLedger, opening: Money, minCash: Money, overdraft: OverdraftTerms, days count: Int?, lines: [CreditLineUse]) {
        self.ledger = ledger; self.minCash = minCash.cents; self.overdraft = overdraft; self.opening = opening.cents
        n = min(max(count ?? ledger.count, 0), ledger.count)
        limit = overdraft.limit.cents
        balance = opening.cents
        periodStart = ledger.start; lowestDay = ledger.start; day = ledger.start
        monthEnd = ledger.start.endOfMonth
        lineRun = lines.isEmpty ? nil : CreditLineRun(lines, start: ledger.start, minCash: minCash.cents)
        days.reserveCapacity(n)
    }

    var isPeriodEnd: Bool { day == monthEnd || day - ledger.start == n - 1 }

    /// Day `i`'s movements and credit lines: the balance before transfers and overdraft charges.
    @inline(__always) mutating func flows(_ i: Int) -> Int64 {
        day = ledger.start + i
        if day > monthEnd { monthEnd = day.endOfMonth }
        open = balance
        pre = open + ledger.receipts[i] - ledger.disbursements[i] + ledger.financing[i]
        lineFlow = 0; lineCharge = 0; transferred = 0; charge = 0; chargesPosted = false
        return pre
    }

    /// The credit lines of the day (§16) on the balance so far (after the first sweep): the balance after them.
    @inline(__always) mutating func lines() -> Int64 {
        guard lineRun != nil else { return pre }
        let end = isPeriodEnd, i = day - ledger.start
        if let (flow, charged) = lineRun?.step(i, day: day, balance: pre, periodEnd: end) {
            lineFlow = flow; lineCharge = charged
            pre += flow - charged
        }
        return pre
    }

    /// Cash moved in (+) or out (−) by a sweep: before `postCharges` it changes the day's debit, after it not.
    @inline(__always) mutating func transfer(_ amount: Int64) {
        pre += amount
        transferred += amount
    }

    /// Counts the day's debit and, on the month's last day, posts the overdraft charges: the balance after them.
    @inline(__always) mutating func postCharges() -> Int64 {
        chargesPosted = true
        debit = pre < 0 ? -pre : 0
        monthDebitSum += debit
        if debit > limit { monthOverLimitSum += debit - limit }
        if debit > monthMaxDebit { monthMaxDebit = debit }
        if isPeriodEnd {
            let interest = Money.charge(Money(cents: monthDebitSum), rate: overdraft.annualRate, times: 1, over: DayCount.moneyMarketYear)
            let commission = Money.charge(Money(cents: monthMaxDebit), rate: overdraft.highestOverdraftRate)
            let penalty = Money.charge(Money(cents: monthOverLimitSum), rate: overdraft.penaltyRate, times: 1, over: DayCount.moneyMarketYear)
            charge = interest.cents + commission.cents + penalty.cents
            interestTotal += interest.cents
            commissionTotal += commission.cents
            penaltyTotal += penalty.cents
            if charge != 0 || monthDebitSum != 0 {
                charges.append(OverdraftCharge(postedOn: day, periodStart: periodStart, debitDays: monthDebitSum,
                                               largestDebit: Money(cents: monthMaxDebit), interest: interest, commission: commission,
                                               overLimitDebitDays: monthOverLimitSum, penalty: penalty))
            }
            monthOverLimitSum = 0
            monthDebitSum = 0
            monthMaxDebit = 0
            periodStart = day + 1
        }
        pre -= charge
        return pre
    }

    /// Records the day: closing = the balance after every step.
    @inline(__always) mutating func close() {
        let close = pre
        let i = day - ledger.start
        var flags: DayFlags = []
        if close < 0 { flags.insert(.overdrawn); overdrawn += 1 }
        if close < 0 && -close > limit { flags.insert(.overLimit); overLimit += 1 }
        if close < minCash { flags.insert(.belowBuffer); belowBuffer += 1 }
        if close < lowest { lowest = close; lowestDay = day }
        if -close > peak { peak = -close }
        days.append(DailyPosition(day: day, opening: Money(cents: open), receipts: Money(cents: ledger.receipts[i]),
                                  disbursements: Money(cents: ledger.disbursements[i]),
                                  financing: Money(cents: ledger.financing[i] + lineFlow + transferred),
                                  charges: Money(cents: charge + lineCharge), closing: Money(cents: close), flags: flags,
                                  debit: Money(cents: debit)))
        balance = close
    }

    func finish() -> Projection {
        let lowest = n == 0 ? opening : self.lowest
        var summary = ProjectionSummary(lowestBalance: Money(cents: lowest), lowestBalanceDate: lowestDay, peakOverdraft: Money(cents: peak),
                                        daysOverdrawn: overdrawn, daysOverLimit: overLimit, daysBelowBuffer: belowBuffer,
                                        bankCharges: Money(cents: interestTotal + commissionTotal + penaltyTotal),
                                        overdraftInterest: Money(cents: interestTotal), overdraftCommission: Money(cents: commissionTotal),
                                        finalBalance: Money(cents: balance), overdraftPenalty: Money(cents: penaltyTotal),
                                        lastDay: n > 0 ? ledger.start + (n - 1) : nil)
        var projection = Projection(days: days, summary: summary, overdraftCharges: charges)
        if let lineRun {
            summary.creditLineInterest = Money(cents: lineRun.interestTotal)
            summary.commitmentFees = Money(cents: lineRun.feeTotal)
            summary.bankCharges += summary.creditLineInterest + summary.commitmentFees
            summary.creditLineDrawnDays = lineRun.drawnDaysTotal
            summary.peakDrawn = Money(cents: lineRun.peakDrawn)
            projection.summary = summary
            projection.creditLineMovements = lineRun.movements
        }
        return projection
    }
}
