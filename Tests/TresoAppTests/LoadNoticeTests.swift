import TerminalKit
import Testing
import TestSupport
@testable import TresoApp
import TresoCore

/// The planner says when rows of the user's files were left out: prominently, until the next key.
@Suite struct LoadNoticeTests {
    @Test func rejectedRowsShowInTheMessageBarUntilTheNextKey() throws {
        var s = try Fixture.demo()
        s.showRejectedRows(3, path: "~/compta")
        #expect(s.message == Message("⚠ 3 rows rejected and left out of the projection; treso check ~/compta lists why", isError: true))
        #expect(render(s).lines().contains { $0.contains("⚠ 3 rows rejected") })
        s.send(.resize(width: 100, height: 30))
        #expect(s.message != nil)
    }

    @Test func nothingRejectedShowsNothing() throws {
        var s = try Fixture.demo()
        let before = s.message
        s.showRejectedRows(0, path: "x")
        #expect(s.message == before)
    }
}
