import TerminalKit
import Testing
import TestSupport
@testable import TresoApp
import TresoCore
import TresoIO

/// Whole sessions through the real event loop (`run`), headless: keys in, one frame per event out,
/// as hledger-ui's driveUI does. What the user would see is checked frame by frame.
@Suite struct SessionTests {
    func keys(_ names: String...) -> [InputEvent] { names.map { .key(Fixture.key($0)) } }

    func text(_ grid: CellGrid) -> String { grid.lines().joined(separator: "\n") }

    @Test func aSessionDrawsOneFramePerEventAndEndsWhenInputEnds() throws {
        var s = try Fixture.demo()
        var t = HeadlessTerminal(width: 100, height: 30, events: keys("?", "esc", "tab", "tab"))
        let end = run(&s, terminal: &t)
        #expect(end == .inputEnded)
        // The first frame, then one after each event.
        #expect(t.frames.count == 5)
        #expect(text(t.frames[1]).contains("Keys · lines 1–"))
        #expect(!text(t.frames[2]).contains("Keys · lines 1–"))
        #expect(s.focus == .chart)
        // The last frame is what the state renders.
        #expect(t.lastFrame.map(text) == s.screen)
    }

    @Test func quitEndsTheSessionAndLeavesTheRestOfTheInput() throws {
        var s = try Fixture.demo()
        var t = HeadlessTerminal(width: 100, height: 30, events: keys("j", "q", "j", "j"))
        #expect(run(&s, terminal: &t) == .quit)
        #expect(t.pendingEvents.count == 2)
        #expect(t.frames.count == 2)
    }

    @Test func quitWithUnsavedWorkAsksInTheFrameAndDiscardOnlyOnN() throws {
        var s = try Fixture.demo()
        var t = HeadlessTerminal(width: 100, height: 30, events: keys("tab", "G", "n", "q"))  // the last payable is not yet due: negotiable
        #expect(run(&s, terminal: &t) == .inputEnded)
        #expect(s.isDirty)
        #expect(t.lastFrame.map(text)?.contains("Unsaved changes") == true)
        t = HeadlessTerminal(width: 100, height: 30, events: keys("esc", "q", "n"))
        #expect(run(&s, terminal: &t) == .quit)
    }

    @Test func aResizeEventResizesTheFrames() throws {
        var s = try Fixture.demo()
        var t = HeadlessTerminal(width: 100, height: 30, events: [.resize(width: 80, height: 24), .key(.char("j"))])
        run(&s, terminal: &t)
        #expect(t.frames.first?.width == 100)
        #expect(t.frames.last?.width == 80)
        #expect(t.frames.last?.height == 24)
        #expect(s.width == 80)
    }

    @Test func effectsGoThroughTheGivenRunner() throws {
        var s = try Fixture.demo()
        var t = HeadlessTerminal(width: 100, height: 30, events: keys("tab", "G", "n", "w", "q"))
        var seen: [Effect] = []
        let end = run(&s, terminal: &t) { effect in
            seen.append(effect)
            if case .save(let path, let text, _) = effect { return .saveSucceeded(path: path, text: text) }
            return nil
        }
        #expect(end == .quit)
        #expect(seen.count == 1)
        #expect(!s.isDirty)
        #expect(t.frames.count == 5)
        #expect(t.lastFrame.map(text)?.contains("saved") == true)
    }

    @Test func aSavedSessionWritesTheFile() throws {
        let dir = try Fixture.demoCopy()
        defer { Fixture.remove(dir) }
        var s = try Fixture.demo(path: dir)
        var t = HeadlessTerminal(width: 100, height: 30, events: keys(":") + "plan new Session".map { .key(.char($0)) } + keys("enter", "w", "q"))
        #expect(run(&s, terminal: &t) == .quit)
        #expect(readText(dir + "/treso.toml")?.contains("name = \"Session\"") == true)
    }
}
