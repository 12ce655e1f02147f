import TerminalKit
import Testing
import TestSupport
@testable import TresoApp
import TresoCore
import TresoIO

/// Random key sequences at random sizes (1×1 included) never trap, every frame renders, and toggling
/// the same decision twice always gives the plan back.
@Suite struct PropertyTests {
    static let keys = [
        "j", "k", "h", "l", "g", "G", "f", "r", "F", "s", "n", "x", "d", "m", "v", "*", "esc", "/", "a", "c", "e", "enter",
        "space", "tab", "backtab", "u", "U", "ctrl-r", "p", "P", "N", "D", "R", "T", ":", "?", "1", "2", "3", "4", "5", "6",
        "pgup", "pgdn", "home", "end", "L", "insert", "delete", "backspace", "ctrl-u", "ctrl-d", "q", "y", "F1", "]", "[",
        "up", "down", "left", "right", "0", "-", "é", "株", "🚗", "w",
    ]
    static let sizes = [(1, 1), (0, 0), (2, 1), (1, 30), (79, 24), (80, 24), (100, 30), (120, 40), (200, 60), (30, 5)]

    @Test(arguments: Array(UInt64(1)...UInt64(12)))
    func randomKeysNeverTrapAndTogglesUndoThemselves(seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        var s = try Fixture.demo(width: 100, height: 30)
        var grid = CellGrid(width: 0, height: 0)
        for step in 0..<250 {
            if Int.random(in: 0..<12, using: &rng) == 0 {
                let (w, h) = Bool.random(using: &rng) ? Self.sizes.randomElement(using: &rng) ?? (1, 1)
                                                      : (Int.random(in: 1...160, using: &rng), Int.random(in: 1...60, using: &rng))
                s.send(.resize(width: w, height: h))
            } else {
                let name = Self.keys.randomElement(using: &rng) ?? "j"
                // Effects are not run: nothing touches the disk; the state must stay consistent anyway.
                if let action = s.action(for: .key(Fixture.key(name))) { s.send(action) }
            }
            render(s, into: &grid)
            #expect(grid.width == s.width && grid.height == s.height)
            let broken = s.invariantViolations()
            #expect(broken.isEmpty, "seed \(seed) step \(step): \(broken)")
            if step % 25 == 24 { try checkToggleTwice(&s, &rng) }
        }
    }

    func checkToggleTwice(_ s: inout AppState, _ rng: inout SeededRandom) throws {
        s.mode = .normal
        let kind: InvoiceKind = Bool.random(using: &rng) ? .receivable : .payable
        s.focus = kind == .receivable ? .receivables : .payables
        guard let i = s.table(kind).selectedInvoice else { return }
        var candidates: [Action] = s.workspace.engine.options(for: InvoiceRef(kind, i)).map { .toggle($0.decision) }
        if kind == .receivable { candidates.append(.command(.toggleDefaulted)) } else { candidates.append(.toggle(.payLate(20))) }
        let action = candidates.randomElement(using: &rng) ?? .toggle(.none)
        let before = s.planFingerprint
        s.send(action)
        s.send(action)
        #expect(s.planFingerprint == before, "\(action) twice on \(kind) #\(i), selection \(s.table(kind).selection.count)")
    }

    @Test func everySizeFromOneByOneRenders() throws {
        var s = try Fixture.demo()
        s.press("?")
        for w in [0, 1, 2, 3, 5, 10, 40, 79, 80, 81, 99, 100, 150, 300] {
            for h in [0, 1, 2, 3, 5, 10, 23, 24, 25, 30, 41, 100] {
                s.send(.resize(width: w, height: h))
                for mode in [Mode.normal, .help(scroll: 3), .confirmQuit, .command(text: "plan"),
                             .form(TermsForm(fields: TermField.all(for: s.scenario.instruments)))] {
                    s.mode = mode
                    let g = render(s)
                    #expect(g.width == max(0, w) && g.height == max(0, h))
                    #expect(g.lines().allSatisfy { displayWidth($0) == max(0, w) }, "\(w)×\(h) \(mode)")
                }
            }
        }
    }
}
