import Testing
import TestSupport
@testable import TresoCore

@Suite struct CalendarTests {
    // Easter Sundays from published tables.
    @Test(arguments: [(2026, 4, 5), (2027, 3, 28), (2028, 4, 16), (2029, 4, 1), (2030, 4, 21), (2024, 3, 31), (2025, 4, 20)])
    func easterSunday(year: Int, month: Int, day: Int) {
        #expect(BusinessCalendar.easterSunday(year: year) == Day.ymd(year, month, day))
    }

    @Test func frenchHolidays2026to2030() {
        // Ascension and Whit Monday, the two most often miscomputed; plus the TARGET closures Good Friday and
        // 26 December, when euro payments do not settle (FR = French business days that are also TARGET open days).
        let expected: [(Int, [(Int, Int)])] = [
            (2026, [(1, 1), (4, 3), (4, 6), (5, 1), (5, 8), (5, 14), (5, 25), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26)]),
            (2027, [(1, 1), (3, 26), (3, 29), (5, 1), (5, 6), (5, 8), (5, 17), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26)]),
            (2028, [(1, 1), (4, 14), (4, 17), (5, 1), (5, 8), (5, 25), (6, 5), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26)]),
            (2029, [(1, 1), (3, 30), (4, 2), (5, 1), (5, 8), (5, 10), (5, 21), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26)]),
            (2030, [(1, 1), (4, 19), (4, 22), (5, 1), (5, 8), (5, 30), (6, 10), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26)]),
        ]
        let fr = BusinessCalendar(.fr)
        for (year, days) in expected {
            #expect(fr.holidays(year: year).map(\.day) == days.map { Day.ymd(year, $0.0, $0.1) }, "FR \(year)")
            // And isHoliday agrees with the list on every day of the year.
            var d = Day.ymd(year, 1, 1)
            let set = Set(days.map { Day.ymd(year, $0.0, $0.1) })
            while d.year == year { #expect(fr.isHoliday(d) == set.contains(d), "\(d)"); d = d + 1 }
        }
    }

    @Test func targetClosingDays() {
        let t = BusinessCalendar(.target)
        #expect(t.holidays(year: 2027).map(\.day) == [Day.ymd(2027, 1, 1), Day.ymd(2027, 3, 26), Day.ymd(2027, 3, 29),
                                                     Day.ymd(2027, 5, 1), Day.ymd(2027, 12, 25), Day.ymd(2027, 12, 26)])
        // TARGET is open on French-only holidays (14 July 2027 is a Wednesday).
        #expect(t.isBusinessDay(Day.ymd(2027, 7, 14)))
        #expect(!BusinessCalendar(.fr).isBusinessDay(Day.ymd(2027, 7, 14)))
        // Good Friday and 26 December are TARGET closing days: no euro cash moves then, in FR either (issue 8).
        #expect(!t.isBusinessDay(Day.ymd(2026, 4, 3)))
        #expect(!BusinessCalendar(.fr).isBusinessDay(Day.ymd(2026, 4, 3)))
        #expect(!BusinessCalendar(.fr).isBusinessDay(Day.ymd(2028, 12, 26)))   // a Tuesday
        #expect(BusinessCalendar(.fr).following(Day.ymd(2027, 3, 26)) == Day.ymd(2027, 3, 30))   // Good Friday → Tuesday
    }

    @Test func followingRule() {
        let fr = BusinessCalendar(.fr)
        // Friday 25 Dec 2026 (Christmas) → Monday 28 Dec.
        #expect(fr.following(Day.ymd(2026, 12, 25)) == Day.ymd(2026, 12, 28))
        // Saturday 1 May 2027 → Monday 3 May.
        #expect(fr.following(Day.ymd(2027, 5, 1)) == Day.ymd(2027, 5, 3))
        // A business day stays put.
        #expect(fr.following(Day.ymd(2026, 12, 1)) == Day.ymd(2026, 12, 1))
        // none: every day settles.
        #expect(BusinessCalendar(.none).following(Day.ymd(2026, 12, 26)) == Day.ymd(2026, 12, 26))
        // Two business days after Thursday 24 Dec 2026 in FR: Mon 28, Tue 29.
        #expect(fr.addingBusinessDays(2, to: Day.ymd(2026, 12, 24)) == Day.ymd(2026, 12, 29))
    }

    @Test func settlementTableAgreesWithCalendar() {
        for kind in CalendarKind.allCases {
            let cal = BusinessCalendar(kind)
            let table = SettlementTable(calendar: cal, from: Day.ymd(2026, 1, 1), through: Day.ymd(2030, 12, 31))
            var d = Day.ymd(2025, 12, 1)
            while d <= Day.ymd(2031, 1, 31) {
                #expect(table.following(d) == cal.following(d))
                d = d + 1
            }
        }
    }

    @Test func civilDatesRoundTrip() {
        var d = Day.ymd(1999, 12, 25)
        while d < Day.ymd(2101, 1, 10) {
            let c = d.components
            #expect(Day(year: c.year, month: c.month, day: c.day) == d)
            #expect(Day(iso: d.iso) == d)
            d = d + 37
        }
        #expect(Day.ymd(2026, 12, 1).weekday == 2) // Tuesday
        #expect(Day(iso: "2026-02-29") == nil)
        #expect(Day(iso: "2028-02-29") != nil)
        #expect(Day(flexible: "31/12/2026") == Day.ymd(2026, 12, 31))
        #expect(Day(flexible: "31/02/2026") == nil)
        #expect(Day.ymd(2027, 1, 31).addingMonths(1) == Day.ymd(2027, 2, 28))
    }
}
