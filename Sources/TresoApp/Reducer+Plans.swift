import TresoCore
import TresoIO

extension AppState {
    static let commandSummary = "plan new|rename|dup|delete NAME, plan NAME, goto DATE|today|lowest, late DAYS, export csv|json FILE, theme NAME|FILE, w, q, wq, q!"

    /// Runs a `:` command line.
    mutating func runCommandLine(_ line: String) -> [Effect] {
        var text = line.trimmingSpaces()
        if text.hasPrefix(":") { text.removeFirst() }
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let head = words.first?.lowercased() else { return [] }
        let rest = words.count > 1 ? text.drop(while: { $0 == " " }).dropFirst(words[0].count).trimmingSpaces() : ""
        switch head {
        case "w", "write", "save": return save()
        case "q", "quit": return run(.quit)
        case "q!", "quit!": return [.quit]
        case "wq", "x":
            quitAfterSave = true
            let e = save()
            if e.isEmpty { quitAfterSave = false }
            return e
        case "plan", "plans": return planCommand(rest)
        case "goto", "go", "day": goto(rest)
        case "late":
            guard let n = Int(rest), n >= 1, n <= 365 else {
                message = Message("late DAYS: pay the selected payables 1–365 days after the due date (penalties apply)", isError: true)
                return []
            }
            guard focus == .payables else { message = Message("late applies to payables: Tab to them", isError: true); return [] }
            toggle(.decision(.payLate(n)))
        case "export":
            let parts = rest.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, let format = OutputFormat(rawValue: parts[0].lowercased()) else {
                message = Message("export csv FILE (or json FILE, table FILE): the active plan's daily projection", isError: true)
                return []
            }
            let p = activeProjection
            let s = workspace.scenario
            let out = ProjectionExport.render(p.days[...], summary: p.summary, format: format,
                                              title: "\(s.name) [\(activePlanState.name)]: \(s.start.iso) … \(s.end.iso)", currency: s.currency)
            return [.export(path: parts[1].trimmingSpaces(), text: out)]
        case "theme":
            guard !rest.isEmpty else {
                message = Message("theme NAME|FILE: built in are " + Theme.builtinNames.joined(separator: ", "), isError: true)
                return []
            }
            return [.loadTheme(rest)]
        case "undo", "u": undo()
        case "redo": redo()
        case "help", "h": mode = .help(scroll: 0)
        case "terms", "edit": mode = .form(TermsForm(fields: TermField.all(for: workspace.scenario.instruments)))
        default:
            message = Message("unknown command '\(head)': " + Self.commandSummary, isError: true)
        }
        return []
    }

    mutating func goto(_ arg: String) {
        let s = workspace.scenario
        let target: Day?
        switch arg.lowercased() {
        case "today": target = today
        case "start", "first": target = s.start
        case "end", "last": target = s.end
        case "lowest": target = activeProjection.summary.lowestBalanceDate
        default: target = Day(flexible: arg)
        }
        guard let d = target else {
            message = Message(invalidDateReason(arg).map { $0 + "; goto DATE: 2027-01-15 or 15/01/2027, or today, start, end, lowest" }
                              ?? "goto DATE: 2027-01-15 or 15/01/2027, or today, start, end, lowest", isError: true)
            return
        }
        guard d >= s.start, d <= s.end else {
            message = Message("\(d.iso) is outside the projection (\(s.start.iso) … \(s.end.iso))", isError: true)
            return
        }
        day = d - s.start
        focus = .chart
    }

    func validName(_ raw: String) -> Result<String, NameProblem> {
        let name = raw.trimmingSpaces()
        if name.isEmpty { return .failure(NameProblem(text: "a plan needs a name")) }
        if workspace.planNames.contains(name) { return .failure(NameProblem(text: "a plan named \"\(name)\" exists already")) }
        if name.count > 80 { return .failure(NameProblem(text: "a plan name has at most 80 characters")) }
        return .success(name)
    }

    mutating func planCommand(_ rest: String) -> [Effect] {
        let parts = rest.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true).map(String.init)
        let verb = parts.first?.lowercased() ?? ""
        let arg = parts.count > 1 ? parts[1] : ""
        let activeBefore = activePlan
        switch verb {
        case "new", "create", "add":
            switch validName(arg) {
            case .failure(let why): message = Message("plan new NAME: " + why.text, isError: true)
            case .success(let name):
                let snap = PlanSnapshot(name: name, rules: [], ruleDecisions: [:], decisions: [:], defaulted: [], builtin: false)
                let at = workspace.planCount
                activePlan = at
                applyEdit("new plan \(name)", [.insertPlan(at: at, snap)], activeBefore: activeBefore)
                comparisonCursor = at
                message = Message("new plan \"\(name)\": no decision yet; f, r, n… on invoices fill it")
            }
        case "dup", "duplicate", "copy":
            let name = arg.isEmpty ? workspace.uniqueName(activePlanState.name + " copy") : arg
            switch validName(name) {
            case .failure(let why): message = Message("plan dup NAME: " + why.text, isError: true)
            case .success(let name):
                var snap = workspace.snapshot(activePlan)
                let from = snap.name
                snap.name = name
                snap.builtin = false
                let at = workspace.planCount
                activePlan = at
                applyEdit("duplicate plan \(from)", [.insertPlan(at: at, snap)], activeBefore: activeBefore)
                comparisonCursor = at
                message = Message("\"\(name)\": a copy of \"\(from)\", now active")
            }
        case "rename", "mv":
            guard !workspace.isBuiltin(activePlan) else {
                message = Message("\"\(activePlanState.name)\" is built in and keeps its name", isError: true)
                return []
            }
            switch validName(arg) {
            case .failure(let why): message = Message("plan rename NAME: " + why.text, isError: true)
            case .success(let name):
                let from = activePlanState.name
                applyEdit("rename plan \(from)", [.rename(plan: activePlan, from: from, to: name)], activeBefore: activeBefore)
                message = Message("plan \"\(from)\" is now \"\(name)\"")
            }
        case "delete", "remove", "rm", "del":
            var target = activePlan
            if !arg.isEmpty {
                guard let i = workspace.planNames.firstIndex(of: arg.trimmingSpaces()) else {
                    message = Message("no plan named \"\(arg)\"", isError: true)
                    return []
                }
                target = i
            }
            guard !workspace.isBuiltin(target) else {
                message = Message("\"\(workspace.planNames[target])\" is built in and cannot be deleted", isError: true)
                return []
            }
            let snap = workspace.snapshot(target)
            activePlan = target > Workspace.builtinCount ? target - 1 : (workspace.planCount > Workspace.builtinCount + 1 ? target : 0)
            applyEdit("delete plan \(snap.name)", [.removePlan(at: target, snap)], activeBefore: target)
            activePlan = workspace.clampPlan(activePlan)
            document.history.setLastActiveAfter(activePlan)
            comparisonCursor = activePlan
            message = Message("deleted plan \"\(snap.name)\" (u brings it back)")
        case "":
            message = Message("plan: " + Self.commandSummary, isError: true)
        default:
            let name = rest.trimmingSpaces()
            if let i = workspace.planNames.firstIndex(of: name) {
                switchPlan(to: i)
            } else {
                message = Message("no plan named \"\(name)\"; plans: " + workspace.planNames.joined(separator: ", "), isError: true)
            }
        }
        planChangedTables()
        return []
    }

    // MARK: Saving

    mutating func save() -> [Effect] {
        let workspace = self.workspace
        let rules = workspace.rulesToSave()
        let blocks = workspace.planBlocks(rules: rules)
        do {
            let defaulted = workspace.defaultedIDs()
            let text = try document.file.textToSave(terms: workspace.scenario.terms, planBlocks: blocks, defaulted: defaulted)
            document.pendingSave = PendingSave(text: text, editID: document.history.currentID, terms: workspace.scenario.terms,
                                               rules: rules, planBlocks: blocks, defaulted: defaulted)
            return [.save(path: tomlPath, text: text)]
        } catch {
            quitAfterSave = false
            message = Message("cannot save \(tomlPath): \(error.description)", isError: true)
            return []
        }
    }

    mutating func saveSucceeded(path: String, text: String) -> [Effect] {
        guard let p = document.pendingSave, p.text == text else { return [] }
        document.pendingSave = nil
        document.file.markSaved(text: text, terms: p.terms, planBlocks: p.planBlocks, defaulted: p.defaulted,
                                fingerprint: FileFingerprint(text: text))
        document.history.markSaved(at: p.editID)
        workspace.markSaved(rules: p.rules)
        let plans = workspace.planCount - Workspace.builtinCount
        message = Message("saved \(path): \(plans) plan\(plans == 1 ? "" : "s"), comments kept")
        if quitAfterSave { quitAfterSave = false; return [.quit] }
        return []
    }
}

struct NameProblem: Error {
    var text: String
}
