import TerminalKit
import TresoCore

/// Editing a text field (filter, command line, form field).
public enum TextEdit: Sendable, Equatable {
    case insert(Character)
    case backspace
    case clear
    case submit
    case cancel
    /// Ctrl-W: the word before the end, as a shell does.
    case deleteWord
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
    case saveSucceeded(path: String, text: String)
    case exported(path: String)
    case effectFailed(String)
}

/// Work for the outside world, returned by `reduce` as a value and run by the executable
/// (`runEffect(_:)` does the file work through TresoIO; `.quit` ends the event loop).
public enum Effect: Sendable, Equatable {
    /// Write `text` to `path` atomically (a temporary file beside it, fsync, rename).
    case save(path: String, text: String)
    case export(path: String, text: String)
    /// A built-in theme name or a theme file path.
    case loadTheme(String)
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
                case .backspace, .delete, .ctrl("h"): return .text(.backspace)
                case .ctrl("u"): return .text(.clear)
                case .ctrl("w"): return .text(.deleteWord)
                case .up: return .text(.historyPrevious)
                case .down: return .text(.historyNext)
                case .enter: return .text(.submit)
                case .escape, .ctrl("c"), .ctrl("g"): return .text(.cancel)
                default: return nil
                }
            }
            if let c = KeyTable.command(for: key, in: keyContext) { return .command(c) }
            return .unbound(key)
        }
    }
}
