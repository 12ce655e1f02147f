import Testing
@testable import TerminalKit

@Suite("Cell grid")
struct CellGridTests {
    @Test func putWritesAndClipsAtTheRightEdge() {
        var grid = CellGrid(width: 5, height: 2)
        #expect(grid.put("hello world", x: 0, y: 0) == 5)
        #expect(grid.lines() == ["hello", "     "])
    }

    @Test func negativeCoordinatesClipOnTheLeftAndTop() {
        var grid = CellGrid(width: 5, height: 2)
        #expect(grid.put("abcdef", x: -2, y: 1) == 4)
        #expect(grid.put("zzz", x: 0, y: -1) == 0)
        #expect(grid.put("zzz", x: 0, y: 2) == 0)
        #expect(grid.put("zzz", x: Int.min, y: 0) == 0)
        #expect(grid.put("zzz", x: Int.max, y: 0) == 0)
        #expect(grid.put("zzz", x: 0, y: Int.min) == 0)
        #expect(grid.lines() == ["     ", "cdef "])
    }

    @Test func wideCharacterAtTheLastColumnBecomesASpace() {
        var grid = CellGrid(width: 5, height: 1)
        #expect(grid.put("ab漢字", x: 2, y: 0) == 3)
        #expect(grid.lines() == ["  ab "])
        #expect(grid[4, 0] == Cell(symbol: " "))
    }

    @Test func wideCharacterStraddlingTheLeftEdgeBecomesASpace() {
        var grid = CellGrid(width: 5, height: 1)
        #expect(grid.put("漢字", x: -1, y: 0) == 3)
        #expect(grid.lines() == [" 字  "])
        #expect(grid[1, 0].symbol == "字")
        #expect(grid[2, 0].isContinuation)
    }

    @Test func clipRectangleLimitsEveryEdge() {
        var grid = CellGrid(width: 10, height: 3)
        let clip = Rect(x: 2, y: 1, width: 4, height: 1)
        #expect(grid.put("0123456789", x: 0, y: 1, clip: clip) == 4)
        #expect(grid.put("0123456789", x: 0, y: 0, clip: clip) == 0)
        #expect(grid.put("0123456789", x: 0, y: 2, clip: clip) == 0)
        #expect(grid.lines() == ["          ", "  2345    ", "          "])
        // A wide character across the clip's right edge.
        #expect(grid.put("a漢", x: 4, y: 1, clip: clip) == 2)
        #expect(grid.lines()[1] == "  23a     ")
        // A clip outside the grid writes nothing.
        #expect(grid.put("x", x: 20, y: 0, clip: Rect(x: 20, y: 0, width: 5, height: 5)) == 0)
    }

    @Test func wideCharactersAndContinuationCells() {
        var grid = CellGrid(width: 5, height: 1)
        grid.put("漢字", x: 0, y: 0)
        #expect(grid.lines() == ["漢字 "])
        #expect(grid[1, 0] == Cell(symbol: "", isContinuation: true))
        // The flag lands on the right half of 字, which therefore turns into a space.
        #expect(grid.put("🇫🇷", x: 3, y: 0) == 2)
        #expect(grid.lines() == ["漢 🇫🇷"])
    }

    @Test func overwritingHalfAWideCharacterClearsTheOtherHalf() {
        var grid = CellGrid(width: 5, height: 1)
        grid.put("漢", x: 0, y: 0)
        grid.put("x", x: 1, y: 0)
        #expect(grid.lines() == [" x   "])
        grid.put("字", x: 2, y: 0)
        grid.put("y", x: 2, y: 0)
        #expect(grid.lines() == [" xy  "])
        #expect(!grid[3, 0].isContinuation)
        grid.put("漢", x: 0, y: 0)
        grid.put("字", x: 1, y: 0)  // starts on the continuation of 漢
        #expect(grid.lines() == [" 字  "])
    }

    @Test func controlsAndZeroWidthClustersAreNeverStoredRaw() {
        var grid = CellGrid(width: 9, height: 1)
        #expect(grid.put("a\n\u{1B}b\u{200B}c", x: 0, y: 0) == 7)
        #expect(grid.lines() == ["a\\n\\ebc  "])
        // An escape is clipped like any text: cut at the edge, never half a control sent.
        var narrow = CellGrid(width: 4, height: 1)
        #expect(narrow.put("x\u{7}y", x: 0, y: 0) == 4)
        #expect(narrow.lines() == ["x\\x0"])
    }

    @Test func fillRepeatsSymbolsAndClips() {
        var grid = CellGrid(width: 5, height: 2)
        grid.fill(Rect(x: -1, y: 1, width: 4, height: 4), symbol: "#")
        grid.fill(Rect(x: 0, y: 0, width: 5, height: 1), symbol: "漢")
        #expect(grid.lines() == ["漢漢 ", "###  "])
        grid.fill(grid.area, symbol: "\u{7}")
        #expect(grid.lines() == ["     ", "     "])
    }

    @Test func setStylePatchesOnlyInsideTheRect() {
        var grid = CellGrid(width: 4, height: 1)
        grid.put("abcd", x: 0, y: 0, style: Style(fg: .red))
        grid.setStyle(Rect(x: 1, y: 0, width: 2, height: 9), patch: Style(attributes: .reverse))
        #expect(grid[0, 0].style == Style(fg: .red))
        #expect(grid[1, 0].style == Style(fg: .red, attributes: .reverse))
        #expect(grid[3, 0].style == Style(fg: .red))
    }

    @Test func styledDumpListsRunsOfStyledCells() {
        var grid = CellGrid(width: 9, height: 2)
        grid.put("Total", x: 0, y: 0, style: Style(attributes: .bold))
        grid.put("12", x: 6, y: 0, style: Style(fg: .red))
        grid.put("漢x", x: 0, y: 1, style: Style(bg: .indexed(17)))
        #expect(grid.styledDump() == """
            |Total 12 | [0-4 default/default/bold] [6-7 red/default/-]
            |漢x      | [0-2 default/17/-]

            """)
    }

    @Test func diffReportsOnlyChangedCells() {
        var before = CellGrid(width: 6, height: 3)
        before.put("abc", x: 0, y: 0)
        var after = before
        #expect(after.diff(from: before).isEmpty)
        after.put("X", x: 1, y: 0)
        after.put("z", x: 5, y: 2, style: Style(attributes: .bold))
        after.put("c", x: 2, y: 0)  // same symbol and style as before: no change
        #expect(after.diff(from: before) == [
            CellChange(x: 1, y: 0, cell: Cell(symbol: "X")),
            CellChange(x: 5, y: 2, cell: Cell(symbol: "z", style: Style(attributes: .bold))),
        ])
        var styleOnly = before
        styleOnly.setStyle(Rect(x: 0, y: 0, width: 1, height: 1), patch: Style(fg: .green))
        #expect(styleOnly.diff(from: before).map { [$0.x, $0.y] } == [[0, 0]])
    }

    @Test func diffIsTheWholeGridWhenSizesDiffer() {
        let small = CellGrid(width: 2, height: 2)
        let large = CellGrid(width: 3, height: 2)
        #expect(large.diff(from: small).count == 6)
        #expect(small.diff(from: large).count == 4)
        #expect(CellGrid(width: 0, height: 0).diff(from: large).isEmpty)
    }

    @Test func degenerateGrids() {
        var empty = CellGrid(width: -3, height: 5)
        #expect(empty.width == 0)
        #expect(empty.put("abc", x: 0, y: 0) == 0)
        #expect(empty.lines() == ["", "", "", "", ""])
        #expect(empty[0, 0] == .blank)
        let huge = CellGrid(width: Int.max, height: 0)
        #expect(huge.width == CellGrid.maximumSide)
        #expect(huge.lines().isEmpty)
    }
}

@Suite("Spans and headless terminal")
struct HeadlessTerminalTests {
    @Test func spansAreWrittenOneAfterAnother() {
        var grid = CellGrid(width: 10, height: 1)
        let written = grid.put([Span("Solde "), Span("漢", style: Style(fg: .red)), Span("!")], x: 1, y: 0)
        #expect(written == 9)
        #expect(grid.styledDump() == "| Solde 漢!| [7-8 red/default/-]\n")
    }

    @Test func replaysEventsAndKeepsFrames() {
        var terminal = HeadlessTerminal(width: 10, height: 2, events: [.key(.char("j")), .resize(width: 4, height: 1)])
        #expect(terminal.nextEvent(timeoutMilliseconds: 0) == .key(.char("j")))
        #expect(terminal.size == (10, 2))
        #expect(terminal.nextEvent(timeoutMilliseconds: 0) == .resize(width: 4, height: 1))
        #expect(terminal.size == (4, 1))
        #expect(terminal.nextEvent(timeoutMilliseconds: 100) == nil)
        var frame = CellGrid(width: 4, height: 1)
        frame.put("ok", x: 0, y: 0)
        terminal.present(frame)
        #expect(terminal.lastFrame?.lines() == ["ok  "])
        #expect(terminal.frames.count == 1)
    }
}
