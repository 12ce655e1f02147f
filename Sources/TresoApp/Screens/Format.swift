import TresoCore

/// How numbers and dates read on screen. Amounts come from the engine; this only lays them out.
enum Format {
    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// A share of paths as a percentage with one decimal, rounded half up: `12.4%`, `0%`, `100%`; never 0 or 100
    /// when some but not all paths count (`<0.1%`, `>99.9%`). At most 6 columns.
    static func probability(_ count: Int, of paths: Int) -> String {
        guard paths > 0, count > 0 else { return "0%" }
        if count >= paths { return "100%" }
        let tenths = (Int128(count) * 2000 + Int128(paths)) / (2 * Int128(paths))
        if tenths == 0 { return "<0.1%" }
        if tenths >= 1000 { return ">99.9%" }
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// `-12 345.67`
    static func money(_ m: Money) -> String { m.formatted() }

    /// `+1 234.00` / `-1 234.00`
    static func signed(_ m: Money) -> String { m.formatted(plusSign: true) }

    /// A balance with its direction also in a glyph: `-12 345.67 ▼`.
    static func balance(_ m: Money) -> String { m.formatted() + (m.isNegative ? " ▼" : "") }

    /// Axis labels: `38k`, `-1.2M`, `950`. Integer arithmetic, rounded toward zero.
    static func compact(_ cents: Int64) -> String {
        let units = cents / 100
        let neg = units < 0
        let m = units.magnitude
        let sign = neg ? "-" : ""
        if m >= 1_000_000 {
            let tenths = m / 100_000
            return sign + String(tenths / 10) + (tenths % 10 == 0 ? "" : "." + String(tenths % 10)) + "M"
        }
        if m >= 10_000 { return sign + String(m / 1000) + "k" }
        if m >= 1000 {
            let tenths = m / 100
            return sign + String(tenths / 10) + (tenths % 10 == 0 ? "" : "." + String(tenths % 10)) + "k"
        }
        return sign + String(m)
    }

    /// Chart axis labels, exact for the round values the chart picks: `0`, `500`, `25k`, `12.5k`, `1.25M`, `-50k`.
    static func axis(_ cents: Int64) -> String {
        let units = cents / 100
        let sign = units < 0 ? "-" : ""
        let m = units.magnitude
        func scaled(_ unit: UInt64, _ suffix: String) -> String {
            var frac = m % unit, digits = ""
            var u = unit
            while frac != 0 && u > 1 && digits.count < 3 {
                u /= 10
                digits += String(frac / u)
                frac %= u
            }
            while digits.hasSuffix("0") { digits.removeLast() }
            return sign + String(m / unit) + (digits.isEmpty ? "" : "." + digits) + suffix
        }
        if m >= 1_000_000 { return scaled(1_000_000, "M") }
        if m >= 1000 { return scaled(1000, "k") }
        return sign + String(m)
    }

    /// `15/12`
    static func dayMonth(_ d: Day) -> String {
        let c = d.components
        return (c.day < 10 ? "0" : "") + String(c.day) + "/" + (c.month < 10 ? "0" : "") + String(c.month)
    }

    /// `Dec 2026`
    static func monthYear(_ d: Day) -> String {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return names[max(0, min(11, d.month - 1))] + " " + String(d.year)
    }

    /// `Tue 15/12/2026`
    static func long(_ d: Day) -> String { weekdays[max(0, min(6, d.weekday - 1))] + " " + d.french }

    /// The invoice tables' marker column: F forecast (not yet invoiced), ¤ converted from another currency,
    /// ½ partly paid (the open amount is projected), ~ due date inferred from payment terms. Empty for a plain row.
    static func markers(_ inv: Invoice) -> String {
        guard let o = inv.origin else { return "" }
        if o.forecast != nil { return "F" }
        return (o.currency != nil ? "¤" : "") + (o.isPartlyPaid ? "½" : "") + (o.dueDateInferred ? "~" : "")
    }

    /// The markers spelled out for the day panel (the selected invoice), in the order of the column.
    static func markerNotes(_ inv: Invoice) -> [String] {
        guard let o = inv.origin else { return [] }
        if let f = o.forecast { return ["F forecast \(f.period), not invoiced", "  of \(f.forecast.formatted()) excl. VAT"] }
        var notes: [String] = []
        if let c = o.currency {
            notes.append("¤ \(o.currencyAmount.map { $0.formatted() + " " } ?? "")\(c)" + (o.rate.map { " at " + decimalRate($0) } ?? ""))
        }
        if let total = o.invoicedAmount { notes.append("½ \(inv.amount.formatted()) open of \(total.formatted())") }
        if let terms = o.dueTerms { notes.append("~ due inferred: \(terms)") }
        return notes
    }

    /// A rate written as a plain decimal (1.17), as `[fx]` gives it.
    static func decimalRate(_ r: Rate) -> String {
        let neg = r.nanos < 0
        let m = r.nanos.magnitude
        var frac = String(m % UInt64(Rate.scale))
        frac = String(repeating: "0", count: 9 - frac.count) + frac
        while frac.hasSuffix("0") { frac.removeLast() }
        return (neg ? "-" : "") + String(m / UInt64(Rate.scale)) + (frac.isEmpty ? "" : "." + frac)
    }
}
