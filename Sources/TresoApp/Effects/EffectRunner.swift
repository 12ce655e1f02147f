import TerminalKit
import TresoCore
import TresoIO

/// Runs the file work an effect asks for and reports back as an action (nil for `.quit`, which the
/// event loop handles). The reducer stays pure; the files are read and written by TresoIO
/// (`SafeWrite`, `readFileBytes`): this only maps effects to those calls and their outcomes to actions.
public func runEffect(_ effect: Effect) -> Action? {
    switch effect {
    case .save(let path, let text, let expecting):
        switch SafeWrite.replace(path, with: Array(text.utf8), expecting: expecting) {
        case .written(let fingerprint): return .saveSucceeded(path: path, text: text, fingerprint: fingerprint)
        case .changedOnDisk: return .saveConflict(path: path)
        case .failed(let d): return .effectFailed("not saved: " + d.description)
        }
    case .export(let export):
        switch ExportTarget.status(of: export.path, protecting: export.protecting) {
        case .protected:
            return .effectFailed("not written, one of the scenario's own files: \(export.path)")
        case .notAFile:
            return .effectFailed("not written: \(export.path) is not a regular file")
        case .exists where !export.replace:
            return .exportTargetExists(export)
        case .exists, .free:
            if !export.sheets.isEmpty {
                if let why = XLSXWriter.write(export.sheets, to: export.path) { return .effectFailed("not written: " + why) }
                return .exported(export)
            }
            switch SafeWrite.replace(export.path, with: Array(export.text.utf8)) {
            case .written: return .exported(export)
            case .failed(let d): return .effectFailed("not written: " + d.description)
            case .changedOnDisk: return .effectFailed("not written: \(export.path) changed meanwhile")
            }
        }
    case .reload(let path, let defaultStart):
        let loaded = ScenarioLoader.load(path: path, defaultStart: defaultStart)
        guard let scenario = loaded.scenario else {
            let first = loaded.errors.first.map { $0.description } ?? "cannot read it"
            return .effectFailed("cannot reload \(path): \(first)" + (loaded.errors.count > 1 ? " (and \(loaded.errors.count - 1) more; treso check lists them)" : ""))
        }
        return .reloaded(ReloadedScenario(scenario: scenario, text: loaded.tomlText, fingerprint: loaded.tomlFingerprint))
    case .loadTheme(let name):
        switch ThemeLoader.load(name) {
        case .success(let t): return .themeLoaded(t)
        case .failure(let e): return .effectFailed(e.description)
        }
    case .quit, .startJob, .cancelJob:
        // Jobs go to the event loop's `JobRunner`; without one (a benchmark, a test) they do not run.
        return nil
    }
}
