import TerminalKit
import Testing
import TestSupport
@testable import TresoApp
import TresoCore
import TresoIO

/// One test (at least) per action and command: what it does to the state and which effects it returns.
@Suite struct ReducerTests {
    /// The demo on a new empty plan named "test", focused on the receivables.
    func fresh(width: Int = 100, height: Int = 30) throws -> AppState {
        var s = try Fixture.demo(width: width, height: height)
        s.send(.run("plan new test"))
        #expect(s.activePlanState.name == "test")
        #expect(s.activePlanState.decisions.isEmpty)
        return s
    }

    /// An invoice every listed decision accepts.
    func invoice(_ s: AppState, _ kind: InvoiceKind, accepting decisions: [Decision]) throws -> String {
        let list = s.scenario.invoices(kind)
        let i = try #require(list.indices.first { i in
            let opts = s.workspace.engine.options(for: InvoiceRef(kind, i))
            return decisions.allSatisfy { d in opts.contains { $0.decision == d && $0.refusal == nil } }
        })
        return list[i].id
    }

    func ref(_ s: AppState, _ id: String) -> InvoiceRef {
        for kind in InvoiceKind.allCases {
            if let i = s.scenario.invoices(kind).firstIndex(where: { $0.id == id }) { return InvoiceRef(kind, i) }
        }
        return InvoiceRef(.receivable, -1)
    }

    // MARK: Decisions

    @Test func factorWithTwoContractsOpensAPickerThenAppliesAndReportsTheImpact() throws {
        var s = try fresh()
        let id = try invoice(s, .receivable, accepting: [.factor("bank"), .factor("fintech")])
        s.select(id)
        let costBefore = s.activeResult?.totalCost
        s.press("f")
        guard case .picker(let p) = s.mode else { Issue.record("no picker"); return }
        // The demo also has a Dailly program: `f` offers every way of financing the receivable.
        #expect(p.options.map(\.decision) == [.factor("bank"), .factor("fintech"), .dailly("bank")])
        s.press("enter")
        #expect(s.mode == .normal)
        #expect(s.activePlanState.decision(for: ref(s, id)) == .factor("bank"))
        #expect(s.activeResult?.totalCost != costBefore)
        #expect(s.message?.text.contains("factor:bank on \(id) — cost +") == true)
        #expect(s.isDirty)
        // Again: taken off, no picker.
        s.press("f")
        #expect(s.mode == .normal)
        #expect(s.activePlanState.decisions.isEmpty)
    }

    @Test func pickerCanBeCancelledAndNavigated() throws {
        var s = try fresh()
        s.select(try invoice(s, .receivable, accepting: [.factor("bank"), .factor("fintech")]))
        s.press("f", "j")
        guard case .picker(let p) = s.mode else { Issue.record("no picker"); return }
        #expect(p.selected == 1)
        s.press("k", "esc")
        #expect(s.mode == .normal)
        #expect(s.activePlanState.decisions.isEmpty)
        s.press("f", "j", "space")
        #expect(s.activePlanState.decisions.values.first == .factor("fintech"))
    }

    @Test func payableInstrumentsWithOneProgramApplyDirectly() throws {
        var s = try fresh()
        let id = try invoice(s, .payable, accepting: [.reverseFactor("scf"), .supplierFinancing("platform"), .splitPayment("bnpl"), .negotiate])
        s.select(id)
        let r = ref(s, id)
        for (key, d) in [("r", Decision.reverseFactor("scf")), ("F", .supplierFinancing("platform")), ("s", .splitPayment("bnpl")), ("n", .negotiate)] {
            s.press(key)
            #expect(s.activePlanState.decision(for: r) == d, "\(key)")
            s.press(key)
            #expect(s.activePlanState.decision(for: r) == .none, "\(key) again")
        }
    }

    @Test func aKeyOnTheWrongKindOfInvoiceExplains() throws {
        var s = try fresh()
        s.select(try invoice(s, .payable, accepting: [.negotiate]))
        s.press("f")
        #expect(s.message?.isError == true)
        #expect(s.message?.text.contains("factoring applies to receivables") == true)
        s.select(try invoice(s, .receivable, accepting: [.factor("bank")]))
        s.press("n")
        #expect(s.message?.text.contains("applies to payables") == true)
        s.press("d")
        #expect(s.activePlanState.defaulted.count == 1)
        s.select(try invoice(s, .payable, accepting: [.negotiate]))
        s.press("d")
        #expect(s.message?.text.contains("only a receivable can default") == true)
    }

    @Test func refusalIsShownWithItsReason() throws {
        var s = try fresh()
        // An overdue receivable: no instrument takes it.
        let list = s.scenario.receivables
        let i = try #require(list.indices.first { s.workspace.engine.settlement(InvoiceRef(.receivable, $0)).overdue })
        s.select(list[i].id)
        s.send(.toggle(.factor("bank")))
        #expect(s.message?.isError == true)
        #expect(s.message?.text.contains("refused: \(list[i].id): overdue") == true)
        #expect(s.activePlanState.decisions.isEmpty)
    }

    @Test func spaceCyclesThroughEligibleOptionsAndBackToNone() throws {
        var s = try fresh()
        let id = try invoice(s, .receivable, accepting: [.factor("bank"), .factor("fintech")])
        s.select(id)
        let r = ref(s, id)
        s.press("space")
        #expect(s.activePlanState.decision(for: r) == .factor("bank"))
        s.press("space")
        #expect(s.activePlanState.decision(for: r) == .factor("fintech"))
        s.press("space")
        #expect(s.activePlanState.decision(for: r) == .dailly("bank"))
        s.press("space")
        #expect(s.activePlanState.decision(for: r) == .none)
    }

    @Test func spaceSkipsRefusedOptionsAndSaysWhy() throws {
        var s = try fresh()
        // A receivable from a customer the bank excludes: bank refused, fintech (maybe) accepted.
        let list = s.scenario.receivables
        let i = try #require(list.indices.first { i in
            let o = s.workspace.engine.options(for: InvoiceRef(.receivable, i))
            return o.contains { $0.decision == .factor("bank") && $0.refusal != nil } && o.contains { $0.decision == .factor("fintech") && $0.refusal == nil }
        })
        s.select(list[i].id)
        s.press("space")
        #expect(s.activePlanState.decision(for: InvoiceRef(.receivable, i)) == .factor("fintech"))
        #expect(s.message?.text.contains("skipped factor:bank") == true)
    }

    @Test func clearRemovesTheDecision() throws {
        var s = try fresh()
        s.select(try invoice(s, .payable, accepting: [.negotiate]))
        s.press("n")
        #expect(s.activePlanState.decisions.count == 1)
        s.press("x")
        #expect(s.activePlanState.decisions.isEmpty)
    }

    @Test func clearingTheDecisionsOfSeveralInvoicesAsksFirstAndUndoes() throws {
        var s = try fresh()
        s.send(.run("plan factor Acme + Vinci"))
        s.focus = .receivables
        s.press("*")                           // every row marked
        let before = s.activePlanState.decisions
        #expect(before.count > 1)
        s.press("x")
        guard case .confirmDestroy(let d) = s.mode else { Issue.record("no question"); return }
        #expect(d.question == "Clear the decisions of \(before.count) receivables in \"factor Acme + Vinci\"?")
        s.press("esc")
        #expect(s.activePlanState.decisions == before)
        s.press("x", "y")
        #expect(s.activePlanState.decisions.isEmpty)
        s.press("u")
        #expect(s.activePlanState.decisions == before)
    }

    @Test func setDecisionActionSetsOnTheSelection() throws {
        var s = try fresh()
        s.select(try invoice(s, .payable, accepting: [.negotiate]))
        s.send(.setDecision(.negotiate))
        #expect(s.activePlanState.decisions.values.first == .negotiate)
    }

    @Test func defaultedTogglesAndChangesTheProjection() throws {
        var s = try fresh()
        let id = try invoice(s, .receivable, accepting: [.factor("bank")])
        s.select(id)
        let final = s.activeProjection.summary.finalBalance
        s.press("d")
        #expect(s.activePlanState.defaulted.contains(ref(s, id)))
        #expect(s.activeProjection.summary.finalBalance < final)
        #expect(s.screen.contains("✗defaulted"))
        s.press("d")
        #expect(s.activePlanState.defaulted.isEmpty)
        #expect(s.activeProjection.summary.finalBalance == final)
    }

    /// Issue 13: `d` is the scenario's what-if, so every plan — built-in ones too — is compared with it, in one undoable step.
    @Test func defaultedAppliesToEveryPlanInOneUndoableStep() throws {
        var s = try fresh()
        s.send(.selectPlan(0))                 // "overdraft only", built in: no copy of it is made for a what-if
        let plans = s.workspace.planCount
        let id = try invoice(s, .receivable, accepting: [.factor("bank")])
        s.select(id)
        let costs = s.workspace.comparison.results.map(\.summary.finalBalance)
        let steps = s.undoCount
        s.press("d")
        #expect(s.workspace.planCount == plans)
        #expect(s.activePlan == 0)
        for i in 0..<plans { #expect(s.workspace.plan(i).defaulted.contains(ref(s, id)), "\(s.workspace.planNames[i])") }
        #expect(zip(s.workspace.comparison.results.map(\.summary.finalBalance), costs).allSatisfy { $0 < $1 })
        #expect(s.message?.text.contains("every plan") == true)
        #expect(s.undoCount == steps + 1)
        s.press("u")
        for i in 0..<plans { #expect(s.workspace.plan(i).defaulted.isEmpty) }
        #expect(s.workspace.comparison.results.map(\.summary.finalBalance) == costs)
    }

    @Test func markedRowsTakeTheDecisionTogether() throws {
        var s = try fresh()
        s.focus = .payables
        s.expanded = .payable
        s.send(.resize(width: 100, height: 30))
        s.press("4", "g")  // latest first: none of them overdue, so every instrument may take them
        #expect(!s.payables.ascending)
        s.press("m", "m", "m")
        #expect(s.payables.marked.count == 3)
        #expect(s.payables.cursor == 3)
        s.press("n")
        #expect(s.activePlanState.decisions.count == 3)
        #expect(s.screen.contains("✓ 3 marked") || s.screen.contains("✓3 Σ"))
        s.press("n")
        #expect(s.activePlanState.decisions.isEmpty)
        s.press("esc")
        #expect(s.payables.marked.isEmpty)
        s.press("*")
        #expect(s.payables.marked.count == s.scenario.payables.count)
        s.press("esc", "g", "v", "j", "j")
        #expect(s.payables.selection.count == 3)
        s.press("n")
        #expect(s.activePlanState.decisions.count == 3)
        s.press("v")
        #expect(s.payables.anchor == nil)
        #expect(s.payables.marked.count == 3)
        s.press("insert")  // the cursor row is marked: unmarks it
        #expect(s.payables.marked.count == 2)
        s.press("insert")
        #expect(s.payables.marked.count == 3)
    }

    @Test func editingABuiltInPlanCreatesACopy() throws {
        var s = try Fixture.demo()
        s.send(.selectPlan(0))
        #expect(s.workspace.isBuiltin(s.activePlan))
        let n = s.workspace.planCount
        s.select(try invoice(s, .payable, accepting: [.negotiate]))
        s.press("n")
        #expect(s.workspace.planCount == n + 1)
        #expect(s.activePlanState.name == "my plan")
        #expect(s.activePlanState.decisions.count == 1)
        #expect(s.workspace.plan(0).decisions.isEmpty)
        #expect(s.message?.text.contains("is built in") == true)
        s.press("u")
        #expect(s.workspace.planCount == n)
        #expect(s.activePlan == 0)
    }

    // MARK: Undo

    @Test func undoAndRedoHaveNoLimit() throws {
        var s = try fresh()
        s.focus = .payables
        s.expanded = .payable
        s.send(.resize(width: 100, height: 30))
        s.press("4", "g")
        var steps: [[String]] = [s.planFingerprint]
        for _ in 0..<60 {
            s.press("n", "j")
            if s.planFingerprint != steps.last { steps.append(s.planFingerprint) }
        }
        #expect(steps.count > 50)
        #expect(s.undoCount == steps.count)  // each decision, plus the plan's creation
        for k in stride(from: steps.count - 2, through: 0, by: -1) {
            s.press("u")
            #expect(s.planFingerprint == steps[k])
        }
        s.press("u")  // the plan's creation
        #expect(!s.isDirty)
        s.press("u")
        #expect(s.message?.text == "nothing to undo")
        s.press("ctrl-r")
        #expect(s.activePlanState.name == "test")
        for k in 1..<steps.count {
            s.press("U")
            #expect(s.planFingerprint == steps[k])
        }
        s.press("ctrl-r")
        #expect(s.message?.text == "nothing to redo")
    }

    @Test func aNewEditClearsRedo() throws {
        var s = try fresh()
        s.select(try invoice(s, .payable, accepting: [.negotiate]))
        s.press("n", "u")
        #expect(s.redoCount == 1)
        s.press("r")
        #expect(s.redoCount == 0)
    }

    // MARK: Tables

    @Test func filterNarrowsLiveEnterKeepsEscRestores() throws {
        var s = try fresh()
        let all = s.receivables.count
        s.press("/")
        s.type("acme")
        #expect(s.receivables.count < all)
        #expect(s.receivables.order.allSatisfy { s.scenario.receivables[$0].counterparty.lowercased().contains("acme") })
        s.press("enter")
        #expect(s.mode == .normal)
        #expect(s.receivables.filter == "acme")
        s.press("/")
        s.type("zzz")
        #expect(s.receivables.count == 0)
        #expect(s.screen.contains("no receivable matches \"acmezzz\""))
        s.press("esc")
        #expect(s.receivables.filter == "acme")
        s.press("/", "ctrl-u", "enter")
        #expect(s.receivables.count == all)
        s.press("/", "backspace")
        #expect(s.mode == .filter(kind: .receivable, text: "", previous: ""))
    }

    @Test func filterMatchesDecisionCodes() throws {
        var s = try Fixture.demo()
        s.press("/")
        s.type("factor:bank")
        s.press("enter")
        let st = s.activePlanState
        #expect(s.receivables.count == st.decisions.filter { $0.key.kind == .receivable && $0.value == .factor("bank") }.count)
    }

    @Test(arguments: [("1", InvoiceColumn.id), ("2", .counterparty), ("3", .due), ("4", .expected), ("5", .amount), ("6", .decision)])
    func sortKeysSortAndReverse(key: String, column: InvoiceColumn) throws {
        var s = try Fixture.demo()
        s.press(key)
        if column == .expected { s.press(key) }  // expected is the initial sort: the first press reverses
        #expect(s.receivables.sortColumn == column)
        let list = s.scenario.receivables
        let order = s.receivables.order
        if column == .amount {
            #expect(zip(order, order.dropFirst()).allSatisfy { list[$0].amount <= list[$1].amount } == s.receivables.ascending)
        }
        let wasAscending = s.receivables.ascending
        s.press(key)
        #expect(s.receivables.ascending != wasAscending)
        #expect(s.message?.text.hasPrefix("sorted by") == true)
    }

    @Test func sortKeepsTheCursorOnTheSameInvoice() throws {
        var s = try Fixture.demo()
        s.press("j", "j", "j")
        let before = s.receivables.selectedInvoice
        s.press("5")
        #expect(s.receivables.selectedInvoice == before)
    }

    @Test func rowMovesAndPagesStayInRange() throws {
        var s = try Fixture.demo()
        let n = s.receivables.count
        s.press("G")
        #expect(s.receivables.cursor == n - 1)
        s.press("j")
        #expect(s.receivables.cursor == n - 1)
        s.press("g")
        #expect(s.receivables.cursor == 0)
        s.press("k")
        #expect(s.receivables.cursor == 0)
        s.press("pgdn")
        let page = s.receivables.cursor
        #expect(page > 1)
        #expect(s.receivables.offset > 0)
        s.press("pgup")
        #expect(s.receivables.cursor == 0)
        s.press("ctrl-d", "ctrl-u", "end", "home", "down", "up")
        #expect(s.receivables.cursor == 0)
    }

    @Test func enterMovesTheDayCursorToTheInvoice() throws {
        var s = try Fixture.demo()
        s.press("j", "j", "j", "j", "enter")
        let i = try #require(s.receivables.selectedInvoice)
        let st = s.workspace.engine.settlement(InvoiceRef(.receivable, i))
        #expect(s.scenario.start + s.day == st.day)
        #expect(s.dayDetail.movements.contains { $0.reference == s.scenario.receivables[i].id })
    }

    // MARK: Chart and focus

    @Test func dayCursorKeys() throws {
        var s = try Fixture.demo()
        s.press("tab", "tab")
        #expect(s.focus == .chart)
        s.press("l", "right")
        #expect(s.day == 2)
        s.press("h")
        #expect(s.day == 1)
        s.press("pgdn")
        #expect(s.day == 8)
        s.press("pgup", "pgup")
        #expect(s.day == 0)
        s.press("left")
        #expect(s.day == 0)
        s.press("G")
        #expect(s.day == s.scenario.horizonDays - 1)
        s.press("l")
        #expect(s.day == s.scenario.horizonDays - 1)
        s.press("end", "home")
        #expect(s.day == 0)
        s.press("L")
        #expect(s.scenario.start + s.day == s.activeProjection.summary.lowestBalanceDate)
        #expect(s.dayDetail.day == s.scenario.start + s.day)
        #expect(s.dayDetail.position?.closing == s.activeProjection.summary.lowestBalance)
    }

    @Test func dayDetailListsEveryMovementOfTheDay() throws {
        var s = try Fixture.demo()
        for _ in 0..<40 {
            let p = try #require(s.dayDetail.position)
            let sum = s.dayDetail.movements.reduce(Money.zero) { $0 + $1.amount }
            #expect(sum == p.closing - p.opening, "day \(s.dayDetail.day.iso)")
            s.press("l")
        }
    }

    @Test func chartPaneScrollsTheMovements() throws {
        var s = try Fixture.demo(width: 80, height: 24)
        s.focus = .chart
        // Find a day with more movements than the panel shows.
        while s.dayDetail.movements.count < 8 && s.day < s.scenario.horizonDays - 1 { s.press("l") }
        s.press("j", "j")
        #expect(s.dayScroll == 2)
        s.press("k")
        #expect(s.dayScroll == 1)
        for _ in 0..<100 { s.press("j") }
        #expect(s.dayScroll <= s.dayDetail.movements.count)
    }

    @Test func focusCyclesThroughThePanes() throws {
        var s = try Fixture.demo()
        var seen: [Pane] = []
        for _ in 0..<4 { seen.append(s.focus); s.press("tab") }
        #expect(seen == [.receivables, .payables, .chart, .comparison])
        #expect(s.focus == .receivables)
        s.press("backtab")
        #expect(s.focus == .comparison)
        s.press("backtab", "backtab")
        #expect(s.focus == .payables)
        #expect(s.expanded == .payable)
    }

    // MARK: Plans

    @Test func planSwitchingAndActivation() throws {
        var s = try Fixture.demo()
        let n = s.workspace.planCount
        let start = s.activePlan
        s.press("p")
        #expect(s.activePlan == (start + 1) % n)
        s.press("P", "P")
        #expect(s.activePlan == (start + n - 1) % n)
        s.press("]", "[")
        #expect(s.activePlan == (start + n - 1) % n)
        s.focus = .comparison
        s.press("g", "enter")
        #expect(s.activePlan == 0)
        s.press("G", "enter")
        #expect(s.activePlan == n - 1)
        s.send(.selectPlan(99))
        #expect(s.activePlan == n - 1)
        s.send(.run("plan negotiate terms"))
        #expect(s.activePlanState.name == "negotiate terms")
    }

    @Test func newRenameDuplicateDeletePlans() throws {
        var s = try Fixture.demo()
        let n = s.workspace.planCount
        s.press("N")
        #expect(s.mode == .command(text: "plan new "))
        s.type("Spring")
        s.press("enter")
        #expect(s.activePlanState.name == "Spring")
        #expect(s.workspace.planCount == n + 1)
        s.press("R", "ctrl-u")   // Ctrl-U clears the argument only (issue 13): the command words stay
        #expect(s.mode == .command(text: "plan rename "))
        s.type("Spring 2027")
        s.press("enter")
        #expect(s.activePlanState.name == "Spring 2027")
        s.select(try invoice(s, .payable, accepting: [.negotiate]))
        s.press("n", "D")
        #expect(s.mode == .command(text: "plan dup Spring 2027 copy"))
        s.press("enter")
        #expect(s.activePlanState.name == "Spring 2027 copy")
        #expect(s.activePlanState.decisions.count == 1)
        s.send(.run("plan new Spring 2027"))
        #expect(s.message?.text.contains("exists already") == true)
        s.send(.run("plan delete"))
        // A deletion asks first, saying how much work goes with the plan; n keeps it.
        #expect(s.mode == .confirmDestroy(Destruction(kind: .deletePlan(index: s.activePlan), question: "Delete plan \"Spring 2027 copy\" (1 decision)?")))
        #expect(s.screen.contains("Delete plan \"Spring 2027 copy\" (1 decision)?"))
        s.press("n")
        #expect(s.workspace.planNames.contains("Spring 2027 copy"))
        s.send(.run("plan delete Spring 2027 copy"))
        s.press("y")
        #expect(s.workspace.planNames.contains("Spring 2027 copy") == false)
        s.press("u")
        #expect(s.workspace.planNames.contains("Spring 2027 copy"))
        s.send(.selectPlan(0))
        s.press("R")
        #expect(s.message?.text.contains("built in") == true)
        s.send(.run("plan rename x"))
        #expect(s.message?.isError == true)
        s.send(.run("plan delete overdraft only"))
        #expect(s.message?.text.contains("cannot be deleted") == true)
        s.send(.run("plan nope"))
        #expect(s.message?.text.contains("no plan named") == true)
    }

    // MARK: Terms form

    @Test func termsFormEditsReprojectAndUndo() throws {
        var s = try Fixture.demo()
        let lowest = s.activeProjection.summary.lowestBalance
        s.press("e")
        guard case .form(let f) = s.mode else { Issue.record("no form"); return }
        #expect(f.fields.first == .openingBalance)
        s.press("enter", "ctrl-u")
        s.type("100000,50")
        s.press("enter")
        #expect(s.scenario.openingBalance == Money(cents: 10_000_050))
        #expect(s.activeProjection.summary.lowestBalance != lowest)
        s.press("j", "j", "j", "enter", "ctrl-u")
        s.type("abc")
        s.press("enter")
        guard case .form(let f2) = s.mode else { Issue.record("form closed"); return }
        #expect(f2.error?.contains("not a percentage") == true)
        s.press("esc", "k", "esc")
        #expect(s.mode == .normal)
        s.press("u")
        #expect(s.activeProjection.summary.lowestBalance == lowest)
    }

    @Test func contractRateChangesTheCostOfFactoringPlans() throws {
        var s = try Fixture.demo()
        let plan = try #require(s.workspace.planNames.firstIndex(of: "factor Acme + Vinci"))
        let cost = s.workspace.comparison.results[plan].totalCost
        s.press("e")
        guard case .form(let f) = s.mode else { Issue.record("no form"); return }
        let target = try #require(f.fields.firstIndex(of: .factoringCommission("bank")))
        for _ in 0..<target { s.press("j") }
        s.press("enter", "ctrl-u")
        s.type("1.2")
        s.press("enter", "esc")
        #expect(s.scenario.instruments.factoringContract("bank")?.commissionRate == Rate(percent: "1.2"))
        #expect(s.workspace.comparison.results[plan].totalCost > cost)
    }

    // MARK: Quit, save, help, command line

    @Test func quitWhenCleanQuitsAtOnce() throws {
        var s = try Fixture.demo()
        #expect(s.send(.command(.quit)) == [.quit])
    }

    @Test func quitWithUnsavedChangesAsks() throws {
        var s = try fresh()
        #expect(s.send(.command(.quit)) == [])
        #expect(s.mode == .confirmQuit)
        #expect(s.screen.contains("Unsaved changes"))
        s.press("esc")
        #expect(s.mode == .normal)
        s.send(.command(.quit))
        #expect(s.send(.command(.confirmDiscard)) == [.quit])
        s.mode = .confirmQuit
        let effects = s.send(.command(.confirmSave))
        guard case .save(let path, let text, _)? = effects.first else { Issue.record("no save"); return }
        #expect(path == s.tomlPath)
        #expect(s.send(.saveSucceeded(path: path, text: text)) == [.quit])
        #expect(!s.isDirty)
    }

    @Test func saveEffectThenSuccessMarksClean() throws {
        var s = try fresh()
        let effects = s.send(.command(.save))
        guard case .save(_, let text, _)? = effects.first else { Issue.record("no save"); return }
        #expect(text.contains("name = \"test\""))
        #expect(s.isDirty)
        s.send(.saveSucceeded(path: s.tomlPath, text: text))
        #expect(!s.isDirty)
        #expect(s.message?.text.contains("saved") == true)
        s.send(.effectFailed("not saved: disk full"))
        #expect(s.message == Message("not saved: disk full", isError: true))
    }

    @Test func commandLineRunsAndReportsUnknownCommands() throws {
        var s = try Fixture.demo()
        s.press(":")
        #expect(s.mode == .command(text: ""))
        s.type("goto 2027-01-15")
        s.press("enter")
        #expect(s.scenario.start + s.day == Day.ymd(2027, 1, 15))
        #expect(s.focus == .chart)
        s.send(.run("goto 2030-01-01"))
        #expect(s.message?.text.contains("outside the projection") == true)
        s.send(.run(":goto lowest"))
        #expect(s.scenario.start + s.day == s.activeProjection.summary.lowestBalanceDate)
        s.send(.run("goto today"))
        #expect(s.day == 0)
        s.send(.run("frobnicate"))
        #expect(s.message?.text.hasPrefix("unknown command 'frobnicate'") == true)
        #expect(s.send(.run("q")) == [.quit])
        #expect(s.send(.run("q!")) == [.quit])
        s.press(":", "x", "backspace", "backspace")
        #expect(s.mode == .normal)
        s.press(":", "esc")
        #expect(s.mode == .normal)
    }

    @Test func exportThemeAndLateCommands() throws {
        var s = try fresh()
        let e = s.send(.run("export csv /tmp/out.csv"))
        guard case .export(let export)? = e.first else { Issue.record("no export"); return }
        let path = export.path, text = export.text
        #expect(path == "/tmp/out.csv")
        #expect(text.split(separator: "\n").count == s.scenario.horizonDays + 1)
        s.send(.exported(export))
        #expect(s.message?.text.contains("exported") == true)
        #expect(s.send(.run("theme light")) == [.loadTheme("light")])
        s.send(.themeLoaded(try #require(Theme.builtin(named: "light"))))
        #expect(s.theme.name == "light")
        s.send(.run("export pdf x"))
        #expect(s.message?.isError == true)
        s.select(try invoice(s, .payable, accepting: [.negotiate]))
        s.send(.run("late 15"))
        #expect(s.activePlanState.decisions.values.first == .payLate(15))
        s.send(.run("late abc"))
        #expect(s.message?.isError == true)
        #expect(s.send(.run("wq")).first.map { if case .save = $0 { return true } else { return false } } == true)
    }

    /// Issue 13: at any width from 40 to 250 columns, scrolling the help shows every word of it; nothing is cut.
    @Test func helpShowsEveryWordAtEveryWidth() throws {
        var expected: [String] = [LineCommands.summary, Overlays.typingHelp, Overlays.markersHelp]
        for l in KeyTable.helpLines() { expected += [l.keys, l.name, l.help] }
        let words = Set(expected.flatMap { $0.split(separator: " ").map(String.init) })
        for width in [40, 47, 63, 80, 99, 120, 161, 200, 250] {
            var s = try fresh()
            s.send(.resize(width: width, height: 24))
            s.press("?")
            var seen: Set<String> = []
            var pages = 0
            while true {
                for line in render(s).lines() { for w in line.split(separator: " ") { seen.insert(String(w)) } }
                let before = s.mode
                s.press("pgdn")
                pages += 1
                if s.mode == before || pages > 200 { break }
            }
            let missing = words.subtracting(seen).filter { !$0.allSatisfy { "│╭╮╰╯─·".contains($0) } }
            #expect(missing.isEmpty, "width \(width): \(missing.sorted().prefix(10))")
            #expect(pages > 1)
        }
    }

    @Test func helpOpensScrollsAndCloses() throws {
        var s = try Fixture.demo()
        s.press("?")
        #expect(s.mode == .help(scroll: 0))
        #expect(s.screen.contains("focus-next"))
        s.press("j", "j")
        #expect(s.mode == .help(scroll: 2))
        s.press("k")
        #expect(s.mode == .help(scroll: 1))
        // Wrapped at 100 columns the help is longer: page down to the quit prompt's keys.
        var pages = 0
        while !s.screen.contains("quit-without-saving") && pages < 30 { s.press("pgdn"); pages += 1 }
        #expect(s.screen.contains("quit-without-saving"))
        for _ in 0...pages { s.press("pgup") }
        #expect(s.mode == .help(scroll: 0))
        s.press("esc")
        #expect(s.mode == .normal)
        s.press("F1", "q")
        #expect(s.mode == .normal)
    }

    @Test func cycleThemeGoesThroughTheBuiltIns() throws {
        var s = try Fixture.demo()
        s.press("T")
        #expect(s.theme.name == "light")
        for _ in 0..<4 { s.press("T") }
        #expect(s.theme.name == "default")
    }

    @Test func unboundKeysSaySo() throws {
        var s = try Fixture.demo()
        s.press("Z")
        #expect(s.message?.text.contains("does nothing") == true)
        s.press("j")
        #expect(s.message == nil)
    }

    @Test func resizeChangesTheSizeAndKeepsTheCursorVisible() throws {
        var s = try Fixture.demo()
        s.press("G")
        s.send(.resize(width: 120, height: 40))
        #expect(s.width == 120 && s.height == 40)
        let visible = s.layout.visibleRows(.receivable)
        #expect(s.receivables.cursor >= s.receivables.offset && s.receivables.cursor < s.receivables.offset + visible)
        s.send(.resize(width: 1, height: 1))
        #expect(s.layout.tooSmall)
        #expect(render(s).width == 1)
        s.send(.resize(width: -5, height: -5))
        #expect(s.width == 0)
    }
}

@Suite struct ReducerPropertiesTests {
    @Test func reduceIsDeterministic() throws {
        var a = try Fixture.demo(), b = try Fixture.demo()
        #expect(a == b)
        let actions: [Action] = [.command(.focusNext), .command(.rowDown), .command(.toggleNegotiation), .command(.dayNext),
                                 .text(.insert("x")), .command(.filter), .text(.insert("a")), .text(.submit), .run("plan new z"),
                                 .command(.undo), .resize(width: 90, height: 27)]
        for action in actions {
            #expect(a.send(action) == b.send(action))
            #expect(a == b, "\(action)")
        }
    }

    @Test func togglingTwiceGivesTheSameDocument() throws {
        var s = try Fixture.demo()
        let start = s.workspace
        s.focus = .payables
        s.send(.command(.sortByExpected))
        s.send(.command(.firstRow))
        s.send(.command(.toggleNegotiation))
        #expect(s.workspace != start)
        s.send(.command(.toggleNegotiation))
        #expect(s.workspace == start)
    }

    @Test func everyCommandInEveryContextIsSafe() throws {
        let base = try Fixture.demo(width: 80, height: 24)
        let modes: [Mode] = [.normal, .help(scroll: 0), .confirmQuit, .picker(Picker(title: "t", options: [], selected: 0)),
                             .form(TermsForm(fields: TermField.all(for: base.scenario.instruments))),
                             .filter(kind: .receivable, text: "", previous: ""), .command(text: "")]
        for pane in Pane.allCases {
            for mode in modes {
                for c in Command.allCases {
                    var s = base
                    s.focus = pane
                    s.mode = mode
                    let effects = s.send(.command(c))
                    let broken = s.invariantViolations()
                    #expect(broken.isEmpty, "\(c) in \(pane)/\(mode): \(broken)")
                    if effects.contains(.quit) {
                        #expect([Command.quit, .forceQuit, .confirmDiscard].contains(c), "\(c) quit in \(pane)/\(mode)")
                    }
                }
            }
        }
    }
}
