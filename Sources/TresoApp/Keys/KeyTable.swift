import TerminalKit

/// Where a key binding is active. The panes share the `global` bindings; the modal contexts
/// (help, picker, form, confirm) only have their own.
public enum KeyContext: String, CaseIterable, Sendable, Hashable {
    case global, receivables, payables, chart, comparison, help, picker, form, confirm, conflict, replace, destroy

    public var title: String {
        switch self {
        case .global: return "Everywhere"
        case .receivables: return "Receivables"
        case .payables: return "Payables"
        case .chart: return "Projection chart"
        case .comparison: return "Plan comparison"
        case .help: return "Help screen"
        case .picker: return "Decision picker"
        case .form: return "Scenario terms form"
        case .confirm: return "Quit with unsaved changes"
        case .conflict: return "Scenario file changed on disk"
        case .replace: return "Replace an existing file"
        case .destroy: return "Confirm a deletion"
        }
    }

    /// Pane contexts fall back to the global bindings; modal ones do not.
    public var includesGlobal: Bool {
        switch self {
        case .receivables, .payables, .chart, .comparison: return true
        default: return false
        }
    }
}

/// Every command of the interface. The raw value is its long name (kebab-case), shown in the help.
public enum Command: String, CaseIterable, Sendable, Hashable {
    case quit
    case forceQuit = "force-quit"
    case help
    case commandLine = "command-line"
    case save
    case undo, redo
    case focusNext = "focus-next"
    case focusPrevious = "focus-previous"
    case nextPlan = "next-plan"
    case previousPlan = "previous-plan"
    case newPlan = "new-plan"
    case renamePlan = "rename-plan"
    case duplicatePlan = "duplicate-plan"
    case editTerms = "edit-terms"
    case cycleTheme = "cycle-theme"
    case dayNext = "next-day"
    case dayPrevious = "previous-day"
    case weekNext = "next-week"
    case weekPrevious = "previous-week"
    case firstDay = "first-day"
    case lastDay = "last-day"
    case lowestDay = "lowest-day"
    case cyclePeriods = "cycle-periods"
    case nextBreach = "next-breach"
    case previousBreach = "previous-breach"
    case rowDown = "down"
    case rowUp = "up"
    case pageDown = "page-down"
    case pageUp = "page-up"
    case firstRow = "first-row"
    case lastRow = "last-row"
    case cycleDecision = "cycle-decision"
    case toggleFactoring = "toggle-factoring"
    case toggleReverseFactoring = "toggle-reverse-factoring"
    case toggleSupplierFinancing = "toggle-supplier-financing"
    case toggleSplitPayment = "toggle-split-payment"
    case toggleNegotiation = "toggle-negotiation"
    case clearDecision = "clear-decision"
    case toggleDefaulted = "toggle-defaulted"
    case toggleMark = "toggle-mark"
    case selectRange = "select-range"
    case markAll = "mark-all"
    case clearMarks = "clear-marks"
    case filter
    case sortById = "sort-by-id"
    case sortByCounterparty = "sort-by-counterparty"
    case sortByDue = "sort-by-due"
    case sortByExpected = "sort-by-expected"
    case sortByAmount = "sort-by-amount"
    case sortByDecision = "sort-by-decision"
    case showInvoiceDay = "show-invoice-day"
    case activatePlan = "activate-plan"
    case optimize
    case stopOptimizing = "stop-optimizing"
    case choose
    case cancel
    case confirmSave = "save-and-quit"
    case confirmDiscard = "quit-without-saving"
    case reloadAndReapply = "reload-and-reapply"
    case saveBeside = "save-beside"
    case replaceFile = "replace-file"
    case confirmDestroy = "confirm-delete"
}

/// One row of the key table: a command, its keys, where it is active, and what the help says.
public struct KeyBinding: Sendable, Hashable {
    public var command: Command
    public var keys: [Key]
    public var contexts: [KeyContext]
    public var help: String
    /// Label in the key bar, for the commands worth showing there (in table order).
    public var bar: String?
    /// How the key bar writes the keys when not just the first key (`←→`).
    public var barKeys: String?

    public init(_ command: Command, _ keys: [String], _ contexts: [KeyContext], _ help: String, bar: String? = nil, barKeys: String? = nil) {
        self.command = command
        // Names are parsed from text so the table reads like the help; a bad name is caught by a test.
        self.keys = keys.compactMap { Key(name: $0) }
        self.contexts = contexts
        self.help = help
        self.bar = bar
        self.barKeys = barKeys
    }
}

/// The one key table: dispatch, the key bar and the `?` help screen are all generated from it.
///
/// Ctrl-C is `quit` (the backend turns the terminal's interrupt character off, see NcursesTerminal), so it asks
/// about unsaved changes like `q`. Not bound on purpose: Ctrl-Z (suspend) and Ctrl-S/Ctrl-Q (flow control on
/// many terminals), which do not reliably reach the program.
public enum KeyTable {
    static let invoices: [KeyContext] = [.receivables, .payables]
    static let panes: [KeyContext] = [.receivables, .payables, .chart, .comparison]

    public static let bindings: [KeyBinding] = [
        // Invoices
        KeyBinding(.rowDown, ["down", "j"], [.receivables, .payables, .comparison], "next row"),
        KeyBinding(.rowUp, ["up", "k"], [.receivables, .payables, .comparison], "previous row"),
        KeyBinding(.pageDown, ["pgdn", "ctrl-d"], invoices, "next page of rows"),
        KeyBinding(.pageUp, ["pgup", "ctrl-u"], invoices, "previous page of rows"),
        KeyBinding(.firstRow, ["home", "g"], [.receivables, .payables, .comparison], "first row"),
        KeyBinding(.lastRow, ["end", "G"], [.receivables, .payables, .comparison], "last row"),
        KeyBinding(.cycleDecision, ["space"], invoices, "cycle the selected invoices' decision through the instruments that accept them", bar: "cycle"),
        KeyBinding(.toggleFactoring, ["f"], invoices, "factor the selected receivables, or Dailly / escompte (again: undo it); picks one when several fit", bar: "factor"),
        KeyBinding(.toggleReverseFactoring, ["r"], invoices, "reverse-factor the selected payables (again: undo it)", bar: "reverse"),
        KeyBinding(.toggleSupplierFinancing, ["F"], invoices, "supplier-invoice financing for the selected payables (again: undo it)"),
        KeyBinding(.toggleSplitPayment, ["s"], invoices, "split payment for the selected payables (again: undo it)"),
        KeyBinding(.toggleNegotiation, ["n"], invoices, "negotiate the selected payables' terms (again: undo it)", bar: "negotiate"),
        KeyBinding(.clearDecision, ["x", "delete"], invoices, "clear the selected invoices' decision", bar: "clear"),
        KeyBinding(.toggleDefaulted, ["d"], invoices, "what-if: the customer of the selected receivables never pays (again: pays)"),
        KeyBinding(.toggleMark, ["m", "insert"], invoices, "mark or unmark the row (decisions apply to every marked row)", bar: "mark"),
        KeyBinding(.selectRange, ["v"], invoices, "start or end a range selection from the cursor"),
        KeyBinding(.markAll, ["*"], invoices, "mark every row shown (after the filter)"),
        KeyBinding(.clearMarks, ["esc"], invoices, "clear marks and the range selection (while o runs: stops it instead)"),
        KeyBinding(.filter, ["/"], invoices, "filter rows by id, counterparty or decision, accents and case ignored; >10000 or <=500 on the amount, >2026-12-15 or 2026-12-01..2026-12-31 on the expected settlement (Enter keeps, Esc cancels)", bar: "filter"),
        KeyBinding(.sortById, ["1"], invoices, "sort by id (again: reverse)"),
        KeyBinding(.sortByCounterparty, ["2"], invoices, "sort by counterparty (again: reverse)"),
        KeyBinding(.sortByDue, ["3"], invoices, "sort by due date (again: reverse)"),
        KeyBinding(.sortByExpected, ["4"], invoices, "sort by expected settlement (again: reverse)"),
        KeyBinding(.sortByAmount, ["5"], invoices, "sort by amount (again: reverse)"),
        KeyBinding(.sortByDecision, ["6"], invoices, "sort by decision (again: reverse)", bar: "sort", barKeys: "1-6"),
        KeyBinding(.showInvoiceDay, ["enter"], invoices, "move the day cursor to the invoice's settlement day"),
        // Chart
        KeyBinding(.dayNext, ["right", "l"], panes, "next day", bar: "day", barKeys: "←→"),
        KeyBinding(.dayPrevious, ["left", "h"], panes, "previous day"),
        KeyBinding(.weekNext, ["pgdn"], [.chart, .comparison], "a week later"),
        KeyBinding(.weekPrevious, ["pgup"], [.chart, .comparison], "a week earlier", bar: "week", barKeys: "PgUp/Dn"),
        KeyBinding(.firstDay, ["home", "g"], [.chart], "first day"),
        KeyBinding(.lastDay, ["end", "G"], [.chart], "last day"),
        KeyBinding(.lowestDay, ["L"], panes, "the active plan's lowest balance", bar: "lowest"),
        KeyBinding(.nextBreach, ["b"], panes, "next day the balance goes over the overdraft limit (the cash missing is shown)", bar: "breach"),
        KeyBinding(.previousBreach, ["B"], panes, "previous day the balance goes over the overdraft limit"),
        KeyBinding(.cyclePeriods, ["t"], panes, "period table by week, then by month, then back to the daily chart (13-week cash table)", bar: "weeks"),
        KeyBinding(.rowDown, ["down", "j"], [.chart], "scroll the day's movements down"),
        KeyBinding(.rowUp, ["up", "k"], [.chart], "scroll the day's movements up"),
        // Comparison
        KeyBinding(.activatePlan, ["enter"], [.comparison], "make the selected plan active", bar: "activate"),
        // Everywhere
        KeyBinding(.focusNext, ["tab"], [.global], "next pane", bar: "pane", barKeys: "Tab"),
        KeyBinding(.focusPrevious, ["backtab"], [.global], "previous pane"),
        KeyBinding(.nextPlan, ["p", "]"], [.global], "next plan", bar: "plan"),
        KeyBinding(.previousPlan, ["P", "["], [.global], "previous plan"),
        KeyBinding(.newPlan, ["N"], [.global], "new empty plan (:plan new NAME)"),
        KeyBinding(.duplicatePlan, ["D"], [.global], "duplicate the active plan (:plan dup NAME)"),
        KeyBinding(.renamePlan, ["R"], [.global], "rename the active plan (:plan rename NAME)"),
        KeyBinding(.optimize, ["o"], [.global], "optimize: propose the cheapest plan that keeps the overdraft limit as a new plan (as treso optimize; runs in the background, u undoes)", bar: "optimize"),
        KeyBinding(.stopOptimizing, ["esc"], [.chart, .comparison], "while o runs: stop it, keeping the best plan found so far (in the tables too)"),
        KeyBinding(.editTerms, ["e"], [.global], "edit opening balance, buffer, overdraft and contract rates", bar: "terms"),
        KeyBinding(.undo, ["u"], [.global], "undo (no limit within the session)", bar: "undo"),
        KeyBinding(.redo, ["ctrl-r", "U"], [.global], "redo"),
        KeyBinding(.save, ["w"], [.global], "save plans and terms to treso.toml (comments kept)", bar: "save"),
        KeyBinding(.cycleTheme, ["T"], [.global], "next built-in theme"),
        KeyBinding(.commandLine, [":"], [.global], "command line: " + LineCommands.summary),
        KeyBinding(.help, ["?", "F1"], [.global], "this help", bar: "help"),
        KeyBinding(.quit, ["q", "ctrl-c"], [.global], "quit (asks when there are unsaved changes)", bar: "quit"),
        // Help screen
        KeyBinding(.rowDown, ["down", "j", "space"], [.help], "scroll down"),
        KeyBinding(.rowUp, ["up", "k"], [.help], "scroll up"),
        KeyBinding(.pageDown, ["pgdn"], [.help], "page down"),
        KeyBinding(.pageUp, ["pgup"], [.help], "page up"),
        KeyBinding(.cancel, ["esc", "q", "?", "enter"], [.help], "close the help"),
        // Picker
        KeyBinding(.rowDown, ["down", "j", "tab"], [.picker], "next option"),
        KeyBinding(.rowUp, ["up", "k", "backtab"], [.picker], "previous option"),
        KeyBinding(.choose, ["enter", "space"], [.picker], "apply the option", bar: "apply"),
        KeyBinding(.cancel, ["esc", "q"], [.picker], "cancel", bar: "cancel"),
        // Form
        KeyBinding(.rowDown, ["down", "j", "tab"], [.form], "next field"),
        KeyBinding(.rowUp, ["up", "k", "backtab"], [.form], "previous field"),
        KeyBinding(.choose, ["enter"], [.form], "edit the field (Enter applies, Esc cancels)", bar: "edit"),
        KeyBinding(.cancel, ["esc", "q"], [.form], "close the form", bar: "close"),
        // Confirm
        KeyBinding(.confirmSave, ["y", "w"], [.confirm], "save, then quit", bar: "save+quit"),
        KeyBinding(.confirmDiscard, ["n"], [.confirm], "quit without saving", bar: "discard"),
        KeyBinding(.cancel, ["esc", "q"], [.confirm], "stay", bar: "stay"),
        // Scenario file changed on disk
        KeyBinding(.reloadAndReapply, ["r"], [.conflict], "read the file again, re-apply this session's changes to it and save", bar: "reload+re-apply"),
        KeyBinding(.saveBeside, ["b"], [.conflict], "save this session's version beside it (treso.mine.toml); treso.toml stays as it is", bar: "save beside"),
        KeyBinding(.cancel, ["esc", "q"], [.conflict], "write nothing now", bar: "cancel"),
        // Replace an existing file
        KeyBinding(.replaceFile, ["y"], [.replace], "replace the existing file", bar: "replace"),
        KeyBinding(.cancel, ["n", "esc", "q"], [.replace], "keep it: write nothing", bar: "keep"),
        // Confirm a deletion (a plan, the decisions of several invoices)
        KeyBinding(.confirmDestroy, ["y"], [.destroy], "yes: delete (u undoes it afterwards)", bar: "delete"),
        KeyBinding(.cancel, ["n", "esc", "q"], [.destroy], "no: keep everything", bar: "keep"),
    ]

    /// The bindings active in `context`, its own first.
    public static func bindings(in context: KeyContext) -> [KeyBinding] {
        let own = bindings.filter { $0.contexts.contains(context) }
        return context.includesGlobal ? own + bindings.filter { $0.contexts.contains(.global) } : own
    }

    /// The command a key runs in `context`, nil when it is not bound there.
    public static func command(for key: Key, in context: KeyContext) -> Command? {
        table[context]?[key]
    }

    private static let table: [KeyContext: [Key: Command]] = {
        var out: [KeyContext: [Key: Command]] = [:]
        for c in KeyContext.allCases {
            var m: [Key: Command] = [:]
            for b in bindings(in: c) { for k in b.keys where m[k] == nil { m[k] = b.command } }
            out[c] = m
        }
        return out
    }()

    /// Keys bound twice in one context (including a pane key that shadows a global one): must be empty.
    public static func conflicts() -> [(KeyContext, Key, [Command])] {
        var out: [(KeyContext, Key, [Command])] = []
        for c in KeyContext.allCases {
            var seen: [Key: [Command]] = [:]
            var order: [Key] = []
            for b in bindings(in: c) {
                for k in b.keys {
                    if seen[k] == nil { order.append(k) }
                    seen[k, default: []].append(b.command)
                }
            }
            for k in order where (seen[k]?.count ?? 0) > 1 { out.append((c, k, seen[k] ?? [])) }
        }
        return out
    }

    /// Key-bar items for a context: its own commands with a label, then the global ones.
    public static func barItems(for context: KeyContext) -> [(key: String, label: String)] {
        bindings(in: context).compactMap { b in
            guard let label = b.bar, let key = b.keys.first else { return nil }
            return (b.barKeys ?? displayName(key), label)
        }
    }

    /// How a key is written for people: `Space`, `Enter`, `Ctrl-R`, `←`, `PgDn`, `x`.
    public static func displayName(_ key: Key) -> String {
        switch key {
        case .char(" "): return "Space"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backtab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .alt(let c): return "Alt-" + String(c)
        case .function(let n): return "F\(n)"
        case .char(let c): return String(c)
        }
    }

    /// The help text: one section per context, one line per binding; after the panes, the command line's
    /// table (the modal sections stay last, where the quit prompt's keys are found).
    public static func helpLines() -> [(keys: String, name: String, help: String, isTitle: Bool)] {
        var out: [(String, String, String, Bool)] = []
        func section(_ c: KeyContext) {
            let own = bindings.filter { $0.contexts.contains(c) }
            guard !own.isEmpty else { return }
            out.append(("", c == .receivables ? "Receivables and payables" : c.title, "", true))
            for b in own {
                out.append((b.keys.map(displayName).joined(separator: " "), b.command.rawValue, b.help, false))
            }
        }
        for c in [KeyContext.global, .receivables, .chart, .comparison] { section(c) }
        out.append(("", "Command line (press :)", "", true))
        for c in LineCommands.table {
            let aliases = c.aliases.isEmpty ? "" : " (also " + c.aliases.map { ":" + $0 }.joined(separator: " ") + ")"
            out.append((":" + c.name, c.usage.joined(separator: " · "), c.help + aliases, false))
        }
        out.append((":NAME", "any command's long name", "runs it, e.g. :toggle-factoring, :next-week (the names above)", false))
        for c in [KeyContext.picker, .form, .confirm, .conflict, .replace, .destroy, .help] { section(c) }
        return out
    }

    /// The key table in Markdown, for the README.
    public static func markdown() -> String {
        var s = ""
        for line in helpLines() {
            if line.isTitle {
                s += (s.isEmpty ? "" : "\n") + "**\(line.name)**\n\n| Keys | Command | What it does |\n|---|---|---|\n"
            } else {
                let keys = line.keys.split(separator: " ").map { "`\($0)`" }.joined(separator: " ")
                // A `|` ends a table cell, even inside backticks: escape it everywhere.
                func cell(_ t: String) -> String { t.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
                s += "| \(keys) | `\(cell(line.name))` | \(cell(line.help)) |\n"
            }
        }
        return s
    }
}
