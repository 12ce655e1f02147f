/// Text attributes. Each one is visible without colour, which is why selection and focus use them.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let underline = Attributes(rawValue: 1 << 2)
    public static let reverse = Attributes(rawValue: 1 << 3)
    public static let italic = Attributes(rawValue: 1 << 4)

    /// In a fixed order so snapshots are stable.
    static let named: [(Attributes, String)] = [
        (.bold, "bold"), (.dim, "dim"), (.underline, "underline"), (.reverse, "reverse"), (.italic, "italic"),
    ]

    /// `bold+underline`, or `-` when empty.
    public var name: String {
        let parts = Self.named.filter { contains($0.0) }.map(\.1)
        return parts.isEmpty ? "-" : parts.joined(separator: "+")
    }

    /// Parses a `+`- or `,`-separated list such as `bold+reverse`; `-` or empty is no attribute.
    public init?(name: String) {
        self = []
        for part in name.split(whereSeparator: { $0 == "+" || $0 == "," || $0 == " " }) where part != "-" {
            guard let match = Self.named.first(where: { $0.1 == part.lowercased() }) else { return nil }
            insert(match.0)
        }
    }
}

/// Colours and attributes of a cell.
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(fg: Color = .default, bg: Color = .default, attributes: Attributes = []) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    /// The terminal's own colours, no attribute.
    public static let plain = Style()

    /// This style with `patch` laid over it: the patch's non-default colours replace ours and its
    /// attributes are added. A patch cannot reset a colour to `.default`; that keeps patches
    /// composable (a selection highlight does not erase a cell's red "overdue" colour).
    public func patched(by patch: Style) -> Style {
        Style(fg: patch.fg == .default ? fg : patch.fg,
              bg: patch.bg == .default ? bg : patch.bg,
              attributes: attributes.union(patch.attributes))
    }

    /// This style with `extra` attributes added.
    public func adding(_ extra: Attributes) -> Style {
        Style(fg: fg, bg: bg, attributes: attributes.union(extra))
    }

    /// `fg/bg/attrs`, e.g. `red/default/bold`: the form used by `CellGrid.styledDump()`.
    public var description: String { "\(fg.name)/\(bg.name)/\(attributes.name)" }
}
