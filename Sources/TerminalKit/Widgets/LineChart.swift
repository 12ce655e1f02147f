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
        /// Points below the chart's `breach.below` take the breach glyph and style (and never sit on the limit's row).
        public var marksBreaches: Bool

        public init(name: String, values: [Int64], glyph: Character, style: Style = .plain, marksBreaches: Bool = false) {
            self.name = name
            self.values = values
            self.glyph = glyph
            self.style = style
            self.marksBreaches = marksBreaches
        }
    }

    /// What counts as a breach and how it looks: its own glyph and style, so it shows without colour.
    public struct Breach: Hashable, Sendable {
        /// A value strictly below this is a breach (e.g. minus the overdraft limit).
        public var below: Int64
        public var glyph: Character
        public var style: Style
        public init(below: Int64, glyph: Character = "✗", style: Style = Style(attributes: [.bold, .reverse])) {
            self.below = below; self.glyph = glyph; self.style = style
        }
    }

    /// A caption under the plot at point `index` (e.g. the first day of a month).
    public struct XTick: Hashable, Sendable {
        public var index: Int
        public var label: String
        public init(index: Int, label: String) { self.index = index; self.label = label }
    }

    /// A text written on the plot, beside point `index` of the last series marking breaches (or top right).
    public struct Note: Hashable, Sendable {
        public var text: String
        public var index: Int?
        public var style: Style
        public init(_ text: String, at index: Int? = nil, style: Style = .plain) { self.text = text; self.index = index; self.style = style }
    }

    /// A range around the series (e.g. the 5–95 % quantiles of a simulated balance), drawn under everything else:
    /// each column fills the rows between the lowest `low` and the highest `high` of its bucket with `glyph`.
    public struct Band: Hashable, Sendable {
        public var low: [Int64]
        public var high: [Int64]
        public var glyph: Character
        public var style: Style
        public init(low: [Int64], high: [Int64], glyph: Character = "░", style: Style = Style(attributes: .dim)) {
            self.low = low; self.high = high; self.glyph = glyph; self.style = style
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
    public var breach: Breach?
    /// Captions under the plot (a date axis); an empty list leaves the bottom row to the plot.
    public var xTicks: [XTick] = []
    public var note: Note?
    /// Y labels on round values (1, 2 or 5 × 10ⁿ steps, zero included) instead of top / middle / bottom.
    public var roundYLabels = false
    /// Reference lines that would share a row are moved apart, so each keeps its own row and label.
    public var separatesReferenceLines = true
    /// Drawn first: reference lines and series stay on top of it.
    public var band: Band?

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
        if let band { for v in band.low { include(v) }; for v in band.high { include(v) } }
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
        /// The date captions under the plot (empty without x ticks).
        public var xAxis: Rect = .zero
    }

    /// The layout `render` uses; callers align x-axis captions (dates) with `layout(in:).plot`.
    public func layout(in area: Rect) -> Layout {
        var area = area.limitedForDrawing()
        var xAxis = Rect.zero
        if !xTicks.isEmpty && area.height >= 4 {
            (area, xAxis) = area.splitBottom(1)
        }
        var rest = area
        var axis = Rect(x: area.x, y: area.y, width: 0, height: area.height)
        if showsYAxis, let range = valueRange {
            let widest = labelRows(height: area.height, range: range).map { displayWidth(yLabel($0.value)) }.max() ?? 0
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
        if !xAxis.isEmpty { xAxis = Rect(x: rest.x, y: xAxis.y, width: rest.width + labels.width, height: 1) }
        return Layout(plot: rest, axis: axis, labels: labels, xAxis: xAxis)
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

        // A breach must read as one: any point below the threshold sits at least a row under its line.
        let breachExists = breach.map { b in series.contains { $0.values.contains { $0 < b.below } } } ?? false
        let lineRows = referenceRows(height: plot.height, range: range, breachExists: breachExists)

        if !parts.axis.isEmpty {
            let labelArea = Rect(x: parts.axis.x, y: parts.axis.y, width: parts.axis.width - 1, height: parts.axis.height)
            let axisX = parts.axis.maxX - 1
            grid.fill(Rect(x: axisX, y: parts.axis.y, width: 1, height: parts.axis.height), style: axisStyle, symbol: "│")
            // A label never contradicts a reference line moved to a row of its own: it is left out when a line sits
            // on its row, or a line above it has a lower value (or one below a higher value).
            func consistent(_ row: Int, _ value: Int64) -> Bool {
                for (i, line) in referenceLines.enumerated() {
                    guard let r = lineRows[i] else { continue }
                    if r == row && line.value != value { return false }
                    if r < row && line.value < value { return false }
                    if r > row && line.value > value { return false }
                }
                return true
            }
            for (row, value) in labelRows(height: parts.axis.height, range: range) where consistent(row, value) {
                let y = parts.axis.y + row
                grid.put(pad(yLabel(value), toWidth: labelArea.width, alignment: .right), x: labelArea.x, y: y, style: axisStyle, clip: labelArea)
                grid.put("┤", x: axisX, y: y, style: axisStyle)
            }
        }

        if let band, points > 0, !visible.isEmpty {
            for x in visible.x..<visible.maxX {
                let bucket = Self.bucket(column: x - plot.x, columns: plot.width, points: points)
                let lowIndices = bucket.clamped(to: band.low.indices), highIndices = bucket.clamped(to: band.high.indices)
                guard let lo = band.low[lowIndices].min(), let hi = band.high[highIndices].max(), lo <= hi else { continue }
                let top = row(of: hi, height: plot.height, range: range), bottom = row(of: lo, height: plot.height, range: range)
                for r in top...Swift.max(top, bottom) {
                    grid.put(String(band.glyph), x: x, y: plot.y + r, style: band.style, clip: visible)
                }
            }
        }

        var labelsByRow: [Int: [String]] = [:]
        for (i, line) in referenceLines.enumerated() {
            guard let r = lineRows[i] else { continue }
            let y = plot.y + r
            grid.fill(Rect(x: plot.x, y: y, width: plot.width, height: 1), style: line.style, symbol: line.glyph)
            if !line.label.isEmpty { labelsByRow[y, default: []].append(line.label) }
        }
        if !parts.labels.isEmpty {
            for (y, names) in labelsByRow {
                let text = " " + names.joined(separator: "/")
                grid.put(truncate(text, toWidth: parts.labels.width), x: parts.labels.x, y: y, style: axisStyle, clip: parts.labels)
            }
        }
        let breachFloor: Int? = breach.flatMap { b in
            guard breachExists else { return nil }
            let limitRow = referenceLines.indices.first { referenceLines[$0].value == b.below }.flatMap { lineRows[$0] }
                ?? row(of: b.below, height: plot.height, range: range)
            return Swift.min(limitRow + 1, Swift.max(0, plot.height - 1))
        }

        var noteAnchor: (x: Int, y: Int)?
        if points > 0 && !visible.isEmpty {
            for x in visible.x..<visible.maxX {
                let bucket = Self.bucket(column: x - plot.x, columns: plot.width, points: points)
                for s in series {
                    guard let value = aggregate(s.values, over: bucket) else { continue }
                    var r = row(of: value, height: plot.height, range: range)
                    if let b = breach, value < b.below, let floor = breachFloor { r = Swift.max(r, floor) }
                    if s.marksBreaches, let b = breach, value < b.below {
                        grid.put(String(b.glyph), x: x, y: plot.y + r, style: b.style, clip: visible)
                    } else {
                        grid.put(String(s.glyph), x: x, y: plot.y + r, style: s.style, clip: visible)
                    }
                    if s.marksBreaches, let i = note?.index, bucket.contains(i) { noteAnchor = (x, plot.y + r) }
                }
            }
        }

        if let note, !note.text.isEmpty, !visible.isEmpty {
            let w = Swift.min(displayWidth(note.text), plot.width)
            let text = truncate(note.text, toWidth: w)
            var x = plot.maxX - w, y = plot.y
            if let a = noteAnchor {
                y = a.y
                x = a.x + 2 + w <= plot.maxX ? a.x + 2 : Swift.max(plot.x, a.x - 1 - w)
            }
            grid.put(text, x: x, y: y, style: note.style, clip: visible)
        }

        if !parts.xAxis.isEmpty && points > 0 {
            let ax = parts.xAxis
            if !parts.axis.isEmpty { grid.put("└", x: parts.axis.maxX - 1, y: ax.y, style: axisStyle) }
            var nextFree = ax.x
            for tick in xTicks {
                let cols = Self.columns(of: tick.index, columns: plot.width, points: points)
                guard let c = cols.first else { continue }
                let x = plot.x + c
                guard x >= nextFree, x + displayWidth(tick.label) <= ax.maxX else { continue }
                grid.put("╵" + tick.label, x: x, y: ax.y, style: axisStyle, clip: ax)
                nextFree = x + 1 + displayWidth(tick.label) + 1
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

    /// The row of each reference line inside the range (nil outside), moved apart when two would share a row:
    /// the higher value keeps the upper row. With a breach, the lowest line leaves the bottom row to it.
    func referenceRows(height: Int, range: ClosedRange<Int64>, breachExists: Bool) -> [Int?] {
        var rows: [Int?] = referenceLines.map { range.contains($0.value) ? row(of: $0.value, height: height, range: range) : nil }
        guard height > 1 else { return rows }
        if separatesReferenceLines {
            let order = rows.indices.filter { rows[$0] != nil }.sorted { referenceLines[$0].value > referenceLines[$1].value }
            var last = -1
            for i in order {
                guard let r = rows[i] else { continue }
                rows[i] = Swift.max(r, last + 1)
                last = rows[i] ?? last
            }
            // Pushed past the bottom (or onto the row a breach needs below the lowest line): pull back up, keeping the order.
            var bottom = breachExists && height > 2 ? height - 1 : height
            for i in order.reversed() {
                guard let r = rows[i] else { continue }
                rows[i] = Swift.max(0, Swift.min(r, bottom - 1))
                bottom = rows[i] ?? bottom
            }
        }
        if breachExists, let b = breach, let i = referenceLines.indices.first(where: { referenceLines[$0].value == b.below }),
           let r = rows[i], r >= height - 1 {
            rows[i] = height - 2
        }
        return rows
    }

    /// The y labels: round values when `roundYLabels`, else top / middle / bottom.
    func labelRows(height: Int, range: ClosedRange<Int64>) -> [(row: Int, value: Int64)] {
        roundYLabels ? roundLabelRows(height: height, range: range) : yLabelRows(height: height, range: range)
    }

    /// Multiples of a 1-2-5 step inside the range, about one every three rows, never two on adjacent rows.
    public func roundLabelRows(height: Int, range: ClosedRange<Int64>) -> [(row: Int, value: Int64)] {
        guard height > 0 else { return [] }
        let lo = range.lowerBound, hi = range.upperBound
        guard lo < hi, height >= 3 else { return yLabelRows(height: height, range: range) }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        guard !overflow else { return yLabelRows(height: height, range: range) }
        let wanted = Int64(Swift.max(2, height / 3))
        var step: Int64 = 1
        outer: while true {
            for m: Int64 in [1, 2, 5] {
                let (candidate, o) = step.multipliedReportingOverflow(by: m)
                if o { break outer }
                if span / candidate <= wanted { step = candidate; break outer }
            }
            let (next, o) = step.multipliedReportingOverflow(by: 10)
            if o { break }
            step = next
        }
        var out: [(row: Int, value: Int64)] = []
        // First multiple of step at or above lo.
        var v = lo >= 0 ? ((lo + step - 1) / step) * step : -((-lo) / step) * step
        var guardCount = 0
        while v <= hi && guardCount < 1000 {
            let r = row(of: v, height: height, range: range)
            if !out.contains(where: { abs($0.row - r) < 2 }) { out.append((row: r, value: v)) }
            let (n, o) = v.addingReportingOverflow(step)
            if o { break }
            v = n
            guardCount += 1
        }
        return out.isEmpty ? yLabelRows(height: height, range: range) : out
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
