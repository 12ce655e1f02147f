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
        let n = headers.count
        var widths = headers.map { textWidth($0) }
        for r in rows { for i in 0..<min(n, r.count) { widths[i] = max(widths[i], textWidth(r[i])) } }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for i in 0..<n {
                let c = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: max(0, widths[i] - textWidth(c)))
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

/// Terminal columns a string takes: 2 for East Asian wide characters and emoji, 0 for combining marks.
public func textWidth(_ s: String) -> Int {
    var w = 0
    for ch in s {
        guard let u = ch.unicodeScalars.first?.value else { continue }
        if ch.unicodeScalars.first?.properties.isEmojiPresentation == true { w += 2; continue }
        switch u {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            w += 2
        default:
            w += ch.unicodeScalars.first?.properties.generalCategory == .nonspacingMark ? 0 : 1
        }
    }
    return w
}
