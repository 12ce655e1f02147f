/// How much of a length one part of a split gets. Parts are sized in order: `.fixed` and `.percent`
/// take what they ask for while it lasts, `.min` takes at least its size, and what is left over goes
/// to `.fill` parts (shared equally) or, when there are none, to `.min` parts.
public enum Constraint: Hashable, Sendable {
    /// Exactly `n` cells (fewer when the space runs out).
    case fixed(Int)
    /// `p` percent of the whole length, rounded down; `p` is clamped to 0...100.
    case percent(Int)
    /// At least `n` cells, growing to share the leftover space when no `.fill` part exists.
    case min(Int)
    /// An equal share of whatever the other parts leave.
    case fill
}

extension Rect {
    /// Divides the height into rows stacked top to bottom, one rectangle per constraint.
    /// `spacing` blank rows are left between consecutive parts.
    public func splitVertical(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        split(constraints, spacing: spacing, vertically: true)
    }

    /// Divides the width into columns placed left to right, one rectangle per constraint.
    /// `spacing` blank columns are left between consecutive parts.
    public func splitHorizontal(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        split(constraints, spacing: spacing, vertically: false)
    }

    /// The one split rule, along either axis.
    private func split(_ constraints: [Constraint], spacing: Int, vertically: Bool) -> [Rect] {
        let lengths = Self.solve(constraints, length: vertically ? clampedHeight : clampedWidth, spacing: spacing)
        var result: [Rect] = []
        result.reserveCapacity(lengths.count)
        var cursor = vertically ? y : x
        for length in lengths {
            result.append(vertically ? Rect(x: x, y: cursor, width: clampedWidth, height: length)
                                     : Rect(x: cursor, y: y, width: length, height: clampedHeight))
            cursor = saturatingAdd(cursor, saturatingAdd(length, max(0, spacing)))
        }
        return result
    }

    /// The sizes a split would give, in order. Their sum plus the spacing never exceeds `length`.
    static func solve(_ constraints: [Constraint], length: Int, spacing: Int) -> [Int] {
        guard !constraints.isEmpty else { return [] }
        let total = max(0, length)
        let gaps = saturatingMultiply(max(0, spacing), constraints.count - 1)
        var remaining = max(0, saturatingSubtract(total, gaps))
        var sizes = [Int](repeating: 0, count: constraints.count)
        for (i, constraint) in constraints.enumerated() {
            let wanted: Int
            switch constraint {
            case .fixed(let n), .min(let n): wanted = max(0, n)
            case .percent(let p): wanted = percentOf(total, Swift.min(100, Swift.max(0, p)))
            case .fill: wanted = 0
            }
            let given = Swift.min(wanted, remaining)
            sizes[i] = given
            remaining -= given
        }
        guard remaining > 0 else { return sizes }
        var growable = constraints.indices.filter { constraints[$0] == .fill }
        if growable.isEmpty {
            growable = constraints.indices.filter { if case .min = constraints[$0] { return true } else { return false } }
        }
        guard !growable.isEmpty else { return sizes }
        let share = remaining / growable.count
        var extra = remaining % growable.count
        for i in growable {
            sizes[i] += share + (extra > 0 ? 1 : 0)
            if extra > 0 { extra -= 1 }
        }
        return sizes
    }

    /// `total * p / 100` without overflowing for huge totals.
    private static func percentOf(_ total: Int, _ p: Int) -> Int {
        (total / 100) * p + (total % 100) * p / 100
    }
}
