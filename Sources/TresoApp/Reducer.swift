import TerminalKit
import TresoCore
import TresoIO

/// The one place state changes. Pure: no clock, no files, no terminal; what must touch the outside
/// world comes back as `Effect` values.
@discardableResult
public func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
    let effects = state.dispatch(action)
    state.settle()
    return effects + state.scheduleRisk()
}

extension AppState {
    mutating func dispatch(_ action: Action) -> [Effect] {
        // A message stays up until the next key.
        switch action {
        case .resize, .themeLoaded, .saveSucceeded, .saveConflict, .exported, .exportTargetExists, .reloaded, .effectFailed,
             .optimizeTick, .optimizeProgress, .riskComputed: break
        default: message = nil
        }
        switch action {
        case .command(let c): return run(c)
        case .unbound(let key):
            if case .normal = mode {
                message = Message("\(KeyTable.displayName(key)) does nothing in the \(focus.context.title.lowercased()) pane; ? lists the keys")
            }
            return []
        case .text(let edit): return editText(edit)
        case .resize(let w, let h):
            width = max(0, w)
            height = max(0, h)
            return []
        case .toggle(let d): toggle(.decision(d)); return []
        case .setDecision(let d): setOnSelection(d, label: d.code); return []
        case .run(let line): return runCommandLine(line)
        case .selectPlan(let i): switchPlan(to: i); return []
        case .themeLoaded(let t):
            theme = t
            message = Message("theme: \(t.name)")
            return []
        case .saveSucceeded(let path, let text, let fingerprint): return saveSucceeded(path: path, text: text, fingerprint: fingerprint)
        case .saveConflict(let path): return saveConflict(path: path)
        case .exported(let e):
            message = Message("\(e.what) to \(e.path)")
            return []
        case .exportTargetExists(let e): return exportTargetExists(e)
        case .reloaded(let r): return reloaded(r)
        case .effectFailed(let why):
            quitAfterSave = false
            document.pendingSave = nil
            document.reload = .none
            message = Message(why, isError: true)
            return []
        case .optimizeTick(let g, let seconds): optimizeTick(g, seconds: seconds); return []
        case .optimizeProgress(let g, let p): optimizeProgress(g, p); return []
        case .optimizeEnded(let g, let outcome): return optimizeEnded(g, outcome)
        case .riskComputed(let g, let summary): riskComputed(g, summary); return []
        }
    }

    /// Keeps derived views consistent after any action: indices in range, scroll offsets showing the
    /// cursor, the day panel current.
    mutating func settle() {
        activePlan = workspace.clampPlan(activePlan)
        comparisonCursor = workspace.clampPlan(comparisonCursor)
        let l = layout
        for kind in InvoiceKind.allCases {
            let visible = l.visibleRows(kind)
            withTable(kind) { t in
                t.moveCursor(to: t.cursor)
                if let a = t.anchor, a >= t.count { t.anchor = nil }
                t.offset = Table.scrollOffset(selected: t.cursor, offset: t.offset, rowCount: t.count, visibleRows: visible)
            }
        }
        refreshAccountView()
        refreshDayDetail()
        refreshDecidedCount()
        refreshPeriods()
        refreshUnsaved()
        refreshMarkedImpact()
        // The line cursor belongs to the text being typed: anything else starts the next one at its end.
        if !mode.isTextEntry { lineBack = 0 }
        let dayRows = max(0, l.day.height - 2)
        dayScroll = min(max(0, dayScroll), max(0, dayDetail.movements.count - dayRows))
    }

    // MARK: Commands

    mutating func run(_ c: Command) -> [Effect] {
        switch mode {
        case .help(let scroll): return runInHelp(c, scroll: scroll)
        case .picker(let p): return runInPicker(c, p)
        case .form(let f): return runInForm(c, f)
        case .confirmQuit: return runInConfirm(c)
        case .conflict: return runInConflict(c)
        case .confirmReplace(let e): return runInReplace(c, e)
        case .confirmDestroy(let d): runInDestroy(c, d); return []
        case .normal, .filter, .command: break
        }
        let horizon = max(workspace.scenario.horizonDays, 1)
        if periodView != .day && [.dayNext, .dayPrevious, .weekNext, .weekPrevious].contains(c) { runView(c); return [] }
        switch c {
        case .quit:
            if isDirty {
                mode = .confirmQuit
                return []
            }
            return [.quit]
        case .forceQuit, .confirmDiscard: return [.quit]
        case .help: mode = .help(scroll: 0)
        case .commandLine: mode = .command(text: "")
        case .save: return save()
        case .undo: undo()
        case .redo: redo()
        case .focusNext, .focusPrevious:
            let all = Pane.allCases
            let i = all.firstIndex(of: focus) ?? 0
            focus = all[(i + (c == .focusNext ? 1 : all.count - 1)) % all.count]
            // The period table takes the invoice tables' room: their panes are skipped until it closes.
            if periodView != .day && focus.invoiceKind != nil { focus = c == .focusNext ? .chart : .comparison }
            if let k = focus.invoiceKind { expanded = k }
            if focus == .comparison { comparisonCursor = activePlan }
        case .nextPlan, .previousPlan:
            let n = workspace.planCount
            switchPlan(to: (activePlan + (c == .nextPlan ? 1 : n - 1)) % n)
        case .newPlan: mode = .command(text: "plan new ")
        case .renamePlan:
            if workspace.isBuiltin(activePlan) {
                message = Message("\"\(activePlanState.name)\" is built in and keeps its name; D duplicates it", isError: true)
            } else {
                mode = .command(text: "plan rename " + activePlanState.name)
            }
        case .duplicatePlan: mode = .command(text: "plan dup " + workspace.uniqueName(activePlanState.name + " copy"))
        case .editTerms:
            mode = .form(TermsForm(fields: TermField.all(for: workspace.scenario.instruments)))
        case .cycleTheme:
            let names = Theme.builtinNames
            let i = names.firstIndex(of: theme.name) ?? -1
            let next = names[(i + 1) % names.count]
            if let t = Theme.builtin(named: next) { theme = t; message = Message("theme: \(next) (:theme NAME|FILE for others)") }
        case .dayNext: day = min(day + 1, horizon - 1)
        case .dayPrevious: day = max(day - 1, 0)
        case .weekNext: day = min(day + 7, horizon - 1)
        case .weekPrevious: day = max(day - 7, 0)
        case .firstDay: day = 0
        case .lastDay: day = horizon - 1
        case .lowestDay:
            let s = activeProjection.summary
            day = s.lowestBalanceDate - workspace.scenario.start
            message = Message("lowest balance of \"\(activePlanState.name)\": \(s.lowestBalance.formatted()) on \(s.lowestBalanceDate.iso)")
        case .cyclePeriods, .nextBreach, .previousBreach: runView(c)
        case .rowDown, .rowUp, .pageDown, .pageUp, .firstRow, .lastRow: move(c)
        case .cycleDecision: cycleDecision()
        case .toggleFactoring: toggleInstrument(.factoring)
        case .toggleReverseFactoring: toggleInstrument(.reverse)
        case .toggleSupplierFinancing: toggleInstrument(.supplier)
        case .toggleSplitPayment: toggleInstrument(.split)
        case .toggleNegotiation: toggleInstrument(.negotiate)
        case .clearDecision: clearSelection()
        case .toggleDefaulted: toggle(.defaulted)
        case .toggleMark:
            guard let kind = focus.invoiceKind else { break }
            withTable(kind) { t in
                guard let i = t.selectedInvoice else { return }
                if t.marked.contains(i) { t.marked.remove(i) } else { t.marked.insert(i) }
                t.moveCursor(to: t.cursor + 1)
            }
        case .selectRange:
            guard let kind = focus.invoiceKind else { break }
            withTable(kind) { t in
                if let a = t.anchor {
                    let lo = min(a, t.cursor), hi = max(a, t.cursor)
                    if lo <= hi, hi < t.count { for p in lo...hi { t.marked.insert(t.order[p]) } }
                    t.anchor = nil
                } else {
                    t.anchor = t.cursor
                }
            }
            if let kind = focus.invoiceKind, table(kind).anchor != nil {
                message = Message("range selection: move, then v again (or apply a decision to the range)")
            }
        case .markAll:
            guard let kind = focus.invoiceKind else { break }
            withTable(kind) { t in t.marked.formUnion(t.order); t.anchor = nil }
            message = Message("\(table(focus.invoiceKind ?? .receivable).marked.count) rows marked; Esc clears")
        case .clearMarks:
            guard let kind = focus.invoiceKind else { break }
            withTable(kind) { t in t.marked = []; t.anchor = nil }
        case .filter:
            guard let kind = focus.invoiceKind else { break }
            let f = table(kind).filter
            mode = .filter(kind: kind, text: f, previous: f)
        case .sortById: sort(.id)
        case .sortByCounterparty: sort(.counterparty)
        case .sortByDue: sort(.due)
        case .sortByExpected: sort(.expected)
        case .sortByAmount: sort(.amount)
        case .sortByDecision: sort(.decision)
        case .showInvoiceDay:
            guard let kind = focus.invoiceKind, let i = table(kind).selectedInvoice else { break }
            let st = workspace.engine.settlement(InvoiceRef(kind, i))
            day = min(max(0, st.day - workspace.scenario.start), horizon - 1)
            message = Message("day cursor on \(st.day.iso), when \(workspace.scenario.invoices(kind)[i].id) settles")
        case .activatePlan: switchPlan(to: comparisonCursor)
        case .optimize: return startOptimizing()
        case .stopOptimizing: return stopOptimizing()
        case .choose, .cancel, .confirmSave, .reloadAndReapply, .saveBeside, .replaceFile, .confirmDestroy: break
        }
        return []
    }

    mutating func move(_ c: Command) {
        let l = layout
        switch focus {
        case .receivables, .payables:
            guard let kind = focus.invoiceKind else { return }
            let page = max(1, l.visibleRows(kind) - 1)
            withTable(kind) { t in
                switch c {
                case .rowDown: t.moveCursor(to: t.cursor + 1)
                case .rowUp: t.moveCursor(to: t.cursor - 1)
                case .pageDown: t.moveCursor(to: t.cursor + page); t.offset += page
                case .pageUp: t.moveCursor(to: t.cursor - page); t.offset -= page
                case .firstRow: t.moveCursor(to: 0)
                case .lastRow: t.moveCursor(to: t.count - 1)
                default: break
                }
            }
        case .comparison:
            let n = workspace.planCount
            switch c {
            case .rowDown: comparisonCursor = min(comparisonCursor + 1, n - 1)
            case .rowUp: comparisonCursor = max(comparisonCursor - 1, 0)
            case .firstRow: comparisonCursor = 0
            case .lastRow: comparisonCursor = n - 1
            default: break
            }
        case .chart:
            switch c {
            case .rowDown: dayScroll += 1
            case .rowUp: dayScroll = max(0, dayScroll - 1)
            default: break
            }
        }
    }

    mutating func sort(_ column: InvoiceColumn) {
        guard let kind = focus.invoiceKind else { return }
        withTable(kind) { t in
            if t.sortColumn == column { t.ascending.toggle() } else { t.sortColumn = column; t.ascending = true }
        }
        resortTable(kind)
        let t = table(kind)
        message = Message("sorted by \(column.title.lowercased()) \(t.ascending ? "▲ ascending" : "▼ descending")")
    }

    mutating func switchPlan(to i: Int) {
        let target = workspace.clampPlan(i)
        guard target != activePlan else { return }
        activePlan = target
        comparisonCursor = target
        // Another plan means other decisions: tables sorted or filtered on them are rebuilt.
        planChangedTables()
        message = Message("plan \"\(activePlanState.name)\" (\(activePlan + 1)/\(workspace.planCount))"
            + (workspace.isBuiltin(activePlan) ? ", built in: a change creates your own copy" : ""))
    }

    // MARK: Modes

    mutating func runInHelp(_ c: Command, scroll: Int) -> [Effect] {
        let page = max(1, height - 4)
        switch c {
        case .rowDown: mode = .help(scroll: scroll + 1)
        case .rowUp: mode = .help(scroll: max(0, scroll - 1))
        case .pageDown: mode = .help(scroll: scroll + page)
        case .pageUp: mode = .help(scroll: max(0, scroll - page))
        case .cancel: mode = .normal
        default: break
        }
        if case .help(let s) = mode { mode = .help(scroll: min(s, Overlays.helpMaxScroll(width: width, height: height))) }
        return []
    }

    mutating func runInPicker(_ c: Command, _ p: Picker) -> [Effect] {
        var p = p
        switch c {
        case .rowDown: p.selected = (p.selected + 1) % max(1, p.options.count); mode = .picker(p)
        case .rowUp: p.selected = (p.selected + max(1, p.options.count) - 1) % max(1, p.options.count); mode = .picker(p)
        case .cancel: mode = .normal
        case .choose:
            mode = .normal
            guard p.options.indices.contains(p.selected) else { break }
            let o = p.options[p.selected]
            if let why = o.refusal, table(focus.invoiceKind ?? .receivable).selection.count <= 1 {
                message = Message("refused: " + why, isError: true)
            } else {
                toggle(.decision(o.decision))
            }
        default: break
        }
        return []
    }

    mutating func runInConfirm(_ c: Command) -> [Effect] {
        switch c {
        case .confirmSave:
            mode = .normal
            return saveThenQuit()
        case .confirmDiscard: return [.quit]
        case .cancel: mode = .normal
        default: break
        }
        return []
    }

    mutating func runInForm(_ c: Command, _ f: TermsForm) -> [Effect] {
        var f = f
        f.error = nil
        switch c {
        case .rowDown: f.selected = (f.selected + 1) % max(1, f.fields.count)
        case .rowUp: f.selected = (f.selected + max(1, f.fields.count) - 1) % max(1, f.fields.count)
        case .choose:
            if f.fields.indices.contains(f.selected) { f.editing = f.fields[f.selected].text(in: workspace.scenario.terms) }
        case .cancel:
            mode = .normal
            return []
        default: break
        }
        mode = .form(f)
        return []
    }

    mutating func editText(_ edit: TextEdit) -> [Effect] {
        if let handled = editLine(edit) { return handled }
        switch mode {
        case .filter(let kind, let text, let previous):
            switch edit {
            case .submit:
                mode = .normal
                let t = table(kind)
                message = Message(t.filter.isEmpty ? "filter cleared" : "\(t.count) rows match \"\(t.filter)\"; / to change, Esc in the filter to restore")
                return []
            case .cancel:
                mode = .normal
                withTable(kind) { $0.filter = previous }
                refilterTable(kind)
                return []
            default:
                guard let r = LineEditing.apply(edit, text: text, back: lineBack) else { return [] }
                lineBack = r.back
                mode = .filter(kind: kind, text: r.text, previous: previous)
                // Moving the cursor leaves the rows as they are.
                if r.text != text {
                    withTable(kind) { $0.filter = r.text }
                    refilterTable(kind)
                }
            }
        case .command(let text):
            switch edit {
            case .backspace where text.isEmpty:
                mode = .normal
                return []
            case .submit:
                mode = .normal
                commandHistory.record(text)
                return runCommandLine(text)
            case .cancel:
                mode = .normal
                commandHistory.reset()
                return []
            default:
                guard let r = LineEditing.apply(edit, text: text, back: lineBack) else { return [] }
                lineBack = r.back
                mode = .command(text: r.text)
            }
        case .form(var f):
            guard let text = f.editing else { return [] }
            switch edit {
            case .cancel:
                f.editing = nil
                mode = .form(f)
                return []
            case .submit:
                guard f.fields.indices.contains(f.selected) else { return [] }
                let field = f.fields[f.selected]
                let before = workspace.scenario.terms
                var after = before
                if let why = field.set(text, in: &after) ?? workspace.scenario.limitProblem(with: after) {
                    f.error = why
                    f.editing = text
                    mode = .form(f)
                    return []
                }
                f.editing = nil
                mode = .form(f)
                if after != before {
                    applyEdit(field.label, [.terms(from: before, to: after)], activeBefore: activePlan)
                    message = Message("\(field.label): \(field.text(in: after)) — every plan re-projected")
                }
                return []
            default:
                guard let r = LineEditing.apply(edit, text: text, back: lineBack) else { return [] }
                lineBack = r.back
                f.editing = r.text
                mode = .form(f)
            }
        default:
            break
        }
        return []
    }
}
