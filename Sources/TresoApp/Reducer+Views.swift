import TresoCore

extension AppState {
    /// The period table the screen shows (nil in the daily chart view).
    public var periodTable: PeriodTable? { periodView == .day ? nil : cache.periods }

    /// Keeps the cached period table in step with the plan, the document and the view (O(invoices), only on a change).
    mutating func refreshPeriods() {
        guard periodView != .day else { cache.periods = nil; cache.periodsKey = DayKey(revision: -1, plan: -1, day: -1); return }
        let key = DayKey(revision: workspace.revision, plan: activePlan, day: PeriodLength.allCases.firstIndex(of: periodView) ?? 0)
        guard key != cache.periodsKey || cache.periods == nil else { return }
        cache.periodsKey = key
        let table = activePlanState.periodTable(periodView, projection: activeProjection, account: shownAccount)
        cache.periods = table
        let coverage = ForecastCoverage(workspace.scenario, periods: workspace.forecastPeriods, table: table)
        cache.coverage = coverage.isEmpty ? nil : coverage
    }

    /// How much of each column's forecast is invoiced (the period view's "Invoiced vs forecast" rows).
    public var forecastCoverage: ForecastCoverage? { periodView == .day ? nil : cache.coverage }

    /// Index of the period holding the day cursor.
    public var cursorPeriod: Int? {
        guard let t = periodTable else { return nil }
        let d = workspace.scenario.start + day
        return t.periods.firstIndex { $0.start <= d && d <= $0.end }
    }

    mutating func runView(_ c: Command) {
        let horizon = max(workspace.scenario.horizonDays, 1)
        let start = workspace.scenario.start
        switch c {
        case .cyclePeriods:
            periodView = periodView.next
            refreshPeriods()
            if periodView != .day && focus.invoiceKind != nil { focus = .chart }
            switch periodView {
            case .day: message = Message("daily balance chart (t: by week)")
            case .week: message = Message("cash by week: rows add up to each week's change; ←→ move a week; t: by month")
            case .month: message = Message("cash by month; ←→ move a month; t: back to the daily chart")
            }
        case .dayNext, .weekNext:
            // One period later: its first day.
            guard let t = periodTable, let p = cursorPeriod else { return }
            if p + 1 < t.periods.count { day = t.periods[p + 1].start - start }
        case .dayPrevious, .weekPrevious:
            guard let t = periodTable, let p = cursorPeriod else { return }
            day = (p > 0 ? t.periods[p - 1].start : t.periods[p].start) - start
        case .nextBreach, .previousBreach:
            jumpToBreach(forward: c == .nextBreach, horizon: horizon)
        default: break
        }
    }

    /// Moves the day cursor to the first day of the next (previous) run of days over the overdraft limit,
    /// and says how much cash is missing on that run's worst day.
    mutating func jumpToBreach(forward: Bool, horizon: Int) {
        let days = activeProjection.days
        guard !days.isEmpty else { return }
        func breach(_ i: Int) -> Bool { i >= 0 && i < days.count && days[i].flags.contains(.overLimit) }
        func runStart(_ i: Int) -> Bool { breach(i) && !breach(i - 1) }
        let plan = activePlanState.name
        let candidates = forward ? Array(stride(from: day + 1, to: days.count, by: 1)) : Array(stride(from: day - 1, through: 0, by: -1))
        guard let target = candidates.first(where: { runStart($0) }) else {
            let any = days.contains { $0.flags.contains(.overLimit) }
            message = Message(any ? "no \(forward ? "later" : "earlier") breach of the overdraft limit in \"\(plan)\" (\(forward ? "B" : "b") goes the other way)"
                                  : "\"\(plan)\" never goes over the overdraft limit", isError: false)
            return
        }
        var end = target
        var worst = target
        while breach(end + 1) { end += 1; if days[end].closing < days[worst].closing { worst = end } }
        day = min(target, horizon - 1)
        let limit = workspace.scenario.overdraft.limit
        let missing = -(days[worst].closing + limit)
        let length = end - target + 1
        message = Message("✗ over the limit from \(days[target].day.iso) for \(length) day\(length == 1 ? "" : "s"): worst \(days[worst].day.iso), "
                          + "\(missing.formatted()) missing to stay within the \(limit.formatted()) overdraft", isError: true)
    }
}
