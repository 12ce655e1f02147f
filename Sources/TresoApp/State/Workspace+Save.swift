import TresoCore
import TresoIO

extension Workspace {
    /// The rules each user plan is saved with: its own rules (minus any `invoice` rule an individual
    /// change replaces), then one `invoice` rule per individual change. Keyed by plan index.
    func rulesToSave() -> [Int: [PlanRule]] {
        let s = scenario
        var out: [Int: [PlanRule]] = [:]
        for i in Workspace.builtinCount..<planCount {
            var replaced: Set<String> = []
            var extra: [PlanRule] = []
            for (ref, d) in overrides(i) {
                let list = s.invoices(ref.kind)
                guard list.indices.contains(ref.index) else { continue }
                let id = list[ref.index].id
                replaced.insert(ref.kind.rawValue + "\u{0}" + id)
                extra.append(PlanRule(kind: ref.kind, selector: .invoice(id), decision: d))
            }
            let kept = entryRules(i).filter { r in
                if case .invoice(let id) = r.selector { return !replaced.contains(r.kind.rawValue + "\u{0}" + id) }
                return true
            }
            out[i] = kept + extra
        }
        return out
    }

    /// The `[[plans]]` blocks of the user's plans, saved with these rules.
    func planBlocks(rules: [Int: [PlanRule]]) -> [String] {
        (Workspace.builtinCount..<planCount).map { i in
            // Defaults are the scenario's what-if ([what_if] defaulted), written once, not per plan.
            ScenarioDocument.planBlock(name: plan(i).name, rules: rules[i] ?? [], defaulted: [], drawings: plan(i).drawings)
        }
    }

    /// The what-if defaults every plan shares, by invoice id (saved under `[what_if] defaulted`).
    func defaultedIDs() -> [String] {
        let s = scenario
        return plan(0).defaulted.sorted().compactMap { s.receivables.indices.contains($0.index) ? s.receivables[$0.index].id : nil }
    }
}

extension Workspace {
    /// How many changes separate this document from `saved` (the file as last read or saved): each term of the
    /// form that differs, each what-if default added or taken off, each plan added, removed or renamed, and in each
    /// plan each invoice whose decision differs. A change undone by hand, or made and reversed, counts for nothing.
    /// O(decisions of the plans that changed): an unchanged plan's decisions share storage and compare at once.
    func changes(since saved: Workspace) -> Int {
        var n = 0
        let now = scenario.terms, was = saved.scenario.terms
        if now != was {
            let fields = TermField.all(for: now.instruments)
            let differing = fields.filter { $0.text(in: now) != $0.text(in: was) }.count
            n += max(1, differing)
        }
        let a = plan(0).defaulted, b = saved.plan(0).defaulted
        if a != b { n += a.symmetricDifference(b).count }
        // Plans matched by name; those left on both sides, in order, are renames.
        let savedIndex = Dictionary((0..<saved.planCount).map { (saved.plan($0).name, $0) }, uniquingKeysWith: { x, _ in x })
        var matched: Set<Int> = []
        var added: [Int] = []
        for i in 0..<planCount {
            if let j = savedIndex[plan(i).name], !matched.contains(j) {
                matched.insert(j)
                n += Self.decisionChanges(plan(i).decisions, saved.plan(j).decisions)
            } else {
                added.append(i)
            }
        }
        let removed = (0..<saved.planCount).filter { !matched.contains($0) }
        for (i, j) in zip(added, removed) { n += 1 + Self.decisionChanges(plan(i).decisions, saved.plan(j).decisions) }
        for i in added.dropFirst(removed.count) { n += 1 + plan(i).decisions.count }
        n += max(0, removed.count - added.count)
        return n
    }

    static func decisionChanges(_ a: [InvoiceRef: Decision], _ b: [InvoiceRef: Decision]) -> Int {
        if a == b { return 0 }
        var n = 0
        for (ref, d) in a where b[ref] != d { n += 1 }
        for ref in b.keys where a[ref] == nil { n += 1 }
        return n
    }
}

/// Two workspaces are equal when they describe the same document: the same terms, invoices and plans
/// with the same decisions (the engine and the comparison are derived from them).
extension Workspace: Equatable {
    public static func == (a: Workspace, b: Workspace) -> Bool {
        let sa = a.scenario, sb = b.scenario
        guard a.planCount == b.planCount, sa.terms == sb.terms, sa.start == sb.start, sa.horizonDays == sb.horizonDays,
              sa.receivables == sb.receivables, sa.payables == sb.payables else { return false }
        for i in 0..<a.planCount {
            let x = a.plan(i), y = b.plan(i)
            guard x.name == y.name, x.decisions == y.decisions, x.defaulted == y.defaulted, x.drawings == y.drawings,
                  a.isBuiltin(i) == b.isBuiltin(i) else {
                return false
            }
        }
        return true
    }
}
