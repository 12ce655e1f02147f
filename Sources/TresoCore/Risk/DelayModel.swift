/// How late one customer (or every customer) may pay, as the scenario's `[risk]` states it.
public struct CustomerRisk: Sendable, Hashable {
    /// Equally likely delays in days after the due date (nil = not stated here).
    public var delays: [Int]?
    /// Probability the customer never pays an invoice, as a fraction (nil = not stated here).
    public var defaultProbability: Rate?
    public init(delays: [Int]? = nil, defaultProbability: Rate? = nil) {
        self.delays = delays; self.defaultProbability = defaultProbability
    }
}

/// `[risk]`: a sample of delays for every customer, per-customer samples, and default probabilities.
public struct RiskSettings: Sendable, Hashable {
    public var all: CustomerRisk
    public var customers: [String: CustomerRisk]
    public init(all: CustomerRisk = CustomerRisk(), customers: [String: CustomerRisk] = [:]) {
        self.all = all; self.customers = customers
    }
}

/// Where a customer's delay distribution comes from (said next to the result: it is assumed, not known).
public enum DelaySource: String, Sendable, Hashable, CaseIterable {
    /// `[risk.customers."Name"] delays`.
    case customerSetting = "risk.customers"
    /// Delays observed on the customer's paid invoices (at least `DelayModel.minimumHistory`).
    case history
    /// `[risk] delays`.
    case scenarioSetting = "risk"
    /// The default built from the customer's expected delay: d − 5, d, d + 5, d + 20 days.
    case defaultFromExpected = "default"
}

/// One customer's distribution: equally likely delays and a default probability.
public struct DelayDistribution: Sendable, Hashable {
    public var delays: [Int32]
    /// Probability of default in billionths (Rate nanos, 0 … 1 000 000 000).
    public var defaultNanos: Int64
    public var source: DelaySource
}

/// Where one customer's delays come from, and how many paid invoices its history has.
public struct CustomerDelays: Sendable, Hashable {
    public var customer: String
    public var source: DelaySource
    /// Paid invoices in the customer's history (used when at least `DelayModel.minimumHistory`).
    public var paidInvoices: Int
}

/// Which distribution one `[[forecast]]` line's receivables draw from (said next to the result).
public struct ForecastDelays: Sendable, Hashable {
    /// The forecast line's label, and the customer it names (nil: a category, drawn from the scenario's assumption).
    public var label: String
    public var customer: String?
    public var source: DelaySource
    /// Paid invoices in the named customer's history.
    public var paidInvoices: Int
    /// Forecast receivables of the line drawn.
    public var receivables: Int
}

/// The delay distribution of every open receivable. docs/calculations.md §15.
public struct DelayModel: Sendable {
    /// Distinct distributions, and for each receivable the index of its own (−1: its date is fixed, not drawn:
    /// not open, or an explicit expected date).
    public let distributions: [DelayDistribution]
    public let receivableDistribution: [Int32]
    /// Receivables drawing from each source.
    public let counts: [DelaySource: Int]
    /// Each customer with a drawn receivable, in the order of its first receivable: learned from history or assumed.
    public let customers: [CustomerDelays]
    /// Each forecast line with a drawn receivable, in line order: which distribution it was given.
    public let forecastLines: [ForecastDelays]

    /// Fewer paid invoices than this and a customer's history is not used.
    public static let minimumHistory = 3
    /// The default distribution's offsets from the expected delay: late payments run longer than early ones.
    public static let defaultOffsets: [Int] = [-5, 0, 5, 20]

    public init(scenario s: Scenario) {
        let settings = s.risk ?? RiskSettings()
        func lookup<T>(_ dict: [String: T], _ name: String) -> T? {
            if dict.isEmpty { return nil }
            if let v = dict[name] { return v }
            let f = name.lowercased()
            return dict.first { $0.key.lowercased() == f }?.value
        }
        var index: [String: Int32] = [:]
        var dists: [DelayDistribution] = []
        var distIndex: [DelayDistribution: Int32] = [:]
        var per: [Int32] = []
        per.reserveCapacity(s.receivables.count)
        var counts: [DelaySource: Int] = [:]
        var customers: [CustomerDelays] = []
        var forecastLines: [Int: ForecastDelays] = [:]
        for inv in s.receivables {
            // A forecast receivable is drawn like an invoice of the customer its line names (its history, its
            // [risk.customers] sample), a category line like a customer without history; its expected delay is
            // the one the engine already resolved into its expected date.
            let tag = inv.origin?.forecast
            guard inv.status == .open, inv.expectedDate == nil || tag != nil else { per.append(-1); continue }
            let line = tag.flatMap { $0.line < s.forecasts.count ? s.forecasts[$0.line] : nil }
            let name: String? = tag == nil ? inv.counterparty : line?.counterparty
            let key = tag == nil ? inv.counterparty : "\u{0}forecast \(tag?.line ?? -1)"
            if let i = index[key] {
                per.append(i); counts[dists[Int(i)].source, default: 0] += 1
                if let t = tag { forecastLines[t.line]?.receivables += 1 }
                continue
            }
            let own = name.flatMap { lookup(settings.customers, $0) }
            let history = name.flatMap { lookup(s.paymentHistory, $0) } ?? []
            let delays: [Int], source: DelaySource
            if let d = own?.delays, !d.isEmpty {
                (delays, source) = (d, .customerSetting)
            } else if history.count >= DelayModel.minimumHistory {
                (delays, source) = (history, .history)
            } else if let d = settings.all.delays, !d.isEmpty {
                (delays, source) = (d, .scenarioSetting)
            } else {
                let expected = tag != nil ? (inv.expectedDate ?? inv.dueDate) - inv.dueDate
                    : lookup(s.customerDelays, inv.counterparty) ?? s.customerDelayDays
                (delays, source) = (DelayModel.defaultOffsets.map { expected + $0 }, .defaultFromExpected)
            }
            let p = own?.defaultProbability ?? settings.all.defaultProbability ?? .zero
            let dist = DelayDistribution(delays: delays.map { Int32(clamping: $0) },
                                         defaultNanos: min(max(p.nanos, 0), Int64(Rate.scale)), source: source)
            let i: Int32
            if let j = distIndex[dist] { i = j } else {
                i = Int32(dists.count); dists.append(dist); distIndex[dist] = i
            }
            index[key] = i
            if let t = tag {
                forecastLines[t.line] = ForecastDelays(label: line?.label ?? t.period, customer: name, source: source,
                                                       paidInvoices: history.count, receivables: 1)
            } else {
                customers.append(CustomerDelays(customer: inv.counterparty, source: source, paidInvoices: history.count))
            }
            per.append(i)
            counts[source, default: 0] += 1
        }
        self.forecastLines = forecastLines.keys.sorted().compactMap { forecastLines[$0] }
        distributions = dists
        receivableDistribution = per
        self.counts = counts
        self.customers = customers
    }

    /// The largest delay any distribution can draw (0 without one).
    public var maximumDelay: Int { distributions.flatMap(\.delays).map(Int.init).max() ?? 0 }
    /// Whether some customer may default.
    public var hasDefaults: Bool { distributions.contains { $0.defaultNanos > 0 } }
    /// Whether every distribution is a single delay without default (every path is the same).
    public var isDegenerate: Bool { distributions.allSatisfy { $0.delays.count <= 1 && $0.defaultNanos == 0 } }
}

/// SplitMix64 (Steele, Lea & Flood 2014; the seeding generator of xoshiro): a 64-bit state advanced by
/// 0x9E3779B97F4A7C15 and mixed by two xor-shift-multiply rounds. Written out here (it is 6 lines) so that
/// the same seed gives the same draws on every machine and Swift version, which the system RNG does not promise.
public struct SplitMix64: Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    @inlinable public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0 ..< n (multiply-high: the bias is below n / 2⁶⁴).
    @inlinable public mutating func below(_ n: UInt64) -> UInt64 {
        next().multipliedFullWidth(by: n).high
    }

    /// The generator of path `path` under `seed`: paths are independent streams, so any path can be
    /// replayed alone and every plan sees the same draws (common random numbers).
    public static func forPath(seed: UInt64, path: Int) -> SplitMix64 {
        var g = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: path) &* 0xD1B5_4A32_D192_ED03))
        return SplitMix64(seed: g.next())
    }
}
