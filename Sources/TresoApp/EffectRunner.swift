import TerminalKit
import TresoCore
import TresoIO

/// Runs the file work an effect asks for and reports back as an action (nil for `.quit`, which the
/// event loop handles). The only code of TresoApp that touches files; the reducer stays pure.
public func perform(_ effect: Effect) -> Action? {
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

/// Finds a theme by built-in name, by file path, or as `themes/NAME.toml` under the current folder.
public enum ThemeLoader {
    public static func load(_ nameOrPath: String) -> Result<Theme, ThemeError> {
        if let t = Theme.builtin(named: nameOrPath) { return .success(t) }
        let looksLikePath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml")
        let candidates = looksLikePath ? [nameOrPath] : ["themes/" + nameOrPath + ".toml"]
        for path in candidates {
            switch readRegularFile(path: path, displayName: path, limit: .text) {
            case .success(let bytes):
                do {
                    return .success(try Theme.parse(String(decoding: bytes, as: UTF8.self), file: path))
                } catch {
                    return .failure(error)
                }
            case .failure(let d):
                if looksLikePath { return .failure(ThemeError(file: path, line: 0, column: 0, message: d.message)) }
            }
        }
        return .failure(ThemeError(file: nameOrPath, line: 0, column: 0,
                                   message: "no such theme: built-in themes are \(Theme.builtinNames.joined(separator: ", ")), or give a theme file's path"))
    }
}

/// One terminal event through the app, as the event loop runs it: the key table maps it to an action,
/// `reduce` applies it, and every effect is performed (its follow-up actions reduced in turn).
/// Returns false when the app must quit. Tests drive the same path headless.
public func handle(_ event: InputEvent, state: inout AppState) -> Bool {
    guard let first = state.action(for: event) else { return true }
    var queue = [first]
    while !queue.isEmpty {
        let action = queue.removeFirst()
        for effect in reduce(&state, action) {
            if effect == .quit { return false }
            if let followUp = perform(effect) { queue.append(followUp) }
        }
    }
    return true
}
