import TresoCore
import TresoIO

extension AppState {
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
            let n = workspace.plan(target).decisions.count
            let name = workspace.planNames[target]
            mode = .confirmDestroy(Destruction(kind: .deletePlan(index: target),
                                               question: "Delete plan \"\(name)\" (\(n) decision\(n == 1 ? "" : "s"))?"))
            message = Message("delete plan \"\(name)\" (\(n) decision\(n == 1 ? "" : "s"))? y deletes it, n keeps it")
        case "":
            message = Message("plan: " + LineCommands.summary, isError: true)
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
}

struct NameProblem: Error {
    var text: String
}

extension AppState {
    /// Deletes a user plan (after the question); u brings it back.
    mutating func deletePlan(at target: Int) {
        guard workspace.planCount > target, !workspace.isBuiltin(target) else { return }
        let snap = workspace.snapshot(target)
        activePlan = target > Workspace.builtinCount ? target - 1 : (workspace.planCount > Workspace.builtinCount + 1 ? target : 0)
        applyEdit("delete plan \(snap.name)", [.removePlan(at: target, snap)], activeBefore: target)
        activePlan = workspace.clampPlan(activePlan)
        document.history.setLastActiveAfter(activePlan)
        comparisonCursor = activePlan
        message = Message("deleted plan \"\(snap.name)\" (u brings it back)")
        planChangedTables()
    }

    /// `x`: clears the selection's decisions; asks first when that throws away the decisions of several invoices.
    mutating func clearSelection() {
        guard let kind = focus.invoiceKind else { setOnSelection(.none, label: "clear"); return }
        let plan = activePlanState
        let decided = selectionRefs().filter { plan.decision(for: $0) != .none }.count
        guard decided > 1 else { setOnSelection(.none, label: "clear"); return }
        let question = "Clear the decisions of \(decided) \(kind.rawValue)s in \"\(plan.name)\"?"
        mode = .confirmDestroy(Destruction(kind: .clearDecisions(kind), question: question))
        message = Message(question + " y clears them, n keeps them")
    }

    mutating func runInDestroy(_ c: Command, _ d: Destruction) {
        switch c {
        case .confirmDestroy:
            mode = .normal
            switch d.kind {
            case .deletePlan(let i): deletePlan(at: i)
            case .clearDecisions: setOnSelection(.none, label: "clear")
            }
        case .cancel:
            mode = .normal
            message = Message("kept: nothing deleted")
        default: break
        }
    }
}
