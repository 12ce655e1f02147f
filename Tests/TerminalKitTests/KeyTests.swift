import Testing
@testable import TerminalKit

@Suite("Keys")
struct KeyTests {
    @Test func canonicalNames() {
        #expect(Key.ctrl("c").name == "ctrl-c")
        #expect(Key.left.name == "left")
        #expect(Key.pageUp.name == "pgup")
        #expect(Key.pageDown.name == "pgdn")
        #expect(Key.function(5).name == "F5")
        #expect(Key.char("x").name == "x")
        #expect(Key.char(" ").name == "space")
        #expect(Key.char("?").name == "?")
        #expect(Key.char("é").name == "é")
        #expect(Key.escape.name == "esc")
        #expect(Key.backtab.name == "backtab")
        #expect(Key.alt("x").name == "alt-x")
    }

    @Test func everyKeyRoundTripsThroughItsName() {
        var keys: [Key] = [.enter, .escape, .tab, .backtab, .backspace, .delete, .insert,
                           .up, .down, .left, .right, .home, .end, .pageUp, .pageDown,
                           .char(" "), .char("-"), .char("X"), .char("漢"), .char("€"), .ctrl(" "), .ctrl("["), .alt(" ")]
        keys += (1...12).map { Key.function($0) }
        keys += "abcdefghijklmnopqrstuvwxyz".map { Key.ctrl($0) }
        keys += "abcxyzABC019?/+*".map { Key.char($0) }
        for key in keys {
            #expect(Key(name: key.name) == key, "\(key.name)")
        }
        #expect(Set(keys.map(\.name)).count == keys.count)  // names are unique
    }

    @Test func parserIsForgivingWithNamedKeysButExactWithCharacters() {
        #expect(Key(name: "Ctrl-C") == .ctrl("c"))
        #expect(Key(name: "C-x") == .ctrl("x"))
        #expect(Key(name: "PgUp") == .pageUp)
        #expect(Key(name: "pagedown") == .pageDown)
        #expect(Key(name: "f5") == .function(5))
        #expect(Key(name: "F") == .char("F"))
        #expect(Key(name: "f") == .char("f"))
        #expect(Key(name: "escape") == .escape)
        #expect(Key(name: "shift-tab") == .backtab)
        #expect(Key(name: "return") == .enter)
        #expect(Key(name: "alt-X") == .alt("X"))
    }

    @Test func invalidNamesAreRejected() {
        for name in ["", " ", "F0", "F13", "ctrl-", "ctrl-ab", "ctrl-1", "ctrl-é", "hyper-x", "\u{7}", "ctrl-\u{7}", "enterr"] {
            #expect(Key(name: name) == nil, "\(name)")
        }
    }
}
