import TerminalKit
import Testing
import TestSupport
@testable import TresoApp
import TresoCore
import TresoIO
#if canImport(Glibc)
import Glibc
#endif

/// Saving writes the user's file back with their comments and rules, and reloading gives the same plans.
@Suite struct SaveTests {
    func id(_ s: AppState, _ kind: InvoiceKind, where ok: (Int, Invoice) -> Bool) throws -> String {
        let list = s.scenario.invoices(kind)
        let i = try #require(list.indices.first { ok($0, list[$0]) })
        return list[i].id
    }

    func eligible(_ s: AppState, _ kind: InvoiceKind, _ i: Int, _ d: Decision) -> Bool {
        s.workspace.engine.options(for: InvoiceRef(kind, i)).contains { $0.decision == d && $0.refusal == nil }
    }

    /// name → (decisions by invoice id, defaulted ids)
    func plans(_ s: AppState) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for i in Workspace.builtinCount..<s.workspace.planCount {
            let st = s.workspace.plan(i)
            out[st.name] = st.decisions.map { "\(s.scenario.invoices($0.key.kind)[$0.key.index].id)=\($0.value.code)" }.sorted()
                + st.defaulted.map { "defaulted \(s.scenario.receivables[$0.index].id)" }.sorted()
        }
        return out
    }

    @Test func saveThenReloadKeepsCommentsRulesAndPlans() throws {
        let dir = try Fixture.demoCopy()
        defer { Fixture.remove(dir) }
        var s = try Fixture.demo(path: dir)
        let original = s.tomlText

        // A rule-based plan changed on single invoices: its customer rules stay, the changes are added by id.
        s.send(.run("plan factor Acme + Vinci"))
        let acme = try id(s, .receivable) { i, inv in inv.counterparty == "Acme Industrie SA" && s.activePlanState.decision(for: InvoiceRef(.receivable, i)) == .factor("bank") }
        s.select(acme)
        s.press("x")
        let other = try id(s, .receivable) { i, inv in
            !inv.counterparty.hasPrefix("Acme") && !inv.counterparty.hasPrefix("Vinci") && eligible(s, .receivable, i, .factor("bank"))
        }
        s.select(other)
        s.send(.toggle(.factor("bank")))
        // A new plan with payable decisions and a defaulted what-if.
        s.send(.run("plan new Spring \"plan\""))
        let p1 = try id(s, .payable) { i, _ in eligible(s, .payable, i, .negotiate) }
        s.select(p1)
        s.press("n")
        let p2 = try id(s, .payable) { i, inv in inv.id != p1 && eligible(s, .payable, i, .reverseFactor("scf")) }
        s.select(p2)
        s.press("r")
        s.select(other)
        s.press("d")
        // A renamed plan and an edited number.
        s.send(.run("plan reverse-factor steel"))
        s.send(.run("plan rename RF steel"))
        s.press("e", "j", "enter", "ctrl-u")
        s.type("20000")
        s.press("enter", "esc")
        #expect(s.scenario.minCash == Money(cents: 2_000_000))
        let expected = plans(s)

        s.press("w")
        #expect(!s.isDirty, "\(String(describing: s.message))")
        let text = try #require(readText(dir + "/treso.toml"))
        #expect(readText(dir + "/treso.toml.tmp") == nil)
        // Every comment line of the original is still there, and the buffer's end-of-line comment too.
        for line in original.split(separator: "\n") where line.trimmingSpaces().hasPrefix("#") {
            #expect(text.contains(line), "lost comment: \(line)")
        }
        #expect(text.contains("min_cash = 20000.00          # the buffer the CFO wants to keep"))
        #expect(text.contains("opening_balance = 82000.00"))
        // Rules are kept as written; single changes are added by id, not exploded.
        #expect(text.contains("{ customer = \"Acme Industrie SA\", action = \"factor:bank\" },"))
        #expect(text.contains("{ invoice = \"\(acme)\", action = \"none\" },"))
        #expect(text.contains("{ invoice = \"\(other)\", action = \"factor:bank\" },"))
        #expect(text.contains("{ receivables_above = 15000, action = \"factor:fintech\" },"))
        #expect(text.contains("name = \"Spring \\\"plan\\\"\""))
        #expect(text.contains("defaulted = [\"\(other)\"]"))
        #expect(text.contains("name = \"RF steel\""))
        #expect(text.split(separator: "\n").filter { $0.contains("{ invoice = ") }.count == 4)

        // Reload: the same plans, decision for decision.
        let again = try Fixture.demo(path: dir)
        #expect(again.workspace.loadRefusals.count == s.workspace.loadRefusals.count)
        #expect(plans(again) == expected)
        #expect(again.scenario.minCash == Money(cents: 2_000_000))

        // Saving again with no change writes the same bytes.
        var third = again
        third.press("w")
        #expect(readText(dir + "/treso.toml") == text)
    }

    /// Issue 9: `overdraft = { … }` written as an inline table could not be saved after editing terms.
    @Test func termsInAnInlineOverdraftTableAreSavedInPlace() throws {
        let dir = try Fixture.demoCopy()
        defer { Fixture.remove(dir) }
        let demo = try #require(readText(dir + "/treso.toml"))
        let section = "[overdraft]\nlimit = 50000.00\nannual_rate = 9.5            # percent, ACT/360\nhighest_overdraft_rate = 0.05   # percent of the month's largest debit\n"
        #expect(demo.contains(section))
        let inline = "# the bank's terms, on one line\noverdraft = { limit = 50000.00, annual_rate = 9.5 }  # ACT/360\n"
        let original = demo.split(separator: section, omittingEmptySubsequences: false).joined(separator: "")
        // The inline table must be among the root keys: it goes just before the first section.
        let cut = try #require(original.firstRange(of: "\n["))
        let text = String(original[..<cut.lowerBound]) + "\n" + inline + String(original[cut.lowerBound...])
        writeText(dir + "/treso.toml", text)

        var s = try Fixture.demo(path: dir)
        #expect(s.scenario.overdraft.limit == Money(cents: 5_000_000))
        s.press("e", "j", "j", "enter", "ctrl-u")  // the overdraft limit
        s.type("60000")
        s.press("enter", "j", "enter", "ctrl-u")  // its annual rate
        s.type("7.25")
        s.press("enter", "j", "enter", "ctrl-u")  // the highest-overdraft commission, missing from the file
        s.type("0.04")
        s.press("enter", "esc")
        #expect(s.scenario.overdraft.limit == Money(cents: 6_000_000))
        s.press("w")
        #expect(!s.isDirty, "\(String(describing: s.message))")
        let saved = try #require(readText(dir + "/treso.toml"))
        let expected = text.split(separator: "overdraft = { limit = 50000.00, annual_rate = 9.5 }  # ACT/360", omittingEmptySubsequences: false)
            .joined(separator: "overdraft = { limit = 60000.00, annual_rate = 7.25, highest_overdraft_rate = 0.04 }  # ACT/360")
        #expect(saved == expected)  // every other byte, comments included, as it was

        let again = try Fixture.demo(path: dir)
        #expect(again.scenario.overdraft == s.scenario.overdraft)
        #expect(again.scenario.overdraft.annualRate == s.scenario.overdraft.annualRate)
        #expect(again.scenario.overdraft.highestOverdraftRate == s.scenario.overdraft.highestOverdraftRate)
    }

    @Test func savingAnUnchangedScenarioChangesNoByte() throws {
        let dir = try Fixture.demoCopy()
        defer { Fixture.remove(dir) }
        var s = try Fixture.demo(path: dir)
        let before = try #require(readText(dir + "/treso.toml"))
        s.press("w")
        #expect(readText(dir + "/treso.toml") == before)
        #expect(s.message?.text.hasPrefix("saved") == true)
    }

    @Test func undoAfterSaveMakesItDirtyAgainAndRedoClean() throws {
        let dir = try Fixture.demoCopy()
        defer { Fixture.remove(dir) }
        var s = try Fixture.demo(path: dir)
        s.send(.run("plan new x"))
        s.press("w")
        #expect(!s.isDirty)
        s.press("u")
        #expect(s.isDirty)
        s.press("ctrl-r")
        #expect(!s.isDirty)
    }

    @Test func deletingEveryUserPlanRemovesTheBlocks() throws {
        let dir = try Fixture.demoCopy()
        defer { Fixture.remove(dir) }
        var s = try Fixture.demo(path: dir)
        while s.workspace.planCount > Workspace.builtinCount {
            s.send(.selectPlan(Workspace.builtinCount))
            s.send(.run("plan delete"))
            s.press("y")
        }
        s.press("w")
        let text = try #require(readText(dir + "/treso.toml"))
        #expect(!text.contains("[[plans]]"))
        #expect(text.contains("[negotiation]"))
        let again = try Fixture.demo(path: dir)
        #expect(again.workspace.planCount == Workspace.builtinCount)
    }

    @Test func aFailedWriteKeepsTheChangesAndSaysWhy() throws {
        var s = try Fixture.demo()
        s.send(.run("plan new x"))
        // Pretend the scenario lives where nothing can be written.
        let effects = s.send(.command(.save))
        guard case .save(_, let text, _)? = effects.first else { Issue.record("no save"); return }
        let follow = runEffect(.save(path: "/nonexistent-dir/treso.toml", text: text, expecting: nil))
        guard let follow else { Issue.record("no report"); return }
        s.send(follow)
        #expect(s.isDirty)
        #expect(s.message?.isError == true)
        #expect(s.message?.text.contains("not saved") == true)
    }

    @Test func exportWritesTheActivePlansProjection() throws {
        let dir = try Fixture.demoCopy()
        defer { Fixture.remove(dir) }
        var s = try Fixture.demo(path: dir)
        s.press(":")
        s.type("export csv \(dir)/out.csv")
        s.press("enter")
        let csv = try #require(readText(dir + "/out.csv"))
        #expect(csv.hasPrefix("date,"))
        #expect(s.message?.text.contains("exported") == true)
    }

    @Test func writeFileAtomicallyKeepsPermissions() throws {
        let dir = try Fixture.demoCopy()
        defer { Fixture.remove(dir) }
        let path = dir + "/treso.toml"
        chmod(path, 0o600)
        if case .failure(let d) = writeFileAtomically(path: path, bytes: Array("x = 1\n".utf8)) { Issue.record("\(d)") }
        var st = stat()
        stat(path, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(readText(path) == "x = 1\n")
    }

    // MARK: Issue 9: saves that never clobber, exports that never destroy

    @Test func aFileChangedOnDiskIsNotOverwrittenAndCanBeSavedBeside() throws {
        let dir = try Fixture.demoCopy()
        defer { unlink(dir + "/treso.mine.toml"); Fixture.remove(dir) }
        var s = try Fixture.demo(path: dir)
        s.send(.run("plan new mine"))
        // Someone edits the file meanwhile (by hand, or another treso's save).
        let edited = try #require(readText(dir + "/treso.toml")) + "# added by a colleague\n"
        writeText(dir + "/treso.toml", edited)
        s.press("w")
        #expect(s.mode == .conflict)
        #expect(s.isDirty)
        #expect(readText(dir + "/treso.toml") == edited)
        #expect(s.screen.contains("Scenario file changed on disk"))
        s.press("b")
        let mine = try #require(readText(dir + "/treso.mine.toml"))
        #expect(mine.contains("name = \"mine\""))
        #expect(readText(dir + "/treso.toml") == edited)
        #expect(s.message?.text.contains("treso.mine.toml") == true)
        #expect(s.isDirty)
        // Quitting still asks: the scenario file does not hold the session's work.
        #expect(s.send(.command(.quit)) == [])
    }

    @Test func reloadReappliesTheSessionsChangesAndKeepsThoseMadeOnDisk() throws {
        let dir = try Fixture.demoCopy()
        defer { Fixture.remove(dir) }
        var s = try Fixture.demo(path: dir)
        var other = try Fixture.demo(path: dir)
        // This session: a new plan and a new buffer.
        s.send(.run("plan new mine"))
        s.press("e", "j", "enter", "ctrl-u")
        s.type("20000")
        s.press("enter", "esc")
        // Another planner saves first: its own plan and another opening balance.
        other.send(.run("plan new theirs"))
        other.press("e", "enter", "ctrl-u")
        other.type("90000")
        other.press("enter", "esc", "w")
        #expect(!other.isDirty)
        s.press("w")
        #expect(s.mode == .conflict)
        s.press("r")
        #expect(s.mode == .normal)
        #expect(!s.isDirty, "\(String(describing: s.message))")
        let text = try #require(readText(dir + "/treso.toml"))
        #expect(text.contains("name = \"mine\""))
        #expect(text.contains("name = \"theirs\""))
        #expect(text.contains("min_cash = 20000.00"))
        #expect(text.contains("opening_balance = 90000.00"))
        #expect(text.contains("# the buffer the CFO wants to keep"))
        #expect(s.workspace.planNames.contains("theirs"))
        #expect(s.scenario.openingBalance == Money(cents: 9_000_000))
        #expect(s.message?.text.contains("re-applied") == true)
        // And the next save is an ordinary one.
        s.send(.run("plan new later"))
        s.press("w")
        #expect(!s.isDirty)
        #expect(readText(dir + "/treso.toml")?.contains("name = \"later\"") == true)
    }

    @Test func anExportNeverReplacesTheScenariosFilesAndAsksBeforeReplacingOthers() throws {
        let dir = try Fixture.demoCopy()
        defer { Fixture.remove(dir) }
        var s = try Fixture.demo(path: dir)
        let toml = try #require(readText(dir + "/treso.toml"))
        let csv = try #require(readText(dir + "/receivables.csv"))
        for target in ["treso.toml", "receivables.csv", "./treso.toml", dir + "/receivables.csv"] {
            s.press(":")
            s.type("export csv " + target)
            s.press("enter")
            #expect(s.message?.isError == true, "\(target)")
            #expect(s.message?.text.contains("scenario's own files") == true, "\(target)")
        }
        #expect(readText(dir + "/treso.toml") == toml)
        #expect(readText(dir + "/receivables.csv") == csv)
        // A relative path is the scenario folder's, and the message says where the file went.
        s.press(":")
        s.type("export csv out.csv")
        s.press("enter")
        let first = try #require(readText(dir + "/out.csv"))
        #expect(first.hasPrefix("date,"))
        writeText(dir + "/out.csv", "keep me\n")
        s.press(":")
        s.type("export csv out.csv")
        s.press("enter")
        #expect(s.mode == .confirmReplace(FileExport(path: dir + "/out.csv", text: first, what: "exported the projection of \"\(s.activePlanState.name)\"",
                                                      protecting: s.ownFiles)))
        s.press("n")
        #expect(readText(dir + "/out.csv") == "keep me\n")
        s.press(":")
        s.type("export csv out.csv")
        s.press("enter", "y")
        #expect(readText(dir + "/out.csv") == first)
        #expect(s.message?.text.hasSuffix(dir + "/out.csv") == true)
    }

    @Test func exportOffersTheCommandsFormatsAndTheFrenchDialect() throws {
        let dir = try Fixture.demoCopy()
        defer { Fixture.remove(dir) }
        var s = try Fixture.demo(path: dir)
        func export(_ line: String) {
            s.press(":")
            s.type(line)
            s.press("enter")
        }
        // The period table shown is what a bare export writes; fr is the French Excel dialect.
        s.press("t")
        export("export csv fr weeks.csv")
        let weeks = try #require(readText(dir + "/weeks.csv"))
        #expect(weeks.hasPrefix("\u{FEFF}row;"), "\(weeks.prefix(40))")
        #expect(weeks.contains("\r\nopening;"))
        #expect(s.message?.text.contains("weekly table") == true)
        export("export comparison csv cmp.csv")
        #expect(readText(dir + "/cmp.csv")?.hasPrefix("name,total_cost,") == true)
        export("export entries json entries.json")
        #expect(readText(dir + "/entries.json")?.hasPrefix("{\n  \"entries\": [") == true)
        export("export projection xlsx my plan.xlsx")
        let bytes = try readFileBytes(path: dir + "/my plan.xlsx", displayName: "my plan.xlsx").get()
        #expect(Array(bytes.prefix(2)) == [0x50, 0x4B])   // a zip: the workbook
        // A workbook too never replaces the scenario's files, and asks before replacing another.
        export("export comparison xlsx treso.toml")
        #expect(s.message?.text.contains("scenario's own files") == true)
        export("export comparison xlsx my plan.xlsx")
        guard case .confirmReplace(let e) = s.mode else { Issue.record("no question before replacing"); return }
        #expect(!e.sheets.isEmpty)
        s.press("y")
        #expect(s.message?.text.contains("comparison") == true)
        export("export json fr x.json")
        #expect(s.message?.isError == true && s.message?.text.contains("CSV dialect") == true)
    }

    /// Issue 13: the unsaved counter is the net difference from the file, not the number of steps taken.
    @Test func aChangeThenItsReversalLeavesNothingUnsaved() throws {
        var s = try Fixture.demo()
        let opening = s.scenario.terms.openingBalance
        // The opening balance changed, then typed back as it was: two steps, no difference.
        s.press("e", "enter", "ctrl-u")
        s.type("1000")
        s.press("enter")
        #expect(s.unsavedCount == 1 && s.isDirty)
        #expect(s.screen.contains("● UNSAVED (1)"))
        s.press("enter", "ctrl-u")
        s.type(opening.decimalString)
        s.press("enter", "esc")
        #expect(s.undoCount == 2)
        #expect(s.unsavedCount == 0 && !s.isDirty)
        #expect(s.screen.contains("│ saved"))
        // An invoice's decision set, then cleared by hand (not undone): nothing to save either.
        s.send(.run("plan new Trial"))
        let dup = s.unsavedCount
        #expect(dup == 1)
        let r = try id(s, .receivable) { i, _ in eligible(s, .receivable, i, .factor("bank")) }
        s.select(r)
        s.send(.setDecision(.factor("bank")))
        #expect(s.unsavedCount == 2)
        s.press("x")
        #expect(s.unsavedCount == 1)
        s.send(.run("plan rename Trial 2"))
        s.send(.run("plan rename Trial"))
        #expect(s.unsavedCount == 1)
        s.send(.run("plan delete Trial"))
        s.press("y")
        #expect(s.unsavedCount == 0)
        // Quitting now does not ask.
        #expect(s.send(.command(.quit)) == [.quit])
    }

    @Test func writeWithAPathSavesACopyThere() throws {
        let dir = try Fixture.demoCopy()
        defer { unlink(dir + "/copy.toml"); Fixture.remove(dir) }
        var s = try Fixture.demo(path: dir)
        let original = try #require(readText(dir + "/treso.toml"))
        s.send(.run("plan new copied"))
        s.press(":")
        s.type("w copy.toml")
        s.press("enter")
        #expect(readText(dir + "/copy.toml")?.contains("name = \"copied\"") == true)
        #expect(readText(dir + "/treso.toml") == original)
        #expect(s.isDirty)
        #expect(s.message?.text.contains(dir + "/copy.toml") == true)
        // The copy is a scenario treso opens.
        let again = try Fixture.demo(path: dir + "/copy.toml")
        #expect(again.workspace.planNames.contains("copied"))
    }
}
