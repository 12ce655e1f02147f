import Testing
import TestSupport
import TerminalKit
import TresoCore
@testable import TresoApp

/// Issue 9's planner defects, each a test that failed before the fix.
@Suite("Hostile input: planner")
struct HostileInputAppTests {
    @Test func hugeOpeningBalanceIsRefusedAndTheStateIsUnchanged() throws {
        var s = try Fixture.demo()
        let before = s.workspace.scenario.terms
        let plans = s.workspace.comparison.results.map(\.totalCost)
        let undo = s.undoCount
        s.press("e")
        s.press("enter", "ctrl-u")
        s.type("-92233720368547758.07")
        s.press("enter")
        guard case .form(let f) = s.mode else { Issue.record("form closed"); return }
        #expect(f.error?.contains("over the limit of 1 000 000 000.00 per amount") == true)
        #expect(s.workspace.scenario.terms == before)
        #expect(s.workspace.comparison.results.map(\.totalCost) == plans)
        #expect(s.undoCount == undo)
    }

    @Test func themeWithNegativeColourIsAnErrorNotColourOne() {
        do {
            _ = try Theme.parse("header = { bg = -1 }\n", file: "bad.toml")
            Issue.record("bg = -1 was accepted")
        } catch {
            #expect(error.message.contains("must be a colour"))
        }
        #expect(Color(name: "-1") == nil)
        #expect(Color(name: "7") == .indexed(7))
        #expect(Color(name: "bright-red") == .brightRed)
    }

    @Test func themeFromADeviceOrFIFOIsAClearErrorNotACrash() {
        if case .failure(let e) = ThemeLoader.load("/dev/zero") {
            #expect(e.message.contains("is a device"))
        } else { Issue.record("/dev/zero was read as a theme") }
    }

    @Test func controlCharactersFromFilesAreNeverDrawnRaw() {
        var grid = CellGrid(width: 30, height: 1)
        grid.put("F-1\u{1B}]0;pwned\u{07}\u{1B}[2J", x: 0, y: 0)
        let drawn = grid.lines().joined()
        #expect(!drawn.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    }

    /// The planner shows a hostile invoice id and counterparty escaped exactly as `treso check` prints
    /// them (`\e`, `\x07`, `\u{202E}`), and the table's columns still line up.
    @Test func controlCharactersFromFilesAreShownEscapedInThePlanner() throws {
        let dir = try Fixture.demoCopy()
        defer { Fixture.remove(dir) }
        let path = dir + "/receivables.csv"
        let csv = try #require(readText(path))
        var lines = csv.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        try #require(lines.count > 2 && lines[1].hasPrefix("FA-2026-01092;Usinage Précis 44;"))
        lines[1] = "X\u{1B}[31mpw\u{07};Acme\u{202E}moc;" + lines[1].split(separator: ";", omittingEmptySubsequences: false).dropFirst(2).joined(separator: ";")
        writeText(path, lines.joined(separator: "\n"))
        var s = try Fixture.demo(width: 120, height: 40, path: dir)
        s.select("X\u{1B}[31mpw\u{07}")
        let screen = s.screen
        #expect(!screen.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7F || $0.value == 0x202E })
        let row = try #require(screen.split(separator: "\n").first { $0.contains("X\\e[31mpw\\x07") }, "\(screen)")
        #expect(row.contains("Acme\\u{202E}moc") || row.contains("Acme\\u{"), "\(row)")
        #expect(s.invariantViolations() == [])
        print(screen)
    }
}
