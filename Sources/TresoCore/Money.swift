/// An exact amount of money in integer minor units (cents for EUR).
///
/// Never a floating-point value: every amount the engine prints can be traced
/// to integer arithmetic and a single rounding step (see `docs/calculations.md`).
public struct Money: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    public var cents: Int64

    @inlinable public init(cents: Int64) { self.cents = cents }

    public static let zero = Money(cents: 0)

    @inlinable public static func + (a: Money, b: Money) -> Money { Money(cents: a.cents + b.cents) }
    @inlinable public static func - (a: Money, b: Money) -> Money { Money(cents: a.cents - b.cents) }
    @inlinable public static prefix func - (a: Money) -> Money { Money(cents: -a.cents) }
    @inlinable public static func += (a: inout Money, b: Money) { a.cents += b.cents }
    @inlinable public static func -= (a: inout Money, b: Money) { a.cents -= b.cents }
    @inlinable public static func < (a: Money, b: Money) -> Bool { a.cents < b.cents }

    @inlinable public var isNegative: Bool { cents < 0 }
    @inlinable public var magnitude: Money { Money(cents: cents < 0 ? -cents : cents) }

    /// Parses a canonical decimal amount: optional sign, digits, optional `.` and up to two decimals
    /// (`25000`, `-42000.00`, `0.5`). Locale-specific forms are the CSV reader's business.
    public init?(decimal text: some StringProtocol) {
        var bytes = Array(text.utf8)
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        guard !bytes.isEmpty else { return nil }
        var units: Int64 = 0
        var decimals = -1
        for b in bytes {
            if b == UInt8(ascii: ".") {
                guard decimals < 0 else { return nil }
                decimals = 0
                continue
            }
            guard b >= 48 && b <= 57 else { return nil }
            if decimals >= 0 {
                decimals += 1
                guard decimals <= 2 else { return nil }
            }
            let (m, o1) = units.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(b - 48))
            guard !o1, !o2 else { return nil }
            units = s
        }
        if decimals == 0 { return nil } // "12." is not an amount
        let scale: Int64 = decimals <= 0 ? 100 : (decimals == 1 ? 10 : 1)
        let (c, o) = units.multipliedReportingOverflow(by: scale)
        guard !o else { return nil }
        cents = negative ? -c : c
    }

    /// Exact decimal text with two decimals and a `.` point, e.g. `-1234.50`. Used by CSV/JSON output.
    public var decimalString: String {
        let neg = cents < 0
        let m = cents.magnitude
        let units = m / 100, frac = m % 100
        return (neg ? "-" : "") + String(units) + "." + (frac < 10 ? "0" : "") + String(frac)
    }

    public var description: String { decimalString }

    /// Human text with thousands separators, e.g. `-1 234 567.89`; `grouping` is the separator.
    public func formatted(grouping: String = " ", decimalPoint: String = ".", plusSign: Bool = false) -> String {
        let neg = cents < 0
        let m = cents.magnitude
        let units = String(m / 100)
        let frac = m % 100
        var grouped = ""
        let chars = Array(units)
        for (i, ch) in chars.enumerated() {
            if i > 0 && (chars.count - i) % 3 == 0 { grouped += grouping }
            grouped.append(ch)
        }
        let sign = neg ? "-" : (plusSign && cents > 0 ? "+" : "")
        return sign + grouped + decimalPoint + (frac < 10 ? "0" : "") + String(frac)
    }
}

/// Integer division rounded half away from zero: the single rounding step of every charge.
@inlinable
public func divideRoundingHalfAwayFromZero(_ numerator: Int128, _ denominator: Int128) -> Int128 {
    // Every caller divides by a positive constant (360, 365, 30, 10⁹) or a sum it has checked is positive;
    // a zero still yields zero rather than a trap.
    guard denominator != 0 else { return 0 }
    var n = numerator, d = denominator
    if d < 0 { n = -n; d = -d }
    let q = n / d, r = n % d
    if r == 0 { return q }
    // |r| * 2 >= d  ⇒ round away from zero
    if r.magnitude * 2 >= d.magnitude { return n < 0 ? q - 1 : q + 1 }
    return q
}

extension Money {
    /// `amount × rate × numerator / denominator`, computed exactly and rounded once to the cent.
    /// Example: interest = advance × annual rate × days / 360.
    @inlinable
    public static func charge(_ amount: Money, rate: Rate, times numerator: Int = 1, over denominator: Int = 1) -> Money {
        let n = Int128(amount.cents) * Int128(rate.nanos) * Int128(numerator)
        let d = Int128(Rate.scale) * Int128(denominator)
        return Money(cents: Int64(clamping: divideRoundingHalfAwayFromZero(n, d)))
    }

    /// `amount × rate₁ × rate₂ × numerator / denominator`, rounded once (e.g. amount × advance rate × annual rate × days / 360).
    @inlinable
    public static func charge(_ amount: Money, rate r1: Rate, rate r2: Rate, times numerator: Int, over denominator: Int) -> Money {
        let n = Int128(amount.cents) * Int128(r1.nanos) * Int128(r2.nanos) * Int128(numerator)
        let d = Int128(Rate.scale) * Int128(Rate.scale) * Int128(denominator)
        return Money(cents: Int64(clamping: divideRoundingHalfAwayFromZero(n, d)))
    }
}

extension Int64 {
    @inlinable init(clamping v: Int128) {
        if v > Int128(Int64.max) { self = .max } else if v < Int128(Int64.min) { self = .min } else { self = Int64(v) }
    }
}
