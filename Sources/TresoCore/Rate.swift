/// An exact rate, held as a fraction scaled by 10⁹ (9.5 % = 0.095 = 95 000 000 nanos).
///
/// Rates are written as percentages in scenario files (`annual_rate = 9.5`) and parsed
/// from their decimal text, never through `Double`.
public struct Rate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let scale: Int64 = 1_000_000_000
    public var nanos: Int64

    @inlinable public init(nanos: Int64) { self.nanos = nanos }
    public static let zero = Rate(nanos: 0)
    public static let one = Rate(nanos: scale)
    @inlinable public static func < (a: Rate, b: Rate) -> Bool { a.nanos < b.nanos }
    @inlinable public static func + (a: Rate, b: Rate) -> Rate { Rate(nanos: a.nanos + b.nanos) }
    @inlinable public static func - (a: Rate, b: Rate) -> Rate { Rate(nanos: a.nanos - b.nanos) }

    /// Parses a percentage such as `9.5`, `0.05`, `-0.4` or `90` (up to 7 decimals).
    public init?(percent text: some StringProtocol) {
        guard let n = Rate.parseScaled(text, extraScale: 7) else { return nil }
        nanos = n
    }

    /// Parses a plain fraction such as `0.095` (up to 9 decimals).
    public init?(fraction text: some StringProtocol) {
        guard let n = Rate.parseScaled(text, extraScale: 9) else { return nil }
        nanos = n
    }

    /// Builds a rate from a whole number of basis points of a percent, e.g. `Rate(percentHundredths: 950)` = 9.50 %.
    public init(percentHundredths: Int64) { nanos = percentHundredths * 100_000 }

    /// Decimal digits → integer scaled so that `1` of the input unit = 10^extraScale.
    private static func parseScaled(_ text: some StringProtocol, extraScale: Int) -> Int64? {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if let f = bytes.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negative = f == UInt8(ascii: "-"); bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty else { return nil }
        var value: Int64 = 0
        var decimals = -1
        for b in bytes {
            if b == UInt8(ascii: ".") { guard decimals < 0 else { return nil }; decimals = 0; continue }
            if b == UInt8(ascii: "_") { continue }
            guard b >= 48, b <= 57 else { return nil }
            if decimals >= 0 { decimals += 1; guard decimals <= extraScale else { return nil } }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(b - 48))
            guard !o1, !o2 else { return nil }
            value = s
        }
        if decimals == 0 { return nil }
        var remaining = extraScale - max(decimals, 0)
        while remaining > 0 {
            let (m, o) = value.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            value = m; remaining -= 1
        }
        return negative ? -value : value
    }

    /// The rate as a percentage with trailing zeros trimmed (`9.5`, `0.05`, `90`).
    public var percentString: String {
        // percent = nanos / 10^7
        let neg = nanos < 0
        let m = nanos.magnitude
        let whole = m / 10_000_000
        var frac = String(m % 10_000_000)
        frac = String(repeating: "0", count: 7 - frac.count) + frac
        while frac.hasSuffix("0") { frac.removeLast() }
        return (neg ? "-" : "") + String(whole) + (frac.isEmpty ? "" : "." + frac)
    }

    /// Percentage with a fixed number of decimals, rounded half away from zero (display only).
    public func percentString(decimals: Int) -> String {
        let unit = Int128(10_000_000) / Int128(pow10(decimals))
        let v = divideRoundingHalfAwayFromZero(Int128(nanos), unit)
        let neg = v < 0
        let m = v.magnitude
        let p = UInt128(pow10(decimals))
        let whole = m / p
        if decimals == 0 { return (neg ? "-" : "") + String(whole) }
        var frac = String(m % p)
        frac = String(repeating: "0", count: decimals - frac.count) + frac
        return (neg ? "-" : "") + String(whole) + "." + frac
    }

    public var description: String { percentString + " %" }
}

@usableFromInline func pow10(_ n: Int) -> Int64 {
    var r: Int64 = 1
    for _ in 0..<n { r *= 10 }
    return r
}
