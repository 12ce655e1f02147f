import Testing
@testable import TresoCore

@Suite struct MoneyTests {
    @Test func parsesAndPrintsExactly() {
        #expect(Money(decimal: "25000.10")?.cents == 2_500_010)
        #expect(Money(decimal: "-42000")?.cents == -4_200_000)
        #expect(Money(decimal: "0.5")?.cents == 50)
        #expect(Money(decimal: "1.234") == nil)
        #expect(Money(decimal: "12.") == nil)
        #expect(Money(decimal: "abc") == nil)
        #expect(Money(decimal: "99999999999999999999") == nil)
        #expect(Money(cents: -105).decimalString == "-1.05")
        #expect(Money(cents: 123_456_789).formatted() == "1 234 567.89")
        #expect(Money(cents: -100_000).formatted() == "-1 000.00")
        #expect(Money(cents: 5).formatted(plusSign: true) == "+0.05")
    }

    @Test func roundsHalfAwayFromZeroOnce() {
        #expect(divideRoundingHalfAwayFromZero(5, 2) == 3)
        #expect(divideRoundingHalfAwayFromZero(-5, 2) == -3)
        #expect(divideRoundingHalfAwayFromZero(4, 3) == 1)
        #expect(divideRoundingHalfAwayFromZero(-4, 3) == -1)
        // 18 000.00 × 4.5 % × 62 / 360 = 139.50 exactly.
        let advance = Money(cents: 1_800_000)
        #expect(Money.charge(advance, rate: Rate(percent: "4.5")!, times: 62, over: 360).cents == 13_950)
        // 1 000.00 × 9.5 % / 360 = 0.263888… → 0.26
        #expect(Money.charge(Money(cents: 100_000), rate: Rate(percent: "9.5")!, times: 1, over: 360).cents == 26)
        // 0.005 € rounds away from zero in both signs
        #expect(Money.charge(Money(cents: 1), rate: Rate(percent: "50")!).cents == 1)
        #expect(Money.charge(Money(cents: -1), rate: Rate(percent: "50")!).cents == -1)
    }

    @Test func ratesAreExactDecimals() {
        #expect(Rate(percent: "9.5")?.nanos == 95_000_000)
        #expect(Rate(percent: "0.05")?.nanos == 500_000)
        #expect(Rate(percent: "100")?.nanos == 1_000_000_000)
        #expect(Rate(percent: "9.5")?.percentString == "9.5")
        #expect(Rate(percent: "12.34567891") == nil)
        #expect(Rate(nanos: 372_449_000).percentString(decimals: 1) == "37.2")
    }
}
