import Testing
import TestSupport
@testable import TresoApp
import TresoCore

/// Choosing invoices (issue 13): accent-free filters, comparisons on amount and date, Σ of the marked rows,
/// and a picker that says what each option costs and does to the lowest balance.
@Suite struct ChoosingTests {
    func filtered(_ s: inout AppState, _ text: String) -> [Invoice] {
        s.press("esc", "/")
        s.press("ctrl-u")
        s.type(text)
        s.press("enter")
        let t = s.table(.receivable)
        return t.order.map { s.scenario.receivables[$0] }
    }

    @Test func filterIgnoresAccentsAndCase() throws {
        var s = try Fixture.demo()
        let accented = filtered(&s, "Hôpital")
        let plain = filtered(&s, "HOPITAL")
        #expect(accented.count == plain.count && accented.count == s.scenario.receivables.filter { $0.counterparty.contains("Hôpital") || $0.id.contains("Hôpital") }.count, "\(accented.count) \(plain.count)")
        #expect(accented.count > 0)
        #expect(foldForSearch("Électricité Œuvre Straße") == "electricite oeuvre strasse")
    }

    @Test func filterByAmountAndDateRange() throws {
        var s = try Fixture.demo()
        let big = filtered(&s, ">10000")
        #expect(!big.isEmpty && big.allSatisfy { $0.amount.cents > 1_000_000 })
        let all = s.scenario.receivables.filter { $0.amount.cents > 1_000_000 }.count
        #expect(big.count == all)
        let small = filtered(&s, "<=1 000")   // a space ends the word: "<=1" and "000"
        #expect(small.allSatisfy { $0.amount.cents <= 100 })
        let range = filtered(&s, "2026-12-14..2026-12-18")
        let engine = s.workspace.engine
        #expect(!range.isEmpty)
        for i in s.table(.receivable).order {
            let d = engine.receivableSettlements[i].day
            #expect(d >= Day.ymd(2026, 12, 14) && d <= Day.ymd(2026, 12, 18))
        }
        // Combined with text and a comparison, and the narrowing shortcut never keeps a row a wider filter would drop.
        let hop = filtered(&s, "hopital >6500")
        #expect(hop.allSatisfy { $0.counterparty.hasPrefix("Hôpital") && $0.amount.cents > 650_000 })
        #expect(s.screen.contains("filter \"hopital >6500\""))
    }

    @Test func markedRowsShowTheirCountAndSum() throws {
        var s = try Fixture.demo()
        s.press("g", "m", "m")
        let t = s.table(.receivable)
        let sum = t.marked.reduce(Money.zero) { $0 + s.scenario.receivables[$1].amount }
        #expect(s.markedTotal(.receivable).count == 2 && s.markedTotal(.receivable).total == sum)
        #expect(s.screen.contains("✓ 2 marked Σ " + sum.formatted()))
    }

    /// The title says what factoring the marked rows would change, measured as the picker measures it.
    @Test(arguments: [(80, 24), (120, 40), (200, 50)])
    func markedRowsShowWhatFactoringThemWouldChange(_ size: (Int, Int)) throws {
        var s = try Fixture.demo(width: size.0, height: size.1)
        s.send(.selectPlan(0))
        let d = try #require(s.financingDecision(for: .receivable))
        let eligible = s.scenario.receivables.indices.filter { i in
            s.workspace.engine.options(for: InvoiceRef(.receivable, i)).contains { $0.decision == d && $0.refusal == nil }
        }
        s.receivables.marked = Set(eligible.prefix(2))
        s.send(.resize(width: size.0, height: size.1))
        let impact = try #require(s.markedImpact(.receivable))
        let refs = s.table(.receivable).marked.sorted().map { InvoiceRef(.receivable, $0) }
        let expected = s.withImpact([PickerOption(decision: impact.decision, refusal: nil)], on: refs).first?.impact
        #expect(impact.impact == expected)
        #expect(impact.impact.lowestBefore == s.activeProjection.summary.lowestBalance)
        let line = try #require(s.screen.split(separator: "\n").first { $0.contains("✓") })
        let text = "if factored: cost " + Format.signed(impact.impact.costChange) + ", lowest " + Format.money(impact.impact.lowestBefore)
            + " → " + Format.money(impact.impact.lowestAfter)
        #expect(line.contains(text), "\(line)")
        #expect(impact.impact.lowestAfter != impact.impact.lowestBefore || impact.impact.costChange != .zero)
        // Another mark: measured again.
        s.receivables.marked.insert(eligible[2])
        s.send(.resize(width: size.0, height: size.1))
        #expect(s.markedImpact(.receivable)?.impact != impact.impact)
        s.press("esc")
        #expect(s.markedImpact(.receivable) == nil)
    }

    @Test func pickerShowsEachOptionsCostAndLowestBalance() throws {
        var s = try Fixture.demo(width: 120, height: 40)
        s.press("G", "f")
        guard case .picker(let p) = s.mode else { Issue.record("no picker"); return }
        let applicable = p.options.filter { $0.refusal == nil }
        #expect(!applicable.isEmpty)
        for o in applicable {
            let m = try #require(o.impact)
            // The same numbers the engine gives once the option is applied.
            var plan = s.activePlanState
            let before = plan.project()
            let cost0 = plan.financingCost.total + before.summary.bankCharges
            let ref = InvoiceRef(.receivable, try #require(s.table(.receivable).selectedInvoice))
            plan.set(o.decision, for: ref)
            let after = plan.project()
            #expect(m.costChange == plan.financingCost.total + after.summary.bankCharges - cost0)
            #expect(m.lowestAfter == after.summary.lowestBalance && m.lowestBefore == before.summary.lowestBalance)
        }
        #expect(s.screen.contains("cost +") && s.screen.contains("lowest "))
    }
}
