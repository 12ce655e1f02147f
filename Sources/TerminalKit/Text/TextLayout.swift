/// Horizontal placement of text inside a wider space.
public enum Alignment: Hashable, Sendable {
    case left, center, right
}

/// `text` cut to at most `width` columns. When it has to be cut, it ends with `ellipsis` (dropped
/// if the ellipsis alone is wider than `width`). A wide character is never split: when one would
/// straddle the cut, a space takes its place, so a cut result is always exactly `width` columns.
public func truncate(_ text: String, toWidth width: Int, ellipsis: String = "…") -> String {
    let limit = max(0, width)
    if displayWidth(text) <= limit { return text }
    let ellipsisWidth = displayWidth(ellipsis)
    let tail = ellipsisWidth <= limit ? ellipsis : ""
    let budget = limit - (ellipsisWidth <= limit ? ellipsisWidth : 0)
    var out = ""
    var used = 0
    for character in text {
        let w = displayWidth(character)
        if used + w > budget { break }
        out.append(character)
        used += w
    }
    if used < budget { out += String(repeating: " ", count: budget - used) }
    return out + tail
}

/// `text` made exactly `width` columns wide: padded with spaces according to `alignment`, or
/// truncated with `ellipsis` when it is too wide.
public func pad(_ text: String, toWidth width: Int, alignment: Alignment = .left, ellipsis: String = "…") -> String {
    let limit = max(0, width)
    let fitted = truncate(text, toWidth: limit, ellipsis: ellipsis)
    let missing = limit - displayWidth(fitted)
    guard missing > 0 else { return fitted }
    switch alignment {
    case .left:
        return fitted + String(repeating: " ", count: missing)
    case .right:
        return String(repeating: " ", count: missing) + fitted
    case .center:
        let left = missing / 2
        return String(repeating: " ", count: left) + fitted + String(repeating: " ", count: missing - left)
    }
}

/// One drawable grapheme cluster with its width and style, as produced for layout.
struct Glyph: Sendable {
    var symbol: Character
    var width: Int
    var style: Style
}

/// Sanitised glyphs of styled spans; zero-width clusters are dropped, a control becomes the
/// characters of its escape (`\e`, `\x07`: see `escapingControls`).
func glyphs(of spans: [Span]) -> [Glyph] {
    var out: [Glyph] = []
    for span in spans {
        for character in span.text {
            if let escape = controlEscape(character) {
                for c in escape { out.append(Glyph(symbol: c, width: 1, style: span.style)) }
            } else if let (symbol, width) = terminalSymbol(character) {
                out.append(Glyph(symbol: symbol, width: width, style: span.style))
            }
        }
    }
    return out
}

/// Greedy word wrap: lines break after spaces when possible and inside words when a word is wider
/// than the line. The space a line breaks on is dropped. An empty input gives one empty line.
func wrap(_ glyphs: [Glyph], width: Int) -> [[Glyph]] {
    guard width > 0 else { return [] }
    var lines: [[Glyph]] = []
    var current: [Glyph] = []
    var currentWidth = 0
    var lastSpace: Int?  // index in `current` of the last breakable space
    var wrapped = false  // `current` continues a line that was broken

    func flush() {
        lines.append(current)
        current = []
        currentWidth = 0
        lastSpace = nil
        wrapped = true
    }

    for glyph in glyphs {
        let isSpace = glyph.symbol == " "
        if isSpace && wrapped && current.isEmpty { continue }  // no leading space after a break
        if currentWidth + glyph.width > width {
            if isSpace { flush(); continue }
            if let space = lastSpace {
                var head = Array(current[..<space])
                while head.last?.symbol == " " { head.removeLast() }
                let rest = Array(current[(space + 1)...])
                current = head
                flush()
                current = rest
                currentWidth = rest.reduce(0) { $0 + $1.width }
            }
            if currentWidth + glyph.width > width && !current.isEmpty { flush() }
        }
        if isSpace { lastSpace = current.count }
        current.append(glyph)
        currentWidth += glyph.width
    }
    lines.append(current)
    return lines
}
