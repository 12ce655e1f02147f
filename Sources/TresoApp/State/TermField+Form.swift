import TresoCore
import TresoIO

/// The form's side of a scenario term: how it is labelled and how what the user types is read.
/// Where the value lives in treso.toml and how it is written there is TresoIO's `TermField`.
extension TermField {
    public var label: String {
        switch self {
        case .openingBalance: return "Opening balance"
        case .minCash: return "Minimum cash (buffer)"
        case .overdraftLimit: return "Overdraft limit"
        case .overdraftRate: return "Overdraft rate, % a year"
        case .highestOverdraftRate: return "Highest-overdraft commission, % a month"
        case .factoringAdvance(let n): return "Factoring \(n): advance, %"
        case .factoringCommission(let n): return "Factoring \(n): commission, %"
        case .factoringRate(let n): return "Factoring \(n): financing rate, % a year"
        case .reverseRate(let n): return "Reverse factoring \(n): rate, % a year"
        case .supplierRate(let n): return "Supplier financing \(n): rate, % a month"
        case .splitFee(let n): return "Split payment \(n): fee, %"
        }
    }

    /// Sets the field from what the user typed; returns why not when the text is not acceptable.
    public func set(_ raw: String, in t: inout ScenarioTerms) -> String? {
        let text = raw.trimmingSpaces().replacingComma()
        if isAmount {
            guard let m = Money(decimal: text.filter { $0 != " " && $0 != "_" }) else {
                return "'\(raw)' is not an amount: write digits with at most two decimals, e.g. 38000.00"
            }
            if self != .openingBalance && m.isNegative { return "\(label) cannot be negative" }
            switch self {
            case .openingBalance: t.openingBalance = m
            case .minCash: t.minCash = m
            default: t.overdraft.limit = m
            }
            return nil
        }
        guard let r = Rate(percent: text) else { return "'\(raw)' is not a percentage, e.g. 9.5" }
        guard r >= .zero, r <= .one else { return "\(label) must be between 0 and 100" }
        switch self {
        case .overdraftRate: t.overdraft.annualRate = r
        case .highestOverdraftRate: t.overdraft.highestOverdraftRate = r
        case .factoringAdvance(let n): t.instruments.factoring.mutate(n) { $0.advanceRate = r }
        case .factoringCommission(let n): t.instruments.factoring.mutate(n) { $0.commissionRate = r }
        case .factoringRate(let n): t.instruments.factoring.mutate(n) { $0.annualRate = r }
        case .reverseRate(let n): t.instruments.reverseFactoring.mutate(n) { $0.annualRate = r }
        case .supplierRate(let n): t.instruments.supplierFinancing.mutate(n) { $0.monthlyRate = r }
        case .splitFee(let n): t.instruments.splitPayment.mutate(n) { $0.feeRate = r }
        default: break
        }
        return nil
    }
}

protocol Named { var name: String { get } }
extension FactoringContract: Named {}
extension ReverseFactoringProgram: Named {}
extension SupplierFinancingProgram: Named {}
extension SplitPaymentProgram: Named {}

extension Array where Element: Named {
    mutating func mutate(_ name: String, _ body: (inout Element) -> Void) {
        for i in indices where self[i].name == name { body(&self[i]) }
    }
}

extension String {
    /// `9,5` → `9.5`: a French user types a decimal comma.
    func replacingComma() -> String { String(map { $0 == "," ? "." : $0 }) }
}

extension Scenario {
    /// Why these terms would take the scenario past a limit (`ScenarioLimits`), or nil: the form refuses
    /// such an edit and leaves the state as it was.
    func limitProblem(with terms: ScenarioTerms) -> String? {
        var s = self
        s.terms = terms
        return ScenarioLimits.firstViolation(in: s)?.message
    }
}
