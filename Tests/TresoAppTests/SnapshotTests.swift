import TerminalKit
import Testing
import TestSupport
@testable import TresoApp
import TresoCore

/// The main screens of examples/demo, as text, at the sizes the issue names. "Today" is fixed.
/// Re-record after an intended change with TRESO_RECORD_SNAPSHOTS=1 and review the diff.
@Suite struct SnapshotTests {
    func check(_ s: AppState, _ name: String) {
        #expect(snapshotMismatch(s.screen + "\n", named: name) == nil)
    }

    @Test(arguments: [(80, 24), (100, 30), (120, 40), (200, 50)])
    func mainScreen(width: Int, height: Int) throws {
        check(try Fixture.demo(width: width, height: height), "main-\(width)x\(height)")
    }

    /// The README's planner screen: the demo at 100×30 once the background risk job has reported — run here
    /// synchronously (the same worker the planner's job runner calls), so P(breach) and the band show real figures.
    /// The README's block is this snapshot with trailing spaces trimmed.
    @Test func readmeScreenWithTheRiskFigures() throws {
        var s = try Fixture.demo(width: 100, height: 30)
        let job = try #require(JobTests.riskJob(reduce(&s, .resize(width: 100, height: 30))))
        s.send(.riskComputed(generation: job.generation, try #require(JobWorkers.simulate(job, JobControl(report: { _ in })))))
        #expect(s.currentRisk != nil && s.screen.contains("95.40 %"))
        check(s, "main-100x30-risk")
        let readme = try #require(readText(Fixture.root + "/README.md"))
        let planner = try #require(readme.range(of: "## The planner"))
        let open = try #require(readme.range(of: "```text\n", range: planner.upperBound..<readme.endIndex))
        let close = try #require(readme.range(of: "```", range: open.upperBound..<readme.endIndex))
        let block = String(readme[open.upperBound..<close.lowerBound])
        let expected = s.screen.split(separator: "\n", omittingEmptySubsequences: false)
            .map { l -> String in var t = String(l); while t.hasSuffix(" ") { t.removeLast() }; return t }.joined(separator: "\n") + "\n"
        #expect(block == expected, "README planner screen is stale: paste Tests/TresoAppTests/__Snapshots__/main-100x30-risk.txt (trailing spaces trimmed)")
    }

    @Test func afterFactoringOneReceivable() throws {
        var s = try Fixture.demo(width: 100, height: 30)
        s.press("G", "f", "enter")
        check(s, "main-100x30-factored")
    }

    @Test func payablesFocusedWithMarks() throws {
        var s = try Fixture.demo(width: 100, height: 30)
        s.press("tab", "4", "g", "m", "m", "n")
        check(s, "payables-100x30-marked")
    }

    @Test func chartFocusedOnTheLowestDay() throws {
        var s = try Fixture.demo(width: 120, height: 40)
        s.press("tab", "tab", "L")
        check(s, "chart-120x40-lowest")
    }

    /// Issue 13: columns use the width given. At 80×24 the plan names are whole and millions are never cut; at 200
    /// columns the comparison gains columns (peak overdraft, closing position).
    @Test func columnsUseTheWidthGiven() throws {
        var s = try Fixture.demo(width: 80, height: 24)
        s.press("e", "enter", "ctrl-u")
        s.type("4000000")
        s.press("enter", "esc")
        let screen = s.screen
        // The comparison pane shows six plans at 80×24 (it scrolls for the others): every plan shown is whole.
        let shown = s.workspace.comparison.results.filter { screen.contains($0.name) }
        #expect(shown.count >= min(6, s.workspace.comparison.results.count), "a plan name cut: \(screen)")
        for r in shown {
            #expect(screen.contains(Format.balance(r.summary.lowestBalance)), "\(Format.balance(r.summary.lowestBalance)) cut")
            #expect(screen.contains(Format.money(r.totalCost)))
        }
        #expect(s.workspace.comparison.results.contains { $0.summary.lowestBalance.cents >= 400_000_000 })
        s.send(.resize(width: 200, height: 50))
        let wide = s.screen
        #expect(wide.contains("Peak OD") && wide.contains("Closing") && wide.contains("EBE part") && wide.contains("<buffer"))
        for r in s.workspace.comparison.results { #expect(wide.contains(Format.money(r.closingPosition))) }
    }

    /// Issue 13: the help wraps at the width it is given and scrolls; snapshots at three sizes.
    @Test(arguments: [(80, 24), (120, 40), (200, 50)])
    func helpAtEverySize(_ size: (Int, Int)) throws {
        var s = try Fixture.demo(width: size.0, height: size.1)
        s.press("?")
        check(s, "help-\(size.0)x\(size.1)")
        s.press("pgdn")
        check(s, "help-\(size.0)x\(size.1)-page2")
    }

    @Test func overlays() throws {
        var s = try Fixture.demo(width: 100, height: 30)
        s.press("?")
        check(s, "help-100x30")
        s.press("esc", "G", "f")
        check(s, "picker-100x30")
        s.press("esc", "e")
        check(s, "form-100x30")
        s.press("esc", "n")
        s.send(.run("plan new x"))
        s.press("q")
        check(s, "confirm-quit-100x30")
        s.press("esc", "/")
        s.type("acme")
        check(s, "filter-100x30")
        s.press("esc", ":")
        s.type("plan dup")
        check(s, "command-line-100x30")
    }

    @Test func tooSmall() throws {
        check(try Fixture.demo(width: 60, height: 20), "too-small-60x20")
    }

    @Test(arguments: Theme.builtinNames)
    func mainScreenStyles(theme: String) throws {
        // The styled dump of the header, one table row and the key bar: what each theme does to them.
        let t = try #require(Theme.builtin(named: theme))
        let s = try Fixture.demo(width: 80, height: 24, theme: t)
        let lines = render(s).styledDump().split(separator: "\n", omittingEmptySubsequences: false)
        // Rows picked by what they show, not by position: a layout change moves them, it does not swap them.
        let rows: [(String, (Substring) -> Bool)] = [
            ("header", { $0.contains("Ateliers Durand SARL") }),
            ("chart title", { $0.contains(" Balance ") }),
            ("receivables title", { $0.contains("Receivables ") && $0.contains("Σ") }),
            ("table header", { $0.contains(" Id ") && $0.contains("Customer") }),
            ("selected row", { $0.contains("▸FA-") }),
            ("comparison title", { $0.contains("Plans compared") }),
            ("comparison header", { ($0.contains(" Plan ") || $0.contains(" Plans ")) && $0.contains("Cost") }),
            ("negotiate-terms plan", { $0.contains("negotiate t") && !$0.contains("Plans compared") }),
        ]
        var picked: [String] = []
        for (name, matches) in rows {
            guard let line = lines.first(where: matches) else { Issue.record("no \(name) row in the \(theme) screen"); continue }
            picked.append(String(line))
        }
        // The bottom line (message or key bar).
        if let last = lines.last(where: { !$0.isEmpty }) { picked.append(String(last)) }
        #expect(snapshotMismatch(picked.joined(separator: "\n") + "\n", named: "styles-\(theme)-80x24") == nil)
    }

    @Test func wideCharactersKeepColumnsAligned() throws {
        var scenario = try Fixture.load(Fixture.demoPath).1
        scenario.receivables[0].counterparty = "株式会社トヨタ 🚗 Ünïcødé"
        scenario.receivables[1].counterparty = "👩‍👩‍👧 Famille Dupont & Fils"
        var s = AppState(scenario: scenario, tomlPath: "x", tomlText: "", today: Fixture.today, width: 100, height: 30)
        s.press("1")
        let grid = render(s)
        // Every row of the table is exactly the grid's width in display columns.
        for line in grid.lines() { #expect(displayWidth(line) == 100, "\(line)") }
        // The Amount column ends at the same column on every row.
        let rows = grid.lines().filter { $0.hasPrefix("  FA-") || $0.hasPrefix(" ▸FA-") }
        let ends = Set(rows.map { line -> Int in
            // Display column of the amount's decimal point (the last "." of the row).
            var column = 0, dot = -1
            for ch in line {
                if ch == "." { dot = column }
                column += displayWidth(ch)
            }
            return dot
        })
        #expect(rows.count > 3)
        #expect(ends.count == 1, "\(rows)")
    }
}
