import TresoCore

/// Writes a period table (the 13-week cash table) for people (table) and for programs (CSV, JSON, XLSX).
/// Amounts are signed from the company's cash everywhere: + cash in, − cash out (docs/calculations.md § Signs).
public enum PeriodExport {
    /// The column title of a period: its first day for weeks and days (`30/11`), the month for months (`2026-12`).
    public static func heading(_ p: CashPeriod, _ length: PeriodLength) -> String {
        switch length {
        case .month:
            let c = p.start.components
            return String(c.year) + "-" + (c.month < 10 ? "0" : "") + String(c.month)
        case .week, .day:
            return String(p.start.french.prefix(5))
        }
    }

    static func flagCodes(_ f: DayFlags) -> String { ProjectionExport.flagCodes(f) }

    public static func table(_ t: PeriodTable, title: String, currency: String) -> String {
        let n = t.periods.count
        var tt = TextTable(headers: [t.length == .month ? "Month" : (t.length == .week ? "Week of" : "Day")] + t.periods.map { heading($0, t.length) } + ["Total"],
                           alignments: [.left] + Array(repeating: .right, count: n + 1))
        func money(_ m: Money) -> String { m == .zero ? "·" : m.formatted() }
        tt.add(["Opening"] + t.periods.map { $0.opening.formatted() } + [t.periods.first?.opening.formatted() ?? ""])
        tt.addSeparator()
        for (c, cat) in t.categories.enumerated() {
            tt.add([cat.name] + t.periods.map { money($0.amounts[c]) } + [money(t.total(c))])
        }
        tt.addSeparator()
        let net = t.periods.map { $0.closing - $0.opening }
        tt.add(["Net change"] + net.map { $0.formatted(plusSign: true) } + [net.reduce(.zero, +).formatted(plusSign: true)])
        tt.add(["Closing"] + t.periods.map { $0.closing.formatted() } + [t.periods.last?.closing.formatted() ?? ""])
        let worst = t.periods.min { $0.lowest < $1.lowest }
        tt.add(["Lowest"] + t.periods.map { $0.lowest.formatted() } + [worst?.lowest.formatted() ?? ""])
        tt.add(["Lowest on"] + t.periods.map { String($0.lowestDate.french.prefix(5)) } + [worst.map { String($0.lowestDate.french.prefix(5)) } ?? ""])
        tt.add(["Flags"] + t.periods.map { flagCodes($0.flags) } + [""])
        var out = title + " — " + currency + " — by " + t.length.rawValue + "\n\n" + tt.render()
        out += "Amounts: + cash in, − cash out. Columns are titled by their first day (weeks run Monday to Sunday);\n"
        out += "each column's rows add up to its net change. Lowest: the lowest closing balance of a day in the period.\n"
        out += "Flags: OD overdrawn (below zero) · LIMIT over the authorised overdraft · BUF below the minimum cash\n"
        return out
    }

    /// Rows are the table's rows, columns the periods (titled by their first day, ISO), like the table.
    public static func sheet(_ t: PeriodTable) -> Sheet {
        var s = Sheet(name: "Periods", headers: ["row"] + t.periods.map { $0.start.iso })
        s.rows.append([.text("start")] + t.periods.map { .day($0.start) })
        s.rows.append([.text("end")] + t.periods.map { .day($0.end) })
        s.rows.append([.text("opening")] + t.periods.map { .money($0.opening) })
        for (c, cat) in t.categories.enumerated() { s.rows.append([.text(cat.name)] + t.periods.map { .money($0.amounts[c]) }) }
        s.rows.append([.text("closing")] + t.periods.map { .money($0.closing) })
        s.rows.append([.text("lowest")] + t.periods.map { .money($0.lowest) })
        s.rows.append([.text("lowest_date")] + t.periods.map { .day($0.lowestDate) })
        s.rows.append([.text("flags")] + t.periods.map { .text($0.flags.names.joined(separator: "|")) })
        return s
    }

    public static func json(_ t: PeriodTable) -> String {
        // A customer and a supplier of the same name stay two keys.
        var seen: Set<String> = []
        let keys = t.categories.map { c -> String in
            var k = c.name
            if seen.contains(k) { k += c.group == .suppliers ? " (supplier)" : " (" + String(describing: c.group) + ")" }
            seen.insert(k)
            return k
        }
        let periods: [JSON] = t.periods.map { p in
            .object([("start", .day(p.start)), ("end", .day(p.end)), ("opening", .money(p.opening)), ("closing", .money(p.closing)),
                     ("lowest", .money(p.lowest)), ("lowest_date", .day(p.lowestDate)),
                     ("flags", .array(p.flags.names.map { .string($0) })),
                     ("categories", .object(zip(keys, p.amounts).map { ($0, .money($1)) }))])
        }
        return JSON.object([("by", .string(t.length.rawValue)), ("periods", .array(periods))]).render() + "\n"
    }
}
