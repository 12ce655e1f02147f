import TerminalKit
import TresoCore
import TresoIO

/// A save in flight: what was written and what it means once it succeeds.
struct PendingSave: Sendable, Equatable {
    var text: String
    var editID: Int
    var terms: ScenarioTerms
    var rules: [Int: [PlanRule]]
    var planBlocks: [String]
    var defaulted: [String]
    /// The document as written: what "unsaved" is measured against once the write succeeds.
    var workspace: Workspace? = nil
}

/// The document being edited: every plan and the terms (the workspace), the session's undo history,
/// and the scenario file they are saved to.
struct DocumentState: Sendable, Equatable {
    var workspace: Workspace
    var file: ScenarioDocument
    var history = UndoHistory()
    /// The document as the scenario file holds it (as read, or as last saved): unsaved changes are the net
    /// difference from it, so a change and its reversal leave nothing unsaved.
    var saved: Workspace
    /// Bumped at each save, so a save at the same revision refreshes the count.
    var savedGeneration = 0
    var pendingSave: PendingSave?
    /// Where a "reload and re-apply" after a conflict stands.
    var reload: ReloadStage = .none
}

/// After the file changed on disk: re-read it, write it with this session's changes re-applied, re-read it.
enum ReloadStage: Sendable, Equatable {
    case none
    /// Waiting for the file as it is on disk.
    case merging
    /// Waiting for the merged text to be written, then re-read.
    case adopting(changes: Int)
}

/// Everything the interface shows and edits. Changed only by `reduce`; drawn by `render`.
/// Three groups: the document (what is saved), the view (flat below: what the user looks at), and
/// caches derived from both; equality is synthesised, the caches taking no part in it.
public struct AppState: Sendable, Equatable {
    // MARK: Document

    var document: DocumentState

    /// Read and modified in place (`_read`/`_modify`): a plain getter would copy the whole workspace on every read.
    public internal(set) var workspace: Workspace {
        _read { yield document.workspace }
        _modify { yield &document.workspace }
    }

    // MARK: View

    public internal(set) var activePlan: Int
    /// With [accounts]: the bank account the chart and the day table show (`:account NAME`), nil = consolidated.
    public internal(set) var shownAccount: Int? = nil
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
    /// Command lines run in this session, for ↑ / ↓ on the command line.
    var commandHistory = CommandHistory()
    /// Where the cursor is in the text being typed (command line, filter, form field): characters from its end.
    public internal(set) var lineBack = 0
    /// `.day`: the balance chart; `.week` / `.month`: the period table in its place (key `t`).
    public internal(set) var periodView: PeriodLength = .day
    public internal(set) var mode: Mode = .normal
    public internal(set) var message: Message?
    public internal(set) var width: Int
    public internal(set) var height: Int
    public internal(set) var theme: Theme
    /// Today, passed in: the app never reads the clock.
    public let today: Day
    /// Where the opening balance comes from when the scenario does not give it (a bank statement), shown in the header.
    public internal(set) var balanceSource: String?
    /// Quit once the save in flight succeeds (`:wq`, or "save" in the quit prompt).
    var quitAfterSave = false
    /// A note to put in front of the next message (e.g. that a built-in plan was copied).
    var pendingNotice: String?
    /// Work off the event loop: the optimization (`o`) and the risk simulation after each change.
    public internal(set) var jobs = BackgroundJobs()

    // MARK: Caches

    var cache: ViewCache

    public var dayDetail: DayDetail { cache.dayDetail }
    /// How many invoices of each kind the active plan decides on (shown in the table titles).
    public var decidedCount: [InvoiceKind: Int] { cache.decidedCount }

    public init(scenario: Scenario, tomlPath: String, tomlText: String, tomlFingerprint: FileFingerprint? = nil,
                theme: Theme = .default, today: Day, width: Int = 100, height: Int = 30) {
        let workspace = Workspace(scenario: scenario)
        activePlan = workspace.planCount > Workspace.builtinCount ? Workspace.builtinCount : 0
        comparisonCursor = activePlan
        self.theme = theme
        self.today = today
        self.width = max(0, width)
        self.height = max(0, height)
        let file = ScenarioDocument(path: tomlPath, text: tomlText, terms: scenario.terms,
                                    planBlocks: workspace.planBlocks(rules: workspace.rulesToSave()),
                                    defaulted: workspace.defaultedIDs(), fingerprint: tomlFingerprint)
        document = DocumentState(workspace: workspace, file: file, saved: workspace)
        cache = ViewCache(search: [.receivable: InvoiceSearchText(scenario.receivables), .payable: InvoiceSearchText(scenario.payables)],
                          dayDetail: DayDetail(day: scenario.start, position: nil, movements: [], key: DayKey(revision: -1, plan: -1, day: -1)))
        // Start on today when it falls inside the horizon, else on the first day.
        let t = today - scenario.start
        day = t >= 0 && t < max(scenario.horizonDays, 1) ? t : 0
        for kind in InvoiceKind.allCases {
            let largest = scenario.invoices(kind).reduce(UInt64(0)) { max($0, $1.amount.cents.magnitude) }
            cache.amountWidth[kind] = Money(cents: Int64(clamping: largest)).formatted().count + 1
            cache.hasMarkers[kind] = scenario.invoices(kind).contains { $0.origin != nil }
        }
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
    /// The scenario file this session saves to.
    public var file: ScenarioDocument { document.file }
    public var tomlPath: String { document.file.path }
    /// The scenario file's text as last read or saved.
    public var tomlText: String { document.file.text }
    /// Something differs from the scenario file as last read or saved.
    public var isDirty: Bool { unsavedCount > 0 }
    /// How many changes separate the document from the file (`Workspace.changes(since:)`), not how many steps were taken.
    public var unsavedCount: Int {
        cache.unsavedKey == unsavedKey ? cache.unsaved : workspace.changes(since: document.saved)
    }
    var unsavedKey: [Int] { [workspace.revision, document.saved.revision, document.savedGeneration] }

    mutating func refreshUnsaved() {
        let key = unsavedKey
        guard key != cache.unsavedKey else { return }
        cache.unsaved = workspace.changes(since: document.saved)
        cache.unsavedKey = key
    }
    public var activePlanState: PlanState { workspace.plan(activePlan) }
    public var activeProjection: Projection {
        if shownAccount != nil, let p = cache.account { return p }
        return workspace.projection(of: activePlan)
    }
    public var undoCount: Int { document.history.undoCount }
    public var redoCount: Int { document.history.redoCount }

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
        let text = cache.search[kind] ?? InvoiceSearchText([])
        withTable(kind) { t in
            t.resort(invoices: invoices, settlements: settlements, search: text) { plan.decision(for: InvoiceRef(kind, $0)) }
        }
    }

    /// After a change of filter; `full` when the decisions changed under it (another plan).
    mutating func refilterTable(_ kind: InvoiceKind, full: Bool = false) {
        let plan = workspace.plan(activePlan)
        let invoices = workspace.scenario.invoices(kind)
        let text = cache.search[kind] ?? InvoiceSearchText([])
        let settlements = kind == .receivable ? workspace.engine.receivableSettlements : workspace.engine.payableSettlements
        withTable(kind) { t in
            t.refilter(invoices: invoices, search: text, decisions: { plan.decision(for: InvoiceRef(kind, $0)) }, full: full,
                       settlements: settlements)
        }
    }

    /// After another plan became active: what depends on its decisions is rebuilt.
    mutating func planChangedTables() {
        for kind in InvoiceKind.allCases {
            let t = table(kind)
            if t.sortColumn == .decision { resortTable(kind) } else if !t.filter.isEmpty { refilterTable(kind, full: true) }
        }
    }

    /// Recomputes the shown account's projection when the document, the plan or the account changed.
    mutating func refreshAccountView() {
        guard let k = shownAccount, workspace.scenario.accounts.accounts.indices.contains(k) else {
            shownAccount = nil; cache.account = nil
            return
        }
        let key = DayKey(revision: workspace.revision, plan: activePlan, day: k)
        guard key != cache.accountKey else { return }
        cache.accountKey = key
        cache.account = workspace.plan(activePlan).accountProjections().accounts[k]
        // The day panel and the period table read the projection: recompute them for this account.
        cache.dayDetail.key = DayKey(revision: -1, plan: -1, day: -1)
        cache.periodsKey = DayKey(revision: -1, plan: -1, day: -1)
    }

    mutating func refreshDecidedCount() {
        let key = DayKey(revision: workspace.revision, plan: activePlan, day: 0)
        guard key != cache.decidedKey else { return }
        cache.decidedKey = key
        var r = 0, p = 0
        for ref in activePlanState.decisions.keys { if ref.kind == .receivable { r += 1 } else { p += 1 } }
        cache.decidedCount = [.receivable: r, .payable: p]
    }

    mutating func refreshDayDetail() {
        let horizon = max(workspace.scenario.horizonDays, 1)
        day = min(max(0, day), horizon - 1)
        let key = DayKey(revision: workspace.revision, plan: activePlan, day: day)
        guard key != cache.dayDetail.key else { return }
        let d = workspace.scenario.start + day
        let projection = activeProjection
        let moves = shownAccount.map { activePlanState.movements(on: d, account: $0, projection: projection) }
            ?? activePlanState.movements(on: d, projection: projection)
        if cache.dayDetail.day != d { dayScroll = 0 }
        cache.dayDetail = DayDetail(day: d, position: projection.position(on: d), movements: moves, key: key)
        dayScroll = min(dayScroll, max(0, moves.count - 1))
    }
}
