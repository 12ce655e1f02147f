import TresoCore
import TresoIO
import TresoOptimize

/// One command of the `:` command line: a row of the command table.
struct LineCommand: Sendable {
    var name: String
    var aliases: [String]
    /// How it is written, one form a line (`plan new|rename|dup|delete NAME`, `plan NAME`).
    var usage: [String]
    var help: String
    var run: @Sendable (inout AppState, String) -> [Effect]
}

/// The command line's one table, like the key table: the parser, the help screen's section and the
/// summary shown on a mistake are generated from it. Besides these, every key command runs by its long
/// name (`:toggle-factoring`, `:next-week`), as the help says.
enum LineCommands {
    static let table: [LineCommand] = [
        LineCommand(name: "plan", aliases: ["plans"], usage: ["plan new|rename|dup|delete NAME", "plan NAME"],
                    help: "create, rename, duplicate or delete a plan; plan NAME makes it active") { s, rest in s.planCommand(rest) },
        LineCommand(name: "goto", aliases: ["go", "day"], usage: ["goto DATE|today|lowest"],
                    help: "move the day cursor: 2027-01-15 or 15/01/2027, today, start, end, lowest") { s, rest in s.goto(rest); return [] },
        LineCommand(name: "late", aliases: [], usage: ["late DAYS"],
                    help: "pay the selected payables DAYS (1–365) after the due date, penalties applied") { s, rest in s.late(rest); return [] },
        LineCommand(name: "draw", aliases: [], usage: ["draw LINE AMOUNT FROM TO", "draw LINE auto [FLOOR]", "draw clear [LINE]"],
                    help: "credit line: draw AMOUNT from FROM to TO, or automatically to keep FLOOR (default min_cash); clear removes the drawings")
                    { s, rest in s.draw(rest); return [] },
        LineCommand(name: "account", aliases: ["acct"], usage: ["account NAME|all"],
                    help: "with [accounts]: show one bank account in the chart, the day table and the period view, or all of them consolidated")
                    { s, rest in s.showAccount(rest); return [] },
        LineCommand(name: "export", aliases: [], usage: ["export [WHAT] csv|json|xlsx|table [fr] FILE"],
                    help: "WHAT: projection (the default), periods (the default while the period table shows), comparison or entries "
                        + "(the active plan's journal); "
                        + "fr: French Excel CSV; FILE is relative to the scenario folder, never one of its own files; asks before replacing") { s, rest in s.export(rest) },
        LineCommand(name: "optimize", aliases: ["opt"], usage: [OptimizeOptions.lineUsage],
                    help: "as treso optimize --keep --instruments --risk --time-limit (same checks): the cheapest plan that keeps the limit "
                        + "(or the buffer), with only the instruments listed (comma-separated contract/program names, and negotiate), "
                        + "breaking the floor on at most P of simulated late payments, within SECONDS (default 60); o is optimize with the defaults")
                    { s, rest in s.optimizeCommand(rest) },
        LineCommand(name: "theme", aliases: [], usage: ["theme NAME|FILE"],
                    help: "a built-in theme or a theme file") { s, rest in s.theme(rest) },
        LineCommand(name: "w", aliases: ["write", "save"], usage: ["w"],
                    help: "save to treso.toml (comments kept); w FILE writes a copy to FILE, the session stays on treso.toml") { s, rest in
            rest.isEmpty ? s.save() : s.saveCopy(to: rest)
        },
        LineCommand(name: "q", aliases: ["quit"], usage: ["q"], help: "quit (asks when there are unsaved changes)") { s, _ in s.run(.quit) },
        LineCommand(name: "wq", aliases: ["x"], usage: ["wq"], help: "save, then quit") { s, _ in s.saveThenQuit() },
        LineCommand(name: "q!", aliases: ["quit!"], usage: ["q!"], help: "quit without saving") { _, _ in [.quit] },
        LineCommand(name: "undo", aliases: ["u"], usage: ["undo"], help: "undo the last change") { s, _ in s.undo(); return [] },
        LineCommand(name: "redo", aliases: [], usage: ["redo"], help: "redo") { s, _ in s.redo(); return [] },
        LineCommand(name: "help", aliases: ["h"], usage: ["help"], help: "the help screen") { s, _ in s.mode = .help(scroll: 0); return [] },
        LineCommand(name: "terms", aliases: ["edit"], usage: ["terms"], help: "the scenario terms form") { s, _ in
            s.mode = .form(TermsForm(fields: TermField.all(for: s.workspace.scenario.instruments)))
            return []
        },
    ]

    /// `plan new|rename|dup|delete NAME, plan NAME, goto DATE|today|lowest, …, or a key command's long name`.
    static let summary = table.flatMap(\.usage).joined(separator: ", ") + ", or any command's long name (toggle-factoring, next-week…)"

    private static let byName: [String: Int] = {
        var out: [String: Int] = [:]
        for (i, c) in table.enumerated() { for n in [c.name] + c.aliases where out[n] == nil { out[n] = i } }
        return out
    }()

    /// The table row for a name or alias; nil when none.
    static func command(named name: String) -> LineCommand? { byName[name].map { table[$0] } }

    /// Names given twice (a row's alias that is another row's name…): must be empty.
    static func duplicateNames() -> [String] {
        var seen: Set<String> = [], dup: [String] = []
        for c in table { for n in [c.name] + c.aliases { if !seen.insert(n).inserted { dup.append(n) } } }
        return dup
    }
}

/// What `:export` writes: the formats of `treso project|compare|entries --format`.
enum ExportFormat: String {
    case csv, json, xlsx, table
}

extension AppState {
    /// Runs a `:` command line: a row of the command table, or a key command by its long name.
    mutating func runCommandLine(_ line: String) -> [Effect] {
        var text = line.trimmingSpaces()
        if text.hasPrefix(":") { text.removeFirst() }
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let head = words.first?.lowercased() else { return [] }
        let rest = words.count > 1 ? text.drop(while: { $0 == " " }).dropFirst(words[0].count).trimmingSpaces() : ""
        if let c = LineCommands.command(named: head) { return c.run(&self, rest) }
        if let c = Command(rawValue: head), rest.isEmpty { return run(c) }
        message = Message("unknown command '\(head)': " + LineCommands.summary, isError: true)
        return []
    }

    mutating func saveThenQuit() -> [Effect] {
        quitAfterSave = true
        let e = save()
        if e.isEmpty { quitAfterSave = false }
        return e
    }

    mutating func late(_ rest: String) {
        guard let n = Int(rest), n >= 1, n <= 365 else {
            message = Message("late DAYS: pay the selected payables 1–365 days after the due date (penalties apply)", isError: true)
            return
        }
        guard focus == .payables else { message = Message("late applies to payables: Tab to them", isError: true); return }
        toggle(.decision(.payLate(n)))
    }

    /// `:draw`: adds (or clears) credit-line drawings of the active plan, as one undoable change (§16).
    mutating func draw(_ rest: String) {
        let usage = "draw LINE AMOUNT FROM TO, draw LINE auto [FLOOR] or draw clear [LINE]"
        let words = rest.split(separator: " ").map(String.init)
        let lines = workspace.scenario.instruments.credit.creditLines.map(\.name)
        guard !lines.isEmpty else { message = Message("no credit line is defined: add a [credit_line.NAME] to treso.toml", isError: true); return }
        guard let first = words.first else { message = Message(usage + " (lines: " + lines.joined(separator: ", ") + ")", isError: true); return }
        let before = activePlanState.drawings
        var after = before
        if first.lowercased() == "clear" {
            after = words.count > 1 ? before.filter { $0.line != words[1] } : []
        } else {
            guard lines.contains(first) else { message = Message("no credit line named \"\(first)\" (defined: " + lines.joined(separator: ", ") + ")", isError: true); return }
            if words.count >= 2 && words[1].lowercased() == "auto" {
                var floor: Money? = nil
                if words.count > 2 {
                    guard let f = Money(decimal: words[2]) else { message = Message("draw \(first) auto FLOOR: FLOOR is an amount such as 5000", isError: true); return }
                    floor = f
                }
                after = before.filter { if case .auto = $0.mode { return $0.line != first }; return true }
                after.append(CreditDrawing(line: first, mode: .auto(floor: floor)))
            } else {
                guard words.count == 4, let a = Money(decimal: words[1]), let f = Day(flexible: words[2]), let t = Day(flexible: words[3]) else {
                    message = Message(usage, isError: true); return
                }
                after.append(CreditDrawing(line: first, mode: .fixed(amount: a, from: f, to: t)))
            }
        }
        guard after != before else { message = Message("nothing to change"); return }
        let activeBefore = activePlan
        let before0 = activeResult
        let prefix = ensureEditablePlan()
        let refusals = applyEdit("credit-line drawings", [.drawings(plan: activePlan, from: activePlanState.drawings, to: after)],
                                 prefix: prefix, activeBefore: activeBefore)
        if let r = refusals.first { message = Message(r.reason, isError: true); return }
        message = Message(impact(before: before0, verb: after.last.map { first.lowercased() == "clear" ? "drawings cleared" : $0.label } ?? "drawings cleared"))
    }

    mutating func showAccount(_ rest: String) {
        let names = workspace.scenario.accounts.accounts.map(\.name)
        guard !names.isEmpty else { message = Message("the scenario has one account: add [accounts.NAME] tables to treso.toml", isError: true); return }
        let name = rest.trimmingSpaces()
        if name.isEmpty || name.lowercased() == "all" {
            shownAccount = nil
            cache.account = nil
            cache.accountKey = DayKey(revision: -1, plan: -1, day: -1)
            cache.dayDetail.key = DayKey(revision: -1, plan: -1, day: -1)
            cache.periodsKey = DayKey(revision: -1, plan: -1, day: -1)
            message = Message("showing every account consolidated")
            return
        }
        guard let k = names.firstIndex(of: name) else {
            message = Message("no account named \"\(name)\" (accounts: " + names.joined(separator: ", ") + ")", isError: true); return
        }
        shownAccount = k
        message = Message("showing account \(name): the chart, the day's movements and the periods (the comparison stays consolidated: it compares plans for the company)")
    }

    /// `:export [WHAT] FORMAT [fr] FILE`: the same sheets and texts as `treso project|compare|entries`, written by the
    /// effect runner (relative paths from the scenario folder; never the scenario's own files; asks before replacing).
    mutating func export(_ rest: String) -> [Effect] {
        let usage = "export [projection|periods|comparison|entries] csv|json|xlsx|table [fr] FILE, e.g. export periods xlsx cash.xlsx"
        // Words are taken off the front; the file name is what is left, as typed (it may hold spaces).
        var line = Substring(rest.trimmingSpaces())
        func peek() -> String { String(line.prefix { $0 != " " }).lowercased() }
        func take() { line = line.drop { $0 != " " }.drop { $0 == " " } }
        var what = periodView == .day ? "projection" : "periods"
        if ["projection", "periods", "comparison", "entries"].contains(peek()) { what = peek(); take() }
        guard let format = ExportFormat(rawValue: peek()) else { message = Message(usage, isError: true); return [] }
        take()
        var dialect = CSVDialect.standard
        if let d = CSVDialect(rawValue: peek()), line.contains(" ") { dialect = d; take() }
        let file = String(line)
        guard !file.isEmpty else { message = Message(usage, isError: true); return [] }
        if dialect == .fr && format != .csv {
            message = Message("fr is a CSV dialect: export \(what) csv fr FILE", isError: true)
            return []
        }
        let s = workspace.scenario
        let plan = activePlanState
        let p = activeProjection
        let accountName = shownAccount.flatMap { s.accounts.accounts.indices.contains($0) ? ", account " + s.accounts.accounts[$0].name : nil } ?? ""
        let title = "\(s.name) [\(plan.name)\(accountName)]: \(s.start.iso) … \(s.end.iso)"
        var text = ""
        var sheets: [Sheet] = []
        let subject: String
        switch what {
        case "periods":
            let length = periodView == .day ? PeriodLength.week : periodView
            let t = plan.periodTable(length, projection: p, account: shownAccount)
            subject = "the \(length.rawValue)ly table of \"\(plan.name)\""
            switch format {
            case .table: text = PeriodExport.table(t, title: title, currency: s.currency)
            case .csv: text = PeriodExport.sheet(t).csv(dialect)
            case .json: text = PeriodExport.json(t)
            case .xlsx: sheets = [PeriodExport.sheet(t), ProjectionExport.sheet(p.days[...])]
            }
        case "comparison":
            let c = workspace.comparison
            subject = "the comparison of \(c.results.count) plans"
            let ctitle = "\(s.name): plans over \(s.start.iso) … \(s.end.iso)"
            switch format {
            case .table: text = ComparisonExport.table(c, title: ctitle, currency: s.currency)
            case .csv: text = ComparisonExport.sheet(c).csv(dialect)
            case .json: text = ComparisonExport.json(c)
            case .xlsx: sheets = [ComparisonExport.sheet(c)]
            }
        case "entries":
            let entries = plan.journalEntries(projection: p)
            subject = "the journal entries of \"\(plan.name)\""
            switch format {
            case .table: text = EntriesExport.render(entries, format: .table, title: "\(s.name) [\(plan.name)]: journal entries")
            case .csv: text = EntriesExport.sheet(entries).csv(dialect)
            case .json: text = EntriesExport.json(entries)
            case .xlsx: sheets = [EntriesExport.sheet(entries)]
            }
        default:
            subject = "the projection of \"\(plan.name)\""
            switch format {
            case .table, .json:
                text = ProjectionExport.render(p.days[...], summary: p.summary, format: format == .json ? .json : .table, title: title, currency: s.currency)
            case .csv: text = ProjectionExport.sheet(p.days[...]).csv(dialect)
            case .xlsx: sheets = [ProjectionExport.sheet(p.days[...])]
            }
        }
        return [.export(FileExport(path: ExportTarget.resolve(file, in: self.file.folder), text: text,
                                   what: "exported \(subject)" + (format == .xlsx ? " as a workbook" : (dialect == .fr ? " (French Excel CSV)" : "")),
                                   protecting: ownFiles, sheets: sheets))]
    }

    mutating func theme(_ rest: String) -> [Effect] {
        guard !rest.isEmpty else {
            message = Message("theme NAME|FILE: built in are " + Theme.builtinNames.joined(separator: ", "), isError: true)
            return []
        }
        return [.loadTheme(rest)]
    }
}
