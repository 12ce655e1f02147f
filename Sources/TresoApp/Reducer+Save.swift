import TresoCore
import TresoIO

/// Saving the scenario file, and what happens when someone changed it on disk meanwhile.
extension AppState {
    /// The files an export or a copy must never replace: treso.toml and the invoice files it names.
    var ownFiles: [String] { [tomlPath, scenario.receivablesFile, scenario.payablesFile] }

    /// The scenario file's name, for messages (the prompt shows the whole path).
    var fileName: String { tomlPath.split(separator: "/").last.map(String.init) ?? tomlPath }

    /// treso.mine.toml beside treso.toml: where "save beside" puts this session's version. A `.toml`
    /// name, so `treso path/treso.mine.toml` opens it (its CSV paths resolve from the same folder).
    var besidePath: String {
        let folder = file.folder
        return (folder == "." && !tomlPath.hasPrefix("./") ? "" : folder + "/") + "treso.mine.toml"
    }

    mutating func save() -> [Effect] {
        guard let (text, pending) = prepareSave() else { return [] }
        document.pendingSave = pending
        return [.save(path: tomlPath, text: text, expecting: file.fingerprint)]
    }

    /// The file's new text and what it means once written; nil (with the reason shown) when the text
    /// cannot be edited.
    mutating func prepareSave() -> (String, PendingSave)? {
        let workspace = self.workspace
        let rules = workspace.rulesToSave()
        let blocks = workspace.planBlocks(rules: rules)
        let defaulted = workspace.defaultedIDs()
        do {
            let text = try file.textToSave(terms: workspace.scenario.terms, planBlocks: blocks, defaulted: defaulted)
            return (text, PendingSave(text: text, editID: document.history.currentID, terms: workspace.scenario.terms,
                                      rules: rules, planBlocks: blocks, defaulted: defaulted, workspace: workspace))
        } catch {
            quitAfterSave = false
            message = Message("cannot save \(tomlPath): \(error.description)", isError: true)
            return nil
        }
    }

    /// `:w PATH`: this session's version of the scenario written to PATH; the session stays on its file.
    mutating func saveCopy(to raw: String) -> [Effect] {
        let path = ExportTarget.resolve(raw, in: file.folder)
        if path == tomlPath { return save() }
        guard let (text, _) = prepareSave() else { return [] }
        return [.export(FileExport(path: path, text: text, what: "saved a copy of the scenario (this session stays on \(tomlPath))",
                                   protecting: ownFiles))]
    }

    mutating func saveSucceeded(path: String, text: String, fingerprint: FileFingerprint?) -> [Effect] {
        guard let p = document.pendingSave, p.text == text else { return [] }
        document.pendingSave = nil
        document.file.markSaved(text: text, terms: p.terms, planBlocks: p.planBlocks, defaulted: p.defaulted,
                                fingerprint: fingerprint ?? FileFingerprint(text: text))
        document.history.markSaved(at: p.editID)
        workspace.markSaved(rules: p.rules)
        if let w = p.workspace { document.saved = w; document.savedGeneration += 1 }
        if case .adopting = document.reload {
            // The merged file is written: read it back, so the session shows exactly what it holds.
            return [.reload(path: tomlPath, defaultStart: today)]
        }
        let plans = workspace.planCount - Workspace.builtinCount
        message = Message("saved \(path): \(plans) plan\(plans == 1 ? "" : "s"), comments kept")
        if quitAfterSave { quitAfterSave = false; return [.quit] }
        return []
    }

    mutating func saveConflict(path: String) -> [Effect] {
        document.pendingSave = nil
        document.reload = .none
        mode = .conflict
        message = Message("\(fileName) changed on disk since it was read: nothing written (r: reload and re-apply, b: save beside)", isError: true)
        return []
    }

    mutating func runInConflict(_ c: Command) -> [Effect] {
        switch c {
        case .reloadAndReapply:
            mode = .normal
            document.reload = .merging
            message = Message("reading \(tomlPath) again…")
            return [.reload(path: tomlPath, defaultStart: today)]
        case .saveBeside:
            mode = .normal
            quitAfterSave = false
            guard let (text, _) = prepareSave() else { return [] }
            return [.export(FileExport(path: besidePath, text: text,
                                       what: "saved your version beside the changed file (\(tomlPath) left as it is)", protecting: ownFiles))]
        case .cancel:
            mode = .normal
            quitAfterSave = false
            message = Message("nothing written; \(tomlPath) was changed by someone else, your changes are still unsaved", isError: true)
        default: break
        }
        return []
    }

    mutating func runInReplace(_ c: Command, _ export: FileExport) -> [Effect] {
        switch c {
        case .replaceFile:
            mode = .normal
            var e = export
            e.replace = true
            return [.export(e)]
        case .cancel:
            mode = .normal
            message = Message("kept \(export.path): nothing written")
        default: break
        }
        return []
    }

    mutating func exportTargetExists(_ export: FileExport) -> [Effect] {
        mode = .confirmReplace(export)
        message = Message("\(export.path) exists: y replaces it, n keeps it")
        return []
    }

    mutating func reloaded(_ r: ReloadedScenario) -> [Effect] {
        switch document.reload {
        case .none:
            return []
        case .adopting(let changes):
            adopt(r, note: "re-applied your \(changes) change\(changes == 1 ? "" : "s") to \(fileName) as changed on disk, and saved; undo starts again here")
            if quitAfterSave { quitAfterSave = false; return [.quit] }
            return []
        case .merging:
            let changes = unsavedCount
            let merged: String
            do {
                merged = try reapplied(onto: r)
            } catch {
                document.reload = .none
                quitAfterSave = false
                message = Message("cannot re-apply your changes to \(tomlPath): \(error.description); b saves yours beside it", isError: true)
                mode = .conflict
                return []
            }
            if merged == r.text {
                adopt(r, note: "reloaded \(tomlPath): nothing of this session to re-apply")
                return []
            }
            let p = PendingSave(text: merged, editID: document.history.currentID, terms: workspace.scenario.terms, rules: [:],
                                planBlocks: [], defaulted: [])
            document.pendingSave = p
            document.reload = .adopting(changes: changes)
            return [.save(path: tomlPath, text: merged, expecting: r.fingerprint ?? FileFingerprint(text: r.text))]
        }
    }

    /// This session's changes — the terms, the what-if defaults and the plans it changed, against what the file
    /// held when it was read — applied to the file as it is on disk now. A plan changed on both sides takes this session's
    /// version; plans and numbers changed only on disk are kept.
    func reapplied(onto r: ReloadedScenario) throws(TOMLError) -> String {
        let disk = Workspace(scenario: r.scenario)
        let diskBlocks = disk.planBlocks(rules: disk.rulesToSave())
        let now = workspace.planBlocks(rules: workspace.rulesToSave())
        // A block's second line (`name = "…"`) names its plan.
        func key(_ block: String) -> String { block.split(separator: "\n", maxSplits: 2).dropFirst().first.map(String.init) ?? block }
        let base = Dictionary(file.savedPlanBlocks.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let nowKeys = Set(now.map(key))
        var merged = diskBlocks.filter { b in base[key(b)] == nil || nowKeys.contains(key(b)) }
        for b in now where base[key(b)] != b {
            if let i = merged.firstIndex(where: { key($0) == key(b) }) { merged[i] = b } else { merged.append(b) }
        }
        var terms = r.scenario.terms
        let mine = scenario.terms
        let fieldsOnDisk = Set(TermField.all(for: terms.instruments))
        for field in TermField.all(for: mine.instruments) where fieldsOnDisk.contains(field) && field.text(in: mine) != field.text(in: file.savedTerms) {
            _ = field.set(field.text(in: mine), in: &terms)
        }
        // The what-if defaults, when this session changed them, are this session's.
        let defaulted = workspace.defaultedIDs()
        let whatIf = Set(defaulted) == Set(file.savedDefaulted) ? nil : defaulted
        return try ScenarioDocument.apply(terms: terms, over: r.scenario.terms, planBlocks: merged, changed: merged != diskBlocks,
                                          defaulted: whatIf, to: r.text)
    }

    /// Replaces the document by the file as re-read, keeping what the user looks at.
    mutating func adopt(_ r: ReloadedScenario, note: String) {
        var fresh = AppState(scenario: r.scenario, tomlPath: tomlPath, tomlText: r.text, tomlFingerprint: r.fingerprint,
                             theme: theme, today: today, width: width, height: height)
        let plan = activePlanState.name
        fresh.focus = focus
        fresh.expanded = expanded
        fresh.day = day
        if let i = fresh.workspace.planNames.firstIndex(of: plan) {
            fresh.activePlan = i
            fresh.comparisonCursor = i
            fresh.planChangedTables()
        }
        fresh.quitAfterSave = quitAfterSave
        fresh.message = Message(note)
        self = fresh
    }
}
