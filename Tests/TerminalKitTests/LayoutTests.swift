import Testing
@testable import TerminalKit

@Suite("Rect and layout")
struct LayoutTests {
    @Test func negativeSizesBecomeEmpty() {
        let r = Rect(x: 3, y: 4, width: -5, height: 2)
        #expect(r.width == 0)
        #expect(r.isEmpty)
        #expect(r.area == 0)
        #expect(!r.contains(x: 3, y: 4))
    }

    @Test func insetNeverGoesNegative() {
        let r = Rect(x: 0, y: 0, width: 10, height: 3)
        #expect(r.inset(by: 1) == Rect(x: 1, y: 1, width: 8, height: 1))
        #expect(r.inset(by: 2).height == 0)
        #expect(r.inset(by: 20).isEmpty)
        #expect(r.inset(left: 2, right: 3) == Rect(x: 2, y: 0, width: 5, height: 3))
    }

    @Test func intersectionOfDisjointRectsIsEmpty() {
        let a = Rect(x: 0, y: 0, width: 5, height: 5)
        #expect(a.intersection(Rect(x: 3, y: 3, width: 5, height: 5)) == Rect(x: 3, y: 3, width: 2, height: 2))
        #expect(a.intersection(Rect(x: 10, y: 0, width: 5, height: 5)).isEmpty)
    }

    @Test func extremeCoordinatesDoNotOverflow() {
        let r = Rect(x: Int.max - 1, y: Int.min, width: Int.max, height: Int.max)
        #expect(r.maxX == Int.max)
        #expect(r.area == Int.max)
        #expect(r.inset(by: Int.min).width == Int.max)
        #expect(r.limitedForDrawing().isEmpty)
    }

    @Test func fixedPercentMinAndFill() {
        let area = Rect(x: 0, y: 0, width: 100, height: 1)
        let parts = area.splitHorizontal([.fixed(10), .percent(20), .fill, .min(5)])
        #expect(parts.map(\.width) == [10, 20, 65, 5])
        #expect(parts.map(\.x) == [0, 10, 30, 95])
    }

    @Test func fillsShareTheRestAndMinGrowsWithoutFill() {
        let area = Rect(x: 0, y: 0, width: 11, height: 1)
        #expect(area.splitHorizontal([.fill, .fill, .fill]).map(\.width) == [4, 4, 3])
        #expect(area.splitHorizontal([.fixed(3), .min(2)]).map(\.width) == [3, 8])
        #expect(area.splitHorizontal([.fixed(3), .fixed(2)]).map(\.width) == [3, 2])
    }

    @Test func spaceRunsOutInOrder() {
        let area = Rect(x: 0, y: 0, width: 1, height: 7)
        let rows = area.splitVertical([.fixed(3), .fixed(3), .fixed(3), .fill])
        #expect(rows.map(\.height) == [3, 3, 1, 0])
        #expect(rows.map(\.y) == [0, 3, 6, 7])
    }

    @Test func spacingIsLeftBetweenParts() {
        let parts = Rect(x: 2, y: 0, width: 10, height: 1).splitHorizontal([.fixed(3), .fill], spacing: 1)
        #expect(parts == [Rect(x: 2, y: 0, width: 3, height: 1), Rect(x: 6, y: 0, width: 6, height: 1)])
    }

    @Test func degenerateSplitsDoNotTrap() {
        #expect(Rect.zero.splitVertical([.fill, .percent(50), .fixed(-4), .min(-1)]).allSatisfy { $0.isEmpty })
        #expect(Rect(x: 0, y: 0, width: 5, height: 5).splitHorizontal([]).isEmpty)
        #expect(Rect(x: 0, y: 0, width: 5, height: 5).splitHorizontal([.percent(500), .percent(-3)]).map(\.width) == [5, 0])
        #expect(Rect(x: 0, y: 0, width: Int.max, height: 1).splitHorizontal([.percent(50), .fill], spacing: Int.max).count == 2)
    }

    @Test func cuttingEdges() {
        let r = Rect(x: 1, y: 1, width: 6, height: 4)
        #expect(r.splitTop(1) == (Rect(x: 1, y: 1, width: 6, height: 1), Rect(x: 1, y: 2, width: 6, height: 3)))
        #expect(r.splitBottom(9).bottom == r)
        #expect(r.splitLeft(-2).left.isEmpty)
        #expect(r.splitRight(2).right == Rect(x: 5, y: 1, width: 2, height: 4))
    }
}

@Suite("Colours and styles")
struct StyleTests {
    @Test func patchKeepsColoursItDoesNotSet() {
        let overdue = Style(fg: .red)
        let selection = Style(attributes: .reverse)
        #expect(overdue.patched(by: selection) == Style(fg: .red, attributes: .reverse))
        #expect(overdue.patched(by: Style(fg: .green, bg: .blue)) == Style(fg: .green, bg: .blue))
    }

    @Test func colourNamesRoundTrip() {
        for color in Color.ansi + [.default, .indexed(208), .indexed(0)] {
            #expect(Color(name: color.name) == color)
        }
        #expect(Color(name: "BrightRed") == .brightRed)
        #expect(Color(name: "bright_red") == .brightRed)
        #expect(Color(name: "purple") == nil)
        #expect(Color(name: "256") == nil)
        #expect(Attributes(name: "bold+reverse") == [.bold, .reverse])
        #expect(Attributes(name: "-") == [])
        #expect(Attributes(name: "blink") == nil)
    }

    @Test func coloursDegradeToWhatTheTerminalHas() {
        #expect(Color.indexed(196).approximated(colorCount: 256) == .indexed(196))
        #expect(Color.indexed(196).approximated(colorCount: 16) == .brightRed)
        #expect(Color.indexed(196).approximated(colorCount: 8) == .red)
        #expect(Color.brightBlue.approximated(colorCount: 8) == .blue)
        #expect(Color.indexed(2).approximated(colorCount: 8) == .green)
        #expect(Color.indexed(250).approximated(colorCount: 8) == .white)
        #expect(Color.indexed(235).approximated(colorCount: 16) == .black)
        #expect(Color.red.approximated(colorCount: 2) == .default)
        #expect(Color.default.approximated(colorCount: 256) == .default)
    }
}
