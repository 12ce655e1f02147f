/// A rectangle of terminal cells. `x`/`y` is the top-left corner, `width`/`height` its size in columns
/// and rows. Coordinates may be negative (a widget partly scrolled off screen); a size of zero or less
/// is an empty rectangle. Every derived value saturates instead of overflowing, so no input traps.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    /// Negative sizes are stored as zero so that later arithmetic never has to think about them.
    public init(x: Int = 0, y: Int = 0, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public static let zero = Rect(width: 0, height: 0)

    public var isEmpty: Bool { width <= 0 || height <= 0 }
    /// Number of cells; saturates rather than overflowing.
    public var area: Int { isEmpty ? 0 : saturatingMultiply(width, height) }
    /// First column to the right of the rectangle (exclusive bound).
    public var maxX: Int { saturatingAdd(x, max(0, width)) }
    /// First row below the rectangle (exclusive bound).
    public var maxY: Int { saturatingAdd(y, max(0, height)) }

    public func contains(x px: Int, y py: Int) -> Bool {
        !isEmpty && px >= x && px < maxX && py >= y && py < maxY
    }

    /// True when `other` lies entirely inside this rectangle (an empty `other` is always contained).
    public func contains(_ other: Rect) -> Bool {
        if other.isEmpty { return true }
        return other.x >= x && other.y >= y && other.maxX <= maxX && other.maxY <= maxY
    }

    /// The overlap of two rectangles; empty (at the clamped origin) when they do not overlap.
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x)
        let top = max(y, other.y)
        let right = min(maxX, other.maxX)
        let bottom = min(maxY, other.maxY)
        return Rect(x: left, y: top, width: saturatingSubtract(right, left), height: saturatingSubtract(bottom, top))
    }

    /// Shrinks every side by `margin` cells (a negative margin grows the rectangle).
    public func inset(by margin: Int) -> Rect {
        inset(top: margin, left: margin, bottom: margin, right: margin)
    }

    /// Shrinks each side independently; the result never has a negative size.
    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        let newWidth = saturatingSubtract(width, saturatingAdd(left, right))
        let newHeight = saturatingSubtract(height, saturatingAdd(top, bottom))
        return Rect(x: saturatingAdd(x, left), y: saturatingAdd(y, top), width: newWidth, height: newHeight)
    }

    /// Cuts `rows` rows off the top: returns the top part and the rest.
    public func splitTop(_ rows: Int) -> (top: Rect, rest: Rect) {
        let n = min(max(0, rows), clampedHeight)
        return (Rect(x: x, y: y, width: width, height: n),
                Rect(x: x, y: saturatingAdd(y, n), width: width, height: clampedHeight - n))
    }

    /// Cuts `rows` rows off the bottom: returns the rest and the bottom part.
    public func splitBottom(_ rows: Int) -> (rest: Rect, bottom: Rect) {
        let n = min(max(0, rows), clampedHeight)
        return (Rect(x: x, y: y, width: width, height: clampedHeight - n),
                Rect(x: x, y: saturatingAdd(y, clampedHeight - n), width: width, height: n))
    }

    /// Cuts `columns` columns off the left side: returns the left part and the rest.
    public func splitLeft(_ columns: Int) -> (left: Rect, rest: Rect) {
        let n = min(max(0, columns), clampedWidth)
        return (Rect(x: x, y: y, width: n, height: height),
                Rect(x: saturatingAdd(x, n), y: y, width: clampedWidth - n, height: height))
    }

    /// Cuts `columns` columns off the right side: returns the rest and the right part.
    public func splitRight(_ columns: Int) -> (rest: Rect, right: Rect) {
        let n = min(max(0, columns), clampedWidth)
        return (Rect(x: x, y: y, width: clampedWidth - n, height: height),
                Rect(x: saturatingAdd(x, clampedWidth - n), y: y, width: n, height: height))
    }

    /// This rectangle cut to the square of ±65 536 cells around the origin. Widgets start from it, so
    /// their arithmetic cannot overflow and the strings they build stay small whatever area they are
    /// given; a grid is at most 4096 cells a side, so nothing visible is lost in practice.
    public func limitedForDrawing() -> Rect {
        intersection(Rect(x: -(1 << 16), y: -(1 << 16), width: 1 << 17, height: 1 << 17))
    }

    /// The stored size may have been set negative through the `var`s; geometry treats that as zero.
    var clampedWidth: Int { max(0, width) }
    var clampedHeight: Int { max(0, height) }

    public var description: String { "Rect(x: \(x), y: \(y), width: \(width), height: \(height))" }
}

@inline(__always)
func saturatingAdd(_ a: Int, _ b: Int) -> Int {
    let (r, o) = a.addingReportingOverflow(b)
    return o ? (b > 0 ? Int.max : Int.min) : r
}

@inline(__always)
func saturatingSubtract(_ a: Int, _ b: Int) -> Int {
    let (r, o) = a.subtractingReportingOverflow(b)
    return o ? (b < 0 ? Int.max : Int.min) : r
}

@inline(__always)
func saturatingMultiply(_ a: Int, _ b: Int) -> Int {
    let (r, o) = a.multipliedReportingOverflow(by: b)
    return o ? ((a < 0) != (b < 0) ? Int.min : Int.max) : r
}
