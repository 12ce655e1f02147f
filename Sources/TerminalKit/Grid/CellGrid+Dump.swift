extension CellGrid {
    /// A stable text form of the grid including styles, for snapshot tests of themes. One line per
    /// row: the row's text between bars, then each run of cells whose style is not plain as
    /// `[first-last fg/bg/attributes]` with inclusive columns, e.g.
    /// `|Total  12 €| [0-4 default/default/bold] [7-10 red/default/-]`.
    public func styledDump() -> String {
        var out = ""
        for (y, line) in lines().enumerated() {
            out += "|" + line + "|"
            var runStart = 0
            var runStyle = self[0, y].style
            func close(_ end: Int) {
                if runStyle != .plain && end >= runStart {
                    out += " [\(runStart)-\(end) \(runStyle)]"
                }
            }
            for x in 0..<width {
                let cell = self[x, y]
                // A continuation cell belongs to the run of the wide character it continues.
                if cell.isContinuation || cell.style == runStyle { continue }
                close(x - 1)
                runStart = x
                runStyle = cell.style
            }
            if width > 0 { close(width - 1) }
            out += "\n"
        }
        return out
    }
}
