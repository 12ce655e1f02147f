import TresoCore
import TresoIO

/// The instrument a direct key stands for.
enum InstrumentKey: Sendable {
    case factoring, reverse, supplier, split, negotiate

    var appliesTo: InvoiceKind { self == .factoring ? .receivable : .payable }

    /// The decisions this key stands for, in the engine's order (`Instruments.decisions(for:)`).
    func decisions(_ i: Instruments) -> [Decision] { i.decisions(for: appliesTo).filter(matches) }

    func matches(_ d: Decision) -> Bool {
        switch (self, d) {
        case (.factoring, .factor), (.factoring, .dailly), (.factoring, .discount), (.reverse, .reverseFactor), (.supplier, .supplierFinancing), (.split, .splitPayment),
             (.negotiate, .negotiate): return true
        default: return false
        }
    }

    var noun: String {
        switch self {
        case .factoring: return "factoring contract ([factoring.NAME]), Dailly ([dailly.NAME]) or escompte ([escompte.NAME])"
        case .reverse: return "reverse-factoring program ([reverse_factoring.NAME])"
        case .supplier: return "supplier-financing program ([supplier_financing.NAME])"
        case .split: return "split-payment partner ([split_payment.NAME])"
        case .negotiate: return "negotiation"
        }
    }

    var verb: String {
        switch self {
        case .factoring: return "Factor"
        case .reverse: return "Reverse-factor"
        case .supplier: return "Finance"
        case .split: return "Split"
        case .negotiate: return "Negotiate"
        }
    }
}

extension AppState {
    /// The invoices a decision applies to, in the focused table.
    func selectionRefs() -> [InvoiceRef] {
        guard let kind = focus.invoiceKind else { return [] }
        return table(kind).selection.map { InvoiceRef(kind, $0) }
    }

    func invoiceID(_ ref: InvoiceRef) -> String {
        let list = workspace.scenario.invoices(ref.kind)
        return list.indices.contains(ref.index) ? list[ref.index].id : "?"
    }

    /// Built-in plans are never edited: the first change to one goes to a new copy of it.
    mutating func ensureEditablePlan() -> [Change] {
        guard workspace.isBuiltin(activePlan) else { return [] }
        var snap = workspace.snapshot(activePlan)
        let from = snap.name
        snap.builtin = false
        snap.name = workspace.uniqueName("my plan")
        let at = workspace.planCount
        let change = Change.insertPlan(at: at, snap)
        workspace.apply(change)
        activePlan = at
        comparisonCursor = at
        pendingNotice = "\"\(from)\" is built in: your changes go to the new plan \"\(snap.name)\" (R renames it)"
        return [change]
    }

    /// Applies changes as one undoable step; returns the refusals.
    @discardableResult
    mutating func applyEdit(_ label: String, _ changes: [Change], prefix: [Change] = [], activeBefore: Int, toggle: ToggleKey? = nil) -> [Refusal] {
        let (applied, refusals) = workspace.apply(all: changes)
        let all = prefix + applied
        if !prefix.isEmpty && applied.isEmpty { workspace.refresh() }
        guard !all.isEmpty else { return refusals }
        document.history.record(label, all, activeBefore: activeBefore, activeAfter: activePlan, toggle: toggle)
        return refusals
    }

    /// One line on what a change did to the active plan: its cost and its lowest balance, before → after.
    func impact(before: PlanResult?, verb: String) -> String {
        guard let before, workspace.comparison.results.indices.contains(activePlan) else { return verb }
        let after = workspace.comparison.results[activePlan]
        let dc = after.totalCost - before.totalCost
        return verb + " — cost " + (dc.cents >= 0 ? "+" : "") + dc.formatted() + " → " + after.totalCost.formatted()
            + ", lowest " + before.projection.summary.lowestBalance.formatted() + " → " + after.projection.summary.lowestBalance.formatted()
    }

    var activeResult: PlanResult? {
        workspace.comparison.results.indices.contains(activePlan) ? workspace.comparison.results[activePlan] : nil
    }

    func describe(_ refs: [InvoiceRef]) -> String {
        refs.count == 1 ? invoiceID(refs[0]) : "\(refs.count) invoices"
    }

    func refusalText(_ refusals: [Refusal], of total: Int) -> String {
        guard let first = refusals.first else { return "" }
        return total == 1 ? "refused: " + first.text(currency: workspace.scenario.currency) : "\(refusals.count) of \(total) refused, e.g. " + first.text(currency: workspace.scenario.currency)
    }

    /// Sets one decision on the selection.
    mutating func setOnSelection(_ d: Decision, label: String) {
        let refs = selectionRefs()
        guard !refs.isEmpty else { message = Message("no invoice selected (Tab to a table)", isError: true); return }
        let before = activeResult
        let activeBefore = activePlan
        let prefix = ensureEditablePlan()
        let st = activePlanState
        let changes = refs.compactMap { ref -> Change? in
            let from = st.decision(for: ref)
            return from == d ? nil : .decision(plan: activePlan, ref: ref, from: from, to: d)
        }
        let refusals = applyEdit(label, changes, prefix: prefix, activeBefore: activeBefore)
        report(refs: refs, refusals: refusals, verb: (d == .none ? "cleared" : d.code) + " on " + describe(refs), before: before)
    }

    mutating func report(refs: [InvoiceRef], refusals: [Refusal], verb: String, before: PlanResult?) {
        var text = refusals.count == refs.count ? refusalText(refusals, of: refs.count) : impact(before: before, verb: verb)
        if !refusals.isEmpty && refusals.count < refs.count { text += "; " + refusalText(refusals, of: refs.count) }
        if let n = pendingNotice { text = n + ". " + text; pendingNotice = nil }
        message = Message(text, isError: !refusals.isEmpty)
    }

    /// Toggles a decision (or the defaulted what-if) on the selection. The same toggle again right
    /// after puts back exactly what the first one changed, so pressing a key twice never loses a decision.
    mutating func toggle(_ what: ToggleKey.What) {
        let refs = selectionRefs()
        guard !refs.isEmpty else { message = Message("no invoice selected (Tab to a table)", isError: true); return }
        if case .defaulted = what, refs.contains(where: { $0.kind != .receivable }) {
            message = Message("only a receivable can default: d is a what-if on customers", isError: true)
            return
        }
        let before = activeResult
        if let last = document.history.repeatedToggle(plan: activePlan, refs: refs), last.toggle?.what == what {
            let inverse = last.changes.reversed().compactMap { c -> Change? in
                switch c {
                case .decision, .defaulted: return c.inverse
                default: return nil
                }
            }
            applyEdit("toggle back", inverse, activeBefore: activePlan)
            message = Message(impact(before: before, verb: "put back what was there on " + describe(refs)))
            return
        }
        let activeBefore = activePlan
        // A default is the scenario's what-if, applied to every plan (Workspace.apply): even on a built-in plan it
        // needs no copy of it.
        let prefix = what == .defaulted ? [] : ensureEditablePlan()
        let plan = activePlan
        let st = activePlanState
        var changes: [Change] = []
        let verb: String
        switch what {
        case .decision(let d):
            let allOn = refs.allSatisfy { st.decision(for: $0) == d }
            let target: Decision = allOn ? .none : d
            for ref in refs where st.decision(for: ref) != target {
                changes.append(.decision(plan: plan, ref: ref, from: st.decision(for: ref), to: target))
            }
            verb = (allOn ? "took " + d.code + " off " : d.code + " on ") + describe(refs)
        case .defaulted:
            let allOn = refs.allSatisfy { st.defaulted.contains($0) }
            for ref in refs where st.defaulted.contains(ref) == allOn {
                changes.append(.defaulted(plan: plan, ref: ref, from: allOn, to: !allOn))
            }
            verb = (allOn ? "paid again in every plan (what-if off): " : "defaulted in every plan (what-if: never paid): ") + describe(refs)
        }
        let refusals = applyEdit("toggle", changes, prefix: prefix, activeBefore: activeBefore,
                               toggle: ToggleKey(plan: plan, what: what, refs: refs))
        report(refs: refs, refusals: refusals, verb: verb, before: before)
    }

    /// f, r, F, s, n: toggles the instrument on the selection, with a picker when several contracts fit.
    mutating func toggleInstrument(_ k: InstrumentKey) {
        guard let kind = focus.invoiceKind else {
            message = Message("decisions apply to invoices: Tab to the receivables or payables", isError: true)
            return
        }
        guard kind == k.appliesTo else {
            message = Message(k == .factoring ? "factoring applies to receivables (Tab to them); payables: r, F, s, n"
                                              : "\(k.verb.lowercased()) applies to payables (Tab to them); receivables: f", isError: true)
            return
        }
        let candidates = k.decisions(workspace.scenario.instruments)
        guard !candidates.isEmpty else {
            message = Message("the scenario has no \(k.noun)", isError: true)
            return
        }
        let refs = selectionRefs()
        guard let cursorRef = refs.first else { message = Message("no invoice selected", isError: true); return }
        // Pressed again right after: put back what was there.
        if let key = document.history.repeatedToggle(plan: activePlan, refs: refs)?.toggle, case .decision(let d) = key.what, k.matches(d) {
            toggle(.decision(d))
            return
        }
        let st = activePlanState
        let current = Set(refs.map { st.decision(for: $0) })
        if current.count == 1, let d = current.first, k.matches(d) {
            toggle(.decision(d))
            return
        }
        if candidates.count == 1 {
            toggle(.decision(candidates[0]))
            return
        }
        let ref = table(kind).selectedInvoice.map { InvoiceRef(kind, $0) } ?? cursorRef
        let options = workspace.engine.options(for: ref).filter { k.matches($0.decision) }
            .map { PickerOption(decision: $0.decision, refusal: $0.refusal?.text(currency: workspace.scenario.currency)) }
        let inv = workspace.engine.invoice(ref)
        let title = refs.count == 1 ? "\(k.verb) \(inv.id) (\(inv.amount.formatted())) with" : "\(k.verb) \(refs.count) invoices with"
        let first = options.firstIndex { $0.refusal == nil } ?? 0
        mode = .picker(Picker(title: title, options: withImpact(options, on: refs), selected: first))
    }

    /// Space: the next instrument that accepts the invoice under the cursor, applied to the selection.
    mutating func cycleDecision() {
        guard let kind = focus.invoiceKind, let i = table(kind).selectedInvoice else {
            message = Message("no invoice selected (Tab to a table)", isError: true)
            return
        }
        let ref = InvoiceRef(kind, i)
        let options = workspace.engine.options(for: ref)
        guard !options.isEmpty else { return }
        let current = activePlanState.decision(for: ref)
        let start = options.firstIndex { $0.decision == current } ?? 0
        var skipped: [String] = []
        for step in 1...options.count {
            let o = options[(start + step) % options.count]
            if let r = o.refusal {
                skipped.append(o.decision.code + " (" + r.text(currency: workspace.scenario.currency) + ")")
                continue
            }
            setOnSelection(o.decision, label: "cycle")
            if !skipped.isEmpty, var m = message {
                m.text += "; skipped " + skipped.joined(separator: "; ")
                message = m
            }
            return
        }
    }

    mutating func undo() {
        guard let e = document.history.popUndo() else { message = Message("nothing to undo"); return }
        for c in e.changes.reversed() { workspace.apply(c.inverse) }
        workspace.refresh()
        activePlan = workspace.clampPlan(e.activeBefore)
        comparisonCursor = activePlan
        message = Message("undone: \(e.label) (\(e.changes.count) change\(e.changes.count == 1 ? "" : "s")); \(undoCount) more to undo, Ctrl-R redoes")
    }

    mutating func redo() {
        guard let e = document.history.popRedo() else { message = Message("nothing to redo"); return }
        for c in e.changes { workspace.apply(c) }
        workspace.refresh()
        activePlan = workspace.clampPlan(e.activeAfter)
        comparisonCursor = activePlan
        message = Message("redone: \(e.label)")
    }
}
