/// Which days banks settle payments on.
public enum CalendarKind: String, Sendable, CaseIterable, Hashable {
    /// Euro payments from France: a day is open when it is both a French business day and a TARGET open day
    /// (weekends, French public holidays, Good Friday and 26 December are closed: SEPA does not settle then).
    case fr = "FR"
    /// TARGET2 (euro payments): weekends, 1 Jan, Good Friday, Easter Monday, 1 May, 25–26 Dec closed.
    case target = "TARGET"
    /// Every calendar day settles.
    case none = "none"

    public init?(name: String) {
        switch name.lowercased() {
        case "fr", "france": self = .fr
        case "target", "target2": self = .target
        case "none", "": self = .none
        default: return nil
        }
    }
}

/// Business-day arithmetic for one calendar. Holidays are computed (Easter by the
/// anonymous Gregorian algorithm), so any year works without a table.
public struct BusinessCalendar: Sendable, Hashable {
    public let kind: CalendarKind

    public init(_ kind: CalendarKind) { self.kind = kind }

    /// Easter Sunday of a Gregorian year (Meeus/Jones/Butcher).
    public static func easterSunday(year y: Int) -> Day {
        let a = y % 19, b = y / 100, c = y % 100
        let d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return Day(raw: Int32(Day.daysFromCivil(y, month, day)))
    }

    /// The named holidays of a year in this calendar (weekends aside), sorted.
    public func holidays(year: Int) -> [(day: Day, name: String)] {
        func d(_ m: Int, _ dd: Int) -> Day { Day(raw: Int32(Day.daysFromCivil(year, m, dd))) }
        let easter = BusinessCalendar.easterSunday(year: year)
        var list: [(Day, String)]
        switch kind {
        case .none: return []
        case .target:
            list = [(d(1, 1), "New Year's Day"), (easter - 2, "Good Friday"), (easter + 1, "Easter Monday"),
                    (d(5, 1), "Labour Day"), (d(12, 25), "Christmas Day"), (d(12, 26), "St Stephen's Day")]
        case .fr:
            list = [(d(1, 1), "Jour de l'an"), (easter - 2, "Vendredi saint (TARGET)"), (easter + 1, "Lundi de Pâques"),
                    (d(5, 1), "Fête du Travail"), (d(5, 8), "Victoire 1945"), (easter + 39, "Ascension"),
                    (easter + 50, "Lundi de Pentecôte"), (d(7, 14), "Fête nationale"), (d(8, 15), "Assomption"),
                    (d(11, 1), "Toussaint"), (d(11, 11), "Armistice"), (d(12, 25), "Noël"), (d(12, 26), "Saint-Étienne (TARGET)")]
        }
        return list.sorted { $0.0 < $1.0 }.map { (day: $0.0, name: $0.1) }
    }

    public func isHoliday(_ day: Day) -> Bool {
        switch kind {
        case .none: return false
        case .target, .fr:
            let (y, m, d) = day.components
            switch (m, d) {
            case (1, 1), (5, 1), (12, 25): return true
            case (12, 26): return true   // TARGET closes; FR includes the TARGET closures
            case (5, 8), (7, 14), (8, 15), (11, 1), (11, 11): return kind == .fr
            default: break
            }
            // Easter-based holidays fall between 20 March (Good Friday) and 14 June (Whit Monday).
            guard m >= 3, m <= 6 else { return false }
            let offset = day - BusinessCalendar.easterSunday(year: y)
            switch kind {
            case .target: return offset == -2 || offset == 1
            case .fr: return offset == -2 || offset == 1 || offset == 39 || offset == 50
            case .none: return false
            }
        }
    }

    public func isBusinessDay(_ day: Day) -> Bool {
        kind == .none || (!day.isWeekend && !isHoliday(day))
    }

    /// The first business day on or after `day` (the *following* rule).
    public func following(_ day: Day) -> Day {
        var d = day
        while !isBusinessDay(d) { d = d + 1 }
        return d
    }

    /// The last business day on or before `day` (the *preceding* rule).
    public func preceding(_ day: Day) -> Day {
        var d = day
        var guardDays = 0
        while !isBusinessDay(d) && guardDays < 14 { d = d - 1; guardDays += 1 }
        return d
    }

    /// The n-th business day after `day` (n = 0 → `following(day)`). From a Saturday, one business day
    /// later is the Monday.
    public func addingBusinessDays(_ n: Int, to day: Day) -> Day {
        if n <= 0 { return following(day) }
        var d = day
        var left = n
        while left > 0 {
            d = d + 1
            if isBusinessDay(d) { left -= 1 }
        }
        return d
    }
}

/// A precomputed `following` table over a range of days, so that settling a million
/// invoices costs one array read each instead of a holiday computation.
public struct SettlementTable: Sendable {
    public let calendar: BusinessCalendar
    public let first: Day
    private let next: [Int32]   // next[i] = raw of following(first + i)

    public init(calendar: BusinessCalendar, from first: Day, through last: Day) {
        self.calendar = calendar
        self.first = first
        let count = max(0, last - first + 1)
        var table = [Int32](repeating: 0, count: count)
        var upcoming: Int32 = calendar.following(last).raw
        var i = count - 1
        while i >= 0 {
            let d = first + i
            if calendar.isBusinessDay(d) { upcoming = d.raw }
            table[i] = upcoming
            i -= 1
        }
        next = table
    }

    @inlinable public func following(_ day: Day) -> Day {
        let i = day - first
        if i >= 0 && i < nextCount { return Day(raw: nextAt(i)) }
        return calendar.following(day)
    }

    @usableFromInline var nextCount: Int { next.count }
    @usableFromInline func nextAt(_ i: Int) -> Int32 { next[i] }
}
