import TresoCore
import TresoIO

/// Turns the session's plans and terms back into the scenario file, editing the user's text in place:
/// comments, blank lines and key order stay; only changed numbers and the `[[plans]]` blocks are rewritten.
enum ScenarioWriter {
    /// The TOML inline table of one rule: `{ customer = "Acme SA", action = "factor:bank" }`.
    static func literal(_ rule: PlanRule) -> String {
        let selector: String
        switch rule.selector {
        case .invoice(let id): selector = "invoice = " + tomlQuoted(id)
        case .counterparty(let name): selector = (rule.kind == .receivable ? "customer = " : "supplier = ") + tomlQuoted(name)
        case .amountAbove(let m): selector = (rule.kind == .receivable ? "receivables_above = " : "payables_above = ") + amountLiteral(m)
        case .all: selector = "all = " + tomlQuoted(rule.kind == .receivable ? "receivables" : "payables")
        }
        return "{ " + selector + ", action = " + tomlQuoted(rule.decision.code) + " }"
    }

    /// `15000` for a whole amount (as people write thresholds), `15000.50` otherwise.
    static func amountLiteral(_ m: Money) -> String {
        m.cents % 100 == 0 ? String(m.cents / 100) : m.decimalString
    }

    /// One `[[plans]]` block.
    static func block(name: String, rules: [PlanRule], defaulted: [String]) -> String {
        var s = "[[plans]]\nname = " + tomlQuoted(name) + "\n"
        if !defaulted.isEmpty { s += "defaulted = [" + defaulted.map(tomlQuoted).joined(separator: ", ") + "]\n" }
        if rules.isEmpty {
            s += "decisions = []\n"
        } else {
            s += "decisions = [\n"
            for r in rules { s += "  " + literal(r) + ",\n" }
            s += "]\n"
        }
        return s
    }
}

extension AppState {
    /// The rules each user plan is saved with: its own rules (minus any `invoice` rule an individual
    /// change replaces), then one `invoice` rule per individual change. Keyed by plan index.
    func rulesToSave() -> [Int: [PlanRule]] {
        let s = workspace.scenario
        var out: [Int: [PlanRule]] = [:]
        for i in Workspace.builtinCount..<workspace.planCount {
            let overrides = workspace.overrides(i)
            var replaced: Set<String> = []
            var extra: [PlanRule] = []
            for (ref, d) in overrides {
                let list = s.invoices(ref.kind)
                guard list.indices.contains(ref.index) else { continue }
                let id = list[ref.index].id
                replaced.insert(ref.kind.rawValue + "\u{0}" + id)
                extra.append(PlanRule(kind: ref.kind, selector: .invoice(id), decision: d))
            }
            let kept = workspace.entryRules(i).filter { r in
                if case .invoice(let id) = r.selector { return !replaced.contains(r.kind.rawValue + "\u{0}" + id) }
                return true
            }
            out[i] = kept + extra
        }
        return out
    }

    /// The `[[plans]]` blocks of the user's plans as they would be saved now.
    func planBlocks(rules: [Int: [PlanRule]]? = nil) -> [String] {
        let rules = rules ?? rulesToSave()
        let s = workspace.scenario
        return (Workspace.builtinCount..<workspace.planCount).map { i in
            let st = workspace.plan(i)
            _ = s
            // Defaults are the scenario's what-if ([what_if] defaulted), written once, not per plan.
            return ScenarioWriter.block(name: st.name, rules: rules[i] ?? [], defaulted: [])
        }
    }

    /// The scenario file's new text, with the rules it gives each plan. Numbers are written only when
    /// they changed, and the plans only when one of them changed, so an unchanged file stays byte for byte.
    func textToSave() throws(TOMLError) -> (text: String, rules: [Int: [PlanRule]]) {
        var editor = try TOMLEditor(text: tomlText)
        let now = workspace.scenario.terms
        for field in TermField.all(for: now.instruments) where field.text(in: now) != field.text(in: savedTerms) {
            try editor.set(field.tomlPath, literal: field.text(in: now))
        }
        // The what-if defaults every plan shares: written under [what_if] when they differ from the file's.
        let s = workspace.scenario
        let ids = workspace.plan(0).defaulted.sorted().compactMap { s.receivables.indices.contains($0.index) ? s.receivables[$0.index].id : nil }
        if Set(ids) != Set(s.defaulted) {
            try editor.set(["what_if", "defaulted"], literal: "[" + ids.map(tomlQuoted).joined(separator: ", ") + "]")
        }
        let rules = rulesToSave()
        let blocks = planBlocks(rules: rules)
        if blocks != savedPlanBlocks {
            try editor.replaceArrayOfTables("plans", with: blocks)
        }
        return (editor.text, rules)
    }
}
