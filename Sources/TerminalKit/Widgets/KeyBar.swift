/// A one-line list of key hints, `q quit  ? help  / search`. Items are in priority order: an item
/// that does not fit in the remaining width is dropped and the next ones are still tried.
public struct KeyBar: Sendable {
    public struct Item: Hashable, Sendable {
        public var key: String
        public var label: String

        public init(key: String, label: String) {
            self.key = key
            self.label = label
        }
    }

    public var items: [Item]
    public var keyStyle: Style
    public var labelStyle: Style
    public var separator: String

    public init(items: [Item], keyStyle: Style = Style(attributes: [.bold, .reverse]), labelStyle: Style = .plain, separator: String = "  ") {
        self.items = items
        self.keyStyle = keyStyle
        self.labelStyle = labelStyle
        self.separator = separator
    }

    public init(_ pairs: [(key: String, label: String)]) {
        self.init(items: pairs.map { Item(key: $0.key, label: $0.label) })
    }

    /// The items that fit in `width` columns, in order.
    public func fittingItems(width: Int) -> [Item] {
        var used = 0
        var fitting: [Item] = []
        let gap = displayWidth(separator)
        for item in items {
            let w = displayWidth(item.key) + 1 + displayWidth(item.label) + (fitting.isEmpty ? 0 : gap)
            if used + w <= width {
                fitting.append(item)
                used += w
            }
        }
        return fitting
    }

    public func render(into grid: inout CellGrid, area: Rect) {
        let area = area.limitedForDrawing()
        guard !area.isEmpty else { return }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        grid.fill(row, style: labelStyle)
        var x = area.x
        for (i, item) in fittingItems(width: area.width).enumerated() {
            if i > 0 { x += grid.put(separator, x: x, y: area.y, style: labelStyle, clip: row) }
            x += grid.put(item.key, x: x, y: area.y, style: keyStyle, clip: row)
            x += grid.put(" " + item.label, x: x, y: area.y, style: labelStyle, clip: row)
        }
    }
}
