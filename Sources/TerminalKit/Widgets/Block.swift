/// The characters of a box border.
public struct BorderSet: Hashable, Sendable {
    public var topLeft, topRight, bottomLeft, bottomRight, horizontal, vertical: Character

    public init(topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character,
                horizontal: Character, vertical: Character) {
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomLeft = bottomLeft
        self.bottomRight = bottomRight
        self.horizontal = horizontal
        self.vertical = vertical
    }

    public static let plain = BorderSet(topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─", vertical: "│")
    public static let rounded = BorderSet(topLeft: "╭", topRight: "╮", bottomLeft: "╰", bottomRight: "╯", horizontal: "─", vertical: "│")
    public static let thick = BorderSet(topLeft: "┏", topRight: "┓", bottomLeft: "┗", bottomRight: "┛", horizontal: "━", vertical: "┃")
    public static let double = BorderSet(topLeft: "╔", topRight: "╗", bottomLeft: "╚", bottomRight: "╝", horizontal: "═", vertical: "║")
    /// For terminals or fonts without box-drawing characters.
    public static let ascii = BorderSet(topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|")
    /// Focus without box drawing: a different character, so focus never relies on colour alone.
    public static let asciiFocused = BorderSet(topLeft: "#", topRight: "#", bottomLeft: "#", bottomRight: "#", horizontal: "=", vertical: "#")
}

/// A border around an area with an optional title in the top edge. When focused it switches to a
/// heavier border set and lays `focusedStyle` over the border, so focus shows even without colour.
public struct Block: Sendable {
    public var title: String?
    public var borders: BorderSet
    public var focusedBorders: BorderSet
    public var style: Style
    public var titleStyle: Style
    public var isFocused: Bool
    public var focusedStyle: Style

    public init(title: String? = nil, borders: BorderSet = .plain, focusedBorders: BorderSet = .thick,
                style: Style = .plain, titleStyle: Style = Style(attributes: .bold),
                isFocused: Bool = false, focusedStyle: Style = Style(attributes: .bold)) {
        self.title = title
        self.borders = borders
        self.focusedBorders = focusedBorders
        self.style = style
        self.titleStyle = titleStyle
        self.isFocused = isFocused
        self.focusedStyle = focusedStyle
    }

    /// A block that only uses ASCII characters.
    public static func ascii(title: String? = nil, isFocused: Bool = false) -> Block {
        Block(title: title, borders: .ascii, focusedBorders: .asciiFocused, isFocused: isFocused)
    }

    /// The area inside the border.
    public func inner(_ area: Rect) -> Rect { area.inset(by: 1) }

    public func render(into grid: inout CellGrid, area: Rect) {
        let area = area.limitedForDrawing()
        guard !area.isEmpty else { return }
        let set = isFocused ? focusedBorders : borders
        let border = isFocused ? style.patched(by: focusedStyle) : style
        let right = area.maxX - 1
        let bottom = area.maxY - 1
        grid.fill(Rect(x: area.x, y: area.y, width: area.width, height: 1), style: border, symbol: set.horizontal)
        grid.fill(Rect(x: area.x, y: bottom, width: area.width, height: 1), style: border, symbol: set.horizontal)
        grid.fill(Rect(x: area.x, y: area.y, width: 1, height: area.height), style: border, symbol: set.vertical)
        grid.fill(Rect(x: right, y: area.y, width: 1, height: area.height), style: border, symbol: set.vertical)
        // Right and bottom corners first: in a one-row or one-column block the top-left one wins.
        grid.put(String(set.bottomRight), x: right, y: bottom, style: border, clip: area)
        grid.put(String(set.bottomLeft), x: area.x, y: bottom, style: border, clip: area)
        grid.put(String(set.topRight), x: right, y: area.y, style: border, clip: area)
        grid.put(String(set.topLeft), x: area.x, y: area.y, style: border, clip: area)

        // The title sits between the corners with a space either side: "┌ Title ───┐".
        if let title, !title.isEmpty, area.width > 4 {
            let text = " " + truncate(title, toWidth: area.width - 4) + " "
            let titleArea = Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1)
            grid.put(text, x: area.x + 1, y: area.y, style: isFocused ? titleStyle.patched(by: focusedStyle) : titleStyle, clip: titleArea)
        }
    }
}
