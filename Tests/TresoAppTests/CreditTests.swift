import Testing
@testable import TresoApp
import TresoCore
import TestSupport

/// Short-term credit in the planner: Dailly and escompte in the decision picker, credit-line drawings edited with
/// `:draw` (one undoable change, saved with the plan), and both in the comparison.
@Suite struct CreditTests {
    static var path: String { Fixture.root + "/examples/credit-lines" }

    @Test func pickerOffersFactoringDaillyAndEscompte() throws {
        var s = try Fixture.demo(width: 120, height: 40, path: Self.path)
        s.select("F-2027-001")
        s.press("f")
        guard case .picker(let p) = s.mode else { Issue.record("no picker"); return }
        #expect(p.options.map(\.decision) == [.factor("bank"), .dailly("bank"), .discount("bank")])
        #expect(p.options.allSatisfy { $0.refusal == nil && $0.impact != nil })
        #expect(s.screen.contains("Dailly (bank)") && s.screen.contains("escompte LCR (bank)"))
        s.press("down")
        s.press("enter")
        let ref = InvoiceRef(.receivable, try #require(s.scenario.receivables.firstIndex { $0.id == "F-2027-001" }))
        #expect(s.activePlanState.decision(for: ref) == .dailly("bank"))
    }

    @Test func drawEditsTheActivePlansCreditLineAndUndoPutsItBack() throws {
        var s = try Fixture.demo(width: 120, height: 40, path: Self.path)
        s.send(.run("plan overdraft only"))
        let before = s.workspace.comparison.results.count
        s.send(.run("draw bank 40000 2027-01-20 2027-02-26"))
        // A built-in plan is never edited: the drawing goes to a new copy, which the comparison shows.
        #expect(s.workspace.comparison.results.count == before + 1)
        #expect(s.activePlanState.drawings == [CreditDrawing(line: "bank", mode: .fixed(amount: Money(cents: 4_000_000),
                                                                                       from: Day.ymd(2027, 1, 20), to: Day.ymd(2027, 2, 26)))])
        let r = try #require(s.activeResult)
        #expect(r.window.summary.creditLineInterest > .zero && r.window.summary.commitmentFees > .zero)
        #expect(s.message?.isError == false)
        s.send(.run("draw bank auto"))
        #expect(s.activePlanState.drawings.count == 2)
        s.send(.run("draw bank 900000 2027-01-20 2027-02-26"))
        #expect(s.message?.isError == true && s.message?.text.contains("exceeds the line's limit") == true)
        #expect(s.activePlanState.drawings.count == 2)
        s.send(.run("draw nope 1000 2027-01-20 2027-02-26"))
        #expect(s.message?.text.contains("no credit line named \"nope\"") == true)
        s.send(.run("undo"))
        #expect(s.activePlanState.drawings.count == 1)
        s.send(.run("draw clear"))
        #expect(s.activePlanState.drawings.isEmpty)
    }

    @Test func drawingsAreSavedWithThePlan() throws {
        let dir = try Fixture.demoCopy()
        defer { Fixture.remove(dir) }
        for name in ["treso.toml", "receivables.csv", "payables.csv"] {
            writeText(dir + "/" + name, try #require(readText(Self.path + "/" + name)))
        }
        var s = try Fixture.demo(path: dir)
        s.send(.run("plan credit line 60 000"))
        s.send(.run("draw bank auto 5000"))
        let saved = s.workspace.planBlocks(rules: s.workspace.rulesToSave()).joined()
        #expect(saved.contains("{ line = \"bank\", amount = 60000.00, from = 2027-01-20, to = 2027-03-01 },"))
        #expect(saved.contains("{ line = \"bank\", auto = true, floor = 5000.00 },"))
    }
}

/// `:account NAME` shows one bank account in the chart; `:account all` goes back to the consolidated view.
@Suite struct AccountViewTests {
    @Test func accountCommandSwitchesTheProjectionShown() throws {
        var s = try Fixture.demo(width: 120, height: 40, path: Fixture.root + "/examples/accounts")
        let consolidated = s.activeProjection
        s.send(.run("account second"))
        #expect(s.shownAccount == 1)
        let second = s.activePlanState.accountProjections().accounts[1]
        #expect(s.activeProjection.days == second.days)
        #expect(s.screen.contains("account second"))
        #expect(s.dayDetail.position == second.days[s.day])
        // The day's movements and the period view switch to the account too.
        let d = s.workspace.scenario.start + s.day
        #expect(s.dayDetail.movements == s.activePlanState.movements(on: d, account: 1, projection: second))
        s.press("t", "t")
        let months = try #require(s.periodTable)
        #expect(months == s.activePlanState.periodTable(.month, projection: second, account: 1))
        #expect(months.periods.first?.opening.cents == 500_000)
        s.send(.run("account nope"))
        #expect(s.message?.text.contains("no account named \"nope\" (accounts: main, second, factor)") == true)
        s.send(.run("account all"))
        #expect(s.shownAccount == nil && s.activeProjection.days == consolidated.days)
        var one = try Fixture.demo()
        one.send(.run("account main"))
        #expect(one.message?.isError == true && one.shownAccount == nil)
    }
}
