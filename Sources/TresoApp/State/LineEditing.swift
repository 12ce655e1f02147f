import TresoCore

/// Shell-like editing of the command line, the filter and the form's fields: the cursor moves (← → Home End,
/// Ctrl-A/E/B/F), characters go in at the cursor, Backspace / Delete take the one before / under it, Ctrl-W the word
/// before it, Ctrl-U everything before it — on the command line the argument only (the command words stay, so `R`
/// then Ctrl-U leaves `plan rename `); ↑ / ↓ walk the lines run in this session.
enum LineEditing {
    /// Where the word before `i` starts (spaces before the cursor, then the word), as Ctrl-W in a shell.
    static func wordStart(_ chars: [Character], before i: Int) -> Int {
        var j = min(max(0, i), chars.count)
        while j > 0 && chars[j - 1] == " " { j -= 1 }
        while j > 0 && chars[j - 1] != " " { j -= 1 }
        return j
    }

    /// Applies a cursor-relative edit to `text` whose cursor is `back` characters from the end (0: at the end, so a
    /// line set anew — history, a pre-filled command — has its cursor at the end). `keep`: characters Ctrl-U leaves at
    /// the start while the cursor is past them (the command words). Nil: not an edit of the text.
    static func apply(_ edit: TextEdit, text: String, back: Int, keep: Int = 0) -> (text: String, back: Int)? {
        var chars = Array(text)
        var i = chars.count - min(max(0, back), chars.count)
        switch edit {
        case .insert(let c): chars.insert(c, at: i); i += 1
        case .backspace: if i > 0 { chars.remove(at: i - 1); i -= 1 }
        case .deleteForward: if i < chars.count { chars.remove(at: i) }
        case .left: i = max(0, i - 1)
        case .right: i = min(chars.count, i + 1)
        case .home: i = 0
        case .end: i = chars.count
        case .deleteWord:
            let j = wordStart(chars, before: i)
            chars.removeSubrange(j..<i)
            i = j
        case .clear:
            let j = keep > 0 && keep < i ? keep : 0
            chars.removeSubrange(j..<i)
            i = j
        case .submit, .cancel, .historyPrevious, .historyNext: return nil
        }
        // Counted back from the end of the array: a combining mark typed after a letter joins it without moving the cursor.
        return (String(chars), chars.count - i)
    }

    /// Commands whose second word is part of the command (`plan rename`, `export csv`).
    static let twoWordCommands: Set<String> = ["plan", "plans", "export"]

    /// The command words of a line with their trailing space (`plan rename `), or "" when there is no argument yet.
    static func commandPrefix(_ text: String) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        guard let first = words.first else { return "" }
        let n = twoWordCommands.contains(first.lowercased()) && words.count >= 2 ? 2 : 1
        let prefix = words.prefix(n).joined(separator: " ") + " "
        return text.count > prefix.count && text.hasPrefix(prefix) ? prefix : ""
    }
}

/// The command lines run in this session (most recent last) and where ↑ / ↓ are in them.
struct CommandHistory: Sendable, Equatable {
    private(set) var lines: [String] = []
    /// Index into `lines` while walking with ↑ / ↓; nil at the line being typed.
    var position: Int?
    /// What was typed before the first ↑, given back by ↓ past the newest line.
    var draft = ""

    mutating func record(_ line: String) {
        let t = line.trimmingSpaces
        if !t.isEmpty && lines.last != t { lines.append(t) }
        if lines.count > 200 { lines.removeFirst(lines.count - 200) }
        reset()
    }

    mutating func reset() { position = nil; draft = "" }

    /// The line ↑ shows, or nil at the oldest.
    mutating func previous(current: String) -> String? {
        guard !lines.isEmpty else { return nil }
        if position == nil { draft = current }
        let p = max(0, (position ?? lines.count) - 1)
        position = p
        return lines[p]
    }

    mutating func next() -> String? {
        guard let p = position else { return nil }
        if p + 1 < lines.count { position = p + 1; return lines[p + 1] }
        position = nil
        return draft
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

extension AppState {
    /// Command-line edits that depend on the words typed (Ctrl-U, Ctrl-W, history); nil: the generic editing applies.
    mutating func editLine(_ edit: TextEdit) -> [Effect]? {
        guard case .command(let text) = mode else { return nil }
        switch edit {
        case .clear:
            let prefix = LineEditing.commandPrefix(text)
            guard let r = LineEditing.apply(.clear, text: text, back: lineBack, keep: prefix.count) else { return nil }
            mode = .command(text: r.text)
            lineBack = r.back
        case .historyPrevious:
            if let line = commandHistory.previous(current: text) { mode = .command(text: line); lineBack = 0 }
            else { message = Message("no earlier command in this session") }
        case .historyNext:
            if let line = commandHistory.next() { mode = .command(text: line); lineBack = 0 }
        default: return nil
        }
        return []
    }
}

/// Why a text shaped like a date (`31/02/2027`, `2027-13-01`) is not one, or nil when it is not date-shaped.
func invalidDateReason(_ text: String) -> String? {
    let t = text.trimmingSpaces
    let parts = t.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." })
    guard parts.count == 3, parts.allSatisfy({ p in !p.isEmpty && p.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
    let iso = parts[0].count == 4
    guard let a = Int(parts[0]), let b = Int(parts[1]), let c = Int(parts[2]) else { return nil }
    let (y, m, d) = iso ? (a, b, c) : (c, b, a)
    guard (iso ? parts[0] : parts[2]).count == 4 else { return "invalid date \(t): the year needs four digits" }
    guard (1...12).contains(m) else { return "invalid date \(t): there is no month \(m)" }
    let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    let last = Day.daysInMonth(year: y, month: m)
    guard (1...last).contains(d) else { return "invalid date \(t): \(names[m - 1]) \(y) has \(last) days" }
    return nil
}
