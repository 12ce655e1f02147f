import TerminalKit
import TresoCore

/// Writes a plan comparison: plans side by side for people (wrapped to fit 100 columns), one row per plan
/// for programs. Every figure is measured over the comparison window (docs/calculations.md §11).
public enum ComparisonExport {
    /// The widest a table line gets: plans that do not fit go to a further block with the same row labels.
    public static let maxWidth = 100

    public static func render(_ c: PlanComparison, format: OutputFormat, title: String, currency: String) -> String {
        switch format {
        case .table: return table(c, title: title, currency: currency)
        case .csv: return csv(c)
        case .json: return json(c)
        }
    }

    /// "compared through 2027-07-28 (60 days past the horizon so every moved flow settles)".
    public static func windowSentence(_ c: PlanComparison) -> String {
        let n = c.daysPastHorizon
        if n == 0 { return "compared through \(c.windowEnd.iso), the horizon's end (no decision moves a flow past it)" }
        return "compared through \(c.windowEnd.iso) (\(n) day\(n == 1 ? "" : "s") past the horizon so every moved flow settles)"
    }

    /// One row per bank account (§17) when the scenario has several: `money` of its window summary, or `text`.
    static func accountRows(_ c: PlanComparison, _ prefix: String, text: ((ProjectionSummary) -> String)? = nil,
                            money: ((ProjectionSummary) -> Money)? = nil) -> [(label: String, values: [String])?] {
        guard let first = c.results.first, first.accounts.count > 1 else { return [] }
        return first.accounts.indices.map { k in
            (prefix + first.accounts[k].name, c.results.map { r in
                guard k < r.accounts.count else { return "" }
                let s = r.accounts[k].summary
                return text?(s) ?? money?(s).formatted() ?? ""
            })
        }
    }

    static func rows(_ c: PlanComparison) -> [(label: String, values: [String])?] {
        let separator: (label: String, values: [String])? = ("", [])
        func row(_ label: String, _ f: (PlanResult) -> String) -> (label: String, values: [String])? { (label, c.results.map(f)) }
        /// A breakdown line only when some plan has something in it.
        func part(_ label: String, _ f: (PlanResult) -> Money) -> (label: String, values: [String])? {
            c.results.contains { f($0) != .zero } ? (label, c.results.map { f($0).formatted() }) : nil
        }
        func mark(_ n: Int) -> String { n == 0 ? "0" : "▲ " + String(n) }
        let all: [(label: String, values: [String])?] = [
            row("Total cost (excl. VAT)") { $0.totalCost.formatted() },
            row("  operating (reduces EBE)") { $0.operatingCost.formatted() },
            part("    of which price increases") { $0.financing.priceIncrease },
            part("    of which commitment fees") { $0.summary.commitmentFees },
            row("  financial") { $0.financialCost.formatted() },
            // The commitment fee (627) is operating: the financial bank charges are the rest.
            row("    of which bank charges") { ($0.bankCharges - $0.summary.commitmentFees).formatted() },
            part("      of which over-limit penalty") { $0.summary.overdraftPenalty },
            part("      of which credit-line interest") { $0.summary.creditLineInterest },
        ] + accountRows(c, "      on account ", money: { $0.bankCharges - $0.commitmentFees }) + [
            part("    of which late interest") { $0.financing.lateInterest },
            part("    of which late indemnities") { $0.financing.lateIndemnities },
            part("    of which discounts given up") { $0.financing.lostDiscounts },
            row("  credit losses (excl. VAT)") { $0.creditLosses.formatted() },
            row("Recoverable VAT paid") { $0.financing.recoverableVAT.formatted() },
            part("Bad-debt VAT relief (not a cost)") { $0.financing.badDebtVATRelief },
            row("Effective annual rate") { $0.effectiveAnnualRatePercent(decimals: 2).map { $0 + " %" } ?? "—" },
            separator,
            row("Closing position at \(c.windowEnd.iso)") { $0.closingPosition.formatted() },
            row("Lowest balance") { $0.summary.lowestBalance.formatted() },
            row("  on") { $0.summary.lowestBalanceDate.iso },
            row("Peak overdraft") { $0.summary.peakOverdraft.formatted() },
            row("Days overdrawn") { String($0.summary.daysOverdrawn) },
            row("Days below the buffer") { String($0.summary.daysBelowBuffer) },
            row("Days over the limit") { mark($0.summary.daysOverLimit) },
        ] + accountRows(c, "  on account ", text: { mark($0.daysOverLimit) }) + [
            row("Legal breaches") { mark($0.legalBreaches) },
            separator,
            row("Decisions applied") { String($0.decisionsApplied) },
            row("Decisions refused") { String($0.refusals.count) },
        ]
        return all.compactMap { $0 }.map { $0.label.isEmpty ? nil : $0 }
    }

    public static func table(_ c: PlanComparison, title: String, currency: String) -> String {
        let names = c.results.enumerated().map { i, r in (c.bestIndex == i ? "★ " : "") + r.name }
        let body = rows(c)
        let labelWidth = body.compactMap { $0.map { displayWidth($0.label) } }.max() ?? 0
        var widths = names.map { displayWidth($0) }
        for r in body.compactMap({ $0 }) { for (i, v) in r.values.enumerated() { widths[i] = max(widths[i], displayWidth(v)) } }
        // Plans in blocks that fit the width, each block repeating the row labels.
        var blocks: [[Int]] = []
        var current: [Int] = [], used = labelWidth
        for i in names.indices {
            if !current.isEmpty && used + 2 + widths[i] > maxWidth { blocks.append(current); current = []; used = labelWidth }
            current.append(i); used += 2 + widths[i]
        }
        if !current.isEmpty { blocks.append(current) }
        var out = title + " — " + currency + "\n" + windowSentence(c) + "\n"
        for block in blocks {
            var t = TextTable(headers: [""] + block.map { names[$0] }, alignments: [.left] + Array(repeating: .right, count: block.count))
            for r in body {
                guard let r else { t.addSeparator(); continue }
                t.add([r.label] + block.map { r.values[$0] })
            }
            out += "\n" + t.render()
        }
        out += "\n"
        for (i, r) in c.results.enumerated() {
            out += (c.bestIndex == i ? "" : "  ") + r.name + ": " + r.verdict.text + "\n"
            for a in r.assumptions { out += "    " + a + "\n" }
            for w in r.warnings { out += "    warning: " + w + "\n" }
        }
        for a in c.assumptions { out += "All plans: " + a + "\n" }
        if c.bestIndex == nil {
            out += "No plan stays within the overdraft limit and the law: every plan needs more financing or breaks a rule.\n"
        }
        out += "★ = the cheapest plan with no day over the overdraft limit and no legal breach in the window. Total cost = financing\n"
            + "charges + bank charges + penalties + credit losses + price increases + discounts given up (excl. recoverable VAT);\n"
            + "effective rate = cost × 365 / Σ(amount financed × days). See docs/calculations.md.\n"
        let refusals = c.results.flatMap { r in r.refusals.map { (r.name, $0) } }
        if !refusals.isEmpty {
            out += "\nRefused decisions:\n"
            for (plan, r) in refusals.prefix(30) { out += "  [\(plan)] \(r.text(currency: currency))\n" }
            if refusals.count > 30 { out += "  … and \(refusals.count - 30) more\n" }
        }
        return out
    }

    static func verdictCode(_ v: Verdict) -> String {
        switch v {
        case .best: return "best"
        case .admissible: return "admissible"
        case .excluded: return "excluded"
        }
    }

    /// One figure of a plan, typed once for JSON, CSV and XLSX.
    enum Field {
        case money(Money), int(Int), day(Day), text(String), rate(String?), bool(Bool), list([String])

        var json: JSON {
            switch self {
            case .money(let m): return .money(m)
            case .int(let n): return .int(n)
            case .day(let d): return .day(d)
            case .text(let s): return .string(s)
            case .rate(let r): return r.map { .string($0) } ?? .null
            case .bool(let b): return .bool(b)
            case .list(let l): return .array(l.map { .string($0) })
            }
        }

        var cell: SheetCell {
            switch self {
            case .money(let m): return .money(m)
            case .int(let n): return .int(n)
            case .day(let d): return .day(d)
            case .text(let s): return .text(s)
            case .rate(let r): return r.map { .decimal($0) } ?? .empty
            case .bool(let b): return .text(b ? "true" : "false")
            case .list(let l): return .text(l.joined(separator: "; "))
            }
        }
    }

    static func fields(_ r: PlanResult, best: Bool, window: Day) -> [(String, Field)] {
        let s = r.summary
        return [("name", .text(r.name)), ("total_cost", .money(r.totalCost)), ("operating_cost", .money(r.operatingCost)),
                ("financial_cost", .money(r.financialCost)), ("bank_charges", .money(r.bankCharges)),
                ("penalties", .money(r.financing.penalties)), ("recoverable_vat", .money(r.financing.recoverableVAT)),
                ("effective_annual_rate", .rate(r.effectiveAnnualRatePercent(decimals: 4))),
                ("lowest_balance", .money(s.lowestBalance)), ("lowest_balance_date", .day(s.lowestBalanceDate)),
                ("peak_overdraft", .money(s.peakOverdraft)), ("days_overdrawn", .int(s.daysOverdrawn)),
                ("days_below_buffer", .int(s.daysBelowBuffer)), ("days_over_limit", .int(s.daysOverLimit)),
                ("legal_breaches", .int(r.legalBreaches)), ("decisions", .int(r.decisionsApplied)),
                ("refused", .int(r.refusals.count)), ("best", .bool(best)),
                ("window_end", .day(window)), ("closing_position", .money(r.closingPosition)),
                ("credit_losses", .money(r.creditLosses)), ("late_interest", .money(r.financing.lateInterest)),
                ("late_indemnities", .money(r.financing.lateIndemnities)), ("overdraft_penalty", .money(s.overdraftPenalty)),
                ("price_increase", .money(r.financing.priceIncrease)), ("lost_discounts", .money(r.financing.lostDiscounts)),
                ("bad_debt_vat_relief", .money(r.financing.badDebtVATRelief)),
                ("verdict", .text(verdictCode(r.verdict))), ("verdict_text", .text(r.verdict.text)),
                ("assumptions", .list(r.assumptions)), ("warnings", .list(r.warnings))]
    }

    public static func json(_ c: PlanComparison) -> String {
        let plans: [JSON] = c.results.enumerated().map { i, r in
            var f = fields(r, best: c.bestIndex == i, window: c.windowEnd).map { ($0.0, $0.1.json) }
            // With several bank accounts (§17): each one's figures over the window.
            if !r.accounts.isEmpty {
                f.append(("accounts", .array(r.accounts.map { a in
                    .object([("name", .string(a.name)), ("bank_charges", .money(a.summary.bankCharges)),
                             ("lowest_balance", .money(a.summary.lowestBalance)), ("lowest_balance_date", .day(a.summary.lowestBalanceDate)),
                             ("days_overdrawn", .int(a.summary.daysOverdrawn)), ("days_over_limit", .int(a.summary.daysOverLimit))])
                })))
            }
            return .object(f)
        }
        return JSON.object([("plans", .array(plans)), ("best", c.bestIndex.map { .string(c.results[$0].name) } ?? .null),
                            ("horizon_end", .day(c.horizonEnd)), ("window_end", .day(c.windowEnd)),
                            ("days_past_horizon", .int(c.daysPastHorizon)),
                            ("assumptions", .array(c.assumptions.map { .string($0) }))]).render() + "\n"
    }

    public static func csv(_ c: PlanComparison) -> String { c.results.isEmpty ? "" : sheet(c).csv() }

    /// One row per plan, one column per figure (the JSON's keys): amounts signed as costs are, positive
    /// (a cost paid), balances signed as the bank shows them (negative: overdrawn) — docs/calculations.md § Signs.
    public static func sheet(_ c: PlanComparison) -> Sheet {
        let window = c.windowEnd
        let headers = c.results.first.map { fields($0, best: false, window: window).map(\.0) } ?? []
        var s = Sheet(name: "Comparison", headers: headers)
        for (i, r) in c.results.enumerated() { s.rows.append(fields(r, best: c.bestIndex == i, window: window).map(\.1.cell)) }
        return s
    }
}
