import TresoCore

/// `[accounts.NAME]` tables and `[accounts] sweep`. Schema: docs/scenario-format.md § Bank accounts.
enum AccountsSection {
    static let rootKeys = ["accounts"]
    /// Enough for any SME; bounds the sum of opening balances and limits (ScenarioLimits.maxTotal).
    static let maxAccounts = 50

    static func read(root: FieldReader, sink: DiagnosticSink) -> AccountSettings {
        var out = AccountSettings()
        let file = root.file
        guard let t = root.table("accounts") else { return out }
        let top = root.sub(t, "accounts")
        out.sweep = top.bool("sweep") ?? false
        for (name, node) in t.entries where name != "sweep" {
            guard let sub = node.tableValue else {
                sink.error(file, node.position, "'accounts.\(name)' must be a table: write [accounts.\(name)] and its keys below it")
                continue
            }
            guard out.accounts.count < maxAccounts else {
                sink.error(file, node.position, "more than \(maxAccounts) bank accounts")
                break
            }
            let r = FieldReader(table: sub, file: file, context: "accounts." + name, sink: sink)
            r.rejectUnknown(["opening_balance", "limit", "annual_rate", "highest_overdraft_rate", "penalty_rate", "currency", "floor",
                             "counterparties", "categories", "instruments", "default", "ledger"])
            var a = BankAccount(name: name)
            a.openingBalance = r.money("opening_balance") ?? .zero
            a.overdraft.limit = r.money("limit", allowNegative: false) ?? .zero
            a.overdraft.annualRate = r.percent("annual_rate", in: 0...50) ?? .zero
            a.overdraft.highestOverdraftRate = r.percent("highest_overdraft_rate", in: 0...1) ?? .zero
            a.overdraft.penaltyRate = r.percent("penalty_rate", in: 0...50) ?? .zero
            if a.overdraft.annualRate + a.overdraft.penaltyRate > ScenarioLimits.maxOverdraftRate, let n = r.node("penalty_rate") {
                sink.error(file, n.position, "'accounts.\(name)': annual_rate + penalty_rate must not exceed 50 %")
            }
            a.currency = r.string("currency")?.uppercased()
            a.floor = r.money("floor") ?? .zero
            a.isDefault = r.bool("default") ?? false
            if let ledger = r.string("ledger"), let n = r.node("ledger") {
                if ledger.count >= 4 && ledger.count <= 10 && ledger.hasPrefix("512") && ledger.allSatisfy({ $0.isASCII && $0.isNumber }) {
                    if let other = out.accounts.first(where: { $0.ledgerAccount(at: 0) == ledger && $0.ledger != nil }) {
                        sink.error(file, n.position, "'accounts.\(name).ledger' = \"\(ledger)\" is already the ledger of account \"\(other.name)\"")
                    } else {
                        a.ledger = ledger
                    }
                } else {
                    sink.error(file, n.position, "'accounts.\(name).ledger' must be a sub-account of 512 (4 to 10 digits, e.g. \"5121\"), not \"\(ledger)\"")
                }
            }
            func names(_ key: String) -> [String] {
                guard let n = r.node(key) else { return [] }
                guard let arr = n.arrayValue else { sink.error(file, n.position, "'accounts.\(name).\(key)' must be an array of names"); return [] }
                return arr.compactMap { el in
                    if let s = el.stringValue { return s }
                    sink.error(file, el.position, "'accounts.\(name).\(key)' holds names (strings)")
                    return nil
                }
            }
            a.counterparties = names("counterparties")
            a.categories = names("categories")
            a.instruments = names("instruments")
            out.accounts.append(a)
        }
        if out.accounts.filter(\.isDefault).count > 1, let n = root.node("accounts") {
            sink.error(file, n.position, "several accounts say default = true: one account takes the flows no rule routes")
        }
        if t["sweep"] != nil && out.accounts.isEmpty, let n = t["sweep"] {
            sink.error(file, n.position, "'accounts.sweep' needs at least two [accounts.NAME]")
        }
        for key in ["opening_balance", "overdraft"] where !out.accounts.isEmpty {
            if let n = root.node(key) {
                sink.error(file, n.position, "with [accounts], '\(key)' belongs to each account ([accounts.NAME] \(key == "overdraft" ? "limit, annual_rate…" : key))")
            }
        }
        return out
    }

    /// Installs the accounts; the scenario's single balance and overdraft become their sums (what the commands that
    /// see one account — the statements check — use; `treso risk` routes its paths to the accounts, §15).
    static func apply(_ settings: AccountSettings, to scenario: inout Scenario) {
        guard !settings.isEmpty else { return }
        scenario.accounts = settings
        scenario.openingBalance = settings.accounts.reduce(Money.zero) { $0 + $1.openingBalance }
        var o = settings.accounts[settings.defaultIndex].overdraft
        o.limit = settings.accounts.reduce(Money.zero) { $0 + $1.overdraft.limit }
        scenario.overdraft = o
    }
}
