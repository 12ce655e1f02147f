import TerminalKit
import TresoCore

/// A pane of the main screen, in focus order.
public enum Pane: String, CaseIterable, Sendable, Hashable {
    case receivables, payables, chart, comparison

    public var context: KeyContext {
        switch self {
        case .receivables: return .receivables
        case .payables: return .payables
        case .chart: return .chart
        case .comparison: return .comparison
        }
    }

    public var invoiceKind: InvoiceKind? {
        switch self {
        case .receivables: return .receivable
        case .payables: return .payable
        default: return nil
        }
    }
}

/// A line on the bottom of the screen until the next key.
public struct Message: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    public init(_ text: String, isError: Bool = false) { self.text = text; self.isError = isError }
}

/// One choice of the decision picker, with the reason the engine refuses it, if it does.
public struct PickerOption: Sendable, Equatable {
    public var decision: Decision
    public var refusal: String?
}

public struct Picker: Sendable, Equatable {
    public var title: String
    public var options: [PickerOption]
    public var selected: Int
}

/// An editable number of the scenario (the "key numbers" form).
public enum TermField: Sendable, Hashable {
    case openingBalance, minCash, overdraftLimit, overdraftRate, highestOverdraftRate
    case factoringAdvance(String), factoringCommission(String), factoringRate(String)
    case reverseRate(String), supplierRate(String), splitFee(String)

    public static func all(for i: Instruments) -> [TermField] {
        var out: [TermField] = [.openingBalance, .minCash, .overdraftLimit, .overdraftRate, .highestOverdraftRate]
        for c in i.factoring { out += [.factoringAdvance(c.name), .factoringCommission(c.name), .factoringRate(c.name)] }
        out += i.reverseFactoring.map { .reverseRate($0.name) }
        out += i.supplierFinancing.map { .supplierRate($0.name) }
        out += i.splitPayment.map { .splitFee($0.name) }
        return out
    }

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

    public var isAmount: Bool {
        switch self {
        case .openingBalance, .minCash, .overdraftLimit: return true
        default: return false
        }
    }

    /// Where the value lives in treso.toml.
    public var tomlPath: [String] {
        switch self {
        case .openingBalance: return ["opening_balance"]
        case .minCash: return ["min_cash"]
        case .overdraftLimit: return ["overdraft", "limit"]
        case .overdraftRate: return ["overdraft", "annual_rate"]
        case .highestOverdraftRate: return ["overdraft", "highest_overdraft_rate"]
        case .factoringAdvance(let n): return ["factoring", n, "advance_rate"]
        case .factoringCommission(let n): return ["factoring", n, "commission_rate"]
        case .factoringRate(let n): return ["factoring", n, "annual_rate"]
        case .reverseRate(let n): return ["reverse_factoring", n, "annual_rate"]
        case .supplierRate(let n): return ["supplier_financing", n, "monthly_rate"]
        case .splitFee(let n): return ["split_payment", n, "fee_rate"]
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

extension Scenario {
    /// Why these terms would take the scenario past a limit (`ScenarioLimits`), or nil: the form refuses
    /// such an edit and leaves the state as it was.
    func limitProblem(with terms: ScenarioTerms) -> String? {
        var s = self
        s.terms = terms
        return ScenarioLimits.firstViolation(in: s)?.message
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

public struct TermsForm: Sendable, Equatable {
    public var fields: [TermField]
    public var selected = 0
    /// The text being typed into the selected field, while editing.
    public var editing: String?
    public var error: String?
}

/// What has the keyboard.
public enum Mode: Sendable, Equatable {
    case normal
    case help(scroll: Int)
    /// Typing a filter for one table; `previous` comes back on Esc.
    case filter(kind: InvoiceKind, text: String, previous: String)
    case command(text: String)
    case picker(Picker)
    case form(TermsForm)
    case confirmQuit

    public var context: KeyContext? {
        switch self {
        case .normal: return nil
        case .help: return .help
        case .picker: return .picker
        case .form(let f): return f.editing == nil ? .form : nil
        case .confirmQuit: return .confirm
        case .filter, .command: return nil
        }
    }

    /// Keys go to a text field.
    public var isTextEntry: Bool {
        switch self {
        case .filter, .command: return true
        case .form(let f): return f.editing != nil
        default: return false
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

struct PendingSave: Sendable {
    var text: String
    var editID: Int
    var terms: ScenarioTerms
    var rules: [Int: [PlanRule]]
}

/// The selected day of the chart, with its movements (cached: computing them scans the day's invoices).
public struct DayDetail: Sendable {
    public var day: Day
    public var position: DailyPosition?
    public var movements: [Movement]
    var key: DayKey
}

struct DayKey: Sendable, Equatable {
    var revision: Int
    var plan: Int
    var day: Int
}

/// Everything the interface shows and edits. Changed only by `reduce`; drawn by `render`.
public struct AppState: Sendable {
    public internal(set) var workspace: Workspace
    public internal(set) var activePlan: Int
    public internal(set) var focus: Pane = .receivables
    /// Which invoice table gets the room when there is not enough for both.
    public internal(set) var expanded: InvoiceKind = .receivable
    public internal(set) var receivables = InvoiceTableState(kind: .receivable)
    public internal(set) var payables = InvoiceTableState(kind: .payable)
    /// The day cursor, as an offset from the start.
    public internal(set) var day = 0
    /// First movement shown in the day panel.
    public internal(set) var dayScroll = 0
    public internal(set) var comparisonCursor = 0
    public internal(set) var mode: Mode = .normal
    public internal(set) var message: Message?
    public internal(set) var width: Int
    public internal(set) var height: Int
    public internal(set) var theme: Theme
    /// Today, passed in: the app never reads the clock.
    public let today: Day
    public let tomlPath: String
    /// The scenario file's text as last read or saved: edits are made to it, keeping comments.
    public internal(set) var tomlText: String
    var savedTerms: ScenarioTerms
    var savedPlanBlocks: [String]
    var undoStack: [Edit] = []
    var redoStack: [Edit] = []
    var nextEditID = 1
    /// Id of the edit on top of the undo stack when the file was last written (0: the loaded state).
    var savedEditID = 0
    /// Quit once the save in flight succeeds (`:wq`, or "save" in the quit prompt).
    var quitAfterSave = false
    /// The save in flight: what was written and what it means once it succeeds.
    var pendingSave: PendingSave?
    /// A note to put in front of the next message (e.g. that a built-in plan was copied).
    var pendingNotice: String?
    /// `id + " " + counterparty`, lowercased, per invoice: what the filter searches.
    let search: [InvoiceKind: InvoiceSearchText]
    public internal(set) var dayDetail: DayDetail
    /// How many invoices of each kind the active plan decides on (shown in the table titles).
    public internal(set) var decidedCount: [InvoiceKind: Int] = [:]
    private var decidedKey = DayKey(revision: -1, plan: -1, day: 0)

    public init(scenario: Scenario, tomlPath: String, tomlText: String, theme: Theme = .default, today: Day,
                width: Int = 100, height: Int = 30) {
        workspace = Workspace(scenario: scenario)
        activePlan = workspace.planCount > Workspace.builtinCount ? Workspace.builtinCount : 0
        comparisonCursor = activePlan
        self.theme = theme
        self.today = today
        self.tomlPath = tomlPath
        self.tomlText = tomlText
        self.width = max(0, width)
        self.height = max(0, height)
        savedTerms = scenario.terms
        search = [.receivable: InvoiceSearchText(scenario.receivables), .payable: InvoiceSearchText(scenario.payables)]
        dayDetail = DayDetail(day: scenario.start, position: nil, movements: [], key: DayKey(revision: -1, plan: -1, day: -1))
        savedPlanBlocks = []
        savedPlanBlocks = planBlocks()
        // Start on today when it falls inside the horizon, else on the first day.
        let t = today - scenario.start
        day = t >= 0 && t < max(scenario.horizonDays, 1) ? t : 0
        resortTable(.receivable)
        resortTable(.payable)
        refreshDayDetail()
        refreshDecidedCount()
        let refused = workspace.loadRefusals.count
        if refused > 0 {
            message = Message("note: the instruments refuse \(refused) decision\(refused == 1 ? "" : "s") of the stored plans (overdue, excluded customer, over a maximum…); treso compare lists them")
        }
    }

    public var scenario: Scenario { workspace.scenario }
    public var isDirty: Bool { (undoStack.last?.id ?? 0) != savedEditID }
    public var activePlanState: PlanState { workspace.plan(activePlan) }
    public var activeProjection: Projection { workspace.projection(of: activePlan) }
    public var undoCount: Int { undoStack.count }
    public var redoCount: Int { redoStack.count }

    public func table(_ kind: InvoiceKind) -> InvoiceTableState { kind == .receivable ? receivables : payables }

    mutating func withTable(_ kind: InvoiceKind, _ body: (inout InvoiceTableState) -> Void) {
        if kind == .receivable { body(&receivables) } else { body(&payables) }
    }

    /// The key context of what has the keyboard.
    public var keyContext: KeyContext { mode.context ?? focus.context }

    /// After a change of sort (or of plan, when sorted by decision).
    mutating func resortTable(_ kind: InvoiceKind) {
        let s = workspace.scenario
        let plan = workspace.plan(activePlan)
        let invoices = s.invoices(kind)
        let settlements = kind == .receivable ? workspace.engine.receivableSettlements : workspace.engine.payableSettlements
        let text = search[kind] ?? InvoiceSearchText([])
        withTable(kind) { t in
            t.resort(invoices: invoices, settlements: settlements, search: text) { plan.decision(for: InvoiceRef(kind, $0)) }
        }
    }

    /// After a change of filter; `full` when the decisions changed under it (another plan).
    mutating func refilterTable(_ kind: InvoiceKind, full: Bool = false) {
        let plan = workspace.plan(activePlan)
        let invoices = workspace.scenario.invoices(kind)
        let text = search[kind] ?? InvoiceSearchText([])
        withTable(kind) { t in
            t.refilter(invoices: invoices, search: text, decisions: { plan.decision(for: InvoiceRef(kind, $0)) }, full: full)
        }
    }

    /// After another plan became active: what depends on its decisions is rebuilt.
    mutating func planChangedTables() {
        for kind in InvoiceKind.allCases {
            let t = table(kind)
            if t.sortColumn == .decision { resortTable(kind) } else if !t.filter.isEmpty { refilterTable(kind, full: true) }
        }
    }

    mutating func refreshDecidedCount() {
        let key = DayKey(revision: workspace.revision, plan: activePlan, day: 0)
        guard key != decidedKey else { return }
        decidedKey = key
        var r = 0, p = 0
        for ref in activePlanState.decisions.keys { if ref.kind == .receivable { r += 1 } else { p += 1 } }
        decidedCount = [.receivable: r, .payable: p]
    }

    mutating func refreshDayDetail() {
        let horizon = max(workspace.scenario.horizonDays, 1)
        day = min(max(0, day), horizon - 1)
        let key = DayKey(revision: workspace.revision, plan: activePlan, day: day)
        guard key != dayDetail.key else { return }
        let d = workspace.scenario.start + day
        let projection = activeProjection
        let moves = activePlanState.movements(on: d, projection: projection)
        if dayDetail.day != d { dayScroll = 0 }
        dayDetail = DayDetail(day: d, position: projection.position(on: d), movements: moves, key: key)
        dayScroll = min(dayScroll, max(0, moves.count - 1))
    }

    mutating func replaceWorkspace(_ body: (inout Workspace) -> Void) {
        body(&workspace)
    }
}
