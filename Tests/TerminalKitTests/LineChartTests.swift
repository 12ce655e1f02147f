import Testing
@testable import TerminalKit

@Suite("Line chart")
struct LineChartTests {
    func lines(_ chart: LineChart, width: Int, height: Int) -> [String] {
        render(width: width, height: height) { chart.render(into: &$0, area: $1) }.lines()
    }

    @Test func onePointPerColumn() {
        let chart = LineChart(series: [.init(name: "plan", values: [0, 10, 20, 30, 40], glyph: "●")], showsYAxis: false)
        #expect(lines(chart, width: 5, height: 5) == [
            "    ●",
            "   ● ",
            "  ●  ",
            " ●   ",
            "●    ",
        ])
    }

    @Test func axisReferenceLinesSeriesAndCursor() {
        let chart = LineChart(
            series: [
                .init(name: "baseline", values: [500, 500, 400, 400, 400, 400, 400, 400], glyph: "·"),
                .init(name: "plan", values: [500, 300, -100, 200, 400, 600, 100, 0], glyph: "●"),
            ],
            referenceLines: [
                .init(value: 0, glyph: "─", label: "zero"),
                .init(value: 200, glyph: "┄", label: "buf"),
            ],
            cursor: 2)
        let grid = render(width: 18, height: 8) { chart.render(into: &$0, area: $1) }
        // Range -100...600 over 8 rows: 100 per row. Labels at top, middle and bottom.
        #expect(grid.lines() == [
            " 600┤  │  ●       ",
            "    │●·│          ",
            "    │  ··●···     ",
            " 300┤ ●│          ",
            "    │┄┄┄●┄┄┄┄ buf ",
            "    │  │   ●      ",
            "    │───────● zero",
            "-100┤  ●          ",
        ])
        for y in 0..<8 {
            #expect(grid[7, y].style.attributes.contains(.reverse), "cursor row \(y)")
            #expect(!grid[6, y].style.attributes.contains(.reverse))
        }
        #expect(chart.layout(in: grid.area) == LineChart.Layout(
            plot: Rect(x: 5, y: 0, width: 8, height: 8),
            axis: Rect(x: 0, y: 0, width: 5, height: 8),
            labels: Rect(x: 13, y: 0, width: 5, height: 8)))
    }

    @Test func bucketsShowTheChosenAggregate() {
        let values: [Int64] = [5, 5, 0, 5, 5, 5, 5, 5, 9, 9, 9, 9, 7, 5, 5, 5]
        var chart = LineChart(series: [.init(name: "balance", values: values, glyph: "●")], showsYAxis: false)
        // Four points per column; range 0...9 on three rows: 7 and 9 → top, 5 → middle, 0 → bottom.
        #expect(lines(chart, width: 4, height: 3) == ["  ● ", " ● ●", "●   "])
        chart.aggregation = .max
        #expect(lines(chart, width: 4, height: 3) == ["  ●●", "●●  ", "    "])
        chart.aggregation = .last
        #expect(lines(chart, width: 4, height: 3) == ["  ● ", "●● ●", "    "])
    }

    @Test func fewerPointsThanColumnsAreStretchedAndTheCursorCoversThePoint() {
        let chart = LineChart(series: [.init(name: "s", values: [0, 1, 0, 1], glyph: "█")], cursor: 1, cursorGlyph: "│", showsYAxis: false)
        #expect(lines(chart, width: 10, height: 2) == ["   ██   ██", "███││███  "])
        #expect(LineChart.columns(of: 1, columns: 10, points: 4) == 3..<5)
        #expect(LineChart.bucket(column: 4, columns: 10, points: 4) == 1..<2)
    }

    @Test func bucketsAndCursorColumnsAgree() {
        for points in 1...40 {
            for columns in 1...40 {
                var covered = 0
                for column in 0..<columns {
                    let bucket = LineChart.bucket(column: column, columns: columns, points: points)
                    #expect(!bucket.isEmpty && bucket.lowerBound >= 0 && bucket.upperBound <= points)
                    if points >= columns { covered += bucket.count }
                }
                if points >= columns { #expect(covered == points, "buckets partition \(points) points into \(columns)") }
                for index in 0..<points {
                    let span = LineChart.columns(of: index, columns: columns, points: points)
                    #expect(!span.isEmpty, "\(index) of \(points) in \(columns)")
                    for column in span {
                        #expect(LineChart.bucket(column: column, columns: columns, points: points).contains(index))
                    }
                }
            }
        }
        #expect(LineChart.bucket(column: 0, columns: 0, points: 5).isEmpty)
        #expect(LineChart.bucket(column: Int.max - 1, columns: Int.max, points: 3) == 2..<3)
        #expect(LineChart.columns(of: 7, columns: 5, points: 5).isEmpty)
        #expect(LineChart.columns(of: Int.max - 1, columns: Int.max, points: Int.max) == (Int.max - 1)..<Int.max)
    }

    @Test func allEqualValuesSitOnTheMiddleRowWithOneLabel() {
        let chart = LineChart(series: [.init(name: "flat", values: [7, 7, 7], glyph: "●")], yLabel: { "\($0) €" })
        #expect(lines(chart, width: 12, height: 3) == [
            "   │        ",
            "7 €┤●●●●●●●●",
            "   │        ",
        ])
    }

    @Test func tinyAreasAndEmptySeries() {
        let chart = LineChart(series: [.init(name: "s", values: [3, 1, 2], glyph: "●")],
                              referenceLines: [.init(value: 0, glyph: "─", label: "zero")], cursor: 0)
        #expect(lines(chart, width: 1, height: 1) == ["●"])
        #expect(lines(chart, width: 0, height: 0) == [])
        #expect(lines(chart, width: 3, height: 1) == ["●●●"])
        let empty = LineChart(series: [.init(name: "none", values: [], glyph: "●")], cursor: 0)
        #expect(lines(empty, width: 6, height: 2) == ["      ", "      "])
        #expect(empty.valueRange == nil)
        #expect(empty.pointCount == 0)
    }

    @Test func referenceLinesOutsideTheDataCanBeLeftOut() {
        let chart = LineChart(series: [.init(name: "s", values: [10, 20], glyph: "●")],
                              referenceLines: [.init(value: -1_000, glyph: "═", label: "limit")],
                              fitsReferenceLines: false, showsYAxis: false)
        #expect(chart.valueRange == 10...20)
        #expect(lines(chart, width: 2, height: 2) == [" ●", "● "])
    }

    @Test func extremeValuesDoNotTrap() {
        let chart = LineChart(series: [.init(name: "s", values: [.min, .max, 0, -1], glyph: "●")],
                              referenceLines: [.init(value: .max, glyph: "═", label: "top")])
        let out = lines(chart, width: 40, height: 5)
        #expect(out.first?.hasPrefix(" 9223372036854775807┤") == true)
        #expect(out.last?.hasPrefix("-9223372036854775808┤●") == true)
    }
}
