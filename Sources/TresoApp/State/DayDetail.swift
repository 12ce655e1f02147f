import TresoCore

/// The selected day of the chart, with its movements (cached: computing them scans the day's invoices).
public struct DayDetail: Sendable {
    public var day: Day
    public var position: DailyPosition?
    public var movements: [Movement]
    var key: DayKey
}

/// What a cached view was computed from: the document's revision, the active plan and the day.
struct DayKey: Sendable, Equatable {
    var revision: Int
    var plan: Int
    var day: Int
}

/// Views derived from the document and the view state, kept to avoid recomputing them on every key.
/// They take no part in equality: two states that agree on what they derive from agree on them.
struct ViewCache: Sendable, Equatable {
    /// `id + " " + counterparty`, lowercased, per invoice: what the filter searches.
    var search: [InvoiceKind: InvoiceSearchText]
    var dayDetail: DayDetail
    /// How many invoices of each kind the active plan decides on (shown in the table titles).
    var decidedCount: [InvoiceKind: Int] = [:]
    var decidedKey = DayKey(revision: -1, plan: -1, day: 0)
    /// The active plan's period table for `periodView` (`day` of the key: the period length's index).
    var periods: PeriodTable?
    var periodsKey = DayKey(revision: -1, plan: -1, day: -1)
    /// The forecast periods grouped into `periods`' columns (nil without `[[forecast]]` lines).
    var coverage: ForecastCoverage?
    /// The shown bank account's projection (`:account NAME`; `day` of the key: the account's index).
    var account: Projection?
    var accountKey = DayKey(revision: -1, plan: -1, day: -1)
    /// The net changes since the last save, for (workspace revision, saved workspace revision).
    var unsaved = 0
    var unsavedKey: [Int] = []
    /// Columns the largest amount of each invoice list takes (the amount column's width), measured once at load.
    var amountWidth: [InvoiceKind: Int] = [:]
    /// Whether any invoice of the kind carries a marker (forecast, converted, partly paid, inferred due date):
    /// the table's marker column shows only then. Measured once at load.
    var hasMarkers: [InvoiceKind: Bool] = [:]
    /// What financing each table's marked rows would change (the table title).
    var markedImpact: [InvoiceKind: CachedMarkedImpact] = [:]

    static func == (_: ViewCache, _: ViewCache) -> Bool { true }
}
