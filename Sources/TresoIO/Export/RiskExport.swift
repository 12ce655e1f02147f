import TresoCore

/// Writes a risk report for people (table) and for programs (JSON; CSV gives the daily quantiles).
public enum RiskExport {
    public static func render(_ r: RiskReport, format: OutputFormat, title: String, currency: String) -> String {
        switch format {
        case .json: return json(r).render() + "\n"
        case .csv: return csv(r)
        case .table: return table(r, title: title, currency: currency)
        }
    }

    public static func json(_ r: RiskReport) -> JSON {
        .object([
            ("paths", .int(r.paths)),
            ("seed", .number(String(r.seed))),
            ("plans", .array(r.plans.map { p in
                .object([
                    ("name", .string(p.name)),
                    ("p_over_limit", .number(PlanRisk.probabilityText(p.overLimitPaths, of: p.paths))),
                    ("p_below_buffer", .number(PlanRisk.probabilityText(p.belowBufferPaths, of: p.paths))),
                    ("expected_cost", .money(p.expectedCost)),
                    ("cost_p95", .money(p.costP95)),
                    ("lowest_balance_p5", .money(p.lowestBalanceP5)),
                    ("days", .array(p.days.map { d in
                        .object([("date", .day(d.day)), ("p5", .money(d.p5)), ("p50", .money(d.p50)), ("p95", .money(d.p95))])
                    })),
                ])
            })),
            ("window_end", .day(r.windowEnd)),
            ("assumptions", .array(r.assumptions.map { .string($0) })),
        ])
    }

    static func csv(_ r: RiskReport) -> String {
        var out = "plan,date,p5,p50,p95\n"
        for p in r.plans {
            for d in p.days {
                out += csvField(p.name) + "," + d.day.iso + "," + d.p5.decimalString + "," + d.p50.decimalString + "," + d.p95.decimalString + "\n"
            }
        }
        return out
    }

    static func table(_ r: RiskReport, title: String, currency: String) -> String {
        var out = title + "\n"
        out += "\(r.paths) paths, seed \(r.seed); costs counted through \(r.windowEnd.iso)\n\n"
        var t = TextTable(headers: ["Plan", "P(over limit)", "P(below buffer)", "Expected cost", "Cost p95", "Lowest balance p5"],
                          alignments: [.left, .right, .right, .right, .right, .right])
        for p in r.plans {
            t.add([p.name, percent(p.overLimitPaths, p.paths), percent(p.belowBufferPaths, p.paths),
                   p.expectedCost.formatted(), p.costP95.formatted(),
                   p.lowestBalanceP5.formatted()])
        }
        out += t.render()
        if let first = r.plans.first, !first.days.isEmpty {
            out += "\nClosing balance of \"\(first.name)\" at month ends (5 % / 50 % / 95 %):\n"
            var d = TextTable(headers: ["Date", "p5", "p50", "p95"], alignments: [.left, .right, .right, .right])
            for (i, q) in first.days.enumerated() where q.day == q.day.endOfMonth || i == first.days.count - 1 {
                d.add([q.day.iso, q.p5.formatted(), q.p50.formatted(), q.p95.formatted()])
            }
            out += d.render()
        }
        if !r.assumptions.isEmpty {
            out += "\nAssumed, not known:\n" + r.assumptions.map { "  - " + $0 + "\n" }.joined()
        }
        return out
    }

    /// "12.35 %" from a count of paths, with its standard error's order shown by the number of paths.
    /// Also the planner's P(breach) column, so both say the same.
    public static func percent(_ count: Int, _ paths: Int) -> String {
        let t = PlanRisk.probabilityText(count * 100, of: paths)   // percent with 4 decimals
        guard let dot = t.firstIndex(of: ".") else { return t + " %" }
        return String(t[..<t.index(dot, offsetBy: 3)]) + " %"
    }
}
