import TerminalKit

/// A semantic colour role. Screens ask for a role, never for a colour, so a theme file can restyle
/// everything and meaning never depends on a colour alone (every role's meaning is also carried by
/// a sign, a glyph or a word on screen).
public enum Role: String, CaseIterable, Sendable, Hashable {
    case text
    case header
    case title
    case titleFocused = "title-focused"
    case border
    case borderFocused = "border-focused"
    case tableHeader = "table-header"
    case selection
    case marked
    case inflow
    case outflow
    case negative
    case warning
    case error
    case status
    case muted
    case best
    case key
    case keyLabel = "key-label"
    case chartPlan = "chart-plan"
    case chartBaseline = "chart-baseline"
    case chartBand = "chart-band"
    case zeroLine = "zero-line"
    case bufferLine = "buffer-line"
    case limitLine = "limit-line"
    case chartBreach = "chart-breach"
    case cursor
    case axis
    case decision
    case input
    case overlay

    /// What the role is for, shown in theme files and the theme snapshot.
    public var purpose: String {
        switch self {
        case .text: return "ordinary text"
        case .header: return "the top line: scenario, plan, unsaved marker"
        case .title: return "pane title bar"
        case .titleFocused: return "title bar of the focused pane (also marked ▶)"
        case .border: return "separators between panes"
        case .borderFocused: return "separators of the focused pane"
        case .tableHeader: return "column headings"
        case .selection: return "the selected row (also the cursor ▸)"
        case .marked: return "marked rows (also ✓ in the gutter)"
        case .inflow: return "money in (+)"
        case .outflow: return "money out (−)"
        case .negative: return "a negative balance (also ▼)"
        case .warning: return "below the buffer, refusals"
        case .error: return "errors, over the overdraft limit"
        case .status: return "messages on the bottom line"
        case .muted: return "secondary text"
        case .best: return "the best plan (also ★ best)"
        case .key: return "a key in the key bar"
        case .keyLabel: return "what the key does"
        case .chartPlan: return "the active plan's balance (●)"
        case .chartBaseline: return "the overdraft-only balance (·)"
        case .chartBand: return "the active plan's simulated 5–95 % band (░), late payments drawn"
        case .zeroLine: return "zero line (─)"
        case .bufferLine: return "minimum-cash line (┄)"
        case .limitLine: return "overdraft-limit line (═)"
        case .chartBreach: return "a day over the overdraft limit on the chart (✗) and the cash missing"
        case .cursor: return "the day cursor (│)"
        case .axis: return "chart axis and labels"
        case .decision: return "an invoice's financing decision"
        case .input: return "the command line and filter field"
        case .overlay: return "help, pickers and forms"
        }
    }
}

/// Styles for every role. A theme is complete: a user theme file is laid over a complete base.
public struct Theme: Sendable, Hashable {
    public var name: String
    public var styles: [Role: Style]

    public init(name: String, styles: [Role: Style]) {
        self.name = name
        self.styles = styles
    }

    public subscript(role: Role) -> Style {
        get { styles[role] ?? .plain }
        set { styles[role] = newValue }
    }

    /// One line per role, `role fg/bg/attributes`: what the theme snapshot tests compare.
    public var dump: String {
        Role.allCases.map { r in pad(r.rawValue, toWidth: 15) + " " + self[r].description }.joined(separator: "\n") + "\n"
    }
}
