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
}
