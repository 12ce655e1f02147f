/// A terminal colour. `.default` is whatever the terminal's own foreground or background is.
/// The backend degrades colours the terminal cannot show (see `approximated(colorCount:)`).
public enum Color: Hashable, Sendable {
    case `default`
    case black, red, green, yellow, blue, magenta, cyan, white
    case brightBlack, brightRed, brightGreen, brightYellow, brightBlue, brightMagenta, brightCyan, brightWhite
    /// An entry of the xterm 256-colour palette (0–15 are the ANSI colours above).
    case indexed(UInt8)

    /// The sixteen ANSI colours in palette order.
    public static let ansi: [Color] = [
        .black, .red, .green, .yellow, .blue, .magenta, .cyan, .white,
        .brightBlack, .brightRed, .brightGreen, .brightYellow, .brightBlue, .brightMagenta, .brightCyan, .brightWhite,
    ]

    private static let ansiNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]

    /// Palette index: 0–15 for the ANSI colours, 0–255 for `.indexed`, nil for `.default`.
    public var paletteIndex: Int? {
        switch self {
        case .default: return nil
        case .black: return 0
        case .red: return 1
        case .green: return 2
        case .yellow: return 3
        case .blue: return 4
        case .magenta: return 5
        case .cyan: return 6
        case .white: return 7
        case .brightBlack: return 8
        case .brightRed: return 9
        case .brightGreen: return 10
        case .brightYellow: return 11
        case .brightBlue: return 12
        case .brightMagenta: return 13
        case .brightCyan: return 14
        case .brightWhite: return 15
        case .indexed(let n): return Int(n)
        }
    }

    /// Stable name used in snapshots and theme files: `default`, `red`, `bright-red`, or the palette
    /// number for `.indexed` (`208`).
    public var name: String {
        switch self {
        case .default: return "default"
        case .indexed(let n): return String(n)
        default: return paletteIndex.map { Self.ansiNames[$0] } ?? "default"
        }
    }

    /// Parses `name`; also accepts `brightred`, `bright_red`, `brightRed`, any case, and `0`–`255`.
    public init?(name: String) {
        // Numbers first, before separators are dropped: "-1" is not colour 1.
        if let f = name.unicodeScalars.first, f == "-" || f == "+" || ("0"..."9").contains(f) {
            guard let n = UInt8(name) else { return nil }
            self = .indexed(n); return
        }
        let key = name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        if key == "default" { self = .default; return }
        guard let i = Self.ansiNames.firstIndex(where: { $0.filter { $0 != "-" } == key }) else { return nil }
        self = Self.ansi[i]
    }

    /// The closest colour a terminal with `colorCount` colours can show: unchanged with 256 or more,
    /// nearest of the 16 ANSI colours with 16 or more, nearest of the 8 basic colours with 8 or more,
    /// `.default` below that. "Nearest" is measured on the xterm palette's RGB values.
    public func approximated(colorCount: Int) -> Color {
        guard let index = paletteIndex else { return .default }
        if colorCount >= 256 { return self }
        if colorCount >= 16 {
            return index < 16 ? Self.ansi[index] : Self.nearest(to: Self.rgb(index), among: 0..<16)
        }
        if colorCount >= 8 {
            if index < 8 { return Self.ansi[index] }
            if index < 16 { return Self.ansi[index - 8] }
            return Self.nearest(to: Self.rgb(index), among: 0..<8)
        }
        return .default
    }

    /// RGB of an xterm palette entry (the standard xterm defaults).
    static func rgb(_ index: Int) -> (Int, Int, Int) {
        let basic: [(Int, Int, Int)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        switch index {
        case 0..<16: return basic[index]
        case 16..<232:
            let n = index - 16
            let level = { (v: Int) in v == 0 ? 0 : 55 + v * 40 }
            return (level(n / 36), level((n / 6) % 6), level(n % 6))
        default:
            let v = 8 + (min(255, max(232, index)) - 232) * 10
            return (v, v, v)
        }
    }

    private static func nearest(to target: (Int, Int, Int), among candidates: Range<Int>) -> Color {
        var best = candidates.lowerBound
        var bestDistance = Int.max
        for i in candidates {
            let c = rgb(i)
            let d = (c.0 - target.0) * (c.0 - target.0) + (c.1 - target.1) * (c.1 - target.1) + (c.2 - target.2) * (c.2 - target.2)
            if d < bestDistance { bestDistance = d; best = i }
        }
        return ansi[best]
    }
}
