import TresoCore

public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

/// Writes a projection for people (table) and for programs (CSV, JSON).
public enum ProjectionExport {
    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// Short flag codes for the table, explained in its legend.
    static func flagCodes(_ f: DayFlags) -> String {
        var parts: [String] = []
        if f.contains(.overdrawn) { parts.append("OD") }
        if f.contains(.overLimit) { parts.append("LIMIT") }
        if f.contains(.belowBuffer) { parts.append("BUF") }
        return parts.joined(separator: " ")
    }

    public static func render(_ days: ArraySlice<DailyPosition>, summary: ProjectionSummary, format: OutputFormat,
                              title: String, currency: String) -> String {
        switch format {
        case .table: return table(days, summary: summary, title: title, currency: currency)
        case .csv: return csv(days)
        case .json: return json(days, summary: summary)
        }
    }

    public static func table(_ days: ArraySlice<DailyPosition>, summary: ProjectionSummary, title: String, currency: String) -> String {
        var t = TextTable(headers: ["Date", "", "Opening", "Receipts", "Disbursed", "Financing", "Charges", "Closing", "Flags"],
                          alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .left])
        var lastMonth = -1
        for d in days {
            let month = d.day.month
            if lastMonth != -1 && month != lastMonth { t.addSeparator() }
            lastMonth = month
            t.add([d.day.iso, weekdays[d.day.weekday - 1], d.opening.formatted(), blankZero(d.receipts),
                   blankZero(-d.disbursements), blankZero(d.financing, plus: true), blankZero(-d.charges), d.closing.formatted(),
                   flagCodes(d.flags)])
        }
        var out = title + " — " + currency + "\n\n" + t.render()
        out += "Flags: OD overdrawn (below zero) · LIMIT over the authorised overdraft · BUF below the minimum cash\n\n"
        out += summaryText(summary)
        return out
    }

    static func blankZero(_ m: Money, plus: Bool = false) -> String {
        m == .zero ? "·" : m.formatted(plusSign: plus)
    }

    public static func summaryText(_ s: ProjectionSummary) -> String {
        var t = TextTable(headers: ["Summary", ""], alignments: [.left, .right])
        t.add(["Lowest balance", s.lowestBalance.formatted() + " on " + s.lowestBalanceDate.iso])
        t.add(["Peak overdraft", s.peakOverdraft.formatted()])
        t.add(["Days overdrawn", String(s.daysOverdrawn)])
        t.add(["Days over the overdraft limit", String(s.daysOverLimit)])
        t.add(["Days below the minimum cash", String(s.daysBelowBuffer)])
        if s.overdraftPenalty == .zero {
            t.add(["Bank charges (interest + commission)", s.overdraftCharges.formatted() + " (" + s.overdraftInterest.formatted() + " + " + s.overdraftCommission.formatted() + ")"])
        } else {
            t.add(["Bank charges (interest + commission + over-limit penalty)", s.overdraftCharges.formatted() + " (" + s.overdraftInterest.formatted()
                   + " + " + s.overdraftCommission.formatted() + " + " + s.overdraftPenalty.formatted() + ")"])
        }
        if s.creditLineInterest != .zero || s.commitmentFees != .zero {
            t.add(["Credit lines (interest + commitment fee)", (s.creditLineInterest + s.commitmentFees).formatted() + " ("
                   + s.creditLineInterest.formatted() + " + " + s.commitmentFees.formatted() + "), peak drawn " + s.peakDrawn.formatted()])
        }
        // Says which day it is: the horizon's end, or the `--to` day of a slice.
        t.add([s.lastDay.map { "Closing balance on " + $0.iso } ?? "Closing balance", s.finalBalance.formatted()])
        return t.render()
    }

    public static func csv(_ days: ArraySlice<DailyPosition>) -> String { sheet(days).csv() }

    /// The daily table as a sheet (CSV in either dialect, XLSX).
    public static func sheet(_ days: ArraySlice<DailyPosition>) -> Sheet {
        var s = Sheet(name: "Projection", headers: ["date", "opening", "receipts", "disbursements", "financing", "charges", "closing", "flags"])
        for d in days {
            // Signed like the table (docs/calculations.md § Signs): + cash in, − cash out.
            s.rows.append([.day(d.day), .money(d.opening), .money(d.receipts), .money(-d.disbursements), .money(d.financing),
                           .money(-d.charges), .money(d.closing), .text(d.flags.names.joined(separator: "|"))])
        }
        return s
    }

    public static func json(_ days: ArraySlice<DailyPosition>, summary s: ProjectionSummary) -> String {
        let rows: [JSON] = days.map { d in
            .object([("date", .day(d.day)), ("opening", .money(d.opening)), ("receipts", .money(d.receipts)),
                     ("disbursements", .money(-d.disbursements)), ("financing", .money(d.financing)),
                     ("charges", .money(-d.charges)), ("closing", .money(d.closing)),
                     ("flags", .array(d.flags.names.map { .string($0) }))])
        }
        let summary: JSON = .object([
            ("lowest_balance", .money(s.lowestBalance)), ("lowest_balance_date", .day(s.lowestBalanceDate)),
            ("peak_overdraft", .money(s.peakOverdraft)), ("days_overdrawn", .int(s.daysOverdrawn)),
            ("days_over_limit", .int(s.daysOverLimit)), ("days_below_buffer", .int(s.daysBelowBuffer)),
            ("bank_charges", .money(s.bankCharges)), ("overdraft_interest", .money(s.overdraftInterest)),
            ("overdraft_commission", .money(s.overdraftCommission)), ("final_balance", .money(s.finalBalance)),
            ("overdraft_penalty", .money(s.overdraftPenalty)),
        ] + (s.creditLineInterest == .zero && s.commitmentFees == .zero && s.peakDrawn == .zero ? [] : [
            ("credit_line_interest", .money(s.creditLineInterest)), ("commitment_fees", .money(s.commitmentFees)),
            ("peak_drawn", .money(s.peakDrawn)),
        ]))
        return JSON.object([("days", .array(rows)), ("summary", summary)]).render() + "\n"
    }

    /// Every movement of one day, with its source, and the day's balance.
    public static func dayDetail(_ position: DailyPosition, movements: [Movement], format: OutputFormat, currency: String) -> String {
        switch format {
        case .json:
            let items: [JSON] = movements.map { m in
                .object([("amount", .money(m.amount)), ("category", .string(m.category.rawValue)), ("reference", .string(m.reference)),
                         ("label", .string(m.label)), ("overdue", .bool(m.overdue))])
            }
            return JSON.object([("date", .day(position.day)), ("opening", .money(position.opening)), ("movements", .array(items)),
                                ("closing", .money(position.closing)), ("flags", .array(position.flags.names.map { .string($0) }))]).render() + "\n"
        case .csv:
            var out = csvLine(["date", "category", "reference", "label", "amount", "overdue"])
            for m in movements {
                out += csvLine([position.day.iso, m.category.rawValue, m.reference, m.label, m.amount.decimalString, m.overdue ? "yes" : ""])
            }
            return out
        case .table:
            var t = TextTable(headers: ["Category", "Source", "What", "Amount"], alignments: [.left, .left, .left, .right])
            t.add(["", "", "Opening balance", position.opening.formatted()])
            t.addSeparator()
            for m in movements {
                t.add([m.category.rawValue, m.reference, m.label + (m.overdue ? " (overdue, moved to the start)" : ""), m.amount.formatted(plusSign: true)])
            }
            if movements.isEmpty { t.add(["", "", "no movement" + (position.day.isWeekend ? " (weekend)" : ""), ""]) }
            t.addSeparator()
            t.add(["", "", "Closing balance", position.closing.formatted()])
            let flags = position.flags.names.joined(separator: ", ")
            return position.day.iso + " (" + weekdays[position.day.weekday - 1] + ") — " + currency + "\n\n" + t.render()
                + (flags.isEmpty ? "" : "Flags: " + flags.replacingOccurrences(of: "_", with: " ") + "\n")
        }
    }
}
