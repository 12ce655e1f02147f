/// Several series of integer values (one per x point, e.g. daily balances in cents) plotted into an
/// area, with horizontal reference lines, a vertical cursor and y-axis labels.
///
/// Every series and reference line has its own glyph, so they stay distinguishable without colour.
/// The y-range fits all values (and the reference lines, unless `fitsReferenceLines` is false).
/// The x axis always spans the plot width: with more points than columns, each column shows one
/// aggregate (`aggregation`, the minimum by default, which is what matters for a cash balance) of
/// its bucket of points; with fewer, each point is stretched over several columns.
public struct LineChart: Sendable {
    public struct Series: Hashable, Sendable {
        public var name: String
        public var values: [Int64]
        public var glyph: Character
        public var style: Style

        public init(name: String, values: [Int64], glyph: Character, style: Style = .plain) {
            self.name = name
            self.values = values
            self.glyph = glyph
            self.style = style
        }
    }

    public struct ReferenceLine: Hashable, Sendable {
        public var value: Int64
        public var glyph: Character
        /// Short text shown at the right edge of the chart, e.g. `zero`, `buffer`, `limit`.
        public var label: String
        public var style: Style

        public init(value: Int64, glyph: Character, label: String, style: Style = .plain) {
            self.value = value
            self.glyph = glyph
            self.label = label
            self.style = style
        }
    }

    /// Which value of a bucket of points a column shows.
    public enum Aggregation: Hashable, Sendable {
        case min, max, last
    }

    /// Drawn in order: a later series covers an earlier one where they meet.
    public var series: [Series]
    public var referenceLines: [ReferenceLine]
    /// Index of the highlighted x point.
    public var cursor: Int?
    public var cursorGlyph: Character
    /// Laid over the cursor column(s).
    public var cursorStyle: Style
    public var aggregation: Aggregation
    public var fitsReferenceLines: Bool
    public var showsYAxis: Bool
    public var axisStyle: Style
    public var yLabel: @Sendable (Int64) -> String

    public init(series: [Series], referenceLines: [ReferenceLine] = [], cursor: Int? = nil,
                cursorGlyph: Character = "│", cursorStyle: Style = Style(attributes: .reverse),
                aggregation: Aggregation = .min, fitsReferenceLines: Bool = true, showsYAxis: Bool = true,
                axisStyle: Style = Style(attributes: .dim), yLabel: @escaping @Sendable (Int64) -> String = { String($0) }) {
        self.series = series
        self.referenceLines = referenceLines
        self.cursor = cursor
        self.cursorGlyph = cursorGlyph
        self.cursorStyle = cursorStyle
        self.aggregation = aggregation
        self.fitsReferenceLines = fitsReferenceLines
        self.showsYAxis = showsYAxis
        self.axisStyle = axisStyle
        self.yLabel = yLabel
    }

    /// Number of x points: the length of the longest series.
    public var pointCount: Int { series.map(\.values.count).max() ?? 0 }

    /// Smallest and largest value the chart shows, nil when there is nothing to show.
    public var valueRange: ClosedRange<Int64>? {
        var low: Int64?
        var high: Int64?
        func include(_ v: Int64) {
            low = Swift.min(low ?? v, v)
            high = Swift.max(high ?? v, v)
        }
        for s in series { for v in s.values { include(v) } }
        if fitsReferenceLines { for line in referenceLines { include(line.value) } }
        guard let low, let high else { return nil }
        return low...high
    }

    // MARK: Layout

    /// Where the chart puts its parts inside an area.
    public struct Layout: Hashable, Sendable {
        /// Points and reference lines.
        public var plot: Rect
        /// Y-axis labels and the axis line, left of the plot (empty when there is no room).
        public var axis: Rect
        /// Reference-line labels, right of the plot (empty when there is no room).
        public var labels: Rect
    }

    /// The layout `render` uses; callers align x-axis captions (dates) with `layout(in:).plot`.
    public func layout(in area: Rect) -> Layout {
        let area = area.limitedForDrawing()
        var rest = area
        var axis = Rect(x: area.x, y: area.y, width: 0, height: area.height)
        if showsYAxis, let range = valueRange {
            let widest = yLabelRows(height: area.height, range: range).map { displayWidth(yLabel($0.value)) }.max() ?? 0
            let gutter = widest + 1
            if area.width >= gutter + 4 {
                (axis, rest) = area.splitLeft(gutter)
            }
        }
        var labels = Rect(x: rest.maxX, y: area.y, width: 0, height: area.height)
        let labelWidth = referenceLines.map { displayWidth($0.label) }.max() ?? 0
        if labelWidth > 0 && rest.width - (labelWidth + 1) >= 8 {
            (rest, labels) = rest.splitRight(labelWidth + 1)
        }
        return Layout(plot: rest, axis: axis, labels: labels)
    }

    /// The point indices column `column` of a plot `columns` wide shows, out of `points` points.
    /// Buckets partition the points when there are more points than columns; otherwise each column
    /// shows one point. Empty when there are no points or the column is outside the plot.
    public static func bucket(column: Int, columns: Int, points: Int) -> Range<Int> {
        guard points > 0, columns > 0, column >= 0, column < columns else { return 0..<0 }
        let start = scaledDown(column, points, columns)
        let end = Swift.max(start + 1, scaledDown(column + 1, points, columns))
        return start..<Swift.min(end, points)
    }

    /// The plot columns whose bucket holds point `index` (several when points are stretched).
    public static func columns(of index: Int, columns: Int, points: Int) -> Range<Int> {
        guard points > 0, columns > 0, index >= 0, index < points else { return 0..<0 }
        if points >= columns {
            let column = scaledUp(index + 1, columns, points) - 1
            return column..<(column + 1)
        }
        return scaledUp(index, columns, points)..<scaledUp(index + 1, columns, points)
    }

    // MARK: Rendering

    public func render(into grid: inout CellGrid, area: Rect) {
        let area = area.limitedForDrawing()
        guard !area.isEmpty else { return }
        let parts = layout(in: area)
        let plot = parts.plot
        let range = valueRange ?? 0...0
        let points = pointCount
        // Only columns and rows that can show up in the grid are visited, whatever the area's size.
        let visible = plot.intersection(grid.area)

        if !parts.axis.isEmpty {
            let labelArea = Rect(x: parts.axis.x, y: area.y, width: parts.axis.width - 1, height: area.height)
            let axisX = parts.axis.maxX - 1
            grid.fill(Rect(x: axisX, y: area.y, width: 1, height: area.height), style: axisStyle, symbol: "│")
            for (row, value) in yLabelRows(height: area.height, range: range) {
                let y = area.y + row
                grid.put(pad(yLabel(value), toWidth: labelArea.width, alignment: .right), x: labelArea.x, y: y, style: axisStyle, clip: labelArea)
                grid.put("┤", x: axisX, y: y, style: axisStyle)
            }
        }

        var labelsByRow: [Int: [String]] = [:]
        for line in referenceLines {
            guard range.contains(line.value) else { continue }
            let y = plot.y + row(of: line.value, height: plot.height, range: range)
            grid.fill(Rect(x: plot.x, y: y, width: plot.width, height: 1), style: line.style, symbol: line.glyph)
            if !line.label.isEmpty { labelsByRow[y, default: []].append(line.label) }
        }
        if !parts.labels.isEmpty {
            for (y, names) in labelsByRow {
                let text = " " + names.joined(separator: "/")
                grid.put(truncate(text, toWidth: parts.labels.width), x: parts.labels.x, y: y, style: axisStyle, clip: parts.labels)
            }
        }

        if points > 0 && !visible.isEmpty {
            for x in visible.x..<visible.maxX {
                let bucket = Self.bucket(column: x - plot.x, columns: plot.width, points: points)
                for s in series {
                    guard let value = aggregate(s.values, over: bucket) else { continue }
                    let y = plot.y + row(of: value, height: plot.height, range: range)
                    grid.put(String(s.glyph), x: x, y: y, style: s.style, clip: visible)
                }
            }
        }

        if let cursor, !visible.isEmpty {
            let columns = Self.columns(of: cursor, columns: plot.width, points: points)
            for c in columns {
                let x = plot.x + c
                guard x >= visible.x && x < visible.maxX else { continue }
                for y in visible.y..<visible.maxY where grid[x, y].symbol == " " {
                    grid.put(String(cursorGlyph), x: x, y: y, style: grid[x, y].style, clip: visible)
                }
                grid.setStyle(Rect(x: x, y: visible.y, width: 1, height: visible.height), patch: cursorStyle)
            }
        }
    }

    /// Row (0 at the top) where `value` is drawn in a plot `height` rows tall.
    func row(of value: Int64, height: Int, range: ClosedRange<Int64>) -> Int {
        guard height > 1 else { return 0 }
        guard range.lowerBound < range.upperBound else { return (height - 1) / 2 }
        let span = Double(range.upperBound) - Double(range.lowerBound)
        let fraction = (Double(range.upperBound) - Double(value)) / span
        let r = fraction * Double(height - 1)
        guard r.isFinite else { return 0 }
        // Rounded half up by truncation: `rounded()` would pull in libm, which this target does not link.
        return Int(Swift.min(Swift.max(r, 0), Double(height - 1)) + 0.5)
    }

    /// Rows that carry a y label and the value each shows: top and bottom, plus the middle when
    /// there are at least five rows; a single middle label when all values are equal.
    func yLabelRows(height: Int, range: ClosedRange<Int64>) -> [(row: Int, value: Int64)] {
        guard height > 0 else { return [] }
        if range.lowerBound == range.upperBound || height == 1 {
            return [(row: height == 1 ? 0 : (height - 1) / 2, value: range.upperBound)]
        }
        var rows = [(row: 0, value: range.upperBound), (row: height - 1, value: range.lowerBound)]
        if height >= 5 {
            let middle = (height - 1) / 2
            let span = Double(range.upperBound) - Double(range.lowerBound)
            let value = Double(range.upperBound) - span * Double(middle) / Double(height - 1)
            rows.insert((row: middle, value: clampedInt64(value)), at: 1)
        }
        return rows
    }

    private func aggregate(_ values: [Int64], over bucket: Range<Int>) -> Int64? {
        let indices = bucket.clamped(to: values.indices)
        guard !indices.isEmpty else { return nil }
        let slice = values[indices]
        switch aggregation {
        case .min: return slice.min()
        case .max: return slice.max()
        case .last: return slice.last
        }
    }

    /// floor(a * b / d) for 0 ≤ a ≤ d, b ≥ 0, without overflow.
    private static func scaledDown(_ a: Int, _ b: Int, _ d: Int) -> Int {
        let (high, low) = a.multipliedFullWidth(by: b)
        return d.dividingFullWidth((high, low)).quotient
    }

    /// ceil(a * b / d) for 0 ≤ a ≤ d, b ≥ 0, without overflow.
    private static func scaledUp(_ a: Int, _ b: Int, _ d: Int) -> Int {
        let (high, low) = a.multipliedFullWidth(by: b)
        let (q, r) = d.dividingFullWidth((high, low))
        return r > 0 ? q + 1 : q
    }
}

/// `value` rounded into Int64, saturating at the ends and 0 for NaN.
func clampedInt64(_ value: Double) -> Int64 {
    guard value.isFinite else { return value.isNaN ? 0 : (value > 0 ? .max : .min) }
    if value >= 9_223_372_036_854_775_807.0 { return .max }
    if value <= -9_223_372_036_854_775_808.0 { return .min }
    return Int64(value < 0 ? value - 0.5 : value + 0.5)
}
