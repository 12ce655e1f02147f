import TresoCore
#if canImport(Glibc)
import Glibc
#endif

/// A small deterministic PRNG (SplitMix64) so every property test replays from its seed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Day {
    /// `Day(2026, 12, 1)`: for tests only, where the literal is known to be valid.
    public static func ymd(_ y: Int, _ m: Int, _ d: Int) -> Day {
        Day(year: y, month: m, day: d) ?? Day(raw: 0)
    }
}

/// Random but plausible scenarios for the property tests.
public enum RandomScenario {
    public static func make(seed: UInt64, receivables: Int = 40, payables: Int = 30) -> Scenario {
        var rng = SeededRandom(seed: seed)
        let start = Day.ymd(2026, 1, 1) + Int.random(in: 0...1400, using: &rng)
        let horizon = Int.random(in: 1...240, using: &rng)
        let calendars = CalendarKind.allCases
        func invoice(_ prefix: String, _ i: Int) -> Invoice {
            let issue = start + Int.random(in: -120...horizon, using: &rng)
            let due = issue + [0, 30, 45, 60, 90].randomElement(using: &rng)!
            let amount = Money(cents: Int64.random(in: 1...5_000_000_00, using: &rng))
            let statuses: [InvoiceStatus] = [.open, .open, .open, .open, .paid, .disputed]
            return Invoice(id: "\(prefix)-\(i)", counterparty: "Party \(Int.random(in: 0..<12, using: &rng))", issueDate: issue,
                           dueDate: due, amount: amount, status: statuses.randomElement(using: &rng)!,
                           expectedDate: Int.random(in: 0..<10, using: &rng) == 0 ? due + Int.random(in: -10...40, using: &rng) : nil,
                           line: Int32(i + 2))
        }
        let nr = Int.random(in: 0...receivables, using: &rng), np = Int.random(in: 0...payables, using: &rng)
        var delays: [String: Int] = [:]
        for p in 0..<4 where Bool.random(using: &rng) { delays["Party \(p)"] = Int.random(in: 0...60, using: &rng) }
        let flows = (0..<Int.random(in: 0...4, using: &rng)).map { i in
            RecurringFlow(label: "Flow \(i)", amount: Money(cents: Int64.random(in: -8_000_000...2_000_000, using: &rng)),
                          every: RecurringFlow.Frequency.allCases.randomElement(using: &rng)!,
                          day: Int.random(in: 1...31, using: &rng) , month: Int.random(in: 1...12, using: &rng))
        }.map { f -> RecurringFlow in var f = f; if f.every == .week { f.day = (f.day - 1) % 7 + 1 }; return f }
        return Scenario(name: "random \(seed)", start: start, horizonDays: horizon,
                        openingBalance: Money(cents: Int64.random(in: -5_000_000...20_000_000, using: &rng)),
                        minCash: Money(cents: Int64.random(in: 0...2_000_000, using: &rng)),
                        calendar: calendars.randomElement(using: &rng)!,
                        receivables: (0..<nr).map { invoice("R", $0) }, payables: (0..<np).map { invoice("P", $0) },
                        customerDelayDays: Int.random(in: 0...20, using: &rng), customerDelays: delays,
                        overdraft: OverdraftTerms(limit: Money(cents: Int64.random(in: 0...10_000_000, using: &rng)),
                                                  annualRate: Rate(percentHundredths: Int64.random(in: 0...1800, using: &rng)),
                                                  highestOverdraftRate: Rate(percentHundredths: Int64.random(in: 0...10, using: &rng))),
                        recurring: flows)
    }
}

/// Compares `actual` with the snapshot file `name` beside the calling test file and returns a failure
/// description when they differ — or when the snapshot is missing: a test never passes by recording its
/// own expectation. TRESO_RECORD_SNAPSHOTS=1 records (or re-records) it.
public func snapshotMismatch(_ actual: String, named name: String, testFile: String = #filePath) -> String? {
    let folder = testFile.split(separator: "/").dropLast().joined(separator: "/")
    let dir = "/" + folder + "/__Snapshots__"
    let path = dir + "/" + name + ".txt"
    let record = getenv("TRESO_RECORD_SNAPSHOTS").map { String(cString: $0) == "1" } ?? false
    if !record, let expected = readText(path) {
        if expected == actual { return nil }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<missing>", al = i < a.count ? String(a[i]) : "<missing>"
            if el != al { return "snapshot \(name) differs at line \(i + 1):\n expected: \(el)\n   actual: \(al)\n(re-record with TRESO_RECORD_SNAPSHOTS=1)" }
        }
        return "snapshot \(name) differs"
    }
    guard record else {
        return "snapshot \(name) is missing (\(path)): record it with TRESO_RECORD_SNAPSHOTS=1 and check it in"
    }
    mkdir(dir, 0o755)
    writeText(path, actual)
    return nil
}

public func readText(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        bytes.append(contentsOf: buf[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}

public func writeText(_ path: String, _ text: String) {
    guard let f = fopen(path, "wb") else { return }
    defer { fclose(f) }
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
}

extension RandomScenario {
    /// A random scenario with a few instruments of every kind, and a horizon long enough
    /// for every settlement and financing movement to fall inside it.
    public static func withInstruments(seed: UInt64) -> Scenario {
        var s = make(seed: seed)
        var rng = SeededRandom(seed: seed ^ 0xABCDEF)
        s.horizonDays = 1200
        func pct(_ lo: Int, _ hi: Int) -> Rate { Rate(percentHundredths: Int64(Int.random(in: lo...hi, using: &rng))) }
        for n in 0..<Int.random(in: 1...3, using: &rng) {
            var c = FactoringContract(name: "F\(n)")
            c.kind = Bool.random(using: &rng) ? .global : .spot
            c.advanceRate = pct(7000, 10000)
            c.commissionRate = pct(10, 500)
            c.minimumCommission = Money(cents: Int64.random(in: 0...10_000, using: &rng))
            c.vatRate = pct(0, 2000)
            c.annualRate = pct(0, 800)
            c.graceDays = Int.random(in: 0...15, using: &rng)
            c.fundingDelayDays = Int.random(in: 0...3, using: &rng)
            c.recourse = Bool.random(using: &rng)
            c.insuranceCoverage = Bool.random(using: &rng) ? pct(5000, 9500) : .zero
            c.indemnityDelayDays = Int.random(in: 0...150, using: &rng)
            if Bool.random(using: &rng) { c.maximumInvoice = Money(cents: Int64.random(in: 100_000...3_000_000_00, using: &rng)) }
            if Bool.random(using: &rng) { c.minimumInvoice = Money(cents: Int64.random(in: 0...200_000, using: &rng)) }
            if Bool.random(using: &rng) { c.excludedCustomers = ["Party 3"] }
            c.annualMinimumFee = c.kind == .global && Bool.random(using: &rng) ? Money(cents: Int64.random(in: 0...500_000, using: &rng)) : .zero
            s.instruments.factoring.append(c)
        }
        var r = ReverseFactoringProgram(name: "RF"); r.extensionDays = Int.random(in: 0...90, using: &rng); r.annualRate = pct(0, 900)
        r.capturesDiscounts = Bool.random(using: &rng)
        s.instruments.reverseFactoring = [r]
        var f = SupplierFinancingProgram(name: "SF"); f.termDays = Int.random(in: 15...120, using: &rng); f.monthlyRate = pct(0, 300)
        if Bool.random(using: &rng) { f.maximumAmount = Money(cents: Int64.random(in: 100_000...2_000_000_00, using: &rng)) }
        s.instruments.supplierFinancing = [f]
        var sp = SplitPaymentProgram(name: "SP"); sp.instalments = Int.random(in: 2...12, using: &rng); sp.feeRate = pct(0, 600)
        s.instruments.splitPayment = [sp]
        s.instruments.negotiation.targetDays = Int.random(in: 30...90, using: &rng)
        for i in s.payables.indices where Int.random(in: 0..<4, using: &rng) == 0 {
            s.payables[i].discount = EarlyPaymentDiscount(rate: pct(50, 300), days: Int.random(in: 5...20, using: &rng))
        }
        return s
    }

    /// `withInstruments` plus the rules of a verdict on equal terms: defaulted receivables (scenario what-if),
    /// invoices that give their VAT, fee bases and classes, insurance bases, supplier stances, a price increase,
    /// ECB rates per half-year and an over-limit penalty; `horizonDays` short so decisions move flows past it.
    public static func withVerdictRules(seed: UInt64, horizonDays: Int = 120) -> Scenario {
        var s = withInstruments(seed: seed)
        var rng = SeededRandom(seed: seed ^ 0x7E5D1C7)
        func pct(_ lo: Int, _ hi: Int) -> Rate { Rate(percentHundredths: Int64(Int.random(in: lo...hi, using: &rng))) }
        s.horizonDays = horizonDays
        for i in s.receivables.indices where Int.random(in: 0..<5, using: &rng) == 0 { s.defaulted.append(s.receivables[i].id) }
        for i in s.receivables.indices where Bool.random(using: &rng) {
            s.receivables[i].vatAmount = Money(cents: s.receivables[i].amount.cents / 6)
        }
        for i in s.payables.indices where Bool.random(using: &rng) {
            s.payables[i].vatAmount = Money(cents: s.payables[i].amount.cents / 6)
        }
        s.defaultVATRate = pct(0, 2000)
        for i in s.instruments.factoring.indices {
            s.instruments.factoring[i].feeBaseSetting = [nil, .invoice, .advance].randomElement(using: &rng)!
            s.instruments.factoring[i].feeClass = Bool.random(using: &rng) ? .operating : .financial
            s.instruments.factoring[i].insuranceBase = Bool.random(using: &rng) ? .exclVAT : .inclVAT
        }
        var n = s.instruments.negotiation
        n.unlistedAccept = Int.random(in: 0..<4, using: &rng) != 0
        for p in s.payables where Int.random(in: 0..<3, using: &rng) == 0 {
            n.suppliers[p.counterparty] = .init(accepts: Bool.random(using: &rng), maxDays: Bool.random(using: &rng) ? Int.random(in: 20...90, using: &rng) : nil)
        }
        if Bool.random(using: &rng) { n.priceIncreasePer30Days = pct(0, 200) }
        if Bool.random(using: &rng) { n.ecbRates = ["2025-H2": pct(0, 400), "2026-H1": pct(0, 400), "2026-H2": pct(0, 400)] }
        s.instruments.negotiation = n
        s.overdraft.penaltyRate = Bool.random(using: &rng) ? pct(0, 500) : .zero
        return s
    }

    /// Random decisions for the invoices of `s` (some ineligible on purpose).
    public static func decisions(for s: Scenario, seed: UInt64) -> [(InvoiceRef, Decision)] {
        var rng = SeededRandom(seed: seed ^ 0x5151)
        var out: [(InvoiceRef, Decision)] = []
        for i in s.receivables.indices where Bool.random(using: &rng) {
            let c = s.instruments.factoring.randomElement(using: &rng)?.name ?? "none"
            out.append((InvoiceRef(.receivable, i), .factor(c)))
        }
        let payableChoices: [Decision] = [.reverseFactor("RF"), .supplierFinancing("SF"), .splitPayment("SP"), .negotiate,
                                          .payLate(Int.random(in: 1...60, using: &rng)), .factor("F0")]
        for i in s.payables.indices where Bool.random(using: &rng) {
            out.append((InvoiceRef(.payable, i), payableChoices.randomElement(using: &rng)!))
        }
        return out
    }
}

/// The package root, found from a test file's path (…/Tests/<Target>/<File>.swift).
public func packageRoot(testFile: String = #filePath) -> String {
    var parts = testFile.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}

/// The debug `treso` binary the tests drive (TRESO_BIN overrides).
public func tresoBinary(testFile: String = #filePath) -> String {
    if let b = getenv("TRESO_BIN") { return String(cString: b) }
    return packageRoot(testFile: testFile) + "/.build/debug/treso"
}
