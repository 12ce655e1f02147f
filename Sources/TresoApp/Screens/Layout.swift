import TerminalKit
import TresoCore

/// Where the main screen puts its panes for a terminal size. Pure, so the reducer uses it too
/// (how many rows a page is) and a test can check every size from 1×1 up.
public struct MainLayout: Sendable, Equatable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public var tooSmall: Bool
    public var header: Rect
    /// The chart pane: a title row and the plot below it.
    public var chartTitle: Rect
    public var chart: Rect
    /// The one-column rule between the chart and the day panel.
    public var separator: Rect
    /// The day panel: a title row and the day's balance and movements.
    public var dayTitle: Rect
    public var day: Rect
    /// Each invoice table: a title row and, unless collapsed, its column headings and rows.
    public var receivablesTitle: Rect
    public var receivables: Rect
    public var payablesTitle: Rect
    public var payables: Rect
    public var comparisonTitle: Rect
    public var comparison: Rect
    /// Key bar, messages, prompts.
    public var bottom: Rect

    public init(width: Int, height: Int, expanded: InvoiceKind, planCount: Int) {
        let w = max(0, width), h = max(0, height)
        tooSmall = w < Self.minimumWidth || h < Self.minimumHeight
        let all = Rect(x: 0, y: 0, width: w, height: h)
        header = Rect(x: 0, y: 0, width: w, height: min(1, h))
        bottom = Rect(x: 0, y: max(0, h - 1), width: w, height: h >= 2 ? 1 : 0)
        let empty = Rect.zero
        chartTitle = empty; chart = empty; separator = empty; dayTitle = empty; day = empty
        receivablesTitle = empty; receivables = empty; payablesTitle = empty; payables = empty
        comparisonTitle = empty; comparison = empty
        guard !tooSmall else { return }

        let body = all.inset(top: 1, left: 0, bottom: 1, right: 0)
        let avail = body.height
        // Up to a third of the body (rounded up, so 80×24 shows six plans); more plans scroll with the active one.
        let comparisonHeight = min(2 + max(planCount, 1), max(5, (avail + 2) / 3))
        let rest = avail - comparisonHeight
        let chartHeight = max(6, rest * 45 / 100)
        let invoicesHeight = rest - chartHeight
        let rows = body.splitVertical([.fixed(chartHeight), .fixed(invoicesHeight), .fixed(comparisonHeight)])

        let dayWidth = w >= 100 ? 36 : 30
        let (chartBand, right) = rows[0].splitRight(dayWidth + 1)
        (chartTitle, chart) = chartBand.splitTop(1)
        let (sep, dayBand) = right.splitLeft(1)
        separator = sep
        (dayTitle, day) = dayBand.splitTop(1)

        let invoices = rows[1]
        if invoicesHeight >= 16 {
            let halves = invoices.splitVertical([.fixed(invoicesHeight / 2 + invoicesHeight % 2), .fill])
            (receivablesTitle, receivables) = halves[0].splitTop(1)
            (payablesTitle, payables) = halves[1].splitTop(1)
        } else if expanded == .receivable {
            let (open, closed) = invoices.splitBottom(1)
            (receivablesTitle, receivables) = open.splitTop(1)
            payablesTitle = closed
            payables = Rect(x: closed.x, y: closed.maxY, width: closed.width, height: 0)
        } else {
            let (closed, open) = invoices.splitTop(1)
            receivablesTitle = closed
            receivables = Rect(x: closed.x, y: closed.maxY, width: closed.width, height: 0)
            (payablesTitle, payables) = open.splitTop(1)
        }
        (comparisonTitle, comparison) = rows[2].splitTop(1)
    }

    /// The chart and invoice bands together, full width: where the period table goes.
    public var periodArea: Rect {
        let top = chartTitle.y, bottom = max(payables.maxY, payablesTitle.maxY, receivables.maxY)
        return Rect(x: 0, y: top, width: header.width, height: max(0, bottom - top))
    }

    public func tableBody(_ kind: InvoiceKind) -> Rect { kind == .receivable ? receivables : payables }

    /// Data rows an invoice table shows (its body less the column headings).
    public func visibleRows(_ kind: InvoiceKind) -> Int { max(0, tableBody(kind).height - 1) }

    public var visibleComparisonRows: Int { max(0, comparison.height - 1) }
}

extension AppState {
    public var layout: MainLayout {
        MainLayout(width: width, height: height, expanded: expanded, planCount: workspace.planCount)
    }
}
