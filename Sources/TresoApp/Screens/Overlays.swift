import TerminalKit
import TresoCore

/// Help, picker, form and quit prompt, drawn over the main screen in a bordered box.
enum Overlays {
    static func render(_ s: AppState, into grid: inout CellGrid) {
        switch s.mode {
        case .help(let scroll): help(s, scroll: scroll, into: &grid)
        case .picker(let p): picker(s, p, into: &grid)
        case .form(let f): form(s, f, into: &grid)
        case .confirmQuit: confirm(s, into: &grid)
        case .conflict: conflict(s, into: &grid)
        case .confirmReplace(let e): replace(s, e, into: &grid)
        case .confirmDestroy(let d): destroy(s, d, into: &grid)
        default: break
        }
    }

    /// A centred box of at most `width`×`height` cells; returns its inside.
    static func box(_ title: String, width: Int, height: Int, theme t: Theme, into grid: inout CellGrid) -> Rect {
        let w = min(width, grid.width - 2), h = min(height, grid.height - 2)
        let area = Rect(x: (grid.width - w) / 2, y: max(1, (grid.height - h) / 2), width: w, height: h)
        grid.fill(area, style: t[.overlay])
        Block(title: title, borders: .rounded, focusedBorders: .thick, style: t[.borderFocused], titleStyle: t[.titleFocused],
              isFocused: true, focusedStyle: t[.borderFocused]).render(into: &grid, area: area)
        return area.inset(top: 1, left: 2, bottom: 1, right: 2)
    }

    /// What typing does in the command line, the filter and the form's fields (not key-table commands: text keys).
    static let typingHelp = "Typing (: / and form fields): ← → or Ctrl-B/F move the cursor, Home End or Ctrl-A/E jump to the start/end, "
        + "text goes in at the cursor, Backspace/Delete erase before/under it, Ctrl-W the word before it, Ctrl-U everything before it "
        + "(on the command line the argument first), ↑ ↓ the session's earlier command lines, Enter runs, Esc cancels."

    /// Words of `text` in lines of at most `width` columns (a word wider than a line is cut into pieces: nothing is lost).
    static func wrapWords(_ text: String, width: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        var line = "", used = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var w = String(word)
            var ww = displayWidth(w)
            if used > 0 && used + 1 + ww <= width { line += " " + w; used += 1 + ww; continue }
            if used > 0 { lines.append(line); line = ""; used = 0 }
            while ww > width {
                var head = "", hw = 0
                for ch in w {
                    let cw = displayWidth(ch)
                    if hw + cw > width { break }
                    head.append(ch); hw += cw
                }
                if head.isEmpty { break }
                lines.append(head)
                w.removeFirst(head.count)
                ww = displayWidth(w)
            }
            line = w; used = ww
        }
        if used > 0 || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// The help's lines at `width` columns: an introduction, then one section per context, generated from the key table.
    /// Every word is shown: wide, keys, command and help side by side with the help wrapped under itself; narrow, the
    /// help goes under the keys, indented. Nothing is cut at any width.
    /// What the invoice tables' marker column means (the day panel spells out the selected row's markers).
    static let markersHelp = "In the invoice tables, the column after the amount marks F a forecast not yet invoiced (id FC …), "
        + "¤ an amount converted from another currency, ½ a partly paid invoice (its open amount is projected), "
        + "~ a due date inferred from payment terms; the day panel spells out the selected row's."

    static func helpLines(theme t: Theme, width: Int) -> [[Span]] {
        let w = max(1, width)
        var lines: [[Span]] = []
        func paragraph(_ text: String, _ style: Style) { for l in wrapWords(text, width: w) { lines.append([Span(l, style: style)]) } }
        paragraph("Every command also runs from the command line: press : then " + LineCommands.summary, t[.muted])
        paragraph("Decisions apply to the marked rows (✓) or, when none is marked, to the row under the cursor (▸).", t[.muted])
        paragraph(typingHelp, t[.muted])
        paragraph(markersHelp, t[.muted])
        let keyStyle = t[.key].patched(by: Style(attributes: .bold))
        // Columns as wide as the room allows; keys or a command name wider than its column take a line of their own.
        let keysWidth = w >= 110 ? 22 : 12, nameWidth = w >= 110 ? 27 : 22
        let side = w >= keysWidth + 1 + nameWidth + 1 + 30
        for line in KeyTable.helpLines() {
            if line.isTitle {
                lines.append([])
                paragraph(line.name, t[.tableHeader])
                continue
            }
            if side {
                let helpWidth = w - keysWidth - nameWidth - 2
                let helps = wrapWords(line.help, width: helpWidth)
                var lead: [Span] = []
                // Keys or a name longer than their column take a line of their own rather than being cut.
                if displayWidth(line.keys) > keysWidth || displayWidth(line.name) > nameWidth {
                    for l in wrapWords(line.keys, width: w) { lines.append([Span(l, style: keyStyle)]) }
                    lead = [Span(String(repeating: " ", count: keysWidth) + " ", style: keyStyle)]
                    if displayWidth(line.name) > nameWidth {
                        for l in wrapWords(line.name, width: w - keysWidth - 1) { lines.append(lead + [Span(l, style: t[.muted])]) }
                        lead.append(Span(String(repeating: " ", count: nameWidth + 1), style: t[.muted]))
                    } else {
                        lead.append(Span(pad(line.name, toWidth: nameWidth) + " ", style: t[.muted]))
                    }
                } else {
                    lead = [Span(pad(line.keys, toWidth: keysWidth), style: keyStyle), Span(" " + pad(line.name, toWidth: nameWidth) + " ", style: t[.muted])]
                }
                for (i, h) in helps.enumerated() {
                    let head = i == 0 ? lead : [Span(String(repeating: " ", count: keysWidth + nameWidth + 2))]
                    lines.append(head + [Span(h, style: t[.text])])
                }
            } else {
                // Narrow: "keys  name" wrapped, then the help indented under them.
                let first = line.keys + "  " + line.name
                for (i, l) in wrapWords(first, width: w).enumerated() {
                    lines.append([Span(l, style: i == 0 ? keyStyle : t[.muted])])
                }
                for l in wrapWords(line.help, width: max(1, w - 4)) { lines.append([Span("    " + l, style: t[.text])]) }
            }
        }
        return lines
    }

    /// The help box: the whole screen's height, at most 160 columns wide, centred.
    static func helpBox(width: Int, height: Int) -> Rect {
        let w = max(0, min(160, width - 2)), h = max(0, height - 2)
        return Rect(x: max(0, (width - w) / 2), y: 1, width: w, height: h)
    }

    static func helpArea(width: Int, height: Int) -> Rect {
        helpBox(width: width, height: height).inset(top: 1, left: 2, bottom: 1, right: 2)
    }

    static func helpMaxScroll(width: Int, height: Int) -> Int {
        let area = helpArea(width: width, height: height)
        return max(0, helpLines(theme: .mono, width: area.width).count - area.height)
    }

    static func help(_ s: AppState, scroll: Int, into grid: inout CellGrid) {
        let t = s.theme
        // The help covers the whole screen: nothing of the panes shows at its edges.
        grid.fill(grid.area, style: t[.overlay])
        let outer = helpBox(width: grid.width, height: grid.height)
        let inner = helpArea(width: grid.width, height: grid.height)
        guard !outer.isEmpty else { return }
        let lines = helpLines(theme: t, width: inner.width)
        let maxScroll = max(0, lines.count - inner.height)
        let first = min(max(0, scroll), maxScroll)
        // Where the page is: the title says which lines show and how to scroll.
        let shown = lines.isEmpty ? "" : " · lines \(first + 1)–\(min(lines.count, first + inner.height)) of \(lines.count)"
        let title = "Keys" + shown + (maxScroll > 0 ? " · j/k PgUp/PgDn scroll" : "") + " · Esc closes"
        Block(title: truncate(title, toWidth: max(0, outer.width - 4)), borders: .rounded, focusedBorders: .thick, style: t[.borderFocused],
              titleStyle: t[.titleFocused], isFocused: true, focusedStyle: t[.borderFocused]).render(into: &grid, area: outer)
        guard !inner.isEmpty else { return }
        Paragraph(lines: lines, wraps: false, scroll: first, style: t[.overlay]).render(into: &grid, area: inner)
    }

    static func picker(_ s: AppState, _ p: Picker, into grid: inout CellGrid) {
        let t = s.theme
        let widest = p.options.map { displayWidth($0.decision.code) + displayWidth($0.refusal ?? $0.decision.label) + ($0.impact == nil ? 14 : 70) }.max() ?? 20
        let inner = box(p.title, width: max(44, min(widest, 130)), height: p.options.count + 4, theme: t, into: &grid)
        guard !inner.isEmpty else { return }
        var y = inner.y
        for (i, o) in p.options.enumerated() where y < inner.maxY - 1 {
            let row = Rect(x: inner.x, y: y, width: inner.width, height: 1)
            let selected = i == p.selected
            let base = selected ? t[.overlay].patched(by: t[.selection]) : t[.overlay]
            grid.fill(row, style: base)
            var spans = [Span((selected ? "▸ " : "  ") + pad(o.decision.code, toWidth: 18), style: base.patched(by: t[.decision]))]
            if let r = o.refusal { spans.append(Span("✗ refused: " + r, style: base.patched(by: t[.warning]))) } else {
                spans.append(Span("✓ " + o.decision.label, style: base))
                if let m = o.impact {
                    // What it would do, measured by the engine: cost change and lowest balance after.
                    var text = "  cost " + Format.signed(m.costChange) + " · lowest " + Format.money(m.lowestBefore) + " → " + Format.money(m.lowestAfter)
                    if m.refused > 0 { text += " (\(m.refused) refused)" }
                    spans.append(Span(text, style: base.patched(by: m.lowestAfter < m.lowestBefore ? t[.warning] : t[.muted])))
                }
            }
            grid.put(spans, x: row.x, y: y, clip: row)
            y += 1
        }
        grid.put("Enter applies · Esc cancels · j/k choose", x: inner.x, y: inner.maxY - 1, style: t[.muted], clip: inner)
    }

    static func form(_ s: AppState, _ f: TermsForm, into grid: inout CellGrid) {
        let t = s.theme
        let inner = box("Scenario terms · Enter edits · Esc closes · every plan re-projects at once", width: 80,
                        height: f.fields.count + 5, theme: t, into: &grid)
        guard !inner.isEmpty else { return }
        let terms = s.scenario.terms
        let labelWidth = min(44, max(0, inner.width - 18))
        let rows = max(0, inner.height - 3)
        let first = Table.scrollOffset(selected: f.selected, offset: 0, rowCount: f.fields.count, visibleRows: rows)
        var y = inner.y
        for (i, field) in f.fields.enumerated().dropFirst(first).prefix(rows) {
            let row = Rect(x: inner.x, y: y, width: inner.width, height: 1)
            let selected = i == f.selected
            let base = selected ? t[.overlay].patched(by: t[.selection]) : t[.overlay]
            grid.fill(row, style: base)
            var spans = [Span((selected ? "▸ " : "  ") + pad(field.label, toWidth: labelWidth), style: base)]
            if selected, let editing = f.editing {
                let room = row.width - 2 - displayWidth(spans[0].text)
                spans += MainScreen.editedLine(" ", editing, back: s.lineBack, width: room, style: t[.input])
            } else {
                spans.append(Span(" " + field.text(in: terms), style: base))
            }
            grid.put(spans, x: row.x, y: y, clip: row)
            y += 1
        }
        let footer = f.error.map { Span("✗ " + $0, style: t[.error]) }
            ?? Span(f.editing == nil ? "amounts like 38000.00 · rates in percent like 9.5 · after Esc, u undoes" : "Enter applies · Esc cancels",
                    style: t[.muted])
        grid.put([footer], x: inner.x, y: inner.maxY - 1, clip: inner)
    }

    static func confirm(_ s: AppState, into grid: inout CellGrid) {
        let t = s.theme
        let inner = box("Unsaved changes", width: 64, height: 7, theme: t, into: &grid)
        guard !inner.isEmpty else { return }
        let n = s.unsavedCount
        Paragraph(lines: [
            [Span("\(n) change\(n == 1 ? "" : "s") not saved to \(s.tomlPath).", style: t[.overlay])],
            [],
            [Span(" y ", style: t[.key]), Span(" save and quit   ", style: t[.overlay]), Span(" n ", style: t[.key]),
             Span(" quit without saving   ", style: t[.overlay]), Span(" Esc ", style: t[.key]), Span(" stay", style: t[.overlay])],
        ], wraps: true, style: t[.overlay]).render(into: &grid, area: inner)
    }

    static func conflict(_ s: AppState, into grid: inout CellGrid) {
        let t = s.theme
        let inner = box("Scenario file changed on disk", width: 72, height: 9, theme: t, into: &grid)
        guard !inner.isEmpty else { return }
        Paragraph(lines: [
            [Span("\(s.tomlPath) was changed by someone else since this session read it. Nothing was written.", style: t[.overlay])],
            [],
            [Span(" r ", style: t[.key]), Span(" reload it and re-apply your \(s.unsavedCount) change\(s.unsavedCount == 1 ? "" : "s"), then save", style: t[.overlay])],
            [Span(" b ", style: t[.key]), Span(" save yours beside it: \(s.besidePath)", style: t[.overlay])],
            [Span(" Esc ", style: t[.key]), Span(" write nothing now", style: t[.overlay])],
        ], wraps: true, style: t[.overlay]).render(into: &grid, area: inner)
    }

    static func replace(_ s: AppState, _ e: FileExport, into grid: inout CellGrid) {
        let t = s.theme
        let inner = box("Replace an existing file?", width: 72, height: 7, theme: t, into: &grid)
        guard !inner.isEmpty else { return }
        Paragraph(lines: [
            [Span("\(e.path) exists.", style: t[.overlay])],
            [],
            [Span(" y ", style: t[.key]), Span(" replace it   ", style: t[.overlay]), Span(" n ", style: t[.key]),
             Span(" keep it, write nothing", style: t[.overlay])],
        ], wraps: true, style: t[.overlay]).render(into: &grid, area: inner)
    }

    static func destroy(_ s: AppState, _ d: Destruction, into grid: inout CellGrid) {
        let t = s.theme
        let inner = box("Confirm", width: 72, height: 7, theme: t, into: &grid)
        guard !inner.isEmpty else { return }
        Paragraph(lines: [
            [Span(d.question, style: t[.overlay])],
            [],
            [Span(" y ", style: t[.key]), Span(" yes (u undoes it)   ", style: t[.overlay]), Span(" n ", style: t[.key]),
             Span(" no, keep everything", style: t[.overlay])],
        ], wraps: true, style: t[.overlay]).render(into: &grid, area: inner)
    }
}
