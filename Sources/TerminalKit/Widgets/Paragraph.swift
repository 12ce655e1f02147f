/// Lines of styled text, either word-wrapped to the area's width or clipped at its right edge.
public struct Paragraph: Sendable {
    /// Each inner array is one line made of styled spans.
    public var lines: [[Span]]
    public var wraps: Bool
    /// How many display lines (after wrapping) to skip at the top.
    public var scroll: Int
    public var alignment: Alignment
    /// Laid under every span's style, and used for the area's background.
    public var style: Style

    public init(lines: [[Span]], wraps: Bool = true, scroll: Int = 0, alignment: Alignment = .left, style: Style = .plain) {
        self.lines = lines
        self.wraps = wraps
        self.scroll = scroll
        self.alignment = alignment
        self.style = style
    }

    /// Plain text, one line per element.
    public init(_ text: [String], wraps: Bool = true, style: Style = .plain) {
        self.init(lines: text.map { [Span($0)] }, wraps: wraps, style: style)
    }

    /// How many display lines the paragraph takes at `width` (for scroll limits).
    public func lineCount(width: Int) -> Int {
        layout(width: width).count
    }

    public func render(into grid: inout CellGrid, area: Rect) {
        let area = area.limitedForDrawing()
        guard !area.isEmpty else { return }
        grid.fill(area, style: style)
        let display = layout(width: area.width)
        let first = min(max(0, scroll), display.count)
        for (row, line) in display[first...].prefix(area.height).enumerated() {
            let lineWidth = line.reduce(0) { $0 + $1.width }
            let free = max(0, area.width - lineWidth)
            var x = area.x
            switch alignment {
            case .left: break
            case .right: x += free
            case .center: x += free / 2
            }
            for glyph in line {
                if x >= area.maxX { break }
                grid.put(String(glyph.symbol), x: x, y: area.y + row, style: style.patched(by: glyph.style), clip: area)
                x += glyph.width
            }
        }
    }

    private func layout(width: Int) -> [[Glyph]] {
        guard width > 0 else { return [] }
        var out: [[Glyph]] = []
        for line in lines {
            let glyphs = glyphs(of: line)
            if wraps {
                out.append(contentsOf: wrap(glyphs, width: width))
            } else {
                out.append(glyphs)
            }
        }
        return out
    }
}
