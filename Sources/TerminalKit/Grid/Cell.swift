/// One terminal cell. A wide (2-column) character sits in its cell and marks the next cell as its
/// continuation: that one has an empty symbol and `isContinuation == true`, and is never drawn.
public struct Cell: Hashable, Sendable {
    /// One grapheme cluster, or "" for a continuation cell.
    public var symbol: String
    public var style: Style
    public var isContinuation: Bool

    public init(symbol: String = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.symbol = symbol
        self.style = style
        self.isContinuation = isContinuation
    }

    /// A space with the terminal's default colours.
    public static let blank = Cell()

    static func continuation(_ style: Style) -> Cell {
        Cell(symbol: "", style: style, isContinuation: true)
    }
}

/// A cell that differs between two frames, with its position.
public struct CellChange: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cell: Cell

    public init(x: Int, y: Int, cell: Cell) {
        self.x = x
        self.y = y
        self.cell = cell
    }
}
