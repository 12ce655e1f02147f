/// A key press, independent of any terminal library. Every key has a stable text name
/// (`Key.name`) that the key table, the help screen and the docs use, and `Key(name:)` parses it back.
///
/// Names: a printable character is its own name (`x`, `X`, `?`, `é`), except the space bar, `space`.
/// Control combinations are `ctrl-` plus the lowercase letter (`ctrl-c`), Meta/Alt ones `alt-` plus
/// the character (`alt-x`). The others are `enter`, `esc`, `tab`, `backtab`, `backspace`, `delete`,
/// `insert`, `up`, `down`, `left`, `right`, `home`, `end`, `pgup`, `pgdn`, `F1`…`F12`.
public enum Key: Hashable, Sendable, CustomStringConvertible {
    /// A printable character, including non-ASCII ones and the space.
    case char(Character)
    /// Ctrl with a letter (stored lowercase) or one of `@ [ \ ] ^ _ space`. Tab, Enter, Backspace and
    /// Esc arrive as their own keys, never as `ctrl-i`, `ctrl-m`, `ctrl-h` or `ctrl-[`.
    case ctrl(Character)
    /// Alt/Meta with a character (sent by terminals as Esc followed by the character).
    case alt(Character)
    case enter, escape, tab, backtab, backspace, delete, insert
    case up, down, left, right, home, end, pageUp, pageDown
    /// F1 through F12.
    case function(Int)

    private static let named: [(Key, String)] = [
        (.enter, "enter"), (.escape, "esc"), (.tab, "tab"), (.backtab, "backtab"),
        (.backspace, "backspace"), (.delete, "delete"), (.insert, "insert"),
        (.up, "up"), (.down, "down"), (.left, "left"), (.right, "right"),
        (.home, "home"), (.end, "end"), (.pageUp, "pgup"), (.pageDown, "pgdn"),
    ]

    /// Other spellings accepted by `init(name:)`, so a hand-written key table is forgiving.
    private static let aliases: [String: Key] = [
        "return": .enter, "ret": .enter, "escape": .escape, "shift-tab": .backtab, "s-tab": .backtab,
        "bs": .backspace, "del": .delete, "ins": .insert, "pageup": .pageUp, "page-up": .pageUp,
        "pagedown": .pageDown, "page-down": .pageDown, "pgdown": .pageDown,
    ]

    /// The character a Ctrl combination is stored with (letters folded to lowercase), or nil when
    /// no terminal can send Ctrl with `c`.
    static func controllable(_ c: Character) -> Character? {
        guard let ascii = c.asciiValue else { return nil }
        switch ascii {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return c
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Character(Unicode.Scalar(ascii + 32))
        case UInt8(ascii: "@"), UInt8(ascii: "["), UInt8(ascii: "\\"), UInt8(ascii: "]"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: " "):
            return c
        default: return nil
        }
    }

    /// The canonical name, e.g. `ctrl-c`, `left`, `pgup`, `F5`, `x`, `space`, `?`.
    public var name: String {
        switch self {
        case .char(" "): return "space"
        case .char(let c): return String(c)
        case .ctrl(" "): return "ctrl-space"
        case .ctrl(let c): return "ctrl-" + String(c)
        case .alt(" "): return "alt-space"
        case .alt(let c): return "alt-" + String(c)
        case .function(let n): return "F\(n)"
        default:
            return Self.named.first(where: { $0.0 == self })?.1 ?? "?"
        }
    }

    public var description: String { name }

    /// Parses a key name (see the type's documentation). Named keys and prefixes ignore case
    /// (`Ctrl-C`, `PgUp`, `f5`); a single character is taken as is, so `X` and `x` differ.
    public init?(name: String) {
        if name.count == 1, let c = name.first {
            guard c != " ", terminalSymbol(c)?.symbol == c else { return nil }
            self = .char(c)
            return
        }
        let lower = name.lowercased()
        if lower == "space" { self = .char(" "); return }
        if let key = Self.named.first(where: { $0.1 == lower })?.0 ?? Self.aliases[lower] {
            self = key
            return
        }
        for (prefix, isCtrl) in [("ctrl-", true), ("c-", true), ("alt-", false), ("m-", false), ("meta-", false)] {
            guard lower.hasPrefix(prefix) else { continue }
            let rest = String(name.dropFirst(prefix.count))
            if rest.lowercased() == "space" { self = isCtrl ? .ctrl(" ") : .alt(" "); return }
            guard rest.count == 1, let c = rest.first, terminalSymbol(c)?.symbol == c else { return nil }
            guard isCtrl else { self = .alt(c); return }
            guard let folded = Self.controllable(c) else { return nil }
            self = .ctrl(folded)
            return
        }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) {
            self = .function(n)
            return
        }
        return nil
    }
}

/// What the application receives from the terminal.
public enum InputEvent: Hashable, Sendable {
    case key(Key)
    /// The terminal changed size; the next frame must be drawn at this size.
    case resize(width: Int, height: Int)
}
