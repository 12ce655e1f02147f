import TresoCore

/// `[risk]`: how late customers may pay, for `treso risk` (docs/scenario-format.md, docs/calculations.md §15).
///
///     [risk]
///     delays = [0, 10, 25]            # days after the due date, equally likely, every customer
///     default_probability = 0.02      # a fraction: 2 % of invoices are never paid
///     [risk.customers."Acme Industrie SA"]
///     delays = [0, 5, 12, 30]
///     default_probability = 0.05
enum RiskSection {
    static let rootKeys = ["risk"]

    static func read(root: FieldReader, sink: DiagnosticSink) -> RiskSettings? {
        guard let t = root.table("risk") else { return nil }
        let r = root.sub(t, "risk")
        r.rejectUnknown(["delays", "default_probability", "customers"])
        var settings = RiskSettings(all: customer(r))
        if let c = r.table("customers") {
            for (name, node) in c.entries {
                guard let ct = node.tableValue else {
                    sink.error(r.file, node.position, "'risk.customers.\"\(name)\"' must be a table with 'delays' and/or 'default_probability'")
                    continue
                }
                let cr = r.sub(ct, "customers.\"\(name)\"")
                cr.rejectUnknown(["delays", "default_probability"])
                settings.customers[name] = customer(cr)
            }
        }
        return settings
    }

    static func customer(_ r: FieldReader) -> CustomerRisk {
        var out = CustomerRisk()
        if let n = r.node("delays") {
            if let a = n.arrayValue, !a.isEmpty {
                var list: [Int] = []
                for el in a {
                    if case .integer(let v) = el.value, v >= -365, v <= 3650 { list.append(Int(v)) } else {
                        r.sink.error(r.file, el.position, "'\(r.qualified("delays"))' holds whole numbers of days between -365 and 3650")
                    }
                }
                out.delays = list
            } else {
                r.sink.error(r.file, n.position, "'\(r.qualified("delays"))' must be a non-empty array of days after the due date, e.g. [0, 10, 25]")
            }
        }
        if let n = r.node("default_probability") {
            if let lit = n.numberLiteral, let p = Rate(fraction: lit), p >= .zero, p <= .one {
                out.defaultProbability = p
            } else {
                r.sink.error(r.file, n.position, "'\(r.qualified("default_probability"))' must be a fraction between 0 and 1, e.g. 0.02")
            }
        }
        return out
    }
}
