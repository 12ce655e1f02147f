import Testing
import TerminalKit
@testable import TresoIO

@Suite struct TextTableTests {
    /// Wide characters (CJK, emoji, flags) count as two columns, so the next column still lines up.
    @Test func wideNamesKeepColumnsAligned() {
        var t = TextTable(headers: ["Who", "Amount"], alignments: [.left, .right])
        t.add(["Acme", "1.00"])
        t.add(["北京贸易", "2.00"])
        t.add(["Café 🇫🇷", "3.00"])
        let lines = t.render().split(separator: "\n").map(String.init)
        let widths = Set(lines.map { displayWidth($0) })
        #expect(widths.count == 1, "every line has the same display width: \(lines)")
        #expect(lines[3].hasSuffix("2.00") && lines[4].hasSuffix("3.00"))
    }
}
