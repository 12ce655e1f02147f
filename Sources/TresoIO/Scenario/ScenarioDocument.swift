import TresoCore

/// The scenario file as the planner edits it: the one owner of treso.toml's text once loaded.
///
/// It holds the text last read or written (changes are made to it, so comments, blank lines and key
/// order stay), what that text says (terms and `[[plans]]` blocks, so only what changed is rewritten),
/// and the file's fingerprint (so a save never overwrites an edit someone made on disk meanwhile).
/// Writing is `ScenarioDocument.write` (SafeWrite.swift); the planner returns it as an effect.
public struct ScenarioDocument: Sendable, Equatable {
    public let path: String
    /// The file's text as last read or saved.
    public private(set) var text: String
    /// The terms and the user's plan blocks that `text` holds.
    public private(set) var savedTerms: ScenarioTerms
    public private(set) var savedPlanBlocks: [String]
    /// The scenario's what-if defaults (`[what_if] defaulted`) that `text` holds, by invoice id.
    public private(set) var savedDefaulted: [String]
    /// What was on disk when `text` was read or written.
    public private(set) var fingerprint: FileFingerprint

    public init(path: String, text: String, terms: ScenarioTerms, planBlocks: [String], defaulted: [String] = [],
                fingerprint: FileFingerprint? = nil) {
        self.path = path
        savedDefaulted = defaulted
        self.text = text
        savedTerms = terms
        savedPlanBlocks = planBlocks
        self.fingerprint = fingerprint ?? FileFingerprint(text: text)
    }

    /// The folder relative paths of the scenario (its CSVs, exports) are resolved against.
    public var folder: String { parentPath(path) }

    /// The new text of the file: numbers are written only when they changed, and the plans only when
    /// one of them changed, so an unchanged scenario saves byte for byte.
    public func textToSave(terms: ScenarioTerms, planBlocks: [String], defaulted: [String]? = nil) throws(TOMLError) -> String {
        let whatIf = defaulted.flatMap { Set($0) == Set(savedDefaulted) ? nil : $0 }
        return try Self.apply(terms: terms, over: savedTerms, planBlocks: planBlocks, changed: planBlocks != savedPlanBlocks,
                              defaulted: whatIf, to: text)
    }

    /// `text` with the numbers that differ from `base`, the what-if defaults when given, and, when `changed`,
    /// the plan blocks rewritten.
    public static func apply(terms: ScenarioTerms, over base: ScenarioTerms, planBlocks: [String], changed: Bool,
                             defaulted: [String]? = nil, to text: String) throws(TOMLError) -> String {
        var editor = try TOMLEditor(text: text)
        for field in TermField.all(for: terms.instruments) where field.text(in: terms) != field.text(in: base) {
            try editor.set(field.tomlPath, literal: field.text(in: terms))
        }
        // The what-if defaults every plan shares, written once under [what_if] when they changed.
        if let ids = defaulted {
            try editor.set([ScenarioKeys.whatIf, ScenarioKeys.defaulted], literal: "[" + ids.map(tomlQuoted).joined(separator: ", ") + "]")
        }
        if changed { try editor.replaceArrayOfTables(ScenarioKeys.plans, with: planBlocks) }
        return editor.text
    }

    /// After a successful write of `text`.
    public mutating func markSaved(text: String, terms: ScenarioTerms, planBlocks: [String], defaulted: [String]? = nil,
                                   fingerprint: FileFingerprint) {
        self.text = text
        if let defaulted { savedDefaulted = defaulted }
        savedTerms = terms
        savedPlanBlocks = planBlocks
        self.fingerprint = fingerprint
    }

    // MARK: Plan blocks

    /// The TOML inline table of one rule: `{ customer = "Acme SA", action = "factor:bank" }`.
    public static func literal(_ rule: PlanRule) -> String {
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
    public static func amountLiteral(_ m: Money) -> String {
        m.cents % 100 == 0 ? String(m.cents / 100) : m.decimalString
    }

    /// One `[[plans]]` block.
    public static func planBlock(name: String, rules: [PlanRule], defaulted: [String], drawings: [CreditDrawing] = []) -> String {
        var s = "[[plans]]\nname = " + tomlQuoted(name) + "\n"
        if !drawings.isEmpty {
            s += "drawings = [\n"
            for d in drawings {
                switch d.mode {
                case .fixed(let a, let f, let t):
                    s += "  { line = " + tomlQuoted(d.line) + ", amount = " + a.formatted(grouping: "") + ", from = " + f.iso + ", to = " + t.iso + " },\n"
                case .auto(let floor):
                    s += "  { line = " + tomlQuoted(d.line) + ", auto = true" + (floor.map { ", floor = " + $0.formatted(grouping: "") } ?? "") + " },\n"
                }
            }
            s += "]\n"
        }
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
