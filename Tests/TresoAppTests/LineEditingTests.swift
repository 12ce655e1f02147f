import Testing
import TestSupport
@testable import TresoApp
import TresoCore

/// The command line edits like a shell (issue 13): Ctrl-W, Ctrl-U on the argument only, ↑/↓ history;
/// an impossible date says so.
@Suite struct LineEditingTests {
    func commandText(_ s: AppState) -> String? {
        if case .command(let t) = s.mode { return t }
        return nil
    }

    @Test func ctrlUClearsTheArgumentOnlyThenTheWholeLine() throws {
        var s = try Fixture.demo()
        s.press("R")   // a user plan is active: `plan rename NAME`
        #expect(commandText(s)?.hasPrefix("plan rename ") == true)
        s.press("ctrl-u")
        #expect(commandText(s) == "plan rename ")
        s.type("Budget 2027")
        s.press("ctrl-w")
        #expect(commandText(s) == "plan rename Budget ")
        s.press("ctrl-u", "ctrl-u")
        #expect(commandText(s) == "")
    }

    @Test func historyWalksTheLinesRunInTheSession() throws {
        var s = try Fixture.demo()
        s.press(":"); s.type("goto 2027-01-15"); s.press("enter")
        s.press(":"); s.type("goto end"); s.press("enter")
        s.press(":"); s.type("go")
        s.press("up")
        #expect(commandText(s) == "goto end")
        s.press("up")
        #expect(commandText(s) == "goto 2027-01-15")
        s.press("up")
        #expect(commandText(s) == "goto 2027-01-15")
        s.press("down", "down")
        #expect(commandText(s) == "go")
        s.press("up", "enter")
        #expect(s.workspace.scenario.start + s.day == s.workspace.scenario.end)
    }

    @Test func anImpossibleDateIsCalledInvalid() throws {
        var s = try Fixture.demo()
        s.press(":"); s.type("goto 31/02/2027"); s.press("enter")
        #expect(s.message?.isError == true)
        #expect(s.message?.text.hasPrefix("invalid date 31/02/2027: February 2027 has 28 days") == true)
        s.press(":"); s.type("goto 2027-13-01"); s.press("enter")
        #expect(s.message?.text.hasPrefix("invalid date 2027-13-01: there is no month 13") == true)
        #expect(invalidDateReason("2028-02-29") == nil && invalidDateReason("lowest") == nil)
    }

    // MARK: The cursor (issue 13: Ctrl-A/E, insert at the cursor, edits relative to it)

    @Test func theCursorMovesAndTextGoesInWhereItIs() throws {
        var s = try Fixture.demo()
        s.press(":")
        s.type("goto 2027-01-15")
        s.press("ctrl-a")
        #expect(s.lineBack == 15)
        s.press("delete", "delete", "delete", "delete")   // "goto" → the word deleted forward
        #expect(commandText(s) == " 2027-01-15")
        s.type("day")
        #expect(commandText(s) == "day 2027-01-15")
        s.press("ctrl-e")
        #expect(s.lineBack == 0)
        s.press("left", "left", "left", "backspace")
        #expect(commandText(s) == "day 2027-0-15")
        s.type("1")
        #expect(commandText(s) == "day 2027-01-15")
        s.press("enter")
        #expect(s.workspace.scenario.start + s.day == Day(iso: "2027-01-15"))
    }

    @Test func ctrlWAndCtrlUWorkBeforeTheCursor() throws {
        var s = try Fixture.demo()
        s.press(":")
        s.type("plan rename Budget 2027 final")
        for _ in 0..<6 { s.press("left") }     // before " final"
        s.press("ctrl-w")
        #expect(commandText(s) == "plan rename Budget  final")
        #expect(s.lineBack == 6)
        s.press("ctrl-u")                      // the argument before the cursor; the command words and " final" stay
        #expect(commandText(s) == "plan rename  final")
        s.press("ctrl-u")                      // at the argument's start: the line before the cursor
        #expect(commandText(s) == " final")
        #expect(s.lineBack == 6)
        s.press("ctrl-b", "ctrl-f", "home")
        #expect(s.lineBack == 6)
    }

    @Test func theCursorIsDrawnAtItsColumnWithWideAndAccentedCharacters() throws {
        var s = try Fixture.demo()
        s.send(.resize(width: 80, height: 24))
        s.press(":")
        s.type("plan new Hôpital 漢字 x")
        s.press("left", "left", "left")        // on "字"
        let g = render(s)
        let y = 23
        // ":plan new Hôpital 漢" is 20 columns wide (漢 takes two): the cursor cell is column 20.
        #expect(g[20, y].symbol == "字")
        #expect(g[20, y].style.attributes.contains(.reverse))
        #expect(!g[18, y].style.attributes.contains(.reverse))
        #expect((0..<80).filter { g[$0, y].style.attributes.contains(.reverse) } == [20, 21])   // 字 and its second column
        // At the end the cursor is a block after the text.
        s.press("end")
        let end = render(s)
        #expect(end[24, y].symbol == "█")
        // A line longer than the screen keeps the cursor in view.
        s.type(String(repeating: "é", count: 120))
        s.press("left")
        let long = render(s)
        #expect(long[0, y].symbol == "…")
        #expect((0..<80).contains { long[$0, y].style.attributes.contains(.reverse) })
    }

    @Test func theFilterAndTheFormEditAtTheCursorToo() throws {
        var s = try Fixture.demo()
        s.press("/")
        s.type("hpital")
        s.press("home", "right")
        s.type("ô")
        guard case .filter(_, let text, _) = s.mode else { Issue.record("not filtering"); return }
        #expect(text == "hôpital")
        #expect(s.receivables.filter == "hôpital")
        s.press("enter", "e", "enter")         // the form, editing the opening balance
        guard case .form(let f) = s.mode, let value = f.editing else { Issue.record("not editing"); return }
        s.press("ctrl-a")
        s.type("1")
        guard case .form(let g) = s.mode else { Issue.record("form closed"); return }
        #expect(g.editing == "1" + value)
        s.press("ctrl-e", "backspace")
        guard case .form(let h) = s.mode else { Issue.record("form closed"); return }
        #expect(h.editing == "1" + String(value.dropLast()))
    }
}

