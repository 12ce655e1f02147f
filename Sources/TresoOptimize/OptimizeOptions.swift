import TresoCore

/// What a user may ask of the optimizer, and its one set of checks: `treso optimize`'s flags (`--keep`,
/// `--instruments`, `--risk`, `--time-limit`, `--max-gap`, `--paths`) and the planner's `:optimize` line
/// (`keep limit|buffer`, `instruments LIST`, `risk P`, `time SECONDS`) both parse into it and validate with it.
public struct OptimizeOptions: Sendable, Equatable {
    public var keep: OptimizeRequest.Keep = .limit
    /// Comma-separated contract and program names, and "negotiate"; nil: every instrument.
    public var instruments: Set<String>? = nil
    /// Allow the floor to break with at most this probability on simulated late payments (docs §14).
    public var risk: Double? = nil
    public var timeLimit: Double = 60
    /// Percent of the optimum the plan's cost may be proven within (0: prove the optimum).
    public var maxGapPercent: Double = 0
    public var paths = 200
    public var seed: UInt64 = 1

    public init() {}

    /// `a, b,negotiate` → {"a", "b", "negotiate"}; empty names are ignored.
    public static func instrumentList(_ list: String) -> Set<String> {
        Set(list.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty })
    }

    /// The first problem with the options, worded after the CLI flag (`--time-limit`) or the planner's word (`time`).
    public func problem(planner: Bool = false) -> String? {
        func name(_ flag: String, _ word: String) -> String { planner ? word : "--" + flag }
        if !(0...100).contains(maxGapPercent) { return "\(name("max-gap", "gap")) must be a percentage between 0 and 100" }
        if !(timeLimit > 0 && timeLimit <= 86_400) { return "\(name("time-limit", "time")) must be between 0 and 86400 seconds" }
        if let p = risk, !(0...1).contains(p) { return "\(name("risk", "risk")) must be a probability between 0 and 1 (e.g. 0.05)" }
        if !(1...5_000).contains(paths) { return "\(name("paths", "paths")) must be between 1 and 5000" }
        return nil
    }

    /// The request these options make (plan name and fixed plan are the caller's).
    public func apply(to request: inout OptimizeRequest) {
        request.keep = keep
        request.instruments = instruments
        request.timeLimit = timeLimit
        request.maxGap = maxGapPercent / 100
    }

    /// What the status line says it optimizes for: "keep the limit", "keep the buffer · negotiate · risk 5 %".
    public var summary: String {
        var parts = [keep == .limit ? "keep the limit" : "keep the buffer"]
        if let i = instruments { parts.append(i.sorted().joined(separator: ",")) }
        if let p = risk { parts.append("risk \(p)") }
        return parts.joined(separator: " · ")
    }

    public var riskTarget: RiskTarget? { risk.map { RiskTarget(probability: $0, paths: paths, seed: seed) } }

    /// The planner's words: `[keep limit|buffer] [instruments LIST] [risk P] [time SECONDS]`, in any order.
    public static let lineUsage = "optimize [keep limit|buffer] [instruments LIST] [risk P] [time SECONDS]"

    public static func parse(line: String) -> Result<OptimizeOptions, OptionsError> {
        var o = OptimizeOptions()
        let words = line.split(separator: " ").map(String.init)
        var i = 0
        func value(_ key: String) -> String? { i + 1 < words.count ? words[i + 1] : nil }
        while i < words.count {
            let key = words[i].lowercased()
            guard let v = value(key) else { return .failure(OptionsError("\(key) needs a value: " + lineUsage)) }
            switch key {
            case "keep":
                guard let k = OptimizeRequest.Keep(rawValue: v.lowercased()) else { return .failure(OptionsError("keep must be limit or buffer, not \"\(v)\"")) }
                o.keep = k
            case "instruments", "using":
                o.instruments = instrumentList(v)
            case "risk":
                guard let p = Double(v), p.isFinite else { return .failure(OptionsError("risk must be a probability between 0 and 1 (e.g. 0.05), not \"\(v)\"")) }
                o.risk = p
            case "time":
                guard let t = Double(v.hasSuffix("s") ? String(v.dropLast()) : v), t.isFinite else {
                    return .failure(OptionsError("time must be between 0 and 86400 seconds, not \"\(v)\""))
                }
                o.timeLimit = t
            default:
                return .failure(OptionsError("unknown option \"\(words[i])\": " + lineUsage))
            }
            i += 2
        }
        if let p = o.problem(planner: true) { return .failure(OptionsError(p)) }
        return .success(o)
    }

    public struct OptionsError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
        public init(_ d: String) { description = d }
    }
}
