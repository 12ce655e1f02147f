import TresoCore

/// The forecast lines against the invoices that consume them, and the computed VAT returns, as text tables
/// (printed under `treso project --by week|month`). docs/calculations.md §18 and §19.
public enum ForecastVATExport {
    /// One row per forecast period: forecast, invoiced, remaining (excl. VAT), and the forecast invoice it became.
    public static func forecastTable(_ s: Scenario, from: Day? = nil, through: Day? = nil) -> String {
        let periods = s.forecastPeriods().filter { p in (from.map { p.issue >= $0 } ?? true) && (through.map { p.issue <= $0 } ?? true) }
        guard !periods.isEmpty else { return "" }
        var t = TextTable(headers: ["Forecast", "Kind", "Period", "Forecast", "Invoiced", "Remaining", "Issued", "Due"],
                          alignments: [.left, .left, .left, .right, .right, .right, .left, .left])
        for p in periods {
            let line = s.forecasts[p.line]
            // Spread invoicing: the first and last of the period's forecast invoices, and how many.
            let pieces = p.remaining > .zero ? s.forecastPieces(p) : []
            var issued = "·", due = "·"
            if let a = pieces.first, let z = pieces.last {
                issued = pieces.count == 1 ? a.day.iso : "\(pieces.count)× \(a.day.iso)…\(z.day.iso)"
                due = pieces.count == 1 ? (a.day + line.termsDays).iso : "\((a.day + line.termsDays).iso)…\((z.day + line.termsDays).iso)"
            }
            t.add([line.label, line.kind.rawValue, p.name, p.forecast.formatted(), p.invoiced.formatted(), p.remaining.formatted(),
                   issued, due])
        }
        return "Forecast vs invoiced (excl. VAT; an invoice belongs to the period of its issue date):\n" + t.render()
            + "Remaining = max(0, forecast − invoiced): only that part is projected, as a forecast invoice incl. VAT.\n"
    }

    /// One row per VAT payment date of the plan.
    public static func vatTable(_ state: PlanState, from: Day? = nil, through: Day? = nil) -> String {
        guard let v = state.engine.vat else { return "" }
        let returns = state.vatReturns().filter { r in (from.map { r.day >= $0 } ?? true) && (through.map { r.day <= $0 } ?? true) }
        guard !returns.isEmpty else { return "" }
        // With refunds: what each return requests and when it arrives (columns only then, so other tables stay as they were).
        let refunds = v.settings.refund != .none
        var t = TextTable(headers: ["VAT", "Period", "Collected", "Deductible", "Due", "Credit used", "Paid", "On"]
                            + (refunds ? ["Refund", "Received"] : []) + ["Credit after"],
                          alignments: [.left, .left, .right, .right, .right, .right, .right, .left]
                            + (refunds ? [.right, .left] : []) + [.right])
        let extra = state.vatReturnsDeductibleExtra()
        for r in returns {
            var collected = "", deductible = ""
            if r.kind == .return, v.periods.indices.contains(r.period) {
                let p = v.periods[r.period]
                collected = p.collected.formatted()
                deductible = (p.deductible + (r.period < extra.count ? extra[r.period] : .zero)).formatted()
            }
            let what = r.kind == .return ? v.settings.formName : (r.kind == .instalment ? "instalment" : "opening")
            let period = r.kind == .instalment ? String(r.first.year) : r.first.iso + "…" + r.last.iso
            t.add([what, period, collected, deductible, r.due.formatted(), r.creditUsed.formatted(), r.payment.formatted(), r.day.iso]
                  + (refunds ? [r.refund == .zero ? "·" : r.refund.formatted(), r.refundDay.map { r.refund == .zero ? "·" : $0.iso } ?? "·"] : [])
                  + [r.creditAfter.formatted()])
        }
        let basis = v.settings.basis == .receipts ? "receipts (encaissements)" : "invoices (débits)"
        var note = "Due = collected − deductible (− instalments); a negative due is a credit carried forward to the next returns.\n"
        if refunds {
            let when = v.settings.refund == .annual || v.settings.regime == .annual
                ? "with the \(v.settings.regime == .annual ? "annual return" : "return filed in January") when it is at least 150.00"
                : "with each return when it is at least 760.00 (January's: 150.00)"
            note += "Refund: the whole credit is requested (form \(v.settings.regime == .annual ? "CA12" : "3519")) \(when), "
                + "and assumed received \(v.settings.refundDelayDays) days later (next business day).\n"
        }
        return "VAT returns (\(v.settings.regime.rawValue), on \(basis), paid on day \(v.settings.day); [\(state.name)]):\n" + t.render() + note
    }
}
