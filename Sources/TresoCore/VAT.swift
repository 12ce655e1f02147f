/// How VAT returns are filed and paid (`[vat]`): docs/calculations.md §19.
public struct VATSettings: Sendable, Hashable {
    public enum Regime: String, Sendable, Hashable, CaseIterable {
        /// CA3 every month, paid on `day` of the following month.
        case monthly
        /// CA3 every calendar quarter, paid on `day` of the month after the quarter.
        case quarterly
        /// CA12 for the calendar year, paid on `day` of May the next year; instalments of 55 % (July) and 40 %
        /// (December) of the previous year's VAT on `day` of those months.
        case annual
    }
    public enum Basis: String, Sendable, Hashable, CaseIterable {
        /// Débits: VAT is due when the invoice is issued (goods).
        case invoices
        /// Encaissements: VAT is due when the cash is received, deductible when paid (services, the default).
        case receipts
    }
    /// When a VAT credit is refunded [remboursement de crédit de TVA, form 3519] instead of carried forward.
    public enum Refund: String, Sendable, Hashable, CaseIterable {
        /// Never: the credit is carried forward to the next returns.
        case none
        /// Once a year: CA3 with the return filed in January (December's or the fourth quarter's) when the credit is at
        /// least 150 €; CA12 with the annual return, at least 150 €.
        case annual
        /// CA3: with every return whose credit is at least 760 € (monthly or quarterly), and January's at 150 €.
        /// CA12: as `annual` (a refund at the instalment stage needs a credit from fixed assets, not modelled).
        case eachReturn = "each_return"
    }
    public var regime: Regime
    public var basis: Basis
    public var refund: Refund = .none
    /// Days from the request (the return's date) to the refund reaching the bank, then moved to a business day.
    public var refundDelayDays: Int = 30
    /// The legal minimums of a refund request (CGI, annexe II, art. 242-0 C): 150 € a year, 760 € a month or quarter.
    public static let annualRefundMinimum = Money(cents: 15_000)
    public static let periodicRefundMinimum = Money(cents: 76_000)
    /// Payment day of the month (1–31, clamped to the month's last day), then moved to a business day.
    public var day: Int
    /// VAT owed at the start for periods treso does not see (the last return filed but not yet paid): paid on the
    /// first VAT payment date on or after the start; negative = a credit carried forward [crédit de TVA].
    public var opening: Money
    /// Annual regime: the previous year's net VAT, the base of this year's instalments.
    public var previousYear: Money

    public init(regime: Regime = .monthly, basis: Basis = .receipts, day: Int = 24, opening: Money = .zero, previousYear: Money = .zero) {
        self.regime = regime; self.basis = basis; self.day = day; self.opening = opening; self.previousYear = previousYear
    }

    /// "CA3" or "CA12", as the forms are named.
    public var formName: String { regime == .annual ? "CA12" : "CA3" }
}

/// One VAT period of the computation: what was collected and deducted, by the basis date of each invoice.
public struct VATPeriod: Sendable, Hashable {
    public var first: Day
    public var last: Day
    /// VAT on sales (receivables) and on purchases (payables) whose basis date falls in the period.
    public var collected: Money
    public var deductible: Money
    public var net: Money { collected - deductible }
}

/// One VAT payment date: a return, an instalment, or the VAT owed at the start.
public struct VATReturn: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case opening, `return`, instalment }
    public var kind: Kind
    /// The period the return covers (for an instalment, its year; for the opening, the start).
    public var period: Int
    public var first: Day
    public var last: Day
    public var scheduled: Day
    public var day: Day
    /// Net VAT of the period (collected − deductible − instalments paid for it), before credit carried forward.
    public var due: Money
    /// Credit carried forward used by this return, and what is paid.
    public var creditUsed: Money
    public var payment: Money
    /// Credit carried forward after this return (after any refund requested with it).
    public var creditAfter: Money
    /// Credit whose refund is requested with this return (0 when none), and the day it is received.
    public var refund: Money = .zero
    public var refundDay: Day? = nil
}

/// The computed VAT of one scenario (every plan shares it, apart from its fees' deductible VAT).
public struct VATSchedule: Sendable, Hashable {
    public var settings: VATSettings
    public var periods: [VATPeriod]
    public var returns: [VATReturn]
    /// Invoices whose VAT was derived from `default_vat_rate` (they give none).
    public var derivedCount: Int
}

extension VATSettings {
    /// The calendar index of a day's period (months, quarters or years since year 0).
    func periodKey(_ d: Day) -> Int {
        let (y, m, _) = d.components
        switch regime {
        case .monthly: return y * 12 + (m - 1)
        case .quarterly: return y * 4 + (m - 1) / 3
        case .annual: return y
        }
    }

    func bounds(ofKey k: Int) -> (first: Day, last: Day) {
        func day(_ y: Int, _ m: Int, _ d: Int) -> Day { Day(raw: Int32(Day.daysFromCivil(y, m, d))) }
        switch regime {
        case .monthly:
            let y = k >= 0 ? k / 12 : (k - 11) / 12, m = k - y * 12 + 1
            let f = day(y, m, 1)
            return (f, f.endOfMonth)
        case .quarterly:
            let y = k >= 0 ? k / 4 : (k - 3) / 4, q = k - y * 4
            return (day(y, q * 3 + 1, 1), day(y, q * 3 + 3, 1).endOfMonth)
        case .annual:
            return (day(k, 1, 1), day(k, 12, 31))
        }
    }

    /// `day` of the given month, clamped to its last day.
    func payDate(_ y: Int, _ m: Int) -> Day {
        let (yy, mm) = m > 12 ? (y + 1, m - 12) : (y, m)
        return Day(raw: Int32(Day.daysFromCivil(yy, mm, min(max(day, 1), Day.daysInMonth(year: yy, month: mm)))))
    }

    /// The return date of the period with key `k`.
    func returnDate(ofKey k: Int) -> Day {
        let last = bounds(ofKey: k).last
        switch regime {
        case .monthly, .quarterly: return payDate(last.year, last.month + 1)
        case .annual: return payDate(k + 1, 5)
        }
    }

    /// The smallest credit whose refund can be requested with the return of a period ending on `last` (nil: none).
    func refundMinimum(forPeriodEnding last: Day) -> Money? {
        let yearEnd = last.month == 12
        switch refund {
        case .none: return nil
        case .annual: return yearEnd ? VATSettings.annualRefundMinimum : nil
        case .eachReturn:
            if regime == .annual || yearEnd { return yearEnd ? VATSettings.annualRefundMinimum : nil }
            return VATSettings.periodicRefundMinimum
        }
    }

    /// The VAT payments from the start through `limit`, given each period's net VAT (`periods`, from the period
    /// containing the start) minus the extra deductible VAT of a plan (`extra`, cents per period).
    func schedule(periods: [VATPeriod], startKey: Int, start: Day, limit: Day, extra: [Int64], table: SettlementTable) -> [VATReturn] {
        struct Event { var kind: VATReturn.Kind; var period: Int; var scheduled: Day; var due: Int64 }
        var events: [Event] = []
        func net(_ i: Int) -> Int64 { periods[i].net.cents - (i < extra.count ? extra[i] : 0) }
        for i in periods.indices {
            let key = startKey + i
            var due = net(i)
            if regime == .annual {
                // Instalments of year `key`: 55 % in July, 40 % in December of the previous year's VAT (never negative).
                let base = i == 0 ? previousYear.cents : max(net(i - 1), 0)
                let july = Money.charge(Money(cents: max(base, 0)), rate: Rate(percentHundredths: 5500)).cents
                let december = Money.charge(Money(cents: max(base, 0)), rate: Rate(percentHundredths: 4000)).cents
                for (m, amount) in [(7, july), (12, december)] {
                    let d = payDate(key, m)
                    if d >= start && d <= limit { events.append(Event(kind: .instalment, period: i, scheduled: d, due: amount)) }
                }
                due -= july + december
            }
            let d = returnDate(ofKey: key)
            if d <= limit { events.append(Event(kind: .return, period: i, scheduled: d, due: due)) }
        }
        events.sort { ($0.scheduled, $0.kind == .instalment ? 0 : 1) < ($1.scheduled, $1.kind == .instalment ? 0 : 1) }
        var out: [VATReturn] = []
        var credit = opening.cents < 0 ? -opening.cents : 0
        // The return of the period before the start's, when its date is still ahead; else the first payment date.
        let previous = returnDate(ofKey: startKey - 1)
        if opening.cents > 0, let scheduled = previous >= start ? previous : events.first?.scheduled {
            let day = table.following(max(scheduled, start))
            let b = bounds(ofKey: startKey - 1)
            out.append(VATReturn(kind: .opening, period: -1, first: b.first, last: b.last, scheduled: scheduled, day: day,
                                 due: opening, creditUsed: .zero, payment: opening, creditAfter: Money(cents: credit)))
        }
        for e in events {
            let b = e.kind == .instalment ? (first: e.scheduled, last: e.scheduled) : bounds(ofKey: startKey + e.period)
            var used: Int64 = 0, pay: Int64 = 0
            if e.kind == .instalment {
                pay = e.due
            } else if e.due >= 0 {
                used = min(credit, e.due)
                credit -= used
                pay = e.due - used
            } else {
                credit += -e.due
            }
            var r = VATReturn(kind: e.kind, period: e.period, first: b.first, last: b.last, scheduled: e.scheduled,
                              day: table.following(max(e.scheduled, start)), due: Money(cents: e.due), creditUsed: Money(cents: used),
                              payment: Money(cents: pay), creditAfter: Money(cents: credit))
            if e.kind == .return, credit > 0, let minimum = refundMinimum(forPeriodEnding: b.last), credit >= minimum.cents {
                // The whole credit is requested: it is no longer carried forward.
                r.refund = Money(cents: credit)
                r.refundDay = table.following(max(e.scheduled + refundDelayDays, start))
                r.creditAfter = .zero
                credit = 0
            }
            out.append(r)
        }
        return out
    }
}

extension ForecastEngine {
    /// The scenario's VAT periods and payments with no plan (nil without `[vat]`). O(invoices).
    static func computeVAT(scenario s: Scenario, receivables rs: [Settlement], payables ps: [Settlement], limit: Day,
                           table: SettlementTable) -> VATSchedule? {
        guard let settings = s.vat else { return nil }
        let startKey = settings.periodKey(s.start)
        var periods: [VATPeriod] = []
        var k = startKey
        while true {
            let b = settings.bounds(ofKey: k)
            if settings.returnDate(ofKey: k) > limit && b.first > limit { break }
            periods.append(VATPeriod(first: b.first, last: b.last, collected: .zero, deductible: .zero))
            k += 1
            if periods.count > 200 { break }
        }
        var derived = 0
        let rate = s.defaultVATRate
        func vat(_ inv: Invoice) -> Int64 {
            if let v = inv.vatAmount { return v.cents }
            derived += 1
            // VAT share of an amount incl. VAT: amount − amount / (1 + rate), rounded once.
            let n = Int128(inv.amount.cents) * Int128(Rate.scale), d = Int128(Rate.scale) + Int128(rate.nanos)
            return inv.amount.cents - Int64(clamping: divideRoundingHalfAwayFromZero(n, d))
        }
        let defaulted = Set(s.defaulted)
        for kind in InvoiceKind.allCases {
            let settlements = kind == .receivable ? rs : ps
            for (i, inv) in s.invoices(kind).enumerated() {
                let date: Day
                switch settings.basis {
                case .invoices: date = inv.issueDate
                case .receipts:
                    guard inv.status == .open, !(kind == .receivable && !defaulted.isEmpty && defaulted.contains(inv.id)) else { continue }
                    date = settlements[i].day
                }
                let p = settings.periodKey(date) - startKey
                guard p >= 0 && p < periods.count else { continue }
                let v = Money(cents: vat(inv))
                if kind == .receivable { periods[p].collected += v } else { periods[p].deductible += v }
            }
        }
        let returns = settings.schedule(periods: periods, startKey: startKey, start: s.start, limit: limit, extra: [], table: table)
        return VATSchedule(settings: settings, periods: periods, returns: returns, derivedCount: derived)
    }

    /// The VAT payments of the base plan, as movements on `day` (all of them when nil).
    public func vatMovements(on day: Day? = nil) -> [Movement] {
        guard let v = vat else { return [] }
        var out: [Movement] = []
        for r in v.returns {
            if r.payment != .zero, day == nil || r.day == day {
                out.append(Movement(day: r.day, amount: -r.payment, category: .disbursement, source: .vatReturn, reference: "VAT",
                                    detail: .vatPayment(kind: r.kind, from: r.first, to: r.last), instrument: v.settings.formName))
            }
            if r.refund != .zero, let d = r.refundDay, day == nil || d == day {
                out.append(Movement(day: d, amount: r.refund, category: .receipt, source: .vatReturn, reference: "VAT",
                                    detail: .vatRefund(from: r.first, to: r.last), instrument: v.settings.formName))
            }
        }
        return out
    }
}

extension PlanState {
    /// The plan's own deductible VAT (fees' VAT), by VAT period: what its effects and minimum-fee top-ups add.
    func planDeductibleVAT(_ v: VATSchedule) -> [Int64] {
        var extra = Array(repeating: Int64(0), count: v.periods.count)
        let startKey = v.settings.periodKey(engine.scenario.start)
        var any = false
        func add(_ cents: Int64, on day: Day) {
            let p = v.settings.periodKey(day) - startKey
            guard cents != 0, p >= 0, p < extra.count else { return }
            extra[p] += cents
            any = true
        }
        for e in effects.values where e.cost.recoverableVAT != .zero {
            // Deductible when the fee is paid: the VAT movement's day, else the effect's first movement.
            let day = e.movements.first(where: { $0.detail == .factoringVAT })?.day ?? e.movements.first?.day ?? engine.settlement(e.ref).day
            add(e.cost.recoverableVAT.cents, on: day)
        }
        let end = max(engine.scenario.start, engine.calendar.preceding(engine.scenario.end))
        for t in minimumFeeTopUps() { add(t.vat.cents, on: end) }
        return any ? extra : []
    }

    /// The plan's own deductible VAT by VAT period (fees' VAT), for display; empty without any.
    public func vatReturnsDeductibleExtra() -> [Money] {
        guard let v = engine.vat else { return [] }
        return planDeductibleVAT(v).map { Money(cents: $0) }
    }

    /// The plan's VAT returns: the base schedule with the plan's fees' VAT deducted (same as the engine's without fees).
    public func vatReturns() -> [VATReturn] {
        guard let v = engine.vat else { return [] }
        let extra = planDeductibleVAT(v)
        guard !extra.isEmpty else { return v.returns }
        let s = engine.scenario
        return v.settings.schedule(periods: v.periods, startKey: v.settings.periodKey(s.start), start: s.start, limit: engine.windowLimit,
                                   extra: extra, table: engine.table)
    }

    /// What the plan's fees' VAT changes in the VAT payments: one movement per payment date that changes
    /// (positive = less VAT to pay). Empty without `[vat]` or without fees' VAT.
    func vatAdjustments() -> [Movement] {
        guard let v = engine.vat else { return [] }
        let extra = planDeductibleVAT(v)
        guard !extra.isEmpty else { return [] }
        let mine = vatReturns()
        var out: [Movement] = []
        for (b, p) in zip(v.returns, mine) {
            if b.payment != p.payment {
                out.append(Movement(day: p.day, amount: b.payment - p.payment, category: .financing, source: .vatReturn, reference: "VAT",
                                    detail: .vatRecovered(from: p.first, to: p.last), instrument: v.settings.formName))
            }
            // A larger credit is a larger refund (received on the same day as the base's would be).
            if b.refund != p.refund, let d = p.refundDay ?? b.refundDay {
                out.append(Movement(day: d, amount: p.refund - b.refund, category: .financing, source: .vatReturn, reference: "VAT",
                                    detail: .vatRefund(from: p.first, to: p.last), instrument: v.settings.formName))
            }
        }
        return out
    }
}
