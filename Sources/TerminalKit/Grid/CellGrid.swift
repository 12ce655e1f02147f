/// A frame of cells: the only thing widgets draw into and the only thing a terminal backend shows.
/// Every write is clipped to the grid (and to an optional clip rectangle); no coordinate traps.
/// Wide characters stay consistent: overwriting either half of one turns the other half into a space.
public struct CellGrid: Hashable, Sendable {
    /// Larger sizes are clamped: no real terminal comes close, and it bounds memory for any input.
    public static let maximumSide = 4096

    public private(set) var width: Int
    public private(set) var height: Int
    private var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = min(max(0, width), Self.maximumSide)
        self.height = min(max(0, height), Self.maximumSide)
        let base = fill.isContinuation || displayWidth(fill.symbol) != 1 ? Cell(symbol: " ", style: fill.style) : fill
        cells = Array(repeating: base, count: self.width * self.height)
    }

    /// The whole grid as a rectangle at the origin.
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y); a blank cell outside the grid.
    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < width, y < height else { return .blank }
        return cells[y * width + x]
    }

    /// Writes `text` on row `y` from column `x` with `style`, clipped to the grid and to `clip`.
    /// Controls are drawn as their escape (`\e`, `\x07`, `\u{202E}`: see `escapingControls`), one
    /// column per character of it; zero-width clusters are dropped; a wide character that would
    /// straddle a clip edge becomes a space. Returns the number of columns written, which is also how
    /// far the text advanced when `x` starts inside the clip.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        let bounds = clip.map { $0.intersection(area) } ?? area
        guard !bounds.isEmpty, y >= bounds.y, y < bounds.maxY else { return 0 }
        var column = x
        var written = 0
        for character in text {
            guard column < bounds.maxX else { break }
            if let escape = controlEscape(character) {
                for c in escape {
                    guard column < bounds.maxX else { break }
                    place(c, width: 1, column: &column, written: &written, y: y, style: style, bounds: bounds)
                }
                continue
            }
            guard let (symbol, w) = terminalSymbol(character) else { continue }
            place(symbol, width: w, column: &column, written: &written, y: y, style: style, bounds: bounds)
        }
        return written
    }

    @inline(__always)
    private mutating func place(_ symbol: Character, width w: Int, column: inout Int, written: inout Int,
                                y: Int, style: Style, bounds: Rect) {
        let end = saturatingAdd(column, w)
        defer { column = end }
        if end <= bounds.x { return }
        if column < bounds.x || end > bounds.maxX {
            // Only part of a wide character is visible: show spaces in the visible part.
            for c in max(column, bounds.x)..<min(end, bounds.maxX) {
                setCell(x: c, y: y, Cell(symbol: " ", style: style))
                written += 1
            }
            return
        }
        setCell(x: column, y: y, Cell(symbol: String(symbol), style: style))
        if w == 2 { setCell(x: column + 1, y: y, .continuation(style)) }
        written += w
    }

    /// Writes styled spans one after another from column `x`; returns the columns written.
    @discardableResult
    public mutating func put(_ spans: [Span], x: Int, y: Int, clip: Rect? = nil) -> Int {
        var column = x
        var written = 0
        for span in spans {
            written += put(span.text, x: column, y: y, style: span.style, clip: clip)
            column = saturatingAdd(column, displayWidth(span.text))
        }
        return written
    }

    /// Fills `rect` (clipped to the grid) with `symbol` in `style`. A wide symbol is repeated every
    /// two columns; a zero-width or control symbol fills with spaces.
    public mutating func fill(_ rect: Rect, style: Style = .plain, symbol: Character = " ") {
        let target = rect.intersection(area)
        guard !target.isEmpty else { return }
        var glyph: Character = " "
        var w = 1
        if let first = symbol.unicodeScalars.first, !isControl(first), let drawn = terminalSymbol(symbol) {
            (glyph, w) = drawn
        }
        let row = String(repeating: String(glyph), count: (target.width + w - 1) / w)
        for y in target.y..<target.maxY {
            put(row, x: target.x, y: y, style: style, clip: target)
        }
    }

    /// Lays `patch` over the style of every cell in `rect` (see `Style.patched(by:)`).
    public mutating func setStyle(_ rect: Rect, patch: Style) {
        let target = rect.intersection(area)
        guard !target.isEmpty else { return }
        for y in target.y..<target.maxY {
            for x in target.x..<target.maxX {
                cells[y * width + x].style = cells[y * width + x].style.patched(by: patch)
            }
        }
    }

    /// Plain text of each row. Trailing spaces are kept so snapshots are exact; continuation cells
    /// are left out, so a row of CJK text reads naturally.
    public func lines() -> [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !cells[y * width + x].isContinuation {
                line += cells[y * width + x].symbol
            }
            return line
        }
    }

    /// The cells that differ from `previous`, row by row; every cell when the sizes differ.
    public func diff(from previous: CellGrid) -> [CellChange] {
        var changes: [CellChange] = []
        let sameSize = previous.width == width && previous.height == height
        for y in 0..<height {
            for x in 0..<width {
                let index = y * width + x
                if !sameSize || cells[index] != previous.cells[index] {
                    changes.append(CellChange(x: x, y: y, cell: cells[index]))
                }
            }
        }
        return changes
    }

    /// Stores one cell, repairing any wide character the write cuts in half.
    private mutating func setCell(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let index = y * width + x
        let old = cells[index]
        if old.isContinuation && x > 0 && !cell.isContinuation {
            // Overwriting the right half of a wide character: its left half becomes a space.
            cells[index - 1] = Cell(symbol: " ", style: cells[index - 1].style)
        }
        if !old.isContinuation && x + 1 < width && cells[index + 1].isContinuation {
            // Overwriting the left half: the orphaned right half becomes a space.
            cells[index + 1] = Cell(symbol: " ", style: cells[index + 1].style)
        }
        cells[index] = cell
    }
}
