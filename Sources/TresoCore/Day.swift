/// A calendar day, as a count of days since 1970-01-01 (proleptic Gregorian).
///
/// The engine never reads the clock: every "today" is passed in.
public struct Day: Hashable, Comparable, Sendable, Strideable, CustomStringConvertible {
    public var raw: Int32

    @inlinable public init(raw: Int32) { self.raw = raw }

    /// Nil for an impossible date (month 13, 31 April, 29 February of a common year).
    public init?(year: Int, month: Int, day: Int) {
        guard year >= 1, year <= 9999, month >= 1, month <= 12, day >= 1,
              day <= Day.daysInMonth(year: year, month: month) else { return nil }
        raw = Int32(Day.daysFromCivil(year, month, day))
    }

    @inlinable public static func < (a: Day, b: Day) -> Bool { a.raw < b.raw }
    @inlinable public func distance(to other: Day) -> Int { Int(other.raw - raw) }
    @inlinable public func advanced(by n: Int) -> Day { Day(raw: raw + Int32(n)) }
    @inlinable public static func + (d: Day, n: Int) -> Day { d.advanced(by: n) }
    @inlinable public static func - (d: Day, n: Int) -> Day { d.advanced(by: -n) }
    @inlinable public static func - (a: Day, b: Day) -> Int { Int(a.raw - b.raw) }

    public var components: (year: Int, month: Int, day: Int) { Day.civilFromDays(Int(raw)) }
    public var year: Int { components.year }
    public var month: Int { components.month }
    public var dayOfMonth: Int { components.day }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let w = (Int(raw) % 7 + 7 + 3) % 7 // 0 = Monday
        return w + 1
    }
    public var isWeekend: Bool { weekday >= 6 }

    /// Last day of this day's month.
    public var endOfMonth: Day {
        let c = components
        return Day(raw: Int32(Day.daysFromCivil(c.year, c.month, Day.daysInMonth(year: c.year, month: c.month))))
    }

    /// The same day-of-month `n` months later, clamped to the month's last day.
    public func addingMonths(_ n: Int, dayOfMonth wanted: Int? = nil) -> Day {
        let c = components
        let total = c.year * 12 + (c.month - 1) + n
        let y = total / 12, m = total % 12 + 1
        let d = min(wanted ?? c.day, Day.daysInMonth(year: y, month: m))
        return Day(raw: Int32(Day.daysFromCivil(y, m, d)))
    }

    /// `2026-12-31`
    public var iso: String {
        let c = components
        let y = String(c.year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (c.month < 10 ? "0" : "") + String(c.month) + "-" + (c.day < 10 ? "0" : "") + String(c.day)
    }
    public var description: String { iso }

    /// `31/12/2026`, the French way.
    public var french: String {
        let c = components
        return (c.day < 10 ? "0" : "") + String(c.day) + "/" + (c.month < 10 ? "0" : "") + String(c.month) + "/" + String(c.year)
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              let y = Day.digits(u, 0, 4), let m = Day.digits(u, 5, 2), let d = Day.digits(u, 8, 2),
              let day = Day(year: y, month: m, day: d) else { return nil }
        self = day
    }

    /// Parses `YYYY-MM-DD` or `DD/MM/YYYY` (also `DD.MM.YYYY` and `DD-MM-YYYY`).
    public init?(flexible text: some StringProtocol) {
        if let d = Day(iso: text) { self = d; return }
        let u = Array(text.utf8)
        guard u.count == 10, u[2] == u[5], u[2] == UInt8(ascii: "/") || u[2] == UInt8(ascii: ".") || u[2] == UInt8(ascii: "-"),
              let d = Day.digits(u, 0, 2), let m = Day.digits(u, 3, 2), let y = Day.digits(u, 6, 4),
              let day = Day(year: y, month: m, day: d) else { return nil }
        self = day
    }

    private static func digits(_ u: [UInt8], _ from: Int, _ count: Int) -> Int? {
        var v = 0
        for i in from..<(from + count) {
            let b = u[i]
            guard b >= 48, b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's civil-date algorithms (public domain), exact for the proleptic Gregorian calendar.
    @usableFromInline static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    @usableFromInline static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
