import TresoCore

/// Writes a plan comparison: plans side by side for people, one row per plan for programs.
public enum ComparisonExport {
    public static func render(_ c: PlanComparison, format: OutputFormat, title: String, currency: String) -> String {
        switch format {
        case .table: return table(c, title: title, currency: currency)
        case .csv: return csv(c)
        case .json: return json(c)
        }
    }

    public static func table(_ c: PlanComparison, title: String, currency: String) -> String {
        let names = c.results.enumerated().map { i, r in (c.bestIndex == i ? "★ " : "") + r.name }
        var t = TextTable(headers: [""] + names, alignments: [.left] + Array(repeating: .right, count: names.count))
        func row(_ label: String, _ f: (PlanResult) -> String) { t.add([label] + c.results.map(f)) }
        row("Total cost (excl. VAT)") { $0.totalCost.formatted() }
        row("  operating (reduces EBE)") { $0.operatingCost.formatted() }
        row("  financial") { $0.financialCost.formatted() }
        row("    of which bank charges") { $0.bankCharges.formatted() }
        row("    of which penalties") { $0.financing.penalties.formatted() }
        row("Recoverable VAT paid") { $0.financing.recoverableVAT.formatted() }
        row("Effective annual rate") { $0.effectiveAnnualRatePercent(decimals: 2).map { $0 + " %" } ?? "—" }
        t.addSeparator()
        row("Lowest balance") { $0.projection.summary.lowestBalance.formatted() }
        row("  on") { $0.projection.summary.lowestBalanceDate.iso }
        row("Peak overdraft") { $0.projection.summary.peakOverdraft.formatted() }
        row("Days overdrawn") { String($0.projection.summary.daysOverdrawn) }
        row("Days below the buffer") { String($0.projection.summary.daysBelowBuffer) }
        row("Days over the limit") { r in r.projection.summary.daysOverLimit == 0 ? "0" : "▲ " + String(r.projection.summary.daysOverLimit) }
        row("Legal breaches") { r in r.legalBreaches == 0 ? "0" : "▲ " + String(r.legalBreaches) }
        t.addSeparator()
        row("Decisions applied") { String($0.decisionsApplied) }
        row("Decisions refused") { String($0.refusals.count) }
        var out = title + " — " + currency + "\n\n" + t.render() + "\n"
        if let b = c.bestIndex {
            out += "★ \(c.results[b].name): the cheapest plan that never exceeds the overdraft limit.\n"
        } else {
            out += "No plan stays within the overdraft limit: every plan needs more financing.\n"
        }
        out += "Total cost = financing charges + bank charges + penalties; effective rate = cost × 365 / Σ(amount financed × days). See docs/calculations.md.\n"
        let refusals = c.results.flatMap { r in r.refusals.map { (r.name, $0) } }
        if !refusals.isEmpty {
            out += "\nRefused decisions:\n"
            for (plan, r) in refusals.prefix(30) { out += "  [\(plan)] \(r.reason)\n" }
            if refusals.count > 30 { out += "  … and \(refusals.count - 30) more\n" }
        }
        return out
    }

    static func fields(_ r: PlanResult, best: Bool) -> [(String, JSON)] {
        let s = r.projection.summary
        return [("name", .string(r.name)), ("total_cost", .money(r.totalCost)), ("operating_cost", .money(r.operatingCost)),
                ("financial_cost", .money(r.financialCost)), ("bank_charges", .money(r.bankCharges)),
                ("penalties", .money(r.financing.penalties)), ("recoverable_vat", .money(r.financing.recoverableVAT)),
                ("effective_annual_rate", r.effectiveAnnualRatePercent(decimals: 4).map { .string($0) } ?? .null),
                ("lowest_balance", .money(s.lowestBalance)), ("lowest_balance_date", .day(s.lowestBalanceDate)),
                ("peak_overdraft", .money(s.peakOverdraft)), ("days_overdrawn", .int(s.daysOverdrawn)),
                ("days_below_buffer", .int(s.daysBelowBuffer)), ("days_over_limit", .int(s.daysOverLimit)),
                ("legal_breaches", .int(r.legalBreaches)), ("decisions", .int(r.decisionsApplied)),
                ("refused", .int(r.refusals.count)), ("best", .bool(best))]
    }

    public static func json(_ c: PlanComparison) -> String {
        let plans: [JSON] = c.results.enumerated().map { i, r in .object(fields(r, best: c.bestIndex == i)) }
        return JSON.object([("plans", .array(plans)), ("best", c.bestIndex.map { .string(c.results[$0].name) } ?? .null)]).render() + "\n"
    }

    public static func csv(_ c: PlanComparison) -> String {
        guard let first = c.results.first else { return "" }
        var out = csvLine(fields(first, best: false).map(\.0))
        for (i, r) in c.results.enumerated() {
            out += csvLine(fields(r, best: c.bestIndex == i).map { _, v in
                switch v {
                case .string(let s): return s
                case .int(let n): return String(n)
                case .bool(let b): return b ? "true" : "false"
                default: return ""
                }
            })
        }
        return out
    }
}
