/// A sale or purchase expected but not yet invoiced (`[[forecast]]`): an amount excluding VAT per period,
/// turned into forecast invoices: one per period issued on its last day (`invoicing = "end"`), or one per week or
/// per business day of the period (`"weekly"`, `"daily"`); a dated amount is issued on its date.
/// Real invoices issued in the same period for the same key consume it: see docs/calculations.md §18.
public struct ForecastLine: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case sales, purchases
        public var invoiceKind: InvoiceKind { self == .sales ? .receivable : .payable }
    }
    public enum Every: String, Sendable, Hashable, CaseIterable {
        case week, month, quarter
    }
    /// When a period's remaining amount is invoiced: all on its last day, or spread over its weeks or business days
    /// (real sales are invoiced through the month, not in one lump). docs/calculations.md §18.
    public enum Invoicing: String, Sendable, Hashable, CaseIterable {
        case end, weekly, daily
    }
    public var label: String
    public var kind: Kind
    /// Amount excluding VAT for each period (`every`), ignored when `dated` is not empty.
    public var amount: Money
    public var every: Every
    /// Dated amounts excluding VAT (`dates = [{ on = …, amount = … }]`), instead of a regular amount.
    public var dated: [(day: Day, amount: Money)]
    /// Periods whose issue date falls in [from, to] (defaults: the start and the horizon's end).
    public var from: Day?
    public var to: Day?
    public var vatRate: Rate
    /// Payment terms in days from the issue date: due = issue + terms.
    public var termsDays: Int
    /// The customer or supplier this forecast is for; nil = a category covering every counterparty no other
    /// forecast of the same kind names.
    public var counterparty: String?
    /// The category name (shown in the label), when `counterparty` is nil.
    public var category: String?
    /// How a period's remaining amount is spread into forecast invoices (ignored for dated amounts).
    public var invoicing: Invoicing = .end

    public init(label: String, kind: Kind, amount: Money, every: Every = .month, dated: [(day: Day, amount: Money)] = [],
                from: Day? = nil, to: Day? = nil, vatRate: Rate = Rate(percentHundredths: 2000), termsDays: Int = 30,
                counterparty: String? = nil, category: String? = nil) {
        self.label = label; self.kind = kind; self.amount = amount; self.every = every; self.dated = dated
        self.from = from; self.to = to; self.vatRate = vatRate; self.termsDays = termsDays
        self.counterparty = counterparty; self.category = category
    }

    public static func == (a: ForecastLine, b: ForecastLine) -> Bool {
        a.label == b.label && a.kind == b.kind && a.amount == b.amount && a.every == b.every
            && a.dated.map(\.day) == b.dated.map(\.day) && a.dated.map(\.amount) == b.dated.map(\.amount)
            && a.from == b.from && a.to == b.to && a.vatRate == b.vatRate && a.termsDays == b.termsDays
            && a.counterparty == b.counterparty && a.category == b.category && a.invoicing == b.invoicing
    }
    public func hash(into h: inout Hasher) { h.combine(label); h.combine(kind); h.combine(amount) }

    /// The period (first and last day) a regular forecast uses around `d`; a dated amount uses its calendar month.
    public func period(containing d: Day) -> (first: Day, last: Day) {
        let (y, m, _) = d.components
        switch dated.isEmpty ? every : .month {
        case .week:
            let first = d - (d.weekday - 1)
            return (first, first + 6)
        case .month:
            let first = d - (d.dayOfMonth - 1)
            return (first, first.endOfMonth)
        case .quarter:
            let qm = (m - 1) / 3 * 3 + 1
            let first = Day(raw: Int32(Day.daysFromCivil(y, qm, 1)))
            return (first, Day(raw: Int32(Day.daysFromCivil(y, qm + 2, 1))).endOfMonth)
        }
    }

    /// The forecast invoices of a remaining amount R (excl. VAT) over the days `first … last`: with `.end`, R on `last`;
    /// with `.daily`, one piece per business day; with `.weekly`, one piece per week (Monday–Sunday) on its last
    /// business day, weighted by its business days. Piece k = round(R × Wₖ / W) − round(R × Wₖ₋₁ / W), Wₖ the
    /// cumulative weight: one rounding each, and the pieces sum to R exactly. No business day: R on `last`.
    /// Pieces of 0.00 are left out.
    public static func pieces(_ remaining: Money, first: Day, last: Day, invoicing: Invoicing,
                              calendar: BusinessCalendar) -> [(day: Day, amount: Money)] {
        guard invoicing != .end, first <= last, remaining != .zero else { return [(last, remaining)] }
        var slots: [(day: Day, weight: Int64)] = []
        var d = first
        while d <= last {
            if calendar.isBusinessDay(d) {
                if invoicing == .weekly, let l = slots.last, l.day.weekday < d.weekday, d - l.day < 7 {
                    slots[slots.count - 1] = (d, l.weight + 1)
                } else {
                    slots.append((d, 1))
                }
            }
            d = d + 1
        }
        guard !slots.isEmpty else { return [(last, remaining)] }
        let total = Int128(slots.reduce(0) { $0 + $1.weight }), r = Int128(remaining.cents)
        var out: [(day: Day, amount: Money)] = []
        var cumulative: Int128 = 0, before: Int64 = 0
        for slot in slots {
            cumulative += Int128(slot.weight)
            let upTo = Int64(clamping: divideRoundingHalfAwayFromZero(r * cumulative, total))
            if upTo != before { out.append((slot.day, Money(cents: upTo - before))) }
            before = upTo
        }
        return out
    }

    /// How a period is named in ids and tables: `2027-01`, `2027-W03`, `2027-Q1`, or the dated amount's date.
    public func periodName(_ first: Day) -> String {
        let (y, m, _) = first.components
        switch every {
        case .month: return String(first.iso.prefix(7))
        case .quarter: return "\(y)-Q\((m - 1) / 3 + 1)"
        case .week:
            // ISO week: the week's Thursday gives the year.
            let thursday = first + 3
            let ty = thursday.year
            let jan4 = Day(raw: Int32(Day.daysFromCivil(ty, 1, 4)))
            let week1 = jan4 - (jan4.weekday - 1)
            let w = (thursday - week1) / 7 + 1
            return "\(ty)-W" + (w < 10 ? "0" : "") + String(w)
        }
    }
}

/// One period of a forecast line: what was forecast, what real invoices already cover, and what remains.
/// Invariant: invoiced + remaining = max(forecast, invoiced) (amounts excl. VAT).
public struct ForecastPeriod: Sendable, Hashable {
    public var line: Int
    public var first: Day
    public var last: Day
    /// The forecast invoice's issue date (the period's last day, or the dated amount's date).
    public var issue: Day
    public var name: String
    public var forecast: Money
    /// Real invoices of the period and key, excl. VAT, assigned to this line (never more than it forecasts unless
    /// it is the last line that can take them).
    public var invoiced: Money
    /// max(0, forecast − invoiced): what the forecast invoice carries, excl. VAT.
    public var remaining: Money
}

/// What turns "invoiced in March" into a forecast invoice: a marker kept in `InvoiceOrigin`.
public struct ForecastTag: Sendable, Hashable {
    /// Index of the line in `Scenario.forecasts`, and the period's name.
    public var line: Int
    public var period: String
    /// Amount excl. VAT forecast for the period, before consumption by real invoices.
    public var forecast: Money
    public init(line: Int, period: String, forecast: Money) { self.line = line; self.period = period; self.forecast = forecast }
}

extension Invoice {
    /// A forecast invoice (not yet issued), built from a `[[forecast]]` line.
    @inlinable public var isForecast: Bool { origin?.forecast != nil }
}

extension Scenario {
    /// Every forecast period over the horizon with its consumption by the real invoices (no forecast invoice is
    /// built here). A real invoice belongs to the period containing its issue date; amounts compare excl. VAT.
    /// Lines naming a counterparty take that counterparty's invoices; lines without one (a category) take the
    /// invoices of the other counterparties, shared in the order the lines are written: each takes up to its
    /// forecast, the last line of the period takes the rest.
    public func forecastPeriods() -> [ForecastPeriod] {
        guard !forecasts.isEmpty else { return [] }
        var out: [ForecastPeriod] = []
        for (li, line) in forecasts.enumerated() {
            let lo = max(line.from ?? start, start), hi = min(line.to ?? end, end)
            guard lo <= hi else { continue }
            if line.dated.isEmpty {
                var d = line.period(containing: lo).first
                while d <= hi {
                    let p = line.period(containing: d)
                    if p.last >= lo && p.last <= hi {
                        out.append(ForecastPeriod(line: li, first: p.first, last: p.last, issue: p.last, name: line.periodName(p.first),
                                                  forecast: line.amount, invoiced: .zero, remaining: line.amount))
                    }
                    d = p.last + 1
                }
            } else {
                for (day, amount) in line.dated where day >= lo && day <= hi {
                    let p = line.period(containing: day)
                    out.append(ForecastPeriod(line: li, first: p.first, last: p.last, issue: day, name: day.iso,
                                              forecast: amount, invoiced: .zero, remaining: amount))
                }
            }
        }
        guard !out.isEmpty else { return out }
        for kind in ForecastLine.Kind.allCases {
            let lines = forecasts.indices.filter { forecasts[$0].kind == kind }
            guard !lines.isEmpty else { continue }
            var named: [String: [Int]] = [:]
            var category: [Int] = []
            for li in lines {
                if let c = forecasts[li].counterparty { named[c.lowercased(), default: []].append(li) } else { category.append(li) }
            }
            let slots = out.indices.filter { forecasts[out[$0].line].kind == kind }
            for inv in invoices(kind.invoiceKind) where !inv.isForecast {
                let key = inv.counterparty.lowercased()
                let candidates = named[key] ?? category
                // The periods of the candidate lines containing the invoice's issue date, in line order.
                let matching = slots.filter { candidates.contains(out[$0].line) && out[$0].first <= inv.issueDate && inv.issueDate <= out[$0].last }
                guard !matching.isEmpty else { continue }
                var excl = exclVAT(inv, rate: forecasts[out[matching[0]].line].vatRate)
                for (k, slot) in matching.enumerated() {
                    guard excl != .zero else { break }
                    let room = out[slot].forecast - out[slot].invoiced
                    let take = k == matching.count - 1 || excl.isNegative ? excl : min(excl, max(room, .zero))
                    out[slot].invoiced += take
                    excl -= take
                }
            }
            for i in slots {
                let r = out[i].forecast - out[i].invoiced
                out[i].remaining = r.isNegative ? .zero : r
            }
        }
        return out
    }

    /// An invoice's amount excl. VAT: its own VAT when given, else derived at `rate`.
    func exclVAT(_ inv: Invoice, rate: Rate) -> Money {
        if let v = inv.vatAmount { return inv.amount - v }
        let n = Int128(inv.amount.cents) * Int128(Rate.scale), d = Int128(Rate.scale) + Int128(rate.nanos)
        return Money(cents: Int64(clamping: divideRoundingHalfAwayFromZero(n, d)))
    }

    /// The scenario with one forecast invoice per forecast period that remains (appended after the real invoices):
    /// amount incl. VAT = remaining × (1 + rate), VAT rounded once; due = issue + terms; a sale is expected the
    /// customer's delay later, like an invoice. Their counterparty ends in " (forecast)" and their id starts with "FC ".
    public func withForecastInvoices() -> Scenario {
        let periods = forecastPeriods()
        guard !periods.isEmpty else { return self }
        var s = self
        let folded = Dictionary(customerDelays.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        for p in periods where p.remaining > .zero {
            let line = forecasts[p.line]
            let who = line.counterparty ?? line.category ?? line.label
            var delay = 0
            if line.kind == .sales { delay = customerDelays[who] ?? folded[who.lowercased()] ?? customerDelayDays }
            let spread = line.dated.isEmpty ? line.invoicing : .end
            let pieces = forecastPieces(p)
            for piece in pieces {
                let vat = Money.charge(piece.amount, rate: line.vatRate)
                let due = piece.day + line.termsDays
                let id = "FC " + (spread == .end ? p.name : piece.day.iso) + " " + line.label
                let part = pieces.count == 1 ? "" : "\(piece.amount.formatted()) issued \(piece.day.iso) of \(p.name)'s remaining \(p.remaining.formatted()); "
                let inv = Invoice(id: id, counterparty: who + " (forecast)", issueDate: piece.day, dueDate: due,
                                  amount: piece.amount + vat, expectedDate: line.kind == .sales ? due + delay : nil,
                                  note: "forecast, not yet invoiced: " + part
                                    + "\(p.forecast.formatted()) excl. VAT forecast, \(p.invoiced.formatted()) invoiced",
                                  vatAmount: vat, origin: InvoiceOrigin(forecast: ForecastTag(line: p.line, period: p.name, forecast: p.forecast)))
                if line.kind == .sales { s.receivables.append(inv) } else { s.payables.append(inv) }
            }
        }
        return s
    }

    /// The forecast invoices (issue day, amount excl. VAT) of one period's remaining amount, spread as its line says
    /// over the period's days from the line's first day (days before the start are already invoiced).
    public func forecastPieces(_ p: ForecastPeriod) -> [(day: Day, amount: Money)] {
        guard forecasts.indices.contains(p.line) else { return [] }
        let line = forecasts[p.line]
        let lo = max(line.from ?? start, start)
        return ForecastLine.pieces(p.remaining, first: max(p.first, lo), last: p.issue,
                                   invoicing: line.dated.isEmpty ? line.invoicing : .end, calendar: BusinessCalendar(calendar))
    }

    /// Forecast invoices' total (incl. VAT) of one kind, and the periods they cover: what the verdict assumes will be issued.
    public func forecastTotal(_ kind: InvoiceKind) -> (count: Int, amount: Money) {
        guard !forecasts.isEmpty else { return (0, .zero) }
        var periods = Set<String>(), total = Money.zero
        for inv in invoices(kind) { if let t = inv.origin?.forecast { periods.insert("\(t.line) \(t.period)"); total += inv.amount } }
        return (periods.count, total)
    }
}
