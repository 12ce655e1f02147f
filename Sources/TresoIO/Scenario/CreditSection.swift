import TresoCore

/// `[credit_line.NAME]`, `[dailly.NAME]`, `[escompte.NAME]` and a plan's `drawings`. Schema: docs/scenario-format.md.
enum CreditSection {
    static let rootKeys = ["credit_line", "dailly", "escompte"]

    static func read(root: FieldReader, sink: DiagnosticSink) -> ShortTermCredit {
        var out = ShortTermCredit()
        let file = root.file
        func named(_ key: String) -> [(String, FieldReader, TOMLPosition)] {
            guard let t = root.table(key) else { return [] }
            var list: [(String, FieldReader, TOMLPosition)] = []
            for (name, node) in t.entries {
                guard let sub = node.tableValue else {
                    sink.error(file, node.position, "'\(key).\(name)' must be a table: write [\(key).\(name)] and its keys below it")
                    continue
                }
                list.append((name, FieldReader(table: sub, file: file, context: key + "." + name, sink: sink), node.position))
            }
            return list
        }
        // Rates stay within the overdraft's bound (ScenarioLimits.maxOverdraftRate): the credit lines' charges run
        // in the same daily balance.
        let maxRate = 50
        for (name, r, at) in named("credit_line") {
            r.rejectUnknown(["limit", "annual_rate", "commitment_fee", "minimum_drawing", "account"])
            var c = CreditLine(name: name)
            c.limit = r.money("limit", allowNegative: false) ?? c.limit
            c.annualRate = r.percent("annual_rate", in: 0...maxRate) ?? c.annualRate
            c.commitmentFeeRate = r.percent("commitment_fee", in: 0...maxRate) ?? c.commitmentFeeRate
            c.minimumDrawing = r.money("minimum_drawing", allowNegative: false) ?? c.minimumDrawing
            c.account = r.string("account")
            if c.limit == .zero {
                sink.error(file, r.node("limit")?.position ?? at, "'credit_line.\(name).limit' must be above zero (the most the bank lends at once)")
            }
            if c.minimumDrawing > c.limit, let n = r.node("minimum_drawing") {
                sink.error(file, n.position, "'credit_line.\(name).minimum_drawing' is above the limit")
            }
            out.creditLines.append(c)
        }
        for (name, r, _) in named("dailly") {
            r.rejectUnknown(["advance_rate", "annual_rate", "fee_per_invoice", "grace_days", "funding_delay_days", "min_invoice"])
            var p = DaillyProgram(name: name)
            p.advanceRate = r.percent("advance_rate") ?? p.advanceRate
            p.annualRate = r.percent("annual_rate", in: 0...maxRate) ?? p.annualRate
            p.feePerInvoice = r.money("fee_per_invoice", allowNegative: false) ?? p.feePerInvoice
            p.graceDays = r.int("grace_days", in: 0...365) ?? p.graceDays
            p.fundingDelayDays = r.int("funding_delay_days", in: 0...30) ?? p.fundingDelayDays
            p.minimumInvoice = r.money("min_invoice", allowNegative: false)
            out.dailly.append(p)
        }
        for (name, r, _) in named("escompte") {
            r.rejectUnknown(["annual_rate", "minimum_days", "value_days", "fee_per_bill", "funding_delay_days", "min_invoice"])
            var p = BillDiscountProgram(name: name)
            p.annualRate = r.percent("annual_rate", in: 0...maxRate) ?? p.annualRate
            p.minimumDays = r.int("minimum_days", in: 0...365) ?? p.minimumDays
            p.valueDays = r.int("value_days", in: 0...30) ?? p.valueDays
            p.feePerBill = r.money("fee_per_bill", allowNegative: false) ?? p.feePerBill
            p.fundingDelayDays = r.int("funding_delay_days", in: 0...30) ?? p.fundingDelayDays
            p.minimumInvoice = r.money("min_invoice", allowNegative: false)
            out.billDiscount.append(p)
        }
        return out
    }

    /// Each line's `account` names one of `[accounts.NAME]` (§17); an unknown name is an error where it is written.
    static func checkAccounts(_ credit: ShortTermCredit, _ accounts: AccountSettings, root: FieldReader, sink: DiagnosticSink) {
        let names = accounts.accounts.map(\.name)
        for line in credit.creditLines {
            guard let name = line.account, !names.contains(name) else { continue }
            let at = root.table("credit_line")?[line.name]?.tableValue?["account"]?.position ?? TOMLPosition(line: 0, column: 0)
            sink.error(root.file, at, "'credit_line.\(line.name).account': no bank account named \"\(name)\""
                       + (names.isEmpty ? " (the scenario has no [accounts.NAME])" : " (accounts: \(names.joined(separator: ", ")))"))
        }
    }

    /// A plan's `drawings = [ { line = "bank", amount = 50000, from = 2027-01-04, to = 2027-02-26 }, { line = "bank", auto = true } ]`.
    static func drawings(of plan: FieldReader, name: String, credit: ShortTermCredit, sink: DiagnosticSink) -> [CreditDrawing] {
        var out: [CreditDrawing] = []
        let file = plan.file
        for (i, (t, node)) in plan.arrayOfTables("drawings").enumerated() {
            let r = plan.sub(t, "drawings[\(i + 1)]")
            r.rejectUnknown(["line", "amount", "from", "to", "auto", "floor"])
            guard let line = r.string("line") else {
                if t["line"] == nil { sink.error(file, node.position, "drawing \(i + 1) of plan \"\(name)\" names no 'line' (a [credit_line.NAME])") }
                continue
            }
            guard credit.creditLine(line) != nil else {
                let known = credit.creditLines.map(\.name)
                sink.error(file, t["line"]?.position ?? node.position, "no credit line named \"\(line)\""
                           + (known.isEmpty ? " (none is defined)" : " (defined: \(known.joined(separator: ", ")))"))
                continue
            }
            let line0 = node.position.line
            if r.bool("auto") == true {
                if let extra = ["amount", "from", "to"].first(where: { t[$0] != nil }), let n = t[extra] {
                    sink.error(file, n.position, "an automatic drawing has no '\(extra)': it draws what keeps the balance at its floor")
                    continue
                }
                out.append(CreditDrawing(line: line, mode: .auto(floor: r.money("floor")), lineNumber: line0))
                continue
            }
            if let n = t["floor"] { sink.error(file, n.position, "'floor' applies to an automatic drawing (auto = true)"); continue }
            guard let amount = r.money("amount", allowNegative: false), let from = r.day("from"), let to = r.day("to") else {
                let missing = ["amount", "from", "to"].filter { t[$0] == nil }
                if !missing.isEmpty {
                    sink.error(file, node.position, "drawing \(i + 1) of plan \"\(name)\" needs amount, from and to (or auto = true); missing: "
                               + missing.joined(separator: ", "))
                }
                continue
            }
            guard to > from else {
                sink.error(file, t["to"]?.position ?? node.position, "drawing \(i + 1) of plan \"\(name)\": 'to' (\(to.iso)) must be after 'from' (\(from.iso))")
                continue
            }
            out.append(CreditDrawing(line: line, mode: .fixed(amount: amount, from: from, to: to), lineNumber: line0))
        }
        return out
    }
}
