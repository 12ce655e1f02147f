import TerminalKit
import TresoCore

/// The period table in the planner (key `t`): rows are categories, columns are weeks or months, opening and
/// closing on top and bottom, the lowest balance of each period and its flags. Read from `PlanState.periodTable`,
/// the same table `treso project --by week` prints.
enum PeriodScreen {
    static let columnWidth = 14

    static func render(_ table: PeriodTable, _ s: AppState, area: Rect, into grid: inout CellGrid) {
        let t = s.theme
        guard area.height >= 2 else { return }
        let (titleArea, body) = area.splitTop(1)
        let focused = s.focus == .chart && s.mode == .normal
        let by = table.length == .month ? "month" : "week"
        MainScreen.title("Cash by \(by) · \(s.activePlanState.name) · + in, − out; rows add up to each column's change",
                         right: "t: \(table.length.next == .day ? "daily chart" : "by " + table.length.next.rawValue)",
                         focused: focused, area: titleArea, theme: t, into: &grid)
        guard !body.isEmpty, !table.periods.isEmpty else { return }

        // Columns: a label, then as many periods as fit, scrolled so the day cursor's period shows.
        let longest = table.categories.map { displayWidth($0.name) }.max() ?? 0
        let labelWidth = min(max(12, longest + 1), max(12, body.width / 4))
        let fit = max(1, (body.width - labelWidth) / columnWidth)
        let cursor = s.cursorPeriod ?? 0
        let first = max(0, min(cursor - fit / 2, table.periods.count - fit))
        let shown = Array(first..<min(table.periods.count, first + fit))

        // Rows: the categories that fit; the smallest fold into one "n other rows" line when space runs out.
        let fixedRows = 1 + 1 + 1 + 1 + 1 + 1   // header, opening, net, closing, lowest, lowest on / flags
        let coverage = s.forecastCoverage
        let coverageRows = coverageLayout(coverage, room: body.height - fixedRows, categories: table.categories.count)
        let room = max(0, body.height - fixedRows - coverageRows.count)
        var categoryRows = Array(table.categories.indices)
        var folded: [Int] = []
        if categoryRows.count > room {
            let keep = max(0, room - 1)
            let bySize = categoryRows.sorted { table.total($0).magnitude > table.total($1).magnitude }
            let kept = Set(bySize.prefix(keep))
            folded = categoryRows.filter { !kept.contains($0) }
            categoryRows = categoryRows.filter { kept.contains($0) }
        }

        var y = body.y
        func row(_ label: String, labelStyle: Style, _ cell: (CashPeriod) -> (String, Style)) {
            guard y < body.maxY else { return }
            grid.put(truncate(label, toWidth: labelWidth - 1), x: body.x, y: y, style: labelStyle, clip: body)
            for (k, p) in shown.enumerated() {
                let (text, style) = cell(table.periods[p])
                let x = body.x + labelWidth + k * columnWidth
                let w = displayWidth(text)
                let cellStyle = p == cursor ? style.adding(.reverse) : style
                if p == cursor { grid.fill(Rect(x: x, y: y, width: columnWidth - 1, height: 1), style: cellStyle) }
                grid.put(truncate(text, toWidth: columnWidth - 1), x: x + max(0, columnWidth - 1 - w), y: y, style: cellStyle, clip: body)
            }
            y += 1
        }
        func money(_ m: Money) -> (String, Style) {
            m == .zero ? ("·", t[.muted]) : (m.formatted(), m.isNegative ? t[.outflow] : t[.inflow])
        }
        func heading(_ p: CashPeriod) -> String {
            table.length == .month ? Format.monthYear(p.start) : "wk " + Format.dayMonth(p.start)
        }
        let more = (first > 0 ? "◀ " : "") + (shown.last.map { $0 < table.periods.count - 1 } == true ? "▶" : "")
        row(more.isEmpty ? "" : more, labelStyle: t[.muted]) { (heading($0), t[.tableHeader]) }
        row("Opening", labelStyle: t[.tableHeader]) { ($0.opening.formatted(), $0.opening.isNegative ? t[.negative] : t[.text]) }
        for c in categoryRows {
            let i = c
            row(table.categories[c].name, labelStyle: t[.text]) { money($0.amounts[i]) }
        }
        if !folded.isEmpty {
            row("\(folded.count) other rows", labelStyle: t[.muted]) { p in money(folded.reduce(.zero) { $0 + p.amounts[$1] }) }
        }
        row("Net change", labelStyle: t[.tableHeader]) { p in
            let n = p.closing - p.opening
            return (n.formatted(plusSign: true), n.isNegative ? t[.outflow] : t[.inflow])
        }
        row("Closing", labelStyle: t[.tableHeader]) { ($0.closing.formatted(), $0.closing.isNegative ? t[.negative] : t[.text]) }
        row("Lowest", labelStyle: t[.text]) { p in
            let style = p.flags.contains(.overLimit) ? t[.error] : (p.flags.contains(.overdrawn) ? t[.negative] : (p.flags.contains(.belowBuffer) ? t[.warning] : t[.muted]))
            return (p.lowest.formatted(), style)
        }
        row("  on / flags", labelStyle: t[.muted]) { p in
            var f = Format.dayMonth(p.lowestDate)
            if p.flags.contains(.overLimit) { f += " ✗LIM" } else if p.flags.contains(.overdrawn) { f += " ▼OD" } else if p.flags.contains(.belowBuffer) { f += " ⚠BUF" }
            return (f, p.flags.contains(.overLimit) ? t[.error] : (p.flags.isEmpty ? t[.muted] : t[.warning]))
        }

        // Invoiced vs forecast, from the same forecast periods `treso project --by month` lists.
        guard let coverage else { return }
        let columnIndex = Dictionary(uniqueKeysWithValues: table.periods.indices.map { (table.periods[$0].start, $0) })
        func cell(_ k: Int, _ p: CashPeriod) -> ForecastCoverage.Cell? {
            guard let c = columnIndex[p.start], c < coverage.cells[k].count, coverage.cells[k][c].periods > 0 else { return nil }
            return coverage.cells[k][c]
        }
        for r in coverageRows {
            switch r {
            case .heading:
                guard y < body.maxY else { return }
                grid.put(truncate("Invoiced vs forecast · excl. VAT · by issue date", toWidth: body.width), x: body.x, y: y, style: t[.tableHeader], clip: body)
                y += 1
            case let .forecast(k):
                row(Self.kindName(coverage.kinds[k]) + " forecast", labelStyle: t[.text]) { p in
                    cell(k, p).map { ($0.forecast.formatted(), t[.muted]) } ?? ("·", t[.muted])
                }
            case let .invoiced(k):
                row("  invoiced", labelStyle: t[.text]) { p in
                    cell(k, p).map { ($0.invoiced.formatted(), t[.text]) } ?? ("·", t[.muted])
                }
            case let .share(k, compact):
                let label = compact ? (coverage.kinds[k] == .sales ? "Sales" : "Purch.") + " % invoiced" : "  % invoiced"
                row(label, labelStyle: compact ? t[.text] : t[.muted]) { p in
                    guard let c = cell(k, p), let share = c.share else { return ("·", t[.muted]) }
                    return (share.percentString(decimals: 1) + " %", c.invoiced >= c.forecast ? t[.inflow] : t[.warning])
                }
            }
        }
    }

    static func kindName(_ k: ForecastLine.Kind) -> String { k == .sales ? "Sales" : "Purchases" }

    enum CoverageRow: Equatable {
        case heading, forecast(Int), invoiced(Int), share(Int, compact: Bool)
    }

    /// The coverage rows that fit: heading + forecast, invoiced, % per kind when every category row still fits;
    /// else one "% … invoiced" row per kind while at least two category rows remain; else none.
    static func coverageLayout(_ c: ForecastCoverage?, room: Int, categories: Int) -> [CoverageRow] {
        guard let c, !c.isEmpty else { return [] }
        let full = [CoverageRow.heading] + c.kinds.indices.flatMap { [CoverageRow.forecast($0), .invoiced($0), .share($0, compact: false)] }
        if room - full.count >= categories { return full }
        let compact = c.kinds.indices.map { CoverageRow.share($0, compact: true) }
        if room - compact.count >= min(categories, 2) { return compact }
        return []
    }
}
