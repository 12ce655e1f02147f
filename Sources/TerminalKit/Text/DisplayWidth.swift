// Display width is computed here, in Swift, rather than with the C library's `wcwidth`, so that
// layout and snapshots give the same answer whatever the locale and platform.
//
// Control characters have one convention everywhere text from a file meets a terminal (the headless
// commands' output and the planner's grid): they are written as a visible escape, `\e` for ESC,
// `\t`, `\r`, `\n`, `\x07` for the other C0 controls, DEL and C1, `\u{202E}` above U+00FF (line and
// paragraph separators, bidirectional overrides and isolates). See `escapingControls`.

/// Columns a grapheme cluster takes on a terminal: 2 for East Asian Wide/Fullwidth characters and
/// emoji (including flags, skin-tone and ZWJ sequences, and text characters with emoji variation
/// selector U+FE0F), 0 for a cluster made only of combining marks, joiners, variation selectors or
/// format characters, 1 otherwise. A control character counts the columns of its escape (`\e` is 2).
public func displayWidth(_ character: Character) -> Int {
    if let ascii = character.asciiValue {
        return (ascii < 0x20 || ascii == 0x7F) ? escapeWidth(character) : 1
    }
    return clusterWidth(character)
}

/// Columns `text` takes on a terminal: the sum of its grapheme clusters' widths.
public func displayWidth(_ text: String) -> Int {
    var total = 0
    for character in text { total += displayWidth(character) }
    return total
}

/// `text` as it is drawn on a terminal: every control character written as its escape (as
/// `escapingControls` does), and clusters of width 0 standing on their own dropped.
public func sanitized(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
        if let escape = controlEscape(character) { out += escape; continue }
        if let drawn = terminalSymbol(character) { out.append(drawn.symbol) }
    }
    return out
}

/// `text` with every control character (C0, DEL, C1, line and paragraph separators, bidirectional
/// overrides and isolates) written as a visible escape — `\e` for ESC, `\t`, `\r`, `\n`, else `\x07`
/// or `\u{202E}` — so that text from a file can neither move the cursor nor retitle, clear or reorder
/// the terminal, and still shows what the file holds. The planner's grid draws controls the same way.
/// `keepLineBreaks` leaves `\n` alone (for whole reports); a backslash is left as it is.
public func escapingControls(_ text: String, keepLineBreaks: Bool = false) -> String {
    guard text.unicodeScalars.contains(where: { isControl($0) && !(keepLineBreaks && $0 == "\n") }) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        guard isControl(scalar), !(keepLineBreaks && scalar == "\n") else { out.append(scalar); continue }
        out.append(contentsOf: escape(of: scalar).unicodeScalars)
    }
    return String(out)
}

/// The escape one control scalar is written as.
func escape(of scalar: Unicode.Scalar) -> String {
    switch scalar.value {
    case 0x1B: return "\\e"
    case 0x09: return "\\t"
    case 0x0D: return "\\r"
    case 0x0A: return "\\n"
    case 0..<0x100:
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "\\x" + (hex.count < 2 ? "0" : "") + hex
    default: return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }
}

/// The escape a cluster that starts with a control is drawn as (`\r\n` is one cluster, drawn `\r\n`),
/// or nil for any other cluster.
@inline(__always)
func controlEscape(_ character: Character) -> String? {
    if let ascii = character.asciiValue {
        guard ascii < 0x20 || ascii == 0x7F else { return nil }
    } else {
        guard let first = character.unicodeScalars.first, isControl(first) else { return nil }
    }
    var out = ""
    for scalar in character.unicodeScalars {
        if isControl(scalar) { out += escape(of: scalar) } else { out.unicodeScalars.append(scalar) }
    }
    return out
}

/// Columns of a control cluster's escape (all ASCII, one column each).
func escapeWidth(_ character: Character) -> Int { controlEscape(character).map { displayWidth($0) } ?? 1 }

/// What a cluster other than a control is drawn as and how wide it is; nil when it takes no column at
/// all and is dropped, and for a control (drawn as several cells: see `controlEscape`).
@inline(__always)
func terminalSymbol(_ character: Character) -> (symbol: Character, width: Int)? {
    if let ascii = character.asciiValue {
        return (ascii < 0x20 || ascii == 0x7F) ? nil : (character, 1)
    }
    guard let first = character.unicodeScalars.first else { return nil }
    if isControl(first) { return nil }
    let width = clusterWidth(character)
    return width == 0 ? nil : (character, width)
}

@inline(__always)
func isControl(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    return v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029
        || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)  // bidirectional embeddings, overrides, isolates
}

func clusterWidth(_ character: Character) -> Int {
    let scalars = character.unicodeScalars
    guard let first = scalars.first else { return 0 }
    if isControl(first) { return escapeWidth(character) }
    let base = scalarWidth(first)
    if base == 0 { return 0 }
    if base == 2 { return 2 }
    var regionalIndicators = 0
    var emojiPresentationRequested = false
    var joined = false
    var skinTone = false
    for scalar in scalars {
        switch scalar.value {
        case 0xFE0F: emojiPresentationRequested = true
        case 0x200D: joined = true
        case 0x1F1E6...0x1F1FF: regionalIndicators += 1
        case 0x1F3FB...0x1F3FF: skinTone = true
        default: break
        }
    }
    if regionalIndicators >= 2 { return 2 }
    let isEmoji = first.properties.isEmoji
    // A text-default character such as ❤ (U+2764) turns into a 2-column emoji with U+FE0F, and so do
    // keycaps (1️⃣); plain digits are "emoji" too, which is why the selector is required.
    if isEmoji && (emojiPresentationRequested || joined || skinTone) { return 2 }
    return 1
}

/// Width of one code point taken alone: 0, 1 or 2.
func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    // Nothing below U+0300 is wide or combining; the soft hyphen U+00AD shows as one column, as in glibc.
    if v < 0x300 { return 1 }
    if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return 0 }  // Hangul medial/final jamo
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if isEastAsianWide(v) || scalar.properties.isEmojiPresentation { return 2 }
    return 1
}

func isEastAsianWide(_ value: UInt32) -> Bool {
    let table = eastAsianWideRanges
    guard value >= 0x1100 else { return false }
    var low = 0
    var high = table.count / 2 - 1
    while low <= high {
        let mid = (low + high) / 2
        if value < table[2 * mid] {
            high = mid - 1
        } else if value > table[2 * mid + 1] {
            low = mid + 1
        } else {
            return true
        }
    }
    return false
}
