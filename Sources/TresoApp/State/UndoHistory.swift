import TresoCore

/// One reversible change to the document.
enum Change: Sendable, Equatable {
    case decision(plan: Int, ref: InvoiceRef, from: Decision, to: Decision)
    case defaulted(plan: Int, ref: InvoiceRef, from: Bool, to: Bool)
    case terms(from: ScenarioTerms, to: ScenarioTerms)
    case insertPlan(at: Int, PlanSnapshot)
    case removePlan(at: Int, PlanSnapshot)
    case rename(plan: Int, from: String, to: String)
    /// A plan's credit-line drawings replaced (`:draw`).
    case drawings(plan: Int, from: [CreditDrawing], to: [CreditDrawing])

    var inverse: Change {
        switch self {
        case let .decision(p, ref, from, to): return .decision(plan: p, ref: ref, from: to, to: from)
        case let .defaulted(p, ref, from, to): return .defaulted(plan: p, ref: ref, from: to, to: from)
        case let .terms(from, to): return .terms(from: to, to: from)
        case let .insertPlan(at, snap): return .removePlan(at: at, snap)
        case let .removePlan(at, snap): return .insertPlan(at: at, snap)
        case let .rename(p, from, to): return .rename(plan: p, from: to, to: from)
        case let .drawings(p, from, to): return .drawings(plan: p, from: to, to: from)
        }
    }
}

/// What a toggle key did, so that pressing it again puts everything back.
struct ToggleKey: Sendable, Equatable {
    enum What: Sendable, Equatable { case decision(Decision), defaulted }
    var plan: Int
    var what: What
    var refs: [InvoiceRef]
}

/// One undoable step: the changes it made and the plan that was active before and after.
struct Edit: Sendable, Equatable {
    var id: Int
    var label: String
    var changes: [Change]
    var activeBefore: Int
    var activeAfter: Int
    var toggle: ToggleKey?
}

/// The session's edits, without limit, and which of them the file on disk holds.
struct UndoHistory: Sendable, Equatable {
    private(set) var undoStack: [Edit] = []
    private(set) var redoStack: [Edit] = []
    private var nextEditID = 1
    /// Id of the edit on top of the undo stack when the file was last written (0: the loaded state).
    private(set) var savedEditID = 0

    /// Id of the edit the document is at now (0: as loaded).
    var currentID: Int { undoStack.last?.id ?? 0 }
    var isDirty: Bool { currentID != savedEditID }
    var undoCount: Int { undoStack.count }
    var redoCount: Int { redoStack.count }

    /// Records a new step; a new step clears what could be redone.
    mutating func record(_ label: String, _ changes: [Change], activeBefore: Int, activeAfter: Int, toggle: ToggleKey?) {
        undoStack.append(Edit(id: nextEditID, label: label, changes: changes, activeBefore: activeBefore, activeAfter: activeAfter, toggle: toggle))
        nextEditID += 1
        redoStack.removeAll()
    }

    /// Corrects the plan the last step leaves active (known only once it is applied).
    mutating func setLastActiveAfter(_ plan: Int) {
        guard var top = undoStack.popLast() else { return }
        top.activeAfter = plan
        undoStack.append(top)
    }

    /// Takes the last step off for undoing; it can be redone.
    mutating func popUndo() -> Edit? {
        guard let e = undoStack.popLast() else { return nil }
        redoStack.append(e)
        return e
    }

    /// Takes the last undone step back for redoing.
    mutating func popRedo() -> Edit? {
        guard let e = redoStack.popLast() else { return nil }
        undoStack.append(e)
        return e
    }

    mutating func markSaved(at editID: Int) { savedEditID = editID }

    /// The one "pressed again, put back" rule: the last step, when it was a toggle of these very
    /// invoices in this plan. Pressing the same toggle then undoes it instead of stacking another change.
    func repeatedToggle(plan: Int, refs: [InvoiceRef]) -> Edit? {
        guard let last = undoStack.last, let key = last.toggle, key.plan == plan, key.refs == refs else { return nil }
        return last
    }
}
