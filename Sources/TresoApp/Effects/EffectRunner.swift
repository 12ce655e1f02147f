import TerminalKit
import TresoCore
import TresoIO

/// Runs the file work an effect asks for and reports back as an action (nil for `.quit`, which the
/// event loop handles). The reducer stays pure; the files are read and written by TresoIO
/// (`SafeWrite`, `readFileBytes`): this only maps effects to those calls and their outcomes to actions.
public func runEffect(_ effect: Effect) -> Action? {
    switch effect {
    case .save(let path, let text):
        switch writeFileAtomically(path: path, bytes: Array(text.utf8)) {
        case .success: return .saveSucceeded(path: path, text: text)
        case .failure(let d): return .effectFailed("not saved: " + d.description)
        }
    case .export(let path, let text):
        switch writeFileAtomically(path: path, bytes: Array(text.utf8)) {
        case .success: return .exported(path: path)
        case .failure(let d): return .effectFailed("not exported: " + d.description)
        }
    case .loadTheme(let name):
        switch ThemeLoader.load(name) {
        case .success(let t): return .themeLoaded(t)
        case .failure(let e): return .effectFailed(e.description)
        }
    case .quit:
        return nil
    }
}
