import TresoCore

/// Collects problems while reading a file, so that every one of them is reported, not only the first.
final class DiagnosticSink {
    var items: [Diagnostic] = []
    var hasErrors: Bool { items.contains { $0.severity == .error } }
    func error(_ file: String, _ pos: TOMLPosition, _ message: String) {
        items.append(.error(file, line: pos.line, column: pos.column, message))
    }
    func warning(_ file: String, _ pos: TOMLPosition, _ message: String) {
        items.append(.warning(file, line: pos.line, column: pos.column, message))
    }
}

/// Typed, validating access to one TOML table: each getter reports a located error
/// (file, line, column, key) and returns nil instead of throwing, so reading goes on.
struct FieldReader {
    let table: TOMLTable
    let file: String
    /// "overdraft", "recurring[2]", "" for the root: used to name keys in messages.
    let context: String
    let sink: DiagnosticSink

    func qualified(_ key: String) -> String { context.isEmpty ? key : context + "." + key }

    /// Reports every key not in `allowed`, suggesting the closest allowed one.
    func rejectUnknown(_ allowed: [String]) {
        for (key, node) in table.entries where !allowed.contains(key) {
            var msg = "unknown key '\(qualified(key))'"
            if let s = closest(key, in: allowed) { msg += " (did you mean '\(s)'?)" }
            sink.error(file, node.keyPosition, msg)
        }
    }

    func node(_ key: String) -> TOMLNode? { table[key] }

    private func typeError(_ key: String, _ node: TOMLNode, _ expected: String) {
        sink.error(file, node.position, "'\(qualified(key))' must be \(expected), found \(node.typeName)")
    }

    func string(_ key: String) -> String? {
        guard let n = node(key) else { return nil }
        guard let s = n.stringValue else { typeError(key, n, "a string"); return nil }
        return s
    }

    func bool(_ key: String) -> Bool? {
        guard let n = node(key) else { return nil }
        guard let b = n.boolValue else { typeError(key, n, "true or false"); return nil }
        return b
    }

    func day(_ key: String) -> Day? {
        guard let n = node(key) else { return nil }
        if let d = n.dayValue { return d }
        if let s = n.stringValue, let d = Day(flexible: s) { return d }
        typeError(key, n, "a date like 2026-12-01")
        return nil
    }

    func int(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let n = node(key) else { return nil }
        guard case .integer(let v) = n.value else { typeError(key, n, "a whole number"); return nil }
        guard v >= Int64(range.lowerBound), v <= Int64(range.upperBound) else {
            sink.error(file, n.position, "'\(qualified(key))' = \(v) is out of range \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return Int(v)
    }

    /// An amount: `25000`, `25000.00`, `-42000.5`; at most two decimals.
    func money(_ key: String, allowNegative: Bool = true) -> Money? {
        guard let n = node(key) else { return nil }
        guard let lit = n.numberLiteral else { typeError(key, n, "an amount such as 25000.00"); return nil }
        guard let m = Money(decimal: lit) else {
            let digits = lit.filter { $0 >= "0" && $0 <= "9" }.count
            sink.error(file, n.position, digits > 15 ? "'\(qualified(key))' = \(lit) is over the limit of \(ScenarioLimits.maxAmount.formatted()) per amount"
                       : "'\(qualified(key))' = \(lit) is not an amount with at most two decimals")
            return nil
        }
        if !allowNegative && m.isNegative {
            sink.error(file, n.position, "'\(qualified(key))' must not be negative")
            return nil
        }
        if ScenarioLimits.amountProblem(m, what: "") != nil {
            sink.error(file, n.position, "'\(qualified(key))' = \(lit) is over the limit of \(ScenarioLimits.maxAmount.formatted()) per amount")
            return nil
        }
        return m
    }

    /// A percentage: `9.5` means 9.5 %. Must lie in `range` (in percent).
    func percent(_ key: String, in range: ClosedRange<Int> = 0...100) -> Rate? {
        guard let n = node(key) else { return nil }
        guard let lit = n.numberLiteral else { typeError(key, n, "a percentage such as 9.5"); return nil }
        guard let r = Rate(percent: lit) else {
            sink.error(file, n.position, "'\(qualified(key))' = \(lit) is not a percentage with at most 7 decimals")
            return nil
        }
        let lo = Rate(nanos: Int64(range.lowerBound) * 10_000_000), hi = Rate(nanos: Int64(range.upperBound) * 10_000_000)
        guard r >= lo, r <= hi else {
            sink.error(file, n.position, "'\(qualified(key))' = \(lit) % is out of range \(range.lowerBound)…\(range.upperBound) %")
            return nil
        }
        return r
    }

    func table(_ key: String) -> TOMLTable? {
        guard let n = node(key) else { return nil }
        guard let t = n.tableValue else { typeError(key, n, "a table"); return nil }
        return t
    }

    func arrayOfTables(_ key: String) -> [(TOMLTable, TOMLNode)] {
        guard let n = node(key) else { return [] }
        guard let a = n.arrayValue else { typeError(key, n, "an array of tables ([[\(key)]])"); return [] }
        var out: [(TOMLTable, TOMLNode)] = []
        for el in a {
            if let t = el.tableValue { out.append((t, el)) } else { sink.error(file, el.position, "each '\(qualified(key))' entry must be a table") }
        }
        return out
    }

    func sub(_ table: TOMLTable, _ name: String) -> FieldReader {
        FieldReader(table: table, file: file, context: qualified(name), sink: sink)
    }
}

/// The allowed word closest to `word` by edit distance, if it is plausibly a typo.
func closest(_ word: String, in candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        for i in 1...a.count {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[b.count]
    }
    let w = Array(word.lowercased())
    var best: (String, Int)? = nil
    for c in candidates {
        let d = distance(w, Array(c.lowercased()))
        if let b = best, b.1 <= d { continue }
        best = (c, d)
    }
    guard let (name, d) = best, d <= max(2, w.count / 3) else { return nil }
    return name
}
