import TerminalKit

// The built-in themes, compiled in so the binary works without the themes/ folder.
// Each is the exact text of themes/NAME.toml (a test keeps them identical).
extension Theme {
    public static let builtinNames = ["default", "light", "high-contrast", "colorblind", "mono"]

    static let builtinSources: [String: String] = [
        "default": """
# treso: default theme, for dark terminals.
# A theme sets semantic roles; each role takes fg, bg (a colour name, "default" or 0–255)
# and any of bold, dim, underline, reverse, italic (true/false).
# To make your own: copy only the lines you want to change into a file and run
#   treso --theme path/to/mine.toml examples/demo
# (unset roles and fields keep these values; add `extends = "light"` to start from another theme).
name = "default"

text           = { fg = "default", bg = "default" }
header         = { fg = "black", bg = "cyan", bold = true }
title          = { fg = "cyan", bold = true }
title-focused  = { fg = "black", bg = "yellow", bold = true }
border         = { fg = "bright-black" }
border-focused = { fg = "yellow", bold = true }
table-header   = { fg = "bright-white", bold = true, underline = true }
selection      = { fg = "black", bg = "cyan" }
marked         = { fg = "yellow", bold = true }
inflow         = { fg = "green" }
outflow        = { fg = "red" }
negative       = { fg = "bright-red", bold = true }
warning        = { fg = "yellow" }
error          = { fg = "bright-white", bg = "red", bold = true }
status         = { fg = "cyan" }
muted          = { fg = "bright-black" }
best           = { fg = "bright-green", bold = true }
key            = { fg = "black", bg = "cyan", bold = true }
key-label      = { fg = "default" }
chart-plan     = { fg = "bright-cyan", bold = true }
chart-baseline = { fg = "bright-black" }
chart-band     = { fg = "bright-black", dim = true }
zero-line      = { fg = "white" }
buffer-line    = { fg = "yellow" }
limit-line     = { fg = "red" }
chart-breach   = { fg = "bright-white", bg = "red", bold = true }
cursor         = { fg = "yellow", bold = true }
axis           = { fg = "bright-black" }
decision       = { fg = "magenta", bold = true }
input          = { fg = "bright-white", bg = "blue" }
overlay        = { fg = "default", bg = "default" }
""",
        "light": """
# treso: light theme, for terminals with a light background.
name = "light"

text           = { fg = "default", bg = "default" }
header         = { fg = "white", bg = "blue", bold = true }
title          = { fg = "blue", bold = true }
title-focused  = { fg = "white", bg = "magenta", bold = true }
border         = { fg = "bright-black" }
border-focused = { fg = "magenta", bold = true }
table-header   = { fg = "black", bold = true, underline = true }
selection      = { fg = "white", bg = "blue" }
marked         = { fg = "magenta", bold = true }
inflow         = { fg = "green" }
outflow        = { fg = "red" }
negative       = { fg = "red", bold = true }
warning        = { fg = "94" }
error          = { fg = "white", bg = "red", bold = true }
status         = { fg = "blue" }
muted          = { fg = "bright-black" }
best           = { fg = "green", bold = true }
key            = { fg = "white", bg = "blue", bold = true }
key-label      = { fg = "default" }
chart-plan     = { fg = "blue", bold = true }
chart-baseline = { fg = "bright-black" }
chart-band     = { fg = "bright-black", dim = true }
zero-line      = { fg = "black" }
buffer-line    = { fg = "94" }
limit-line     = { fg = "red" }
chart-breach   = { fg = "bright-white", bg = "red", bold = true }
cursor         = { fg = "magenta", bold = true }
axis           = { fg = "bright-black" }
decision       = { fg = "magenta", bold = true }
input          = { fg = "black", bg = "bright-white" }
overlay        = { fg = "default", bg = "default" }
""",
        "high-contrast": """
# treso: high-contrast theme: bright white on black, bold, reverse video for what moves.
name = "high-contrast"

text           = { fg = "bright-white", bg = "black" }
header         = { fg = "black", bg = "bright-white", bold = true }
title          = { fg = "bright-white", bg = "black", bold = true, underline = true }
title-focused  = { fg = "black", bg = "bright-yellow", bold = true }
border         = { fg = "bright-white", bg = "black" }
border-focused = { fg = "bright-yellow", bg = "black", bold = true }
table-header   = { fg = "bright-white", bg = "black", bold = true, underline = true }
selection      = { fg = "black", bg = "bright-yellow", bold = true }
marked         = { fg = "bright-cyan", bold = true }
inflow         = { fg = "bright-green", bold = true }
outflow        = { fg = "bright-white" }
negative       = { fg = "bright-red", bold = true, underline = true }
warning        = { fg = "bright-yellow", bold = true }
error          = { fg = "bright-white", bg = "red", bold = true }
status         = { fg = "bright-cyan", bold = true }
muted          = { fg = "white" }
best           = { fg = "bright-green", bold = true, underline = true }
key            = { fg = "black", bg = "bright-white", bold = true }
key-label      = { fg = "bright-white", bg = "black" }
chart-plan     = { fg = "bright-cyan", bold = true }
chart-baseline = { fg = "white" }
chart-band     = { fg = "white", dim = true }
zero-line      = { fg = "bright-white" }
buffer-line    = { fg = "bright-yellow", bold = true }
limit-line     = { fg = "bright-red", bold = true }
chart-breach   = { fg = "bright-white", bg = "red", bold = true }
cursor         = { fg = "bright-yellow", bold = true, reverse = true }
axis           = { fg = "bright-white" }
decision       = { fg = "bright-magenta", bold = true }
input          = { fg = "black", bg = "bright-white", bold = true }
overlay        = { fg = "bright-white", bg = "black" }
""",
        "colorblind": """
# treso: colour-blind friendly theme. Never red against green: money in is blue, money out
# and negative balances are orange (Okabe–Ito palette, approximated on 8/16-colour terminals).
name = "colorblind"

text           = { fg = "default", bg = "default" }
header         = { fg = "black", bg = "75", bold = true }
title          = { fg = "75", bold = true }
title-focused  = { fg = "black", bg = "220", bold = true }
border         = { fg = "244" }
border-focused = { fg = "220", bold = true }
table-header   = { fg = "bright-white", bold = true, underline = true }
selection      = { fg = "black", bg = "75" }
marked         = { fg = "220", bold = true }
inflow         = { fg = "33" }
outflow        = { fg = "208" }
negative       = { fg = "208", bold = true, underline = true }
warning        = { fg = "220" }
error          = { fg = "black", bg = "208", bold = true }
status         = { fg = "75" }
muted          = { fg = "244" }
best           = { fg = "33", bold = true, underline = true }
key            = { fg = "black", bg = "75", bold = true }
key-label      = { fg = "default" }
chart-plan     = { fg = "33", bold = true }
chart-baseline = { fg = "244" }
chart-band     = { fg = "244", dim = true }
zero-line      = { fg = "white" }
buffer-line    = { fg = "220" }
limit-line     = { fg = "208", bold = true }
chart-breach   = { fg = "black", bg = "208", bold = true }
cursor         = { fg = "220", bold = true }
axis           = { fg = "244" }
decision       = { fg = "175", bold = true }
input          = { fg = "bright-white", bg = "24" }
overlay        = { fg = "default", bg = "default" }
""",
        "mono": """
# treso: monochrome theme: attributes only, the terminal's own colours. Used when NO_COLOR is set.
name = "mono"

text           = { fg = "default", bg = "default" }
header         = { reverse = true, bold = true }
title          = { bold = true }
title-focused  = { reverse = true, bold = true }
border         = { dim = true }
border-focused = { bold = true }
table-header   = { bold = true, underline = true }
selection      = { reverse = true }
marked         = { bold = true }
inflow         = { fg = "default" }
outflow        = { fg = "default" }
negative       = { bold = true }
warning        = { underline = true }
error          = { reverse = true, bold = true }
status         = { bold = true }
muted          = { dim = true }
best           = { bold = true, underline = true }
key            = { reverse = true }
key-label      = { fg = "default" }
chart-plan     = { bold = true }
chart-baseline = { dim = true }
chart-band     = { dim = true }
zero-line      = { fg = "default" }
buffer-line    = { dim = true }
limit-line     = { bold = true }
chart-breach   = { bold = true, reverse = true }
cursor         = { bold = true }
axis           = { dim = true }
decision       = { bold = true }
input          = { underline = true }
overlay        = { fg = "default" }
""",
    ]

    /// Every role plain: the base the built-in files are read over (each of them sets every role).
    static let allPlain = Theme(name: "plain", styles: Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, Style.plain) }))

    /// A built-in theme by name, nil when there is none.
    public static func builtin(named name: String) -> Theme? {
        guard let text = builtinSources[name] else { return nil }
        return try? Theme.parse(text, file: name, base: allPlain)
    }

    /// The default (dark) theme.
    public static let `default`: Theme = builtin(named: "default") ?? allPlain

    /// Monochrome: attributes only (NO_COLOR).
    public static let mono: Theme = builtin(named: "mono") ?? allPlain
}
