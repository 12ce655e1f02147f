import TerminalKit
import Testing
import TestSupport
@testable import TresoApp
import TresoCore

/// The invoice tables mark what is not a plain open invoice (issue 10 follow-ups, issue 15's forecast rows):
/// F forecast, ¤ converted from another currency, ½ partly paid, ~ inferred due date; the day panel spells them out.
@Suite struct MarkerTests {
    @Test func importedRowsCarryTheirMarkersAndTheDayPanelSaysWhy() throws {
        var s = try Fixture.demo(width: 120, height: 40, path: Fixture.root + "/examples/import-sage")
        let receivables = s.scenario.receivables
        let gbp = try #require(receivables.firstIndex { $0.origin?.currency == "GBP" })
        let partly = try #require(receivables.firstIndex { $0.origin?.isPartlyPaid == true })
        #expect(Format.markers(receivables[gbp]).contains("¤"))
        #expect(Format.markers(receivables[partly]).contains("½"))
        // The receivables pane: every marked row shows its marker in the column before the decision.
        s.focus = .receivables
        for inv in receivables where inv.origin != nil {
            let row = try #require(s.screen.split(separator: "\n").first { $0.contains(inv.id + " ") })
            #expect(row.contains(" " + Format.markers(inv) + " "), "\(inv.id): \(row)")
        }
        // Selecting the GBP invoice: the day panel says the original amount and rate.
        select(gbp, in: &s)
        #expect(s.table(.receivable).selectedInvoice == gbp)
        #expect(s.screen.contains(" GBP at 1.17"))
        #expect(snapshotMismatch(s.screen + "\n", named: "markers-120x40-import") == nil)
        select(partly, in: &s)
        #expect(s.table(.receivable).selectedInvoice == partly)
        #expect(receivables[partly].origin?.invoicedAmount == Money(cents: 1_000_000))
        let total = try #require(receivables[partly].origin?.invoicedAmount)
        #expect(s.screen.contains("½ \(receivables[partly].amount.formatted()) open of \(total.formatted())"))
    }

    func select(_ i: Int, in s: inout AppState) {
        s.press("g")
        for _ in 0..<s.table(.receivable).count where s.table(.receivable).selectedInvoice != i { s.press("down") }
    }

    @Test func forecastRowsAreMarkedF() throws {
        var s = try Fixture.demo(width: 120, height: 40)
        s.focus = .receivables
        s.press("G")
        let inv = try #require(s.table(.receivable).selectedInvoice.map { s.scenario.receivables[$0] })
        #expect(inv.isForecast)
        #expect(Format.markers(inv) == "F")
        let row = try #require(s.screen.split(separator: "\n").first { $0.contains("▸") })
        #expect(row.contains(" F "))
        #expect(s.screen.contains("F forecast 2027-04, not invoiced"))
        // A plain invoice has no marker.
        #expect(Format.markers(s.scenario.receivables[0]) == "")
    }

    @Test func anInferredDueDateSaysItsTerms() throws {
        var s = try Fixture.demo(width: 120, height: 40, path: Fixture.root + "/examples/import-sage")
        let i = try #require(s.scenario.receivables.firstIndex { $0.origin?.dueDateInferred == true })
        s.focus = .receivables
        select(i, in: &s)
        #expect(s.screen.contains("~ due inferred: 30 days"))
    }
}
