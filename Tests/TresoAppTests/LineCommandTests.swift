import Testing
@testable import TresoApp
import TresoCore

/// The `:` command line is one table: every name parses, the help and the summary come from it, and
/// every key command also runs by its long name.
@Suite struct LineCommandTests {
    @Test func noNameIsGivenTwiceAndEveryRowIsInTheHelp() {
        #expect(LineCommands.duplicateNames().isEmpty)
        let help = KeyTable.helpLines()
        for c in LineCommands.table {
            #expect(help.contains { $0.keys == ":" + c.name }, "\(c.name) missing from the help")
            for u in c.usage { #expect(LineCommands.summary.contains(u)) }
        }
    }

    @Test func everyKeyCommandRunsByItsLongName() throws {
        // A long name does exactly what its key does.
        var s = try Fixture.demo(), k = try Fixture.demo()
        s.focus = .payables
        k.focus = .payables
        s.send(.run("toggle-negotiation"))
        k.press("n")
        #expect(s.planFingerprint == k.planFingerprint)
        #expect(s.message == k.message)
        #expect(s.message?.text.hasPrefix("unknown command") != true)
        s.send(.run("next-week"))
        #expect(s.day == 7)
        s.send(.run("focus-next"))
        #expect(s.focus == .chart)
        // Each one is accepted (none is "unknown").
        for c in Command.allCases {
            var t = try Fixture.demo()
            t.send(.run(c.rawValue))
            #expect(t.message?.text.hasPrefix("unknown command") != true, "\(c.rawValue)")
        }
    }

    @Test func aliasesRunTheSameCommand() throws {
        var a = try Fixture.demo(), b = try Fixture.demo()
        a.send(.run("goto 2027-01-15"))
        b.send(.run("go 2027-01-15"))
        #expect(a.day == b.day)
        #expect(a.send(.run("quit!")) == [.quit])
    }
}
