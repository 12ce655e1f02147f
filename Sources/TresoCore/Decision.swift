/// How one invoice is handled in a plan.
public enum Decision: Sendable, Hashable {
    case none
    /// Sell the receivable to a factor under the named contract.
    case factor(String)
    /// Pay the supplier through the named reverse-factoring program.
    case reverseFactor(String)
    /// Have the named platform pay the supplier; repay after its term.
    case supplierFinancing(String)
    /// Pay in instalments through the named split-payment partner.
    case splitPayment(String)
    /// Ask the supplier for the target term (within the legal cap).
    case negotiate
    /// Pay N days after the due date without agreement: late interest and the fixed indemnity apply.
    case payLate(Int)
    /// Assign the receivable to the bank under the named Dailly program (cession de créances professionnelles).
    case dailly(String)
    /// Discount the receivable as an LCR (trade bill) under the named program (escompte).
    case discount(String)

    /// The text form used in scenario files and on screen: `factor:bank`, `reverse:scf`, `negotiate`, `late:15`.
    public var code: String {
        switch self {
        case .none: return "none"
        case .factor(let n): return "factor:" + n
        case .reverseFactor(let n): return "reverse:" + n
        case .supplierFinancing(let n): return "supplier:" + n
        case .splitPayment(let n): return "split:" + n
        case .negotiate: return "negotiate"
        case .payLate(let d): return "late:" + String(d)
        case .dailly(let n): return "dailly:" + n
        case .discount(let n): return "escompte:" + n
        }
    }

    public init?(code: String) {
        let parts = code.split(separator: ":", maxSplits: 1).map(String.init)
        let head = parts.first?.lowercased() ?? ""
        let arg = parts.count > 1 ? parts[1] : ""
        switch head {
        case "none", "": self = .none
        case "factor", "affacturage": guard !arg.isEmpty else { return nil }; self = .factor(arg)
        case "reverse", "reverse-factor", "affacturage-inverse": guard !arg.isEmpty else { return nil }; self = .reverseFactor(arg)
        case "supplier", "supplier-financing", "finance": guard !arg.isEmpty else { return nil }; self = .supplierFinancing(arg)
        case "split", "split-payment": guard !arg.isEmpty else { return nil }; self = .splitPayment(arg)
        case "negotiate", "negocier", "négocier": self = .negotiate
        case "dailly", "cession": guard !arg.isEmpty else { return nil }; self = .dailly(arg)
        case "escompte", "discount", "lcr": guard !arg.isEmpty else { return nil }; self = .discount(arg)
        case "late", "pay-late":
            guard let d = Int(arg), d >= 1, d <= 365 else { return nil }
            self = .payLate(d)
        default: return nil
        }
    }

    /// Short human label: "factor (bank)", "reverse factoring (scf)", "pay 15 d late".
    public var label: String {
        switch self {
        case .none: return "—"
        case .factor(let n): return "factor (\(n))"
        case .reverseFactor(let n): return "reverse factoring (\(n))"
        case .supplierFinancing(let n): return "supplier financing (\(n))"
        case .splitPayment(let n): return "split payment (\(n))"
        case .negotiate: return "negotiate terms"
        case .payLate(let d): return "pay \(d) d late"
        case .dailly(let n): return "Dailly (\(n))"
        case .discount(let n): return "escompte LCR (\(n))"
        }
    }

    /// Which kind of invoice the decision applies to (nil for none).
    public var appliesTo: InvoiceKind? {
        switch self {
        case .none: return nil
        case .factor, .dailly, .discount: return .receivable
        default: return .payable
        }
    }
}

/// Which invoices a plan rule selects.
public enum PlanSelector: Sendable, Hashable {
    case invoice(String)
    /// Every invoice of one counterparty (receivables: a customer; payables: a supplier).
    case counterparty(String)
    /// Every invoice of the kind with an amount strictly above this one.
    case amountAbove(Money)
    /// Every invoice of the kind.
    case all
}

/// One line of a plan as written in the scenario file: apply `decision` to what `selector` picks.
public struct PlanRule: Sendable, Hashable {
    public var kind: InvoiceKind
    public var selector: PlanSelector
    public var decision: Decision
    /// Where the rule was written (for messages); 0 when built in code.
    public var line: Int
    public init(kind: InvoiceKind, selector: PlanSelector, decision: Decision, line: Int = 0) {
        self.kind = kind; self.selector = selector; self.decision = decision; self.line = line
    }
}

/// A named set of per-invoice decisions, plus what-if defaults.
public struct Plan: Sendable, Hashable {
    public var name: String
    /// Rules in order; a later rule overrides an earlier one for the same invoice, and a rule naming an
    /// invoice id overrides rules by counterparty or amount.
    public var rules: [PlanRule]
    /// Receivables the customer never pays (what-if), by invoice id.
    public var defaulted: [String]
    /// How the plan draws on credit lines (none by default: a plan without drawings never uses a line).
    public var drawings: [CreditDrawing] = []

    public init(name: String, rules: [PlanRule] = [], defaulted: [String] = [], drawings: [CreditDrawing] = []) {
        self.name = name; self.rules = rules; self.defaulted = defaulted; self.drawings = drawings
    }
}
