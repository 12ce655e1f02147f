import TresoCore
import TresoIO

/// Adds one plan to a scenario file without the planner (`treso optimize --save`): the same
/// `[[plans]]` blocks the planner writes, every other line of the user's file kept as it is.
public enum PlanSaving {
    /// The file's new text: `plan` replaces the plan of the same name (in place) or comes last.
    public static func text(adding plan: Plan, to tomlText: String, existing: [Plan]) throws(TOMLError) -> String {
        var editor = try TOMLEditor(text: tomlText)
        var plans = existing
        if let i = plans.firstIndex(where: { $0.name == plan.name }) { plans[i] = plan } else { plans.append(plan) }
        try editor.replaceArrayOfTables("plans", with: plans.map { ScenarioWriter.block(name: $0.name, rules: $0.rules, defaulted: $0.defaulted) })
        return editor.text
    }
}
