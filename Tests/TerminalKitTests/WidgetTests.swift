import Testing
@testable import TerminalKit

/// Renders `draw` into a fresh grid and returns its lines: the snapshot-by-string used below.
func render(width: Int, height: Int, _ draw: (inout CellGrid, Rect) -> Void) -> CellGrid {
    var grid = CellGrid(width: width, height: height)
    draw(&grid, grid.area)
    return grid
}

@Suite("Block")
struct BlockTests {
    @Test func borderWithTitle() {
        let grid = render(width: 12, height: 4) { Block(title: "Cash").render(into: &$0, area: $1) }
        #expect(grid.lines() == [
            "┌ Cash ────┐",
            "│          │",
            "│          │",
            "└──────────┘",
        ])
        #expect(grid[2, 0].style == Style(attributes: .bold))
        #expect(grid[0, 0].style == .plain)
    }

    @Test func focusUsesHeavierBordersNotOnlyColour() {
        let grid = render(width: 12, height: 3) { Block(title: "Cash", isFocused: true).render(into: &$0, area: $1) }
        #expect(grid.lines() == [
            "┏ Cash ━━━━┓",
            "┃          ┃",
            "┗━━━━━━━━━━┛",
        ])
        #expect(grid[0, 0].style.attributes.contains(.bold))
    }

    @Test func asciiFallbackAndLongTitle() {
        let grid = render(width: 8, height: 3) { Block.ascii(title: "Trésorerie").render(into: &$0, area: $1) }
        #expect(grid.lines() == [
            "+ Tré… +",
            "|      |",
            "+------+",
        ])
        let focused = render(width: 4, height: 2) { Block.ascii(isFocused: true).render(into: &$0, area: $1) }
        #expect(focused.lines() == ["#==#", "#==#"])
    }

    @Test func innerAreaAndTinyBlocks() {
        #expect(Block().inner(Rect(x: 2, y: 3, width: 10, height: 5)) == Rect(x: 3, y: 4, width: 8, height: 3))
        #expect(Block().inner(Rect(x: 0, y: 0, width: 1, height: 1)).isEmpty)
        #expect(render(width: 1, height: 1) { Block(title: "X").render(into: &$0, area: $1) }.lines() == ["┌"])
        #expect(render(width: 2, height: 1) { Block().render(into: &$0, area: $1) }.lines() == ["┌┐"])
        #expect(render(width: 1, height: 3) { Block().render(into: &$0, area: $1) }.lines() == ["┌", "│", "└"])
    }
}

@Suite("Table")
struct TableTests {
    static let rows: [Table.Row] = [
        Table.Row(["Alpha", "100,00"]),
        Table.Row(["Béta SA", "2 500,00"]),
        Table.Row(["Gamma très longue", "-12,50"], cellStyles: [nil, Style(fg: .red)]),
        Table.Row(["Delta", "0,00"]),
        Table.Row(["Epsilon", "1,00"]),
    ]
    static let columns = [Table.Column("Client"), Table.Column("Montant", width: .fixed(8), alignment: .right)]

    @Test func headerAlignmentMarksSelectionAndScrolling() {
        let table = Table(columns: Self.columns, rows: Self.rows, selected: 3, marked: [1])
        let grid = render(width: 20, height: 4) { table.render(into: &$0, area: $1) }
        // Three data rows fit; selecting row 3 scrolls so that it is the last visible one.
        #expect(grid.lines() == [
            "  Client     Montant",
            "✓ Béta SA   2 500,00",
            "  Gamma tr…   -12,50",
            "  Delta         0,00",
        ])
        #expect(grid.styledDump() == """
            |  Client     Montant| [0-19 default/default/bold+underline]
            |✓ Béta SA   2 500,00| [0-19 default/default/bold]
            |  Gamma tr…   -12,50| [12-19 red/default/-]
            |  Delta         0,00| [0-19 default/default/reverse]

            """)
        #expect(table.scrollOffset(in: grid.area) == 1)
        #expect(table.visibleRows(in: grid.area) == 3)
    }

    @Test func markGutterCanBeReservedAndSelectionPatchKeepsCellColours() {
        let table = Table(columns: Self.columns, rows: Self.rows, selected: 2, showsHeader: false, showsMarks: true)
        let grid = render(width: 20, height: 2) { table.render(into: &$0, area: $1) }
        #expect(grid.lines() == [
            "  Béta SA   2 500,00",
            "  Gamma tr…   -12,50",
        ])
        #expect(grid[15, 1].style == Style(fg: .red, attributes: .reverse))
        #expect(grid[0, 1].style == Style(attributes: .reverse))
    }

    @Test func scrollOffsetMovesTheLeastAndNeverLeavesBlankRows() {
        #expect(Table.scrollOffset(selected: 0, offset: 5, rowCount: 10, visibleRows: 3) == 0)
        #expect(Table.scrollOffset(selected: 9, offset: 0, rowCount: 10, visibleRows: 3) == 7)
        #expect(Table.scrollOffset(selected: 5, offset: 4, rowCount: 10, visibleRows: 3) == 4)
        #expect(Table.scrollOffset(selected: nil, offset: 20, rowCount: 10, visibleRows: 3) == 7)
        #expect(Table.scrollOffset(selected: 1, offset: 3, rowCount: 2, visibleRows: 5) == 0)
        #expect(Table.scrollOffset(selected: 99, offset: -4, rowCount: 10, visibleRows: 0) == 0)
        #expect(Table.scrollOffset(selected: -1, offset: 2, rowCount: 10, visibleRows: 3) == 2)
    }

    @Test func placeholderAndShortRows() {
        let empty = Table(columns: Self.columns, rows: [], placeholder: "Aucune facture")
        #expect(render(width: 20, height: 3) { empty.render(into: &$0, area: $1) }.lines() == [
            "Client       Montant",
            "Aucune facture      ",
            "                    ",
        ])
        let ragged = Table(columns: Self.columns, rows: [Table.Row(["Seul"]), Table.Row(["a", "b", "ignored"])], showsHeader: false)
        #expect(render(width: 12, height: 2) { ragged.render(into: &$0, area: $1) }.lines() == [
            "Se…         ",
            "a          b",
        ])
    }

    @Test func wideTextInCells() {
        let table = Table(columns: [Table.Column("名前", width: .fixed(5)), Table.Column("€", alignment: .right)],
                          rows: [Table.Row(["漢字漢字", "1"])])
        #expect(render(width: 9, height: 2) { table.render(into: &$0, area: $1) }.lines() == [
            "名前    €",
            "漢字…   1",
        ])
    }
}

@Suite("Paragraph")
struct ParagraphTests {
    let text = [[Span("Le solde passe sous zéro le 12 mars.")]]

    @Test func wrapsOnSpaces() {
        let paragraph = Paragraph(lines: text)
        #expect(render(width: 12, height: 4) { paragraph.render(into: &$0, area: $1) }.lines() == [
            "Le solde    ",
            "passe sous  ",
            "zéro le 12  ",
            "mars.       ",
        ])
        #expect(paragraph.lineCount(width: 12) == 4)
        #expect(paragraph.lineCount(width: 0) == 0)
    }

    @Test func scrollsAndClipsToTheAreaHeight() {
        let paragraph = Paragraph(lines: text, scroll: 1)
        #expect(render(width: 12, height: 2) { paragraph.render(into: &$0, area: $1) }.lines() == [
            "passe sous  ",
            "zéro le 12  ",
        ])
        let past = Paragraph(lines: text, scroll: 99)
        #expect(render(width: 12, height: 1) { past.render(into: &$0, area: $1) }.lines() == ["            "])
    }

    @Test func breaksWordsLongerThanTheLineAndWideCharacters() {
        #expect(render(width: 4, height: 3) { Paragraph(["abcdefghij"]).render(into: &$0, area: $1) }.lines() == ["abcd", "efgh", "ij  "])
        #expect(render(width: 5, height: 3) { Paragraph(["漢字漢字漢"]).render(into: &$0, area: $1) }.lines() == ["漢字 ", "漢字 ", "漢   "])
        #expect(render(width: 1, height: 2) { Paragraph(["漢a"]).render(into: &$0, area: $1) }.lines() == [" ", "a"])
    }

    @Test func clipsWithoutWrappingAndKeepsSpanStyles() {
        let red = Style(fg: .red)
        let paragraph = Paragraph(lines: [[Span("Solde: "), Span("-1 200 €", style: red)], [Span("abcdefghijklmnopqrstuvwxyz")]], wraps: false)
        let grid = render(width: 16, height: 2) { paragraph.render(into: &$0, area: $1) }
        #expect(grid.styledDump() == """
            |Solde: -1 200 € | [7-14 red/default/-]
            |abcdefghijklmnop|

            """)
    }

    @Test func alignmentAndEmptyLines() {
        let paragraph = Paragraph(lines: [[Span("abc")], [], [Span("de")]], alignment: .right)
        #expect(render(width: 6, height: 3) { paragraph.render(into: &$0, area: $1) }.lines() == ["   abc", "      ", "    de"])
        let centered = Paragraph(lines: [[Span("ab")]], alignment: .center)
        #expect(render(width: 7, height: 1) { centered.render(into: &$0, area: $1) }.lines() == ["  ab   "])
    }
}

@Suite("Key bar")
struct KeyBarTests {
    let bar = KeyBar([(key: "q", label: "quit"), (key: "?", label: "help"), (key: "/", label: "search"), (key: "F5", label: "refresh")])

    @Test func dropsWhatDoesNotFit() {
        #expect(render(width: 22, height: 1) { bar.render(into: &$0, area: $1) }.lines() == ["q quit  ? help        "])
        #expect(render(width: 36, height: 1) { bar.render(into: &$0, area: $1) }.lines() == ["q quit  ? help  / search  F5 refresh"])
        #expect(render(width: 5, height: 1) { bar.render(into: &$0, area: $1) }.lines() == ["     "])
    }

    @Test func laterShortItemsStillFitAfterADroppedLongOne() {
        let bar = KeyBar([(key: "q", label: "quit"), (key: "/", label: "search everything"), (key: "?", label: "help")])
        let grid = render(width: 16, height: 1) { bar.render(into: &$0, area: $1) }
        #expect(grid.styledDump() == "|q quit  ? help  | [0-0 default/default/bold+reverse] [8-8 default/default/bold+reverse]\n")
        #expect(bar.fittingItems(width: 16).map(\.key) == ["q", "?"])
    }
}
