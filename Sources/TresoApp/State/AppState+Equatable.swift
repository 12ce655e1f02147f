import TresoCore

/// Two workspaces are equal when they describe the same document: the same terms, invoices and plans
/// with the same decisions (the engine itself is derived from them).
extension Workspace: Equatable {
    public static func == (a: Workspace, b: Workspace) -> Bool {
        let sa = a.scenario, sb = b.scenario
        guard a.planCount == b.planCount, sa.terms == sb.terms, sa.start == sb.start, sa.horizonDays == sb.horizonDays,
              sa.receivables == sb.receivables, sa.payables == sb.payables else { return false }
        for i in 0..<a.planCount {
            let x = a.plan(i), y = b.plan(i)
            guard x.name == y.name, x.decisions == y.decisions, x.defaulted == y.defaulted, a.isBuiltin(i) == b.isBuiltin(i) else {
                return false
            }
        }
        return true
    }
}

/// The state as the user sees and edits it. Caches (day detail, counts) and the undo history's
/// contents are derived or private; their effect shows through `isDirty` and the counts.
extension AppState: Equatable {
    public static func == (a: AppState, b: AppState) -> Bool {
        a.workspace == b.workspace && a.activePlan == b.activePlan && a.focus == b.focus && a.expanded == b.expanded
            && a.receivables == b.receivables && a.payables == b.payables && a.day == b.day && a.dayScroll == b.dayScroll
            && a.comparisonCursor == b.comparisonCursor && a.mode == b.mode && a.message == b.message
            && a.width == b.width && a.height == b.height && a.theme == b.theme && a.today == b.today
            && a.tomlPath == b.tomlPath && a.tomlText == b.tomlText && a.isDirty == b.isDirty
            && a.undoCount == b.undoCount && a.redoCount == b.redoCount
    }
}
