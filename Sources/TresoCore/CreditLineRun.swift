/// One credit line as a plan uses it, resolved for the projection: its terms, its fixed drawings and repayments
/// as signed amounts by day offset (sorted), and whether it is drawn automatically (and to which floor).
public struct CreditLineUse: Sendable, Hashable {
    public var line: CreditLine
    /// (day offset from the ledger's start, signed amount: + drawing, − repayment), sorted by offset.
    public var scheduled: [(offset: Int, amount: Int64)]
    /// Draw automatically to keep the balance at this floor (cents), nil = fixed drawings only.
    public var autoFloor: Int64?
    /// By day offset, whether cash moves that day (the scenario's calendar): automatic drawings and repayments
    /// happen on business days only. Past its end every day counts as open.
    public var openDays: [Bool]

    public init(line: CreditLine, scheduled: [(offset: Int, amount: Int64)] = [], autoFloor: Int64? = nil, openDays: [Bool] = []) {
        self.line = line; self.scheduled = scheduled.sorted { $0.offset < $1.offset }; self.autoFloor = autoFloor
        self.openDays = openDays
    }

    public static func == (a: CreditLineUse, b: CreditLineUse) -> Bool {
        a.line == b.line && a.autoFloor == b.autoFloor && a.scheduled.map(\.offset) == b.scheduled.map(\.offset)
            && a.scheduled.map(\.amount) == b.scheduled.map(\.amount)
    }
    public func hash(into h: inout Hasher) { h.combine(line); h.combine(autoFloor); h.combine(scheduled.count) }
}

/// The credit lines' day-by-day state inside `Projection.run` (docs/calculations.md §16): drawings and repayments
/// of the day, then the drawn balance counted for interest and the unused part for the commitment fee; both
/// charged on the month's last day (and on the run's last day), each rounded once.
struct CreditLineRun {
    let uses: [CreditLineUse]
    let start: Day
    let minCash: Int64
    var drawn: [Int64]
    var cursor: [Int]
    var drawnDays: [Int64]
    var unusedDays: [Int64]
    var periodStart: Day
    var interestTotal: Int64 = 0
    var feeTotal: Int64 = 0
    var drawnDaysTotal: Int64 = 0
    var peakDrawn: Int64 = 0
    var movements: [Movement] = []

    init(_ uses: [CreditLineUse], start: Day, minCash: Int64) {
        self.uses = uses; self.start = start; self.minCash = minCash
        drawn = Array(repeating: 0, count: uses.count)
        cursor = Array(repeating: 0, count: uses.count)
        drawnDays = drawn; unusedDays = drawn
        periodStart = start
        // Fixed drawings scheduled before the ledger's start are skipped (the loader refuses them).
        for k in uses.indices { while cursor[k] < uses[k].scheduled.count && uses[k].scheduled[cursor[k]].offset < 0 { cursor[k] += 1 } }
    }

    /// Day `i`: the lines' cash flow (+ drawn, − repaid) and the charges posted (≥ 0), given the balance before them.
    mutating func step(_ i: Int, day: Day, balance: Int64, periodEnd: Bool) -> (flow: Int64, charge: Int64) {
        var flow: Int64 = 0, charge: Int64 = 0
        for k in uses.indices {
            let u = uses[k]
            let name = u.line.name
            func record(_ amount: Int64, _ detail: MovementDetail) {
                movements.append(Movement(day: day, amount: Money(cents: amount), category: detail == .creditLineDrawing || detail == .creditLineRepayment ? .financing : .charge,
                                          source: .bank, reference: name, detail: detail, instrument: name))
            }
            var today: Int64 = 0
            while cursor[k] < u.scheduled.count && u.scheduled[cursor[k]].offset == i {
                today += u.scheduled[cursor[k]].amount
                cursor[k] += 1
            }
            if let floor = u.autoFloor, i >= u.openDays.count || u.openDays[i] {
                let limit = u.line.limit.cents
                let bal = balance + flow + today
                let out = drawn[k] + today
                let room = limit - out
                if bal < floor && room > 0 {
                    today += min(max(floor - bal, u.line.minimumDrawing.cents), room)
                } else if bal > floor && out > 0 {
                    // A partial repayment smaller than the minimum drawing would only be drawn again: it waits.
                    let r = min(out, bal - floor)
                    if r == out || r >= u.line.minimumDrawing.cents { today -= r }
                }
            }
            if today > 0 { record(today, .creditLineDrawing) } else if today < 0 { record(today, .creditLineRepayment) }
            drawn[k] += today
            flow += today
            drawnDays[k] += drawn[k]
            drawnDaysTotal += drawn[k]
            unusedDays[k] += max(0, u.line.limit.cents - drawn[k])
            if periodEnd {
                let interest = Money.charge(Money(cents: drawnDays[k]), rate: u.line.annualRate, times: 1, over: DayCount.moneyMarketYear)
                let fee = Money.charge(Money(cents: unusedDays[k]), rate: u.line.commitmentFeeRate, times: 1, over: DayCount.moneyMarketYear)
                if interest != .zero { record(-interest.cents, .creditLineInterest(from: periodStart, to: day)) }
                if fee != .zero { record(-fee.cents, .commitmentFee(from: periodStart, to: day)) }
                interestTotal += interest.cents
                feeTotal += fee.cents
                charge += interest.cents + fee.cents
                drawnDays[k] = 0; unusedDays[k] = 0
                // An automatic line also covers its own charges on a business day (drawn at the day's end: no interest today).
                if let floor = u.autoFloor, i >= u.openDays.count || u.openDays[i] {
                    let bal = balance + flow - charge
                    let room = u.line.limit.cents - drawn[k]
                    if bal < floor && room > 0 {
                        let top = min(max(floor - bal, u.line.minimumDrawing.cents), room)
                        record(top, .creditLineDrawing)
                        drawn[k] += top
                        flow += top
                    }
                }
            }
        }
        var total: Int64 = 0
        for d in drawn { total += d }
        if total > peakDrawn { peakDrawn = total }
        if periodEnd { periodStart = day + 1 }
        return (flow, charge)
    }
}
