import TerminalKit

/// A plain-text table for the headless commands: columns sized to their content,
/// numbers right-aligned, wide characters counted by display width.
public struct TextTable {
    public enum Alignment { case left, right }
    public var headers: [String]
    public var alignments: [Alignment]
    public var rows: [[String]] = []
    public var separatorAfterRows: Set<Int> = []

    public init(headers: [String], alignments: [Alignment]) {
        self.headers = headers
        self.alignments = alignments
    }

    public mutating func add(_ row: [String]) { rows.append(row) }
    public mutating func addSeparator() { separatorAfterRows.insert(rows.count - 1) }

    public func render() -> String {
        // Cells come from files: control characters are escaped before measuring, so they can neither
        // drive the terminal nor break the alignment.
        let headers = self.headers.map { escapingControls($0) }
        let rows = self.rows.map { $0.map { escapingControls($0) } }
        let n = headers.count
        var widths = headers.map { displayWidth($0) }
        for r in rows { for i in 0..<min(n, r.count) { widths[i] = max(widths[i], displayWidth(r[i])) } }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for i in 0..<n {
                let c = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: max(0, widths[i] - displayWidth(c)))
                let right = i < alignments.count && alignments[i] == .right
                parts.append(right ? pad + c : c + pad)
            }
            var s = parts.joined(separator: "  ")
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
        var out = line(headers) + "\n"
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for (i, r) in rows.enumerated() {
            out += line(r) + "\n"
            if separatorAfterRows.contains(i) { out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }
}
