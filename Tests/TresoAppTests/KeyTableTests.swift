import TerminalKit
import Testing
import TestSupport
@testable import TresoApp

@Suite struct KeyTableTests {
    @Test func noKeyIsBoundTwiceInOneContext() {
        let conflicts = KeyTable.conflicts()
        #expect(conflicts.isEmpty, "\(conflicts.map { "\($0.0.rawValue): \($0.1.name) → \($0.2.map(\.rawValue))" })")
    }

    @Test func aDuplicateIsDetected() {
        // The detector itself works: the same key twice in one context is reported.
        let a = KeyBinding(.undo, ["u"], [.global], "undo")
        let b = KeyBinding(.save, ["u"], [.receivables], "save")
        var seen: [Key: Int] = [:]
        for binding in [a, b] { for k in binding.keys { seen[k, default: 0] += 1 } }
        #expect(seen[.char("u")] == 2)
    }

    @Test func everyKeyNameParses() {
        // A key name that does not parse would silently drop a binding.
        let source = try? #require(readText(Fixture.root + "/Sources/TresoApp/Keys/KeyTable.swift"))
        var names = 0
        for b in KeyTable.bindings { names += b.keys.count }
        #expect(names > 80)
        for b in KeyTable.bindings { #expect(!b.keys.isEmpty, "\(b.command.rawValue) has no key") }
        #expect(source?.contains("KeyBinding(") == true)
    }

    @Test func everyCommandHasAKeyOrIsModal() {
        let bound = Set(KeyTable.bindings.map(\.command))
        for c in Command.allCases where c != .forceQuit {
            #expect(bound.contains(c), "\(c.rawValue) has no key")
        }
    }

    @Test func helpIsGeneratedFromTheTable() {
        let help = KeyTable.helpLines()
        for b in KeyTable.bindings {
            #expect(help.contains { $0.name == b.command.rawValue && $0.help == b.help })
        }
        let md = KeyTable.markdown()
        #expect(md.contains("| `f` | `toggle-factoring` |"))
        #expect(md.contains("**Everywhere**"))
    }

    @Test func dispatchUsesPaneThenGlobal() {
        #expect(KeyTable.command(for: .char("f"), in: .receivables) == .toggleFactoring)
        #expect(KeyTable.command(for: .char("f"), in: .chart) == nil)
        #expect(KeyTable.command(for: .char("q"), in: .chart) == .quit)
        #expect(KeyTable.command(for: .pageDown, in: .receivables) == .pageDown)
        #expect(KeyTable.command(for: .pageDown, in: .chart) == .weekNext)
        #expect(KeyTable.command(for: .char("q"), in: .picker) == .cancel)
        #expect(KeyTable.command(for: .char("u"), in: .picker) == nil)
    }

    @Test func keyBarShowsThePaneFirst() {
        let items = KeyTable.barItems(for: .receivables)
        #expect(items.first?.label == "cycle")
        #expect(items.contains { $0.key == "?" && $0.label == "help" })
    }
}
