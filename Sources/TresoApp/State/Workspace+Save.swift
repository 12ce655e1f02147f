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
