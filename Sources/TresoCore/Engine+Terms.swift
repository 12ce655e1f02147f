/// The money terms of a scenario that no settlement depends on: changing them never moves an invoice,
/// so an interactive editor can apply them without re-settling every invoice.
public struct ScenarioTerms: Sendable, Hashable {
    public var openingBalance: Money
    public var minCash: Money
    public var overdraft: OverdraftTerms
    public var instruments: Instruments

    public init(openingBalance: Money, minCash: Money, overdraft: OverdraftTerms, instruments: Instruments) {
        self.openingBalance = openingBalance; self.minCash = minCash; self.overdraft = overdraft; self.instruments = instruments
    }
}

extension Scenario {
    public var terms: ScenarioTerms {
        get { ScenarioTerms(openingBalance: openingBalance, minCash: minCash, overdraft: overdraft, instruments: instruments) }
        set {
            openingBalance = newValue.openingBalance; minCash = newValue.minCash
            overdraft = newValue.overdraft; instruments = newValue.instruments
        }
    }
}

extension ForecastEngine {
    /// The same engine under new terms. Settlements, recurring occurrences and the base ledger are kept
    /// as they are (none of them depends on the terms), so this is O(1) in the number of invoices.
    public func withTerms(_ terms: ScenarioTerms) -> ForecastEngine {
        var s = scenario
        s.terms = terms
        var e = ForecastEngine(scenario: s, calendar: calendar, table: table, receivableSettlements: receivableSettlements,
                               payableSettlements: payableSettlements, recurringOccurrences: recurringOccurrences,
                               settlementLedger: settlementLedger, defaultedRefs: defaultedRefs, unknownDefaulted: unknownDefaulted,
                               vat: vat)
        // Late-interest rates and insurance terms are terms: the base effects are recomputed (O(base effects)).
        e.computeBaseEffects()
        return e
    }

    private init(scenario: Scenario, calendar: BusinessCalendar, table: SettlementTable, receivableSettlements: [Settlement],
                 payableSettlements: [Settlement], recurringOccurrences: [(flow: Int, scheduled: Day, day: Day)],
                 settlementLedger: CashLedger, defaultedRefs: Set<InvoiceRef>, unknownDefaulted: [String], vat: VATSchedule?) {
        self.scenario = scenario
        self.vat = vat
        self.calendar = calendar
        self.table = table
        self.receivableSettlements = receivableSettlements
        self.payableSettlements = payableSettlements
        self.recurringOccurrences = recurringOccurrences
        self.settlementLedger = settlementLedger
        self.baseLedger = settlementLedger
        self.defaultedRefs = defaultedRefs
        self.unknownDefaulted = unknownDefaulted
    }
}
