import TerminalKit
import TresoCore
import TresoIO

/// Draws the whole screen for `state` into a new grid of the state's size.
public func render(_ state: AppState) -> CellGrid {
    var grid = CellGrid(width: state.width, height: state.height)
    render(state, into: &grid)
    return grid
}

/// Draws the whole screen into `grid` (re-created when its size differs from the state's).
/// Pure: the same state always gives the same cells.
public func render(_ state: AppState, into grid: inout CellGrid) {
    if grid.width != state.width || grid.height != state.height {
        grid = CellGrid(width: state.width, height: state.height)
    }
    let t = state.theme
    grid.fill(grid.area, style: t[.text])
    let l = state.layout
    if l.tooSmall {
        MainScreen.tooSmall(state, into: &grid)
        // The help reads at any width: it is drawn over the "too small" notice.
        if case .help = state.mode { Overlays.render(state, into: &grid) }
        return
    }
    MainScreen.header(state, l, into: &grid)
    if let table = state.periodTable {
        PeriodScreen.render(table, state, area: l.periodArea, into: &grid)
    } else {
        MainScreen.chart(state, l, into: &grid)
        MainScreen.dayPanel(state, l, into: &grid)
        for kind in InvoiceKind.allCases { MainScreen.invoices(kind, state, l, into: &grid) }
    }
    MainScreen.comparison(state, l, into: &grid)
    MainScreen.bottomLine(state, l, into: &grid)
    Overlays.render(state, into: &grid)
}

enum MainScreen {
    // MARK: Header

    static func header(_ s: AppState, _ l: MainLayout, into grid: inout CellGrid) {
        let t = s.theme
        let sc = s.scenario
        grid.fill(l.header, style: t[.header])
        var left = " \(sc.name) │ \(sc.start.iso) → \(sc.end.iso) · \(sc.horizonDays) d │ \(sc.currency)"
        if let src = s.balanceSource { left += " │ balance: \(src)" }
        var right = "plan \(s.activePlan + 1)/\(s.workspace.planCount): \(s.activePlanState.name)"
        if s.workspace.isBuiltin(s.activePlan) { right += " (built in)" }
        right += s.isDirty ? " │ ● UNSAVED (\(s.unsavedCount)) " : " │ saved "
        let rw = min(displayWidth(right), l.header.width)
        grid.put(truncate(left, toWidth: max(0, l.header.width - rw - 1)), x: 0, y: l.header.y, style: t[.header], clip: l.header)
        grid.put(truncate(right, toWidth: rw), x: l.header.maxX - rw, y: l.header.y, style: t[.header], clip: l.header)
    }

    /// A pane's title row: `▶` and the focused style when it has the focus, so focus never relies on colour.
    static func title(_ text: String, right: String = "", focused: Bool, area: Rect, theme t: Theme, into grid: inout CellGrid) {
        guard !area.isEmpty else { return }
        let style = focused ? t[.titleFocused] : t[.title]
        grid.fill(area, style: style)
        let lead = focused ? "▶ " : "  "
        let rw = right.isEmpty ? 0 : min(displayWidth(right) + 1, max(0, area.width / 2))
        grid.put(truncate(lead + text, toWidth: max(0, area.width - rw)), x: area.x, y: area.y, style: style, clip: area)
        if rw > 0 {
            grid.put(truncate(right, toWidth: rw - 1), x: area.maxX - rw, y: area.y, style: style, clip: area)
        }
    }

    // MARK: Chart

    static func chart(_ s: AppState, _ l: MainLayout, into grid: inout CellGrid) {
        let t = s.theme
        let sc = s.scenario
        let focused = s.focus == .chart && s.mode == .normal
        let accounts = sc.accounts.accounts
        let plan = s.activePlanState.name + (s.shownAccount.flatMap { accounts.indices.contains($0) ? ", account " + accounts[$0].name : nil } ?? "")
        var legend = s.activePlan == 0 ? "Balance ● \(plan)" : "Balance ● \(plan)  · overdraft only"
        let shown = s.riskFigures(plan: s.activePlan)
        let figures = shown?.figures
        if let f = shown {
            legend += "  ░ 5–95 % of \(f.figures.paths) paths" + (f.stale ? " ≈ updating" : "")
        }
        title(legend, focused: focused, area: l.chartTitle, theme: t, into: &grid)
        grid.fill(l.separator, style: focused ? t[.borderFocused] : t[.border], symbol: focused ? "┃" : "│")

        let plan0 = s.activeProjection.days.map { $0.closing.cents }
        let base = s.workspace.baseline.days.map { $0.closing.cents }
        var refs: [LineChart.ReferenceLine] = [LineChart.ReferenceLine(value: 0, glyph: "─", label: "0", style: t[.zeroLine])]
        if sc.minCash != .zero {
            refs.append(LineChart.ReferenceLine(value: sc.minCash.cents, glyph: "┄", label: "buffer " + Format.axis(sc.minCash.cents), style: t[.bufferLine]))
        }
        if sc.overdraft.limit != .zero {
            refs.append(LineChart.ReferenceLine(value: -sc.overdraft.limit.cents, glyph: "═", label: "limit " + Format.axis(-sc.overdraft.limit.cents), style: t[.limitLine]))
        }
        var series: [LineChart.Series] = []
        if s.activePlan != 0 { series.append(LineChart.Series(name: "overdraft only", values: base, glyph: "·", style: t[.chartBaseline])) }
        series.append(LineChart.Series(name: plan, values: plan0, glyph: "●", style: t[.chartPlan], marksBreaches: true))
        var chart = LineChart(series: series, referenceLines: refs, cursor: s.day, cursorGlyph: "│", cursorStyle: t[.cursor],
                              aggregation: .min, axisStyle: t[.axis], yLabel: { Format.axis($0) })
        chart.roundYLabels = true
        // The simulated band comes when the background simulation is done; the line above is the engine's, drawn at once.
        if let f = figures { chart.band = LineChart.Band(low: f.p5, high: f.p95, glyph: "░", style: t[.chartBand]) }
        chart.xTicks = ChartAnnotations.monthTicks(start: sc.start, days: plan0.count)
        // Over the limit (with no overdraft: below zero) has its own glyph and role, and the cash missing is written on it.
        chart.breach = LineChart.Breach(below: -sc.overdraft.limit.cents, glyph: "✗", style: t[.chartBreach])
        if let worst = ChartAnnotations.worstBreach(s.activeProjection, limit: sc.overdraft.limit) {
            chart.note = LineChart.Note("✗ " + Format.money(worst.missing) + " missing " + Format.dayMonth(worst.day),
                                        at: worst.day - sc.start, style: t[.chartBreach])
        }
        chart.render(into: &grid, area: l.chart)
    }

    static func dayPanel(_ s: AppState, _ l: MainLayout, into grid: inout CellGrid) {
        let t = s.theme
        let d = s.dayDetail
        let focused = s.focus == .chart && s.mode == .normal
        title(Format.long(d.day), right: "day \(s.day + 1)/\(max(1, s.scenario.horizonDays))", focused: focused, area: l.dayTitle, theme: t, into: &grid)
        let area = l.day.inset(top: 0, left: 1, bottom: 0, right: 0)
        guard !area.isEmpty else { return }
        var y = area.y
        func line(_ spans: [Span]) {
            guard y < area.maxY else { return }
            grid.put(spans, x: area.x, y: y, clip: area)
            y += 1
        }
        if let p = d.position {
            var flags: [String] = []
            if p.flags.contains(.overLimit) { flags.append("✗ over limit") } else if p.flags.contains(.overdrawn) { flags.append("▼ overdrawn") }
            if p.flags.contains(.belowBuffer) && !p.flags.contains(.overdrawn) { flags.append("⚠ below buffer") }
            let style = p.closing.isNegative ? t[.negative] : (p.flags.contains(.belowBuffer) ? t[.warning] : t[.text])
            line([Span("Closing ", style: t[.muted]), Span(Format.money(p.closing), style: style.adding(.bold)),
                  Span(flags.isEmpty ? "" : " " + flags.joined(separator: " "), style: p.flags.contains(.overLimit) ? t[.error] : style)])
            line([Span("Opening ", style: t[.muted]), Span(Format.money(p.opening), style: t[.text])])
        }
        if let why = optimizerNote(s) { line([Span("◆ ", style: t[.decision]), Span(why, style: t[.text])]) }
        // The selected invoice's markers, spelled out.
        if let kind = s.focus.invoiceKind, let i = s.table(kind).selectedInvoice, s.scenario.invoices(kind).indices.contains(i) {
            let inv = s.scenario.invoices(kind)[i]
            for note in Format.markerNotes(inv) { line([Span(note, style: t[.warning])]) }
        }
        let rows = max(0, area.maxY - y)
        let moves = d.movements
        if moves.isEmpty {
            line([Span("no movement this day", style: t[.muted])])
            return
        }
        let first = min(s.dayScroll, max(0, moves.count - 1))
        let more = moves.count - first > rows
        let shown = more ? max(0, rows - 1) : rows
        let amountWidth = moves[first...].prefix(shown).map { displayWidth(Format.signed($0.amount)) }.max() ?? 0
        for m in moves[first...].prefix(shown) {
            let style = m.amount.isNegative ? t[.outflow] : t[.inflow]
            // The sign says in or out: "collection"/"payment" would only crowd out the counterparty.
            let label: String
            switch m.detail {
            case .collection(let who), .payment(let who): label = who
            default: label = m.label
            }
            let what = m.reference == m.label ? m.label : m.reference + " " + label
            line([Span(pad(Format.signed(m.amount), toWidth: amountWidth, alignment: .right) + " ", style: style),
                  Span(what + (m.overdue ? " (overdue)" : ""), style: m.category == .financing ? t[.decision] : t[.text])])
        }
        if more { line([Span("↓ \(moves.count - first - shown) more (j/k in the chart pane)", style: t[.muted])]) }
    }

    /// What `o` chose for the selected invoice buys, or which of its decisions keep this day within the limit.
    static func optimizerNote(_ s: AppState) -> String? {
        guard s.jobs.notes[s.activePlanState.name] != nil else { return nil }
        if let kind = s.focus.invoiceKind, let i = s.table(kind).selectedInvoice, let b = s.benefit(of: InvoiceRef(kind, i)) {
            return s.invoiceID(b.ref) + " " + b.decision.code + ": " + AppState.buys(b)
        }
        let day = s.dayDetail.day
        guard let note = s.jobs.notes[s.activePlanState.name] else { return nil }
        let keeping = note.benefits.values.filter { $0.coveredDays.contains(day) && s.benefit(of: $0.ref) != nil }.sorted { $0.ref < $1.ref }
        guard let first = keeping.first else { return nil }
        return "within the limit thanks to " + s.invoiceID(first.ref) + " " + first.decision.code
            + " (" + (first.marginalCost.cents >= 0 ? "+" : "") + first.marginalCost.formatted() + ")"
            + (keeping.count > 1 ? " and \(keeping.count - 1) more" : "")
    }

    // MARK: Invoices

    static func invoices(_ kind: InvoiceKind, _ s: AppState, _ l: MainLayout, into grid: inout CellGrid) {
        let t = s.theme
        let table = s.table(kind)
        let pane: Pane = kind == .receivable ? .receivables : .payables
        let focused = s.focus == pane && s.mode == .normal || {
            if case .filter(let k, _, _) = s.mode { return k == kind }
            return false
        }()
        let body = l.tableBody(kind)
        let titleArea = kind == .receivable ? l.receivablesTitle : l.payablesTitle
        let all = s.scenario.invoices(kind).count
        let plan = s.activePlanState
        let decided = s.decidedCount[kind] ?? 0
        let name = kind == .receivable ? "Receivables" : "Payables"
        var counted = name + " \(table.count)"
        if table.count != all { counted += "/\(all)" }
        let base = counted + " · Σ \(Format.money(table.shownTotal))"
        let decidedText = " · \(decided) with a decision"
        var markedText = "", impact = "", markedShort = ""
        if !table.marked.isEmpty {
            let m = s.markedTotal(kind)
            markedText = " · ✓ \(m.count) marked Σ \(Format.money(m.total))"
            markedShort = " ✓\(m.count)"
            if let mi = s.markedImpact(kind), mi.impact.refused >= m.count {
                impact = " · " + (kind == .receivable ? "factoring" : "reverse factoring") + " refuses \(m.count == 1 ? "it" : "them")"
            } else if let mi = s.markedImpact(kind) {
                // If financed: the plan's cost change and its lowest balance before → after (the engine's, like the picker).
                let i = mi.impact
                impact = " · if \(kind == .receivable ? "factored" : "reverse-factored"): cost \(Format.signed(i.costChange))"
                    + ", lowest \(Format.money(i.lowestBefore)) → \(Format.money(i.lowestAfter))"
                    + (i.refused > 0 ? " (\(i.refused) refused)" : "")
            }
        }
        let range = table.anchor != nil ? " · range from row \((table.anchor ?? 0) + 1)" : ""
        var right = "sort \(table.sortColumn.title.lowercased()) \(table.ascending ? "▲" : "▼")"
        if !table.filter.isEmpty { right = "filter \"\(table.filter)\" · " + right }
        if body.isEmpty { right = "Tab opens" }
        // The longest form that fits: what the marks would do stays, the decided count, the table's sum and the
        // marked sum give way in that order when the row is short.
        let room = titleArea.width - 2
        let forms = markedText.isEmpty ? [base + decidedText + range, base + range]
            : [base + decidedText + markedText + impact + range, base + markedText + impact + range, counted + markedText + impact + range,
               counted + markedShort + " Σ \(Format.money(s.markedTotal(kind).total))" + impact + range, name + markedShort + impact + range]
        var text = forms.first { displayWidth($0) <= room } ?? forms[forms.count - 1]
        if !markedText.isEmpty && displayWidth(text) + displayWidth(right) + 2 > room { right = "" }
        if text == base + range && markedText.isEmpty && displayWidth(base + decidedText + range) <= room { text = base + decidedText + range }
        title(text, right: right, focused: focused, area: titleArea, theme: t, into: &grid)
        guard !body.isEmpty else { return }

        let wide = body.width >= 96
        let dateWidth = body.width >= 90 ? 10 : 5
        let invoices = s.scenario.invoices(kind)
        let visible = l.visibleRows(kind)
        let first = min(table.offset, max(0, table.count - 1))
        let positions = table.count == 0 ? 0..<0 : first..<min(table.count, first + visible)
        var idWidth = 4
        for p in positions { idWidth = max(idWidth, displayWidth(invoices[table.order[p]].id)) }
        idWidth = min(idWidth, 18)
        let decisionWidth = wide ? 20 : 14
        // As wide as the largest amount of the table (never cut), so the counterparty keeps the rest.
        let amountWidth = max(6, s.cache.amountWidth[kind] ?? 13)
        // The issue date joins when the counterparty keeps at least 24 columns.
        let showsIssued = body.width - (idWidth + 24 + 2 * dateWidth + max(dateWidth, 8) + amountWidth + decisionWidth + 9) >= 0
        var columns = [
            Table.Column("Id", width: .fixed(idWidth)),
            Table.Column(kind == .receivable ? "Customer" : "Supplier", width: .fill),
        ]
        if showsIssued { columns.append(Table.Column("Issued", width: .fixed(dateWidth))) }
        columns += [
            Table.Column("Due", width: .fixed(dateWidth)),
            Table.Column("Expected", width: .fixed(max(dateWidth, 8))),
            Table.Column("Amount", width: .fixed(amountWidth), alignment: .right),
        ]
        // F forecast, ¤ other currency, ½ partly paid, ~ inferred due date (explained in `?` and the day panel).
        let showsMarkers = s.cache.hasMarkers[kind] == true
        if showsMarkers { columns.append(Table.Column("", width: .fixed(2))) }
        columns.append(Table.Column("Decision", width: .fixed(decisionWidth)))
        let settlements = kind == .receivable ? s.workspace.engine.receivableSettlements : s.workspace.engine.payableSettlements
        func date(_ d: Day) -> String { dateWidth >= 10 ? d.iso : Format.dayMonth(d) }
        var rows: [Table.Row] = []
        var marked: Set<Int> = []
        rows.reserveCapacity(positions.count)
        for p in positions {
            let i = table.order[p]
            let inv = invoices[i]
            let ref = InvoiceRef(kind, i)
            let d = plan.decision(for: ref)
            let defaulted = plan.defaulted.contains(ref)
            let st = settlements.indices.contains(i) ? settlements[i] : nil
            var decisionText = d == .none ? "—" : d.code
            if defaulted { decisionText += " ✗defaulted" }
            let expected = st.map { $0.overdue ? "overdue" : date($0.day) } ?? ""
            let issued: [String] = showsIssued ? [date(inv.issueDate)] : []
            let forecast = inv.isForecast
            let markers: [String] = showsMarkers ? [Format.markers(inv)] : []
            rows.append(Table.Row([inv.id, inv.counterparty] + issued + [date(inv.dueDate), expected, Format.money(inv.amount)] + markers + [decisionText],
                                  style: t[.text],
                                  cellStyles: [forecast ? t[.muted] : nil, forecast ? t[.muted] : nil] + (showsIssued ? [t[.muted]] : [])
                                      + [inv.origin?.dueDateInferred == true ? t[.muted] : nil, st?.overdue == true ? t[.warning] : nil,
                                         kind == .receivable ? t[.inflow] : t[.outflow]]
                                      + (showsMarkers ? [t[.warning]] : [])
                                      + [defaulted ? t[.error] : (d == .none ? t[.muted] : t[.decision])]))
            if table.marked.contains(i) || table.inRange(p) { marked.insert(p - first) }
        }
        let selected = focused && positions.contains(table.cursor) ? table.cursor - first : nil
        let widget = Table(columns: columns, rows: rows, selected: selected, marked: marked, offset: 0, showsHeader: true,
                           showsMarks: true, markSymbol: "✓", columnSpacing: 1, headerStyle: t[.tableHeader],
                           selectedStyle: t[.selection], markedStyle: t[.marked],
                           placeholder: table.filter.isEmpty ? "no \(kind.rawValue)s" : "no \(kind.rawValue) matches \"\(table.filter)\" (/ to change)")
        widget.render(into: &grid, area: body)
        // The cursor row is also marked with ▸ in the gutter: selection never relies on colour alone.
        if let sel = selected, body.height > 1 {
            grid.put("▸", x: body.x + 1, y: body.y + 1 + sel, style: t[.selection], clip: body)
        }
    }

    // MARK: Comparison

    static func comparison(_ s: AppState, _ l: MainLayout, into grid: inout CellGrid) {
        let t = s.theme
        let focused = s.focus == .comparison && s.mode == .normal
        let c = s.workspace.comparison
        let bestName = c.bestIndex.map { c.results[$0].name }
        // Every figure is measured over the common window; what the active plan assumes is said next to it.
        let through = c.daysPastHorizon > 0 ? " through \(Format.dayMonth(c.windowEnd)) (+\(c.daysPastHorizon) d)" : ""
        let activeResult = c.results.indices.contains(s.activePlan) ? c.results[s.activePlan] : nil
        let assumed = (activeResult?.assumptions ?? []) + (activeResult?.warnings ?? [])
        title("Plans compared" + through + (bestName.map { " · ★ best: \($0)" } ?? " · no plan within the limit and the law"),
              right: assumed.first.map { "⚠ " + $0 } ?? "★ = cheapest within the limit and the law",
              focused: focused, area: l.comparisonTitle, theme: t, into: &grid)
        let area = l.comparison
        guard !area.isEmpty else { return }
        // Columns as wide as their widest figure (a million is never cut), required ones first; optional ones join
        // while the plan names keep their own width (up to 32 columns); what is left widens the name column.
        func widest(_ header: String, _ cells: (PlanResult) -> String) -> Int {
            c.results.reduce(displayWidth(header)) { max($0, displayWidth(cells($1))) }
        }
        let wCost = widest("Cost") { Format.money($0.totalCost) }
        let wEBE = widest("EBE part") { Format.money($0.operatingCost) }
        let wRate = widest("Rate") { ($0.effectiveAnnualRatePercent(decimals: 2) ?? "—") + "%" }
        let wLowest = widest("Lowest") { Format.balance($0.summary.lowestBalance) }
        let wPeak = widest("Peak OD") { Format.money($0.summary.peakOverdraft) }
        let wClosing = widest("Closing") { Format.money($0.closingPosition) }
        let wBreach = widest("Breach") { $0.summary.daysOverLimit > 0 ? "\($0.summary.daysOverLimit) d" + ($0.legalBreaches > 0 ? " +\($0.legalBreaches)L" : "") : "0" }
        let names = c.results.enumerated().reduce(4) { max($0, displayWidth((c.bestIndex == $1.offset ? "★ " : "") + $1.element.name)) }
        // Short of room for the names, the overdrawn-days heading shortens first.
        let odWide = area.width - 2 - min(names, 32) - [wCost, wRate, wLowest, 7, wBreach, 12].reduce(0, +) - 6 >= 0
        let odTitle = odWide ? "OD days" : "OD d", wOD = odWide ? 7 : 4
        let required = [wCost, wRate, wLowest, wOD, wBreach, 12]
        var budget = area.width - 2 - min(names, 32) - required.reduce(0, +) - required.count
        func fits(_ w: Int) -> Bool {
            if budget >= w + 1 { budget -= w + 1; return true }
            return false
        }
        // Issue 14's P(breach) first: the share of simulated late-payment paths that go over the limit.
        let riskWidth = fits(9) ? 9 : (fits(6) ? 6 : 0)
        let showOn = fits(5), showEBE = fits(wEBE), showBuffer = fits(7), showPeak = fits(wPeak), showClosing = fits(wClosing)
        var columns = [Table.Column("Plan", width: .fill), Table.Column("Cost", width: .fixed(wCost), alignment: .right)]
        if showEBE { columns.append(Table.Column("EBE part", width: .fixed(wEBE), alignment: .right)) }
        columns.append(Table.Column("Rate", width: .fixed(wRate), alignment: .right))
        columns.append(Table.Column("Lowest", width: .fixed(wLowest), alignment: .right))
        if showOn { columns.append(Table.Column("on", width: .fixed(5))) }
        if showPeak { columns.append(Table.Column("Peak OD", width: .fixed(wPeak), alignment: .right)) }
        columns.append(Table.Column(odTitle, width: .fixed(wOD), alignment: .right))
        if showBuffer { columns.append(Table.Column("<buffer", width: .fixed(7), alignment: .right)) }
        columns.append(Table.Column("Breach", width: .fixed(wBreach), alignment: .right))
        // "…" while the simulation runs.
        if riskWidth > 0 { columns.append(Table.Column(riskWidth == 9 ? "P(breach)" : "P(br)", width: .fixed(riskWidth), alignment: .right)) }
        if showClosing { columns.append(Table.Column("Closing", width: .fixed(wClosing), alignment: .right)) }
        columns.append(Table.Column("Verdict", width: .fixed(12)))

        let visible = l.visibleComparisonRows
        var offset = Table.scrollOffset(selected: focused ? s.comparisonCursor : s.activePlan, offset: 0, rowCount: c.results.count, visibleRows: visible)
        // The ★ best plan stays in view with the active one when the pane cannot show every plan (80×24 with seven
        // plans): the window slides just enough to hold both.
        if !focused, let best = c.bestIndex, visible > 0, !(offset..<(offset + visible)).contains(best),
           abs(best - s.activePlan) < visible {
            offset = best > s.activePlan ? best - visible + 1 : best
        }
        var rows: [Table.Row] = []
        for (i, r) in c.results.enumerated().dropFirst(offset).prefix(visible) {
            let sum = r.summary
            let isBest = c.bestIndex == i
            var cells = [(isBest ? "★ " : "") + r.name, Format.money(r.totalCost)]
            var styles: [Style?] = [isBest ? t[.best] : nil, nil]
            if showEBE { cells.append(Format.money(r.operatingCost)); styles.append(t[.muted]) }
            cells.append(r.effectiveAnnualRatePercent(decimals: 2).map { $0 + "%" } ?? "—"); styles.append(nil)
            cells.append(Format.balance(sum.lowestBalance)); styles.append(sum.lowestBalance.isNegative ? t[.negative] : nil)
            if showOn { cells.append(Format.dayMonth(sum.lowestBalanceDate)); styles.append(t[.muted]) }
            if showPeak { cells.append(Format.money(sum.peakOverdraft)); styles.append(sum.peakOverdraft > .zero ? t[.warning] : t[.muted]) }
            cells.append(String(sum.daysOverdrawn)); styles.append(sum.daysOverdrawn > 0 ? t[.warning] : nil)
            if showBuffer { cells.append(String(sum.daysBelowBuffer)); styles.append(sum.daysBelowBuffer > 0 ? t[.warning] : nil) }
            var breaches = sum.daysOverLimit > 0 ? "\(sum.daysOverLimit) d" : "0"
            if r.legalBreaches > 0 { breaches += " +\(r.legalBreaches)L" }
            cells.append(breaches); styles.append(sum.daysOverLimit > 0 || r.legalBreaches > 0 ? t[.error] : nil)
            if riskWidth > 0 {
                let shown = s.riskFigures(plan: i)
                let risk = shown?.figures
                // As `treso risk` writes it when there is room ("95.40 %"), else to one decimal ("95.4%"). While the
                // simulation of a change runs, the previous figure stays, dimmed and marked ≈ (no blink); "…" only
                // when there is none.
                let text = risk.map { (shown?.stale == true ? "≈" : "") + (riskWidth == 9 ? RiskExport.percent($0.overLimitPaths, $0.paths) : Format.probability($0.overLimitPaths, of: $0.paths)) }
                cells.append(text ?? (s.jobs.riskEnabled ? "…" : "—"))
                let style = risk.map { $0.overLimitPaths > 0 ? t[.warning] : t[.muted] } ?? t[.muted]
                styles.append(shown?.stale == true ? style.adding(.dim) : style)
            }
            if showClosing { cells.append(Format.money(r.closingPosition)); styles.append(nil) }
            let verdict: String
            switch r.verdict {
            case .best: verdict = "★ best"
            case .admissible: verdict = r.assumptions.isEmpty ? "" : "assumes…"
            case .excluded(let d, let legal, _, let caps): verdict = d > 0 ? "✗ over limit" : (legal > 0 ? "✗ illegal" : (caps > 0 ? "✗ over cap" : "✗ beyond"))
            }
            cells.append(verdict); styles.append(isBest ? t[.best] : (verdict.isEmpty ? nil : t[.error]))
            rows.append(Table.Row(cells, style: t[.text], cellStyles: styles))
        }
        let active = s.activePlan - offset
        // Which plans are shown when they do not all fit ("Plans 2–7 of 7"), so a hidden one is never a surprise.
        if rows.count < c.results.count, !rows.isEmpty {
            columns[0] = Table.Column("Plans \(offset + 1)–\(offset + rows.count) of \(c.results.count)", width: .fill)
        }
        let widget = Table(columns: columns, rows: rows, selected: focused ? s.comparisonCursor - offset : nil,
                           marked: rows.indices.contains(active) ? [active] : [], offset: 0, showsHeader: true, showsMarks: true,
                           markSymbol: "▶", columnSpacing: 1, headerStyle: t[.tableHeader], selectedStyle: t[.selection],
                           markedStyle: Style(attributes: .bold))
        widget.render(into: &grid, area: area)
    }

    // MARK: Bottom line

    static func bottomLine(_ s: AppState, _ l: MainLayout, into grid: inout CellGrid) {
        let t = s.theme
        let area = l.bottom
        guard !area.isEmpty else { return }
        switch s.mode {
        case .command(let text):
            grid.fill(area, style: t[.input])
            grid.put(editedLine(":", text, back: s.lineBack, width: area.width, style: t[.input]), x: area.x, y: area.y, clip: area)
            return
        case .filter(_, let text, _):
            grid.fill(area, style: t[.input])
            var spans = editedLine("/", text, back: s.lineBack, width: area.width, style: t[.input])
            spans.append(Span("   Enter keeps · Esc restores · Ctrl-U clears", style: t[.input]))
            grid.put(spans, x: area.x, y: area.y, clip: area)
            return
        default: break
        }
        if s.message == nil, let progress = s.optimizeStatus {
            grid.fill(area, style: t[.status])
            grid.put(truncate(" " + progress, toWidth: area.width), x: area.x, y: area.y, style: t[.status], clip: area)
            return
        }
        if let m = s.message {
            let style = m.isError ? t[.error] : t[.status]
            grid.fill(area, style: style)
            grid.put(truncate(" " + m.text, toWidth: area.width), x: area.x, y: area.y, style: style, clip: area)
            return
        }
        let items = KeyTable.barItems(for: s.keyContext)
        let fitted = fit(items, width: area.width, priority: priority(for: s.keyContext))
        KeyBar(items: fitted.map { KeyBar.Item(key: $0.key, label: $0.label) }, keyStyle: t[.key], labelStyle: t[.keyLabel])
            .render(into: &grid, area: area)
    }

    /// A line being typed with its cursor: the character under it drawn in reverse video (a █ block past the end),
    /// at the column its display width puts it (wide and accented characters counted as the terminal counts them).
    /// Cut to `width` so the cursor stays visible: "…" stands for what is off the left edge.
    static func editedLine(_ lead: String, _ text: String, back: Int, width: Int, style: Style) -> [Span] {
        let chars = Array(text)
        let i = chars.count - min(max(0, back), chars.count)
        var before = lead + String(chars[..<i])
        let at = i < chars.count ? String(chars[i]) : "█"
        var after = i + 1 < chars.count ? String(chars[(i + 1)...]) : ""
        let atWidth = max(1, displayWidth(at))
        if displayWidth(before) + atWidth > width - 1, width > 2 {
            // Keep the end of what is before the cursor, so the cursor sits on the last columns.
            var kept = ""
            var used = 0
            for ch in before.reversed() {
                let w = displayWidth(ch)
                if used + w > width - 1 - atWidth { break }
                kept = String(ch) + kept
                used += w
            }
            before = "…" + kept
            after = ""
        }
        let cursor = i < chars.count ? style.patched(by: Style(attributes: .reverse)) : style
        return [Span(before, style: style), Span(at, style: cursor), Span(after, style: style)]
    }

    /// Labels that stay in the key bar longest when it is narrow.
    static func priority(for context: KeyContext) -> [String] {
        ["help", "quit", "save", "undo", "factor", "cycle", "negotiate", "reverse", "day", "activate", "apply", "cancel", "edit", "close",
         "save+quit", "discard", "stay", "pane", "plan", "mark", "filter", "clear"]
    }

    /// Keeps the items that fit in `width`, the most important first, shown in their table order.
    static func fit(_ items: [(key: String, label: String)], width: Int, priority: [String]) -> [(key: String, label: String)] {
        func cost(_ i: (key: String, label: String)) -> Int { displayWidth(i.key) + 1 + displayWidth(i.label) + 2 }
        let ranked = items.indices.sorted { a, b in
            let ra = priority.firstIndex(of: items[a].label) ?? priority.count + a
            let rb = priority.firstIndex(of: items[b].label) ?? priority.count + b
            return ra < rb
        }
        var keep: Set<Int> = []
        var used = 0
        for i in ranked where used + cost(items[i]) <= width + 2 {
            keep.insert(i)
            used += cost(items[i])
        }
        return items.indices.filter { keep.contains($0) }.map { items[$0] }
    }

    // MARK: Too small

    static func tooSmall(_ s: AppState, into grid: inout CellGrid) {
        let t = s.theme
        let text = "Terminal too small: \(s.width)×\(s.height). treso needs at least \(MainLayout.minimumWidth)×\(MainLayout.minimumHeight) (100×30 is comfortable). Enlarge the window, or press q to quit."
        let p = Paragraph(lines: [[Span(text, style: t[.warning])]], wraps: true, style: t[.text])
        p.render(into: &grid, area: grid.area.inset(by: grid.width >= 20 && grid.height >= 5 ? 1 : 0))
    }
}
