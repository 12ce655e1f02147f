/// Rows of text in aligned columns with an optional header, a highlighted selected row, marked rows
/// (multi-select) and vertical scrolling that keeps the selection visible.
///
/// Selection is shown with `selectedStyle` (reverse video by default, visible without colour);
/// marked rows get `markSymbol` in a two-column gutter on the left, so a mark never relies on colour.
public struct Table: Sendable {
    public struct Column: Hashable, Sendable {
        public var title: String
        public var width: Constraint
        public var alignment: Alignment

        public init(_ title: String, width: Constraint = .fill, alignment: Alignment = .left) {
            self.title = title
            self.width = width
            self.alignment = alignment
        }
    }

    public struct Row: Hashable, Sendable {
        /// One text per column; missing ones are blank, extra ones ignored.
        public var cells: [String]
        public var style: Style
        /// Per-column patches laid over `style`; nil or missing means the row style alone.
        public var cellStyles: [Style?]

        public init(_ cells: [String], style: Style = .plain, cellStyles: [Style?] = []) {
            self.cells = cells
            self.style = style
            self.cellStyles = cellStyles
        }
    }

    public var columns: [Column]
    public var rows: [Row]
    /// Index of the selected row, if any.
    public var selected: Int?
    /// Indices of marked rows.
    public var marked: Set<Int>
    /// First row the caller last showed; `render` moves it as little as needed to show the selection
    /// (`scrollOffset`, the one scroll rule: the planner's `AppState.settle` keeps its offsets with it too).
    public var offset: Int
    public var showsHeader: Bool
    /// Reserve the mark gutter even when nothing is marked, so marking does not shift the columns.
    /// The gutter always appears when some row is marked.
    public var showsMarks: Bool
    public var markSymbol: Character
    public var columnSpacing: Int
    public var headerStyle: Style
    public var selectedStyle: Style
    public var markedStyle: Style
    /// Shown in the body when there are no rows.
    public var placeholder: String?

    public init(columns: [Column], rows: [Row], selected: Int? = nil, marked: Set<Int> = [], offset: Int = 0,
                showsHeader: Bool = true, showsMarks: Bool = false, markSymbol: Character = "✓",
                columnSpacing: Int = 1, headerStyle: Style = Style(attributes: [.bold, .underline]),
                selectedStyle: Style = Style(attributes: .reverse), markedStyle: Style = Style(attributes: .bold),
                placeholder: String? = nil) {
        self.columns = columns
        self.rows = rows
        self.selected = selected
        self.marked = marked
        self.offset = offset
        self.showsHeader = showsHeader
        self.showsMarks = showsMarks
        self.markSymbol = markSymbol
        self.columnSpacing = columnSpacing
        self.headerStyle = headerStyle
        self.selectedStyle = selectedStyle
        self.markedStyle = markedStyle
        self.placeholder = placeholder
    }

    /// First visible row so that `selected` is on screen: `offset` is kept when it already shows the
    /// selection, moved the least otherwise, and never leaves blank rows below the last row.
    public static func scrollOffset(selected: Int?, offset: Int, rowCount: Int, visibleRows: Int) -> Int {
        guard rowCount > 0, visibleRows > 0 else { return 0 }
        var first = min(max(0, offset), max(0, rowCount - visibleRows))
        if let selected, selected >= 0, selected < rowCount {
            if selected < first {
                first = selected
            } else if selected >= first + visibleRows {
                first = selected - visibleRows + 1
            }
        }
        return first
    }

    /// How many data rows fit in `area` (the header takes one row when shown and there is room).
    public func visibleRows(in area: Rect) -> Int {
        let height = area.limitedForDrawing().height
        return hasHeader(height: height) ? height - 1 : height
    }

    /// The offset `render` uses for `area`.
    public func scrollOffset(in area: Rect) -> Int {
        Self.scrollOffset(selected: selected, offset: offset, rowCount: rows.count, visibleRows: visibleRows(in: area))
    }

    public func render(into grid: inout CellGrid, area: Rect) {
        let area = area.limitedForDrawing()
        guard !area.isEmpty else { return }
        let gutter = (showsMarks || !marked.isEmpty) && area.width > 2 ? 2 : 0
        let body = area.splitLeft(gutter).rest
        let columnAreas = body.splitHorizontal(columns.map(\.width), spacing: max(0, columnSpacing))
        var y = area.y

        if hasHeader(height: area.height) {
            grid.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: headerStyle)
            for (column, rect) in zip(columns, columnAreas) where rect.width > 0 {
                grid.put(pad(column.title, toWidth: rect.width, alignment: column.alignment), x: rect.x, y: y, style: headerStyle, clip: area)
            }
            y += 1
        }

        let visible = area.maxY - y
        if rows.isEmpty, let placeholder, visible > 0 {
            grid.put(truncate(placeholder, toWidth: body.width), x: body.x, y: y, style: Style(attributes: .dim), clip: area)
            return
        }
        let first = Self.scrollOffset(selected: selected, offset: offset, rowCount: rows.count, visibleRows: visible)
        for index in first..<min(rows.count, first + max(0, visible)) {
            defer { y += 1 }
            if y < 0 { continue }
            if y >= grid.height { break }
            let row = rows[index]
            var patch = Style.plain
            if marked.contains(index) { patch = patch.patched(by: markedStyle) }
            if index == selected { patch = patch.patched(by: selectedStyle) }
            let rowStyle = row.style.patched(by: patch)
            grid.fill(Rect(x: area.x, y: y, width: area.width, height: 1), style: rowStyle)
            if gutter > 0 && marked.contains(index) {
                grid.put(String(markSymbol), x: area.x, y: y, style: rowStyle, clip: area)
            }
            for (c, (column, rect)) in zip(columns, columnAreas).enumerated() where rect.width > 0 {
                let text = c < row.cells.count ? row.cells[c] : ""
                let cellPatch = c < row.cellStyles.count ? row.cellStyles[c] ?? .plain : .plain
                let style = row.style.patched(by: cellPatch).patched(by: patch)
                grid.put(pad(text, toWidth: rect.width, alignment: column.alignment), x: rect.x, y: y, style: style, clip: area)
            }
        }
    }

    private func hasHeader(height: Int) -> Bool { showsHeader && height >= 2 }
}
