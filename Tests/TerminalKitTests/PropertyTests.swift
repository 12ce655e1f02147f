import Testing
@testable import TerminalKit

/// SplitMix64: small, seeded, and the same on every platform, so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Pieces of text that are hard on a terminal: wide, zero-width, emoji sequences and controls.
let trickyPieces = ["a", "Z", " ", "é", "e\u{301}", "漢", "字", "🙂", "🇫🇷", "👨‍👩‍👧", "\u{200B}", "\u{301}",
                    "\t", "\n", "\u{1B}", "…", "€", "│", "-12,50"]

extension SeededGenerator {
    mutating func text(maxPieces: Int = 12) -> String {
        (0..<Int.random(in: 0...maxPieces, using: &self)).map { _ in trickyPieces.randomElement(using: &self) ?? "" }.joined()
    }

    mutating func value() -> Int64 {
        switch Int.random(in: 0..<10, using: &self) {
        case 0: return .min
        case 1: return .max
        case 2: return 0
        default: return Int64.random(in: -1_000_000...1_000_000, using: &self)
        }
    }

    mutating func style() -> Style {
        Style(fg: Color.ansi.randomElement(using: &self) ?? .default, attributes: Attributes(rawValue: UInt8.random(in: 0...31, using: &self)))
    }
}

@Suite("Widgets on random areas")
struct PropertyTests {
    static let sentinel = Cell(symbol: "¤", style: Style(fg: .magenta, bg: .indexed(53)))

    /// Every widget, built from random content.
    static func widgets(_ rng: inout SeededGenerator) -> [(String, (inout CellGrid, Rect) -> Void)] {
        let block = Block(title: rng.text(), borders: Bool.random(using: &rng) ? .plain : .ascii, isFocused: Bool.random(using: &rng))
        let rowCount = Int.random(in: 0...30, using: &rng)
        let rows = (0..<rowCount).map { _ in
            Table.Row((0..<Int.random(in: 0...4, using: &rng)).map { _ in rng.text() }, style: rng.style(),
                      cellStyles: [nil, rng.style()])
        }
        let constraints: [Constraint] = [.fill, .fixed(Int.random(in: -3...12, using: &rng)), .percent(Int.random(in: -10...120, using: &rng)), .min(Int.random(in: -2...8, using: &rng))]
        let table = Table(
            columns: constraints.map { Table.Column(rng.text(maxPieces: 4), width: $0, alignment: [.left, .right, .center].randomElement(using: &rng) ?? .left) },
            rows: rows,
            selected: Bool.random(using: &rng) ? Int.random(in: -2...35, using: &rng) : nil,
            marked: Set((0..<Int.random(in: 0...5, using: &rng)).map { _ in Int.random(in: -1...31, using: &rng) }),
            offset: Int.random(in: -5...40, using: &rng),
            showsHeader: Bool.random(using: &rng), showsMarks: Bool.random(using: &rng),
            columnSpacing: Int.random(in: -1...2, using: &rng),
            placeholder: rng.text())
        let paragraph = Paragraph(
            lines: (0..<Int.random(in: 0...6, using: &rng)).map { _ in
                (0..<Int.random(in: 0...3, using: &rng)).map { _ in Span(rng.text(), style: rng.style()) }
            },
            wraps: Bool.random(using: &rng), scroll: Int.random(in: -2...8, using: &rng),
            alignment: [.left, .right, .center].randomElement(using: &rng) ?? .left)
        let keyBar = KeyBar((0..<Int.random(in: 0...6, using: &rng)).map { _ in (key: rng.text(maxPieces: 2), label: rng.text(maxPieces: 6)) })
        let pointCount = Int.random(in: 0...80, using: &rng)
        let chart = LineChart(
            series: (0..<Int.random(in: 0...3, using: &rng)).map { i in
                LineChart.Series(name: "s\(i)", values: (0..<Int.random(in: 0...pointCount, using: &rng)).map { _ in rng.value() },
                                 glyph: ["●", "·", "█", "漢", "\u{7}"].randomElement(using: &rng) ?? "●", style: rng.style())
            },
            referenceLines: (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                LineChart.ReferenceLine(value: rng.value(), glyph: ["─", "┄", "═", "字"].randomElement(using: &rng) ?? "─", label: rng.text(maxPieces: 5))
            },
            cursor: Bool.random(using: &rng) ? Int.random(in: -3...90, using: &rng) : nil,
            aggregation: [.min, .max, .last].randomElement(using: &rng) ?? .min,
            fitsReferenceLines: Bool.random(using: &rng),
            yLabel: { "\($0 / 100) €" })
        return [
            ("block", { block.render(into: &$0, area: $1) }),
            ("table", { table.render(into: &$0, area: $1) }),
            ("paragraph", { paragraph.render(into: &$0, area: $1) }),
            ("keybar", { keyBar.render(into: &$0, area: $1) }),
            ("chart", { chart.render(into: &$0, area: $1) }),
        ]
    }

    @Test func widgetsNeverWriteOutsideTheirArea() {
        var rng = SeededGenerator(seed: 0x7265_736F)
        for round in 0..<400 {
            let area = Rect(x: Int.random(in: -8...24, using: &rng), y: Int.random(in: -4...12, using: &rng),
                            width: Int.random(in: 0...30, using: &rng), height: Int.random(in: 0...12, using: &rng))
            for (name, draw) in Self.widgets(&rng) {
                var grid = CellGrid(width: 32, height: 14, fill: Self.sentinel)
                draw(&grid, area)
                for y in 0..<grid.height {
                    for x in 0..<grid.width where !area.contains(x: x, y: y) {
                        #expect(grid[x, y] == Self.sentinel, "\(name) round \(round) wrote (\(x),\(y)) outside \(area)")
                    }
                }
                Self.expectWellFormed(grid, name: name)
            }
        }
    }

    @Test func widgetsSurviveDegenerateAndHugeAreas() {
        var rng = SeededGenerator(seed: 42)
        let areas = [Rect.zero, Rect(x: 0, y: 0, width: 1, height: 1), Rect(x: -1, y: -1, width: 1, height: 1),
                     Rect(x: Int.min, y: Int.min, width: Int.max, height: Int.max),
                     Rect(x: -100_000, y: -100_000, width: 200_000, height: 200_000),
                     Rect(x: 3, y: 2, width: Int.max, height: 1)]
        for _ in 0..<20 {
            for (name, draw) in Self.widgets(&rng) {
                for area in areas {
                    for size in [(0, 0), (1, 1), (7, 3)] {
                        var grid = CellGrid(width: size.0, height: size.1)
                        draw(&grid, area)
                        Self.expectWellFormed(grid, name: name)
                    }
                }
            }
        }
    }

    @Test func putNeverWritesOutsideTheClipOrTheGrid() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<2_000 {
            var grid = CellGrid(width: Int.random(in: 0...12, using: &rng), height: Int.random(in: 0...4, using: &rng), fill: Self.sentinel)
            let clip = Rect(x: Int.random(in: -3...12, using: &rng), y: Int.random(in: -2...4, using: &rng),
                            width: Int.random(in: -1...10, using: &rng), height: Int.random(in: -1...4, using: &rng))
            let text = rng.text()
            let x = Int.random(in: -15...15, using: &rng)
            let y = Int.random(in: -2...5, using: &rng)
            let written = grid.put(text, x: x, y: y, style: .plain, clip: clip)
            var changed = 0
            for cy in 0..<grid.height {
                for cx in 0..<grid.width where grid[cx, cy] != Self.sentinel {
                    changed += 1
                    #expect(clip.contains(x: cx, y: cy), "\(text) at \(x),\(y) in \(clip)")
                }
            }
            #expect(written == changed)
            #expect(written <= displayWidth(text))
            Self.expectWellFormed(grid, name: "put")
        }
    }

    /// Wide characters always have their continuation, continuations always follow a wide character,
    /// and no control character is stored.
    static func expectWellFormed(_ grid: CellGrid, name: String) {
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if cell.isContinuation {
                    #expect(x > 0 && displayWidth(grid[x - 1, y].symbol) == 2, "\(name): orphan continuation at \(x),\(y)")
                } else {
                    let w = displayWidth(cell.symbol)
                    #expect(w == 1 || w == 2, "\(name): width \(w) cell at \(x),\(y)")
                    #expect(cell.symbol.unicodeScalars.allSatisfy { !isControl($0) }, "\(name): control at \(x),\(y)")
                    if w == 2 { #expect(grid[x + 1, y].isContinuation, "\(name): wide without continuation at \(x),\(y)") }
                }
            }
        }
    }
}
