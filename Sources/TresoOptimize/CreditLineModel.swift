import TresoCore

/// One credit line in the model (docs/calculations.md § 14, credit lines): the "line used" binary and, per run of
/// days between two business days, the amount drawn in whole steps of the line's minimum drawing.
struct LineColumns {
    var line: CreditLine
    /// Cents per step: the minimum drawing (1 cent when the line has none).
    var step: Int64
    var use: Int
    /// Runs of days [first, last] (first a business day) with the integer column of the steps drawn over them.
    var groups: [(first: Int, last: Int, column: Int)]
    /// The day every drawing is repaid by: the last business day of the window every plan reaches.
    var repaidBy: Int
}

extension ModelBuilder {
    /// `epsilon` for a row scaled by 360 (ACT/360 charges): Σ cents·days × rate is a multiple of g/10⁹ (g = gcd(rate in
    /// nanos, 360·10⁹)), so 360·v is at least g/(2·10⁹) from a half-cent×360 unless on it; ε = g/(4·10⁹).
    static func scaledEpsilon(rateNanos: Int64) -> (value: Double, exact: Bool) {
        var a = rateNanos.magnitude, b = UInt64(360) * UInt64(Rate.scale)
        while b != 0 { (a, b) = (b, a % b) }
        let eps = Double(max(a, 1)) / Double(Rate.scale) / 4
        return eps >= 1e-6 ? (eps, true) : (1e-6, false)
    }

    /// The day the model repays every drawing by: the last business day of the window every plan of the request reaches.
    static func repaymentDay(engine: ForecastEngine, request: OptimizeRequest) -> Day {
        let s = engine.scenario
        let base = request.fixPlan.map { PlanState(engine: engine, plan: $0) } ?? PlanState(engine: engine, name: request.planName)
        var end = PlanComparison.referencePlans().map { PlanState(engine: engine, plan: $0) }.reduce(max(s.end, base.latestMovementDay)) {
            max($0, $1.latestMovementDay)
        }
        while end > s.start && !engine.calendar.isBusinessDay(end) { end = end - 1 }
        return end
    }

    /// An upper bound, in cents, on what the offered lines can charge over `days` days (for the big-M bounds).
    func lineChargeBound(days: Int) -> Double {
        var total = 0.0
        for l in lines {
            let rates = Double(l.annualRate.nanos + l.commitmentFeeRate.nanos) / Double(Rate.scale)
            total += Double(l.limit.cents) * rates * Double(days) / 360 + Double(days / 28 + 2)
        }
        return total * 1.05
    }

    /// The offered credit lines as plan-level choices. Per line: u ∈ {0, 1} (the line is in the plan), and per run
    /// of days from one business day to the next, n ∈ {0 … ⌊limit / step⌋} steps drawn (step = the minimum drawing),
    /// with step·n ≤ ⌊limit / step⌋·step·u. The drawn amount moves the balance on the run's first day (drawing on a
    /// business day, repayment on the next run's), and is repaid by `repaidBy`, the last business day of the window
    /// every plan reaches. Per month, interest I ≥ rate/360·Σ drawn·days − ½ + ε and commitment fee
    /// F ≥ fee/360·Σ (limit·u − drawn)·days − ½ + ε, both integer cents (rounded once, as `Projection.run`), counted
    /// over the days through the reference window's end and posted on the month's last day before the overdraft's
    /// debit of that day (the engine's order), or on the plan's last day. Days past the reference window charge no
    /// line in the model (the engine charges the fee there when the window stretches): a relaxation, so the bound holds.
    mutating func addCreditLines(days n: Int, balance: [Int], months: [(first: Int, last: Int)], lastDayRows: [Int: Int]) {
        lineColumns = []
        guard !lines.isEmpty, n > 1 else { return }
        let s = engine.scenario
        let calendar = engine.calendar
        let lastAlways = min(max(referenceEnd - s.start, 0), n - 1)
        var repaidBy = lastAlways
        while repaidBy > 0 && !calendar.isBusinessDay(s.start + repaidBy) { repaidBy -= 1 }
        let business = (0..<repaidBy).filter { calendar.isBusinessDay(s.start + $0) }
        guard !business.isEmpty else { return }
        let runs = business.indices.map { g in (first: business[g], last: (g + 1 < business.count ? business[g + 1] : repaidBy) - 1) }
        var monthOf = [Int](repeating: 0, count: n)
        for (k, m) in months.enumerated() { for t in m.first...m.last { monthOf[t] = k } }
        var chargedDays = [Int64](repeating: 0, count: months.count)
        for t in 0...lastAlways { chargedDays[monthOf[t]] += 1 }
        for line in lines {
            let step = max(line.minimumDrawing.cents, 1)
            let steps = line.limit.cents / step
            guard steps > 0 else { continue }
            // Rows scaled by 360 (360·I ≥ rate·Σ drawn·days − 180 + 360·ε): the margin that makes the rounding exact
            // is then well above the solver's tolerance for every rate written with a few decimals.
            let rate = Double(line.annualRate.nanos) / Double(Rate.scale)
            let feeRate = Double(line.commitmentFeeRate.nanos) / Double(Rate.scale)
            let linkRows = runs.map { _ in model.addRow(lower: -.infinity, upper: 0) }
            var interestRows: [Int: Int] = [:], feeRows: [Int: Int] = [:]
            let epsInterest = Self.scaledEpsilon(rateNanos: line.annualRate.nanos)
            let epsFee = Self.scaledEpsilon(rateNanos: line.commitmentFeeRate.nanos)
            for k in months.indices where chargedDays[k] > 0 {
                if rate > 0 {
                    interestRows[k] = model.addRow(lower: -180 + epsInterest.value, upper: .infinity)
                    roundedCharges += 1
                    if !epsInterest.exact { unresolvedRoundings += 1 }
                }
                if feeRate > 0 {
                    feeRows[k] = model.addRow(lower: -180 + epsFee.value, upper: .infinity)
                    roundedCharges += 1
                    if !epsFee.exact { unresolvedRoundings += 1 }
                }
            }
            let most = Double(steps * step)
            var useEntries: [(row: Int, value: Double)] = linkRows.map { ($0, -most) }
            for (k, r) in feeRows { useEntries.append((r, -feeRate * Double(line.limit.cents) * Double(chargedDays[k]))) }
            let use = model.addColumn(lower: 0, upper: 1, cost: 0, integer: true, entries: useEntries)
            var groups: [(first: Int, last: Int, column: Int)] = []
            for (g, run) in runs.enumerated() {
                var e: [(row: Int, value: Double)] = [(balance[run.first], -Double(step)), (balance[run.last + 1], Double(step)),
                                                      (linkRows[g], Double(step))]
                var daysIn: [Int: Int64] = [:]
                for t in run.first...run.last { daysIn[monthOf[t], default: 0] += 1 }
                for (k, d) in daysIn.sorted(by: { $0.key < $1.key }) {
                    if let r = interestRows[k] { e.append((r, -rate * Double(step) * Double(d))) }
                    if let r = feeRows[k] { e.append((r, feeRate * Double(step) * Double(d))) }
                }
                groups.append((run.first, run.last, model.addColumn(lower: 0, upper: Double(steps), cost: 0, integer: true, entries: e)))
            }
            for k in months.indices where chargedDays[k] > 0 {
                let m = months[k]
                // Posted on the month's last day (in that day's balance, before its overdraft debit), or on a plan's
                // last day within the month (its floor row).
                let posted: [(row: Int, value: Double)] = [(balance[m.last], 1)]
                    + (m.first..<m.last).compactMap { t in lastDayRows[t].map { ($0, -1.0) } }
                if let r = interestRows[k] { model.addColumn(lower: 0, upper: .infinity, cost: 1, integer: true, entries: posted + [(r, 360)]) }
                if let r = feeRows[k] { model.addColumn(lower: 0, upper: .infinity, cost: 1, integer: true, entries: posted + [(r, 360)]) }
            }
            lineColumns.append(LineColumns(line: line, step: step, use: use, groups: groups, repaidBy: repaidBy))
        }
    }

    /// The fixed drawings a solution's drawn profile stands for: each rise of a line's drawn amount is a drawing,
    /// each fall repays the latest drawings first (a drawing partly repaid is two drawings), the rest is repaid on
    /// `repaidBy`. Every amount is a whole number of steps, so at least the minimum drawing.
    func drawings(from values: [Double]) -> [CreditDrawing] {
        let start = engine.scenario.start
        var out: [CreditDrawing] = []
        for lc in lineColumns {
            var open: [(from: Int, steps: Int64)] = []
            var mine: [CreditDrawing] = []
            func repay(_ count: Int64, on day: Int) {
                var left = count
                while left > 0, let top = open.last {
                    let taken = min(top.steps, left)
                    mine.append(CreditDrawing(line: lc.line.name, mode: .fixed(amount: Money(cents: taken * lc.step), from: start + top.from, to: start + day)))
                    left -= taken
                    if taken == top.steps { open.removeLast() } else { open[open.count - 1].steps -= taken }
                }
            }
            var drawn: Int64 = 0
            for g in lc.groups {
                let v = values[g.column]
                let now = v.isFinite ? max(Int64(v.rounded()), 0) : 0
                if now > drawn { open.append((g.first, now - drawn)) } else if now < drawn { repay(drawn - now, on: g.first) }
                drawn = now
            }
            repay(drawn, on: lc.repaidBy)
            out += mine.sorted { a, b in
                guard case .fixed(_, let af, let at) = a.mode, case .fixed(_, let bf, let bt) = b.mode else { return false }
                return (af, at) < (bf, bt)
            }
        }
        return out
    }
}
