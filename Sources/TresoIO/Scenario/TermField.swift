import TresoCore

/// An editable number of the scenario, and where it lives in treso.toml: the one schema of key paths
/// the reader's key names, the writer (`ScenarioDocument`) and the planner's terms form share.
/// The form's labels and the parsing of what the user types stay with the form (TresoApp).
public enum TermField: Sendable, Hashable {
    case openingBalance, minCash, overdraftLimit, overdraftRate, highestOverdraftRate
    case factoringAdvance(String), factoringCommission(String), factoringRate(String)
    case reverseRate(String), supplierRate(String), splitFee(String)

    /// Every editable number of these terms, in form order.
    public static func all(for i: Instruments) -> [TermField] {
        var out: [TermField] = [.openingBalance, .minCash, .overdraftLimit, .overdraftRate, .highestOverdraftRate]
        for c in i.factoring { out += [.factoringAdvance(c.name), .factoringCommission(c.name), .factoringRate(c.name)] }
        out += i.reverseFactoring.map { .reverseRate($0.name) }
        out += i.supplierFinancing.map { .supplierRate($0.name) }
        out += i.splitPayment.map { .splitFee($0.name) }
        return out
    }

    public var isAmount: Bool {
        switch self {
        case .openingBalance, .minCash, .overdraftLimit: return true
        default: return false
        }
    }

    /// Where the value lives in treso.toml.
    public var tomlPath: [String] {
        switch self {
        case .openingBalance: return [ScenarioKeys.openingBalance]
        case .minCash: return [ScenarioKeys.minCash]
        case .overdraftLimit: return [ScenarioKeys.overdraft, ScenarioKeys.limit]
        case .overdraftRate: return [ScenarioKeys.overdraft, ScenarioKeys.annualRate]
        case .highestOverdraftRate: return [ScenarioKeys.overdraft, ScenarioKeys.highestOverdraftRate]
        case .factoringAdvance(let n): return [ScenarioKeys.factoring, n, ScenarioKeys.advanceRate]
        case .factoringCommission(let n): return [ScenarioKeys.factoring, n, ScenarioKeys.commissionRate]
        case .factoringRate(let n): return [ScenarioKeys.factoring, n, ScenarioKeys.annualRate]
        case .reverseRate(let n): return [ScenarioKeys.reverseFactoring, n, ScenarioKeys.annualRate]
        case .supplierRate(let n): return [ScenarioKeys.supplierFinancing, n, ScenarioKeys.monthlyRate]
        case .splitFee(let n): return [ScenarioKeys.splitPayment, n, ScenarioKeys.feeRate]
        }
    }

    /// The value as it is written in the file and in the form (`38000.00`, `9.5`).
    public func text(in t: ScenarioTerms) -> String {
        switch self {
        case .openingBalance: return t.openingBalance.decimalString
        case .minCash: return t.minCash.decimalString
        case .overdraftLimit: return t.overdraft.limit.decimalString
        case .overdraftRate: return t.overdraft.annualRate.percentString
        case .highestOverdraftRate: return t.overdraft.highestOverdraftRate.percentString
        case .factoringAdvance(let n): return t.instruments.factoringContract(n)?.advanceRate.percentString ?? ""
        case .factoringCommission(let n): return t.instruments.factoringContract(n)?.commissionRate.percentString ?? ""
        case .factoringRate(let n): return t.instruments.factoringContract(n)?.annualRate.percentString ?? ""
        case .reverseRate(let n): return t.instruments.reverseProgram(n)?.annualRate.percentString ?? ""
        case .supplierRate(let n): return t.instruments.supplierProgram(n)?.monthlyRate.percentString ?? ""
        case .splitFee(let n): return t.instruments.splitProgram(n)?.feeRate.percentString ?? ""
        }
    }
}

/// The key names of treso.toml that the planner writes back: read by `ScenarioLoader` and
/// `FinancingSection`, written through `TermField.tomlPath` and `ScenarioDocument`.
public enum ScenarioKeys {
    public static let openingBalance = "opening_balance"
    public static let minCash = "min_cash"
    public static let overdraft = "overdraft"
    public static let limit = "limit"
    public static let annualRate = "annual_rate"
    public static let highestOverdraftRate = "highest_overdraft_rate"
    public static let factoring = "factoring"
    public static let advanceRate = "advance_rate"
    public static let commissionRate = "commission_rate"
    public static let reverseFactoring = "reverse_factoring"
    public static let supplierFinancing = "supplier_financing"
    public static let monthlyRate = "monthly_rate"
    public static let splitPayment = "split_payment"
    public static let feeRate = "fee_rate"
    public static let plans = "plans"
    public static let whatIf = "what_if"
    public static let defaulted = "defaulted"
}
