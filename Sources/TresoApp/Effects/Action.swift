import TerminalKit
import TresoCore
import TresoIO

/// Editing a text field (filter, command line, form field).
public enum TextEdit: Sendable, Equatable {
    case insert(Character)
    case backspace
    case clear
    case submit
    case cancel
    /// Ctrl-W: the word before the cursor, as a shell does.
    case deleteWord
    /// Delete (and Ctrl-D): the character under the cursor.
    case deleteForward
    /// ← / → (Ctrl-B / Ctrl-F): the cursor one character left or right; Home / End (Ctrl-A / Ctrl-E): to the start or end.
    case left, right, home, end
    /// ↑ / ↓ on the command line: the previous / next line run in this session.
    case historyPrevious, historyNext
}

/// Everything that can happen to the app. Keys become actions through the key table
/// (`AppState.action(for:)`); effects report back with actions too.
public enum Action: Sendable, Equatable {
    case command(Command)
    /// A key bound to nothing where it was pressed (the app says so rather than staying silent).
    case unbound(Key)
    case text(TextEdit)
    case resize(width: Int, height: Int)
    /// Applies `decision` to the selected invoices, or takes it off when they all have it already;
    /// right after the same toggle, puts back what was there before.
    case toggle(Decision)
    /// Sets `decision` on the selected invoices.
    case setDecision(Decision)
    /// A command-line command, without the colon: `plan new Spring`, `goto 2027-01-15`, `w`.
    case run(String)
    case selectPlan(Int)
    case themeLoaded(Theme)
    /// The scenario file now holds `text` (`fingerprint`: what is on disk, when the writer knows it).
    case saveSucceeded(path: String, text: String, fingerprint: FileFingerprint? = nil)
    /// Someone changed the scenario file on disk since it was read: nothing was written.
    case saveConflict(path: String)
    case exported(FileExport)
    /// The export's file exists already: the user is asked before it is replaced.
    case exportTargetExists(FileExport)
    /// The scenario file as it is on disk now (after a conflict).
    case reloaded(ReloadedScenario)
    case effectFailed(String)
    /// Background jobs report back (`JobRunner`): a report whose generation the state no longer waits for is dropped.
    case optimizeTick(generation: Int, seconds: Double)
    case optimizeProgress(generation: Int, OptimizeProgress)
    case optimizeEnded(generation: Int, OptimizeOutcome)
    case riskComputed(generation: Int, RiskSummary)
}

/// A file the planner writes other than the scenario file itself: an export, a save to another path,
/// or a copy saved beside a scenario file that changed on disk.
public struct FileExport: Sendable, Equatable {
    /// Absolute, or relative to the current folder: already resolved against the scenario's folder.
    public var path: String
    public var text: String
    /// What the file holds, for the message: "the projection of \"plan\"".
    public var what: String
    /// The scenario's own files (treso.toml, its invoice files): never replaced.
    public var protecting: [String]
    /// The user agreed to replace an existing file.
    public var replace = false
    /// Not empty: an .xlsx workbook of these sheets (`text` is then unused).
    public var sheets: [Sheet] = []

    public init(path: String, text: String, what: String, protecting: [String], replace: Bool = false, sheets: [Sheet] = []) {
        self.path = path; self.text = text; self.what = what; self.protecting = protecting; self.replace = replace; self.sheets = sheets
    }
}

/// The scenario file re-read from disk.
public struct ReloadedScenario: Sendable, Equatable {
    public var scenario: Scenario
    public var text: String
    public var fingerprint: FileFingerprint?

    public init(scenario: Scenario, text: String, fingerprint: FileFingerprint?) {
        self.scenario = scenario; self.text = text; self.fingerprint = fingerprint
    }

    public static func == (a: ReloadedScenario, b: ReloadedScenario) -> Bool {
        a.text == b.text && a.fingerprint == b.fingerprint
    }
}

/// Work for the outside world, returned by `reduce` as a value and run by the executable
/// (`runEffect(_:)` does the file work through TresoIO; `.quit` ends the event loop).
public enum Effect: Sendable, Equatable {
    /// Write the scenario file (`SafeWrite`: exclusive temporary file, fsync, rename), only if it still
    /// holds `expecting` — what was read or last written — so an edit made on disk meanwhile is never lost.
    case save(path: String, text: String, expecting: FileFingerprint?)
    /// Write another file; never one of the scenario's own, and an existing one only once the user agreed.
    case export(FileExport)
    /// Read the scenario file again (after a conflict); `defaultStart` as at start-up.
    case reload(path: String, defaultStart: Day)
    /// A built-in theme name or a theme file path.
    case loadTheme(String)
    /// Start work off the event loop (`JobRunner`); what it reports comes back as actions.
    case startJob(Job)
    /// Stop the running job of this kind (an optimization keeps the best plan found so far, when it has one).
    case cancelJob(JobKind)
    case quit
}

extension AppState {
    /// The action a terminal event stands for, in the current mode; nil when it means nothing.
    public func action(for event: InputEvent) -> Action? {
        switch event {
        case .resize(let w, let h):
            return .resize(width: w, height: h)
        case .key(let key):
            if mode.isTextEntry {
                switch key {
                case .char(let c): return .text(.insert(c))
                case .backspace, .ctrl("h"): return .text(.backspace)
                case .delete, .ctrl("d"): return .text(.deleteForward)
                case .left, .ctrl("b"): return .text(.left)
                case .right, .ctrl("f"): return .text(.right)
                case .home, .ctrl("a"): return .text(.home)
                case .end, .ctrl("e"): return .text(.end)
                case .ctrl("u"): return .text(.clear)
                case .ctrl("w"): return .text(.deleteWord)
                case .up: return .text(.historyPrevious)
                case .down: return .text(.historyNext)
                case .enter: return .text(.submit)
                case .escape, .ctrl("c"), .ctrl("g"): return .text(.cancel)
                default: return nil
                }
            }
            // While `o` runs, Esc stops it, whatever pane has the focus.
            if key == .escape, mode == .normal, jobs.optimizing != nil { return .command(.stopOptimizing) }
            if let c = KeyTable.command(for: key, in: keyContext) { return .command(c) }
            return .unbound(key)
        }
    }
}
