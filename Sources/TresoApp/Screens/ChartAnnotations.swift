import TerminalKit
import TresoCore

/// What the balance chart writes besides the lines: the month ticks of its date axis and the worst breach.
enum ChartAnnotations {
    /// One tick on the first day of each month inside the horizon (and on the start), `Jan`, `Feb`…; January shows its year.
    static func monthTicks(start: Day, days: Int) -> [LineChart.XTick] {
        var out: [LineChart.XTick] = []
        guard days > 0 else { return out }
        var d = start
        let end = start + (days - 1)
        while d <= end {
            let label = d.month == 1 ? "Jan " + String(d.year % 100 < 10 ? "0" : "") + String(d.year % 100) : Format.monthYear(d).split(separator: " ").first.map(String.init) ?? ""
            if d == start || d.dayOfMonth == 1 { out.append(LineChart.XTick(index: d - start, label: label)) }
            d = d.endOfMonth + 1
        }
        return out
    }

    /// The day the balance is furthest below the overdraft limit, and the cash missing that day to stay within it
    /// (−closing − limit). Nil when no day goes over.
    static func worstBreach(_ p: Projection, limit: Money) -> (day: Day, missing: Money)? {
        var worst: DailyPosition?
        for d in p.days where d.flags.contains(.overLimit) {
            if worst.map({ d.closing < $0.closing }) ?? true { worst = d }
        }
        guard let w = worst else { return nil }
        return (w.day, -(w.closing + limit))
    }
}
