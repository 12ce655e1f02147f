/// How much of the forecast each column of a period table already covers with real invoices: the planner's
/// "Invoiced vs forecast" rows. Read from `Scenario.forecastPeriods()`, the same call `treso project --by month`
/// prints as "Forecast vs invoiced" (docs/calculations.md §18); only the grouping into columns is done here.
public struct ForecastCoverage: Sendable, Hashable {
    /// Forecast and invoiced amounts (excl. VAT) of one kind in one column.
    public struct Cell: Sendable, Hashable {
        public var forecast: Money = .zero
        public var invoiced: Money = .zero
        /// Whether any forecast period lands in the column (a column without one shows nothing, not 0 %).
        public var periods = 0

        public init(forecast: Money = .zero, invoiced: Money = .zero, periods: Int = 0) {
            self.forecast = forecast; self.invoiced = invoiced; self.periods = periods
        }

        /// invoiced ÷ forecast as a rate (nil without a forecast): 158 151.33 of 200 000.00 is 79.08 %.
        public var share: Rate? {
            guard forecast.cents > 0 else { return nil }
            let n = Int128(invoiced.cents) * Int128(Rate.scale)
            return Rate(nanos: Int64(clamping: divideRoundingHalfAwayFromZero(n, Int128(forecast.cents))))
        }
    }

    /// The kinds that have at least one forecast period, sales first.
    public var kinds: [ForecastLine.Kind]
    /// `cells[k][c]`: kind `kinds[k]`, column `c` of the table the coverage was built for.
    public var cells: [[Cell]]

    /// Groups the forecast periods into the columns: a forecast period counts in the column holding its issue date
    /// (a month's forecast is issued on its last day, so by month it is its own column; by week, the week of that day).
    public init(_ periods: [ForecastPeriod], lines: [ForecastLine], columns: [(start: Day, end: Day)]) {
        let present = ForecastLine.Kind.allCases.filter { k in periods.contains { lines.indices.contains($0.line) && lines[$0.line].kind == k } }
        kinds = present
        cells = present.map { _ in Array(repeating: Cell(), count: columns.count) }
        guard !columns.isEmpty else { return }
        for p in periods where lines.indices.contains(p.line) {
            guard let k = present.firstIndex(of: lines[p.line].kind),
                  let c = Self.column(of: p.issue, in: columns) else { continue }
            cells[k][c].forecast += p.forecast
            cells[k][c].invoiced += p.invoiced
            cells[k][c].periods += 1
        }
    }

    public init(_ scenario: Scenario, periods: [ForecastPeriod], table: PeriodTable) {
        self.init(periods, lines: scenario.forecasts, columns: table.periods.map { ($0.start, $0.end) })
    }

    public var isEmpty: Bool { kinds.isEmpty }

    /// Binary search over contiguous, sorted columns.
    static func column(of d: Day, in columns: [(start: Day, end: Day)]) -> Int? {
        var lo = 0, hi = columns.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if d < columns[mid].start { hi = mid - 1 } else if d > columns[mid].end { lo = mid + 1 } else { return mid }
        }
        return nil
    }
}
