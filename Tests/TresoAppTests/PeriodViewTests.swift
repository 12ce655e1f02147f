import TerminalKit
import Testing
import TestSupport
@testable import TresoApp
import TresoCore
#if canImport(Glibc)
import Glibc
#endif

/// The period view (key `t`) and the breach jumps (`b` / `B`).
@Suite struct PeriodViewTests {
    func check(_ s: AppState, _ name: String) {
        #expect(snapshotMismatch(s.screen + "\n", named: name) == nil)
    }

    @Test(arguments: [(80, 24), (100, 30), (200, 50)])
    func weeksSnapshot(width: Int, height: Int) throws {
        var s = try Fixture.demo(width: width, height: height)
        s.press("t")
        #expect(s.periodView == .week)
        check(s, "periods-week-\(width)x\(height)")
    }

    @Test func monthsSnapshotAfterAPlanChange() throws {
        var s = try Fixture.demo(width: 120, height: 40)
        s.press("G", "f", "enter", "t", "t")
        #expect(s.periodView == .month)
        check(s, "periods-month-120x40-factored")
    }

    @Test(arguments: [(80, 24), (120, 40), (200, 50)])
    func monthsSnapshotWithInvoicedVsForecast(width: Int, height: Int) throws {
        var s = try Fixture.demo(width: width, height: height)
        s.press("t", "t", "right")
        #expect(s.periodView == .month)
        check(s, "periods-month-\(width)x\(height)")
        // Full rows (forecast, invoiced, %) when every category still fits, else one "% … invoiced" row per kind.
        let screen = s.screen
        if height >= 40 {
            #expect(screen.contains("Invoiced vs forecast") && screen.contains("Sales forecast") && screen.contains("Purchases forecast"))
        } else {
            #expect(screen.contains("Sales % invoiced") && screen.contains("Purch. % invoiced"))
        }
        // The selected period (January, after →) is highlighted on the coverage rows like on every other row.
        let grid = render(s)
        let rows = grid.lines()
        let y = try #require(rows.firstIndex { $0.contains("% invoiced") })
        let x = try #require(rows[2].range(of: "Jan 2027").map { rows[2].distance(from: rows[2].startIndex, to: $0.lowerBound) })
        #expect(grid[x + 4, y].style.attributes.contains(.reverse))
        #expect(!grid[x - 8, y].style.attributes.contains(.reverse))
    }

    /// The coverage rows are `treso project --by month`'s "Forecast vs invoiced" periods, grouped by issue date.
    @Test func invoicedVsForecastIsTheCLIsTable() throws {
        var s = try Fixture.demo(width: 200, height: 50)
        s.press("t", "t")
        let table = try #require(s.periodTable)
        let coverage = try #require(s.forecastCoverage)
        let periods = s.workspace.scenario.forecastPeriods()
        #expect(!periods.isEmpty && coverage.kinds == [.sales, .purchases])
        let lines = s.workspace.scenario.forecasts
        for (k, kind) in coverage.kinds.enumerated() {
            for (c, col) in table.periods.enumerated() {
                let mine = periods.filter { lines[$0.line].kind == kind && col.start <= $0.issue && $0.issue <= col.end }
                #expect(coverage.cells[k][c].forecast == mine.reduce(.zero) { $0 + $1.forecast })
                #expect(coverage.cells[k][c].invoiced == mine.reduce(.zero) { $0 + $1.invoiced })
            }
        }
        // Every forecast period of the horizon lands in a column; the screen writes each one's invoiced amount.
        #expect(coverage.cells.flatMap { $0 }.reduce(0) { $0 + $1.periods } == periods.count)
        let screen = s.screen
        let first = try #require(periods.first { $0.invoiced > .zero && $0.invoiced < $0.forecast })
        #expect(screen.contains(first.invoiced.formatted()))
        let share = try #require(ForecastCoverage.Cell(forecast: first.forecast, invoiced: first.invoiced, periods: 1).share)
        #expect(screen.contains(share.percentString(decimals: 1) + " %"))
        // 158 151.33 of 200 000.00: 79.08 %, rounded once.
        #expect(ForecastCoverage.Cell(forecast: Money(cents: 20_000_000), invoiced: Money(cents: 15_815_133), periods: 1).share?.percentString(decimals: 2) == "79.08")
        // A scenario without forecast lines shows no coverage rows.
        var (loaded, sc) = try Fixture.load(Fixture.demoPath)
        sc.forecasts = []
        var plain = AppState(scenario: sc, tomlPath: "t.toml", tomlText: loaded.tomlText, theme: .default, today: Fixture.today, width: 120, height: 40)
        plain.press("t", "t")
        #expect(plain.forecastCoverage == nil && !plain.screen.contains("Invoiced vs forecast"))
    }

    /// The table on screen is the engine's: same columns as `PlanState.periodTable`, rows adding up.
    @Test func theScreenShowsTheEnginesTableAndFollowsThePlan() throws {
        var s = try Fixture.demo(width: 100, height: 30)
        s.press("t")
        let t = try #require(s.periodTable)
        #expect(t == s.activePlanState.periodTable(.week, projection: s.activeProjection))
        for p in t.periods { #expect(p.amounts.reduce(.zero, +) == p.closing - p.opening) }
        #expect(s.screen.contains("Cash by week"))
        #expect(s.screen.contains("Customers") && s.screen.contains("Payroll") && s.screen.contains("Closing"))
        // A decision changes the table at once.
        s.press("tab", "tab", "tab")   // chart → comparison → (invoice panes skipped) chart → comparison
        #expect(s.focus == .comparison)
        s.send(.setDecision(.negotiate))
        s.press("t", "t", "t")
        #expect(s.periodView == .week)
        // → moves one week; the cursor's column is the one holding the day.
        let before = s.day
        s.press("tab", "right")
        #expect(s.focus == .chart)
        let weeks = try #require(s.periodTable)
        #expect(s.day > before && s.workspace.scenario.start + s.day == weeks.periods[1].start)
        s.press("t", "t")
        #expect(s.periodView == .day && s.periodTable == nil && s.screen.contains("Balance ●"))
    }

    @Test func bJumpsToTheNextBreachAndSaysWhatIsMissing() throws {
        var s = try Fixture.demo(width: 100, height: 30)
        s.send(.selectPlan(0))   // overdraft only: over the limit at the end of December
        let days = s.activeProjection.days
        let firstBreach = try #require(days.firstIndex { $0.flags.contains(.overLimit) })
        s.press("b")
        #expect(s.day == firstBreach)
        let m = try #require(s.message)
        #expect(m.isError && m.text.contains("missing to stay within"))
        #expect(m.text.contains("over the limit from " + days[firstBreach].day.iso))
        s.press("b")
        #expect(s.day == firstBreach)   // no later breach: stays, and says so
        #expect(s.message?.text.contains("no later breach") == true)
        s.press("g", "B")
        #expect(s.message?.text.contains("no earlier breach") == true)
    }

    @Test func aSessionTogglesThePeriodViewThroughTheEventLoop() throws {
        var s = try Fixture.demo()
        var term = HeadlessTerminal(width: 100, height: 30, events: [.key(.char("t")), .key(.char("t")), .key(.char("t"))])
        run(&s, terminal: &term)
        let frames = term.frames.map { $0.lines().joined(separator: "\n") }
        #expect(frames.count == 4)
        #expect(frames[1].contains("Cash by week") && frames[1].contains("wk "))
        #expect(frames[2].contains("Cash by month") && frames[2].contains("Dec 2026"))
        #expect(frames[3].contains("Balance ●"))
    }

    @Test func aMissingSnapshotFails() {
        guard getenv("TRESO_RECORD_SNAPSHOTS") == nil else { return }
        #expect(snapshotMismatch("anything", named: "no-such-snapshot-\(getpid())") != nil)
    }
}

/// The balance chart never hides a breach (issue 13): its own glyph and role, the cash missing written on it,
/// a date axis, reference lines on rows of their own with their values.
@Suite struct ChartBreachTests {
    @Test func aBreachHasItsOwnGlyphAndRoleEvenInMono() throws {
        let mono = try #require(Theme.builtin(named: "mono"))
        var s = try Fixture.demo(width: 120, height: 40, theme: mono)
        s.send(.selectPlan(0))
        let grid = render(s)
        let text = grid.lines().joined(separator: "\n")
        #expect(snapshotMismatch(text + "\n", named: "chart-120x40-breach-mono") == nil)
        // The glyph is ✗ (not the plan's ●) and the style is the chart-breach role, visible without colour.
        var found = 0
        for y in 0..<grid.height { for x in 0..<grid.width where grid[x, y].symbol == "✗" {
            found += 1
            #expect(grid[x, y].style == mono[.chartBreach])
        } }
        #expect(found >= 2)
        #expect(mono[.chartBreach].attributes.contains(.reverse))
        // The shortfall on the worst day: −65 828.24 against a −50 000 limit.
        #expect(text.contains("✗ 15 828.24 missing 28/12"))
        #expect(text.contains("limit -50k") && text.contains("buffer 15k"))
        #expect(text.contains("╵Jan 27"))
    }

    @Test func theBreachPointIsNeverOnTheLimitRow() {
        // −56 822.88 against −50 000: one row apart whatever the height.
        for h in 4...20 {
            var chart = LineChart(series: [.init(name: "p", values: [7_500_000, 1_000_000, -5_682_288, 0], glyph: "●", marksBreaches: true)],
                                  referenceLines: [.init(value: -5_000_000, glyph: "═", label: "limit")], showsYAxis: false)
            chart.breach = LineChart.Breach(below: -5_000_000)
            var grid = CellGrid(width: 30, height: h)
            chart.render(into: &grid, area: grid.area)
            let lines = grid.lines()
            let limitRow = lines.firstIndex { $0.contains("═") }
            let breachRow = lines.firstIndex { $0.contains("✗") }
            #expect(limitRow != nil && breachRow != nil && breachRow! > limitRow!, "height \(h)")
        }
    }

    @Test func roundYLabels() {
        var chart = LineChart(series: [.init(name: "p", values: [38_400, 41_000_000, -6_582_824], glyph: "●")], yLabel: { Format.axis($0) })
        chart.roundYLabels = true
        let values = chart.roundLabelRows(height: 12, range: -6_582_824...41_000_000).map(\.value)
        #expect(values == [0, 10_000_000, 20_000_000, 30_000_000, 40_000_000])
        #expect(values.map { Format.axis($0) } == ["0", "100k", "200k", "300k", "400k"])
        #expect(Format.axis(125_000_000) == "1.25M" && Format.axis(-5_000_000) == "-50k" && Format.axis(1_250_000) == "12.5k")
    }
}
