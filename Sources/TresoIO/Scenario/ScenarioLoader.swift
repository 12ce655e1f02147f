import TresoCore

/// What loading a scenario folder produced: the scenario (when no error prevents building it),
/// the invoices set aside, and every problem found in every file.
public struct LoadedScenario: Sendable {
    public var scenario: Scenario?
    public var disputed: [InvoiceKind: [Invoice]]
    public var paidSkipped: [InvoiceKind: Int]
    public var diagnostics: [Diagnostic]
    /// Path of the scenario's TOML file, and its text (kept for comment-preserving saves).
    public var tomlPath: String
    public var tomlText: String
    /// Rows left out because of an error: the scenario runs on the valid rows (`--strict` refuses).
    public var rejected: [InvoiceKind: [ExcludedInvoice]] = [:]
    /// What the scenario should add for every row to load (see `treso init`).
    public var needs = ImportNeeds()
    /// Where the opening balance came from when the scenario does not give it (a FEC's 512 accounts).
    public var openingBalanceSource: String?
    /// The same, short enough for the planner's header (`statement releve.xml 2026-02-27`).
    public var openingBalanceLabel: String?
    /// What treso.toml held when it was read: a save checks that nobody changed it since.
    public var tomlFingerprint: FileFingerprint?
    /// E-invoices and bank statements, when the scenario names them (docs/bank-statements.md).
    public var bank: BankSummary?

    public var rejectedCount: Int { rejected.values.reduce(0) { $0 + $1.count } }

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// Reads `treso.toml` and the invoice files it names. Schema: docs/scenario-format.md.
public enum ScenarioLoader {
    public static let fileName = "treso.toml"

    static let rootKeys = ["name", "currency", "start", "horizon_days", "opening_balance", "min_cash", "calendar",
                           "receivables", "payables", "customer_delay_days", "customer_delays", "overdraft", "recurring",
                           "default_vat_rate", "what_if"]
        + FinancingSection.rootKeys + ImportSection.rootKeys + StatementsSection.rootKeys + RiskSection.rootKeys
        + AccountsSection.rootKeys
        + ForecastSection.rootKeys

    /// `path` is a scenario folder or its `treso.toml`. `defaultStart` is used when the file has no `start`
    /// (the CLI passes today; the engine never reads the clock).
    public static func load(path: String, defaultStart: Day) -> LoadedScenario {
        let (folder, tomlPath) = locate(path)
        var result = LoadedScenario(scenario: nil, disputed: [:], paidSkipped: [:], diagnostics: [], tomlPath: tomlPath, tomlText: "")
        let bytes: [UInt8]
        switch readRegularFile(path: tomlPath, displayName: tomlPath, limit: .text) {
        case .failure(let d):
            var d = d
            if !isDirectory(folder) && !fileExists(path) {
                d.message = "no scenario at '\(path)': expected a folder containing \(fileName)"
            }
            result.diagnostics.append(d)
            return result
        case .success(let b): bytes = b
        }
        // Only UTF-8 is accepted (TOML requires it): decoding other bytes would turn them into U+FFFD,
        // and a save would then damage text the user wrote.
        if let bad = TOMLText.firstInvalidUTF8(bytes) {
            result.diagnostics.append(.error(tomlPath, line: bad.line, column: bad.column, bad.message))
            return result
        }
        let text = String(decoding: bytes, as: UTF8.self)
        result.tomlText = text
        if text.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\u{FEFF}" }) {
            result.diagnostics.append(.error(tomlPath, "empty scenario file: write at least 'receivables' or 'payables' "
                + "(the invoice files) and 'opening_balance'; see docs/scenario-format.md"))
            return result
        }
        result.tomlFingerprint = .of(bytes, readFrom: tomlPath)
        let doc: TOMLDocument
        do { doc = try TOMLDocument.parse(text) } catch {
            result.diagnostics.append(.error(tomlPath, line: error.line, column: error.column, error.message))
            return result
        }
        let sink = DiagnosticSink()
        let root = FieldReader(table: doc.root, file: tomlPath, context: "", sink: sink)
        root.rejectUnknown(rootKeys)

        let name = root.string("name") ?? lastPathComponent(folder)
        let currency = root.string("currency") ?? "EUR"
        if let n = root.node("currency"), currency.count != 3 || !currency.allSatisfy({ $0.isLetter && $0.isUppercase }) {
            sink.error(tomlPath, n.position, "'currency' must be an ISO 4217 code such as EUR")
        }
        var start = root.day("start") ?? defaultStart
        let horizon = root.int("horizon_days", in: 1...3660) ?? 90
        var opening = root.money(ScenarioKeys.openingBalance) ?? .zero
        let minCash = root.money(ScenarioKeys.minCash) ?? .zero
        var calendar = CalendarKind.fr
        if let c = root.string("calendar") {
            if let k = CalendarKind(name: c) { calendar = k } else if let n = root.node("calendar") {
                sink.error(tomlPath, n.position, "'calendar' = \"\(c)\" is not one of FR, TARGET, none")
            }
        }
        let defaultDelay = root.int("customer_delay_days", in: -365...3650) ?? 0
        var delays: [String: Int] = [:]
        if let t = root.table("customer_delays") {
            for (k, n) in t.entries {
                if case .integer(let v) = n.value, v >= -365, v <= 3650 { delays[k] = Int(v) } else {
                    sink.error(tomlPath, n.position, "customer_delays.\"\(k)\" must be a whole number of days between -365 and 3650")
                }
            }
        }
        var overdraft = OverdraftTerms()
        if let t = root.table(ScenarioKeys.overdraft) {
            let r = root.sub(t, "overdraft")
            r.rejectUnknown([ScenarioKeys.limit, ScenarioKeys.annualRate, ScenarioKeys.highestOverdraftRate, "penalty_rate", "usury_rate"])
            overdraft.limit = r.money(ScenarioKeys.limit, allowNegative: false) ?? .zero
            overdraft.annualRate = r.percent(ScenarioKeys.annualRate, in: 0...50) ?? .zero
            // Capped at 1 % a month (ScenarioLimits): the commission compounds monthly on a growing debit.
            overdraft.highestOverdraftRate = r.percent(ScenarioKeys.highestOverdraftRate, in: 0...1) ?? .zero
            overdraft.penaltyRate = r.percent("penalty_rate", in: 0...50) ?? .zero
            overdraft.usuryRate = r.percent("usury_rate")
        }
        var recurring: [RecurringFlow] = []
        var recurringPositions: [TOMLPosition] = []
        let recurringTables = root.arrayOfTables("recurring")
        if recurringTables.count > ScenarioLimits.maxRecurringFlows {
            sink.error(tomlPath, recurringTables[ScenarioLimits.maxRecurringFlows].1.position,
                       "\(recurringTables.count) recurring flows: over the limit of \(ScenarioLimits.maxRecurringFlows) per scenario")
        }
        for (i, (t, node)) in recurringTables.prefix(ScenarioLimits.maxRecurringFlows).enumerated() {
            let r = root.sub(t, "recurring[\(i + 1)]")
            r.rejectUnknown(["label", "amount", "every", "day", "month", "from", "until", "category"])
            let label = r.string("label")
            if label == nil && t["label"] == nil { sink.error(tomlPath, node.position, "recurring flow \(i + 1) has no 'label'") }
            let amount = r.money("amount")
            if amount == nil && t["amount"] == nil { sink.error(tomlPath, node.position, "recurring flow '\(label ?? String(i + 1))' has no 'amount' (negative for a payment)") }
            var every = RecurringFlow.Frequency.month
            if let e = r.string("every") {
                switch e.lowercased() {
                case "week", "weekly", "semaine": every = .week
                case "month", "monthly", "mois": every = .month
                case "quarter", "quarterly", "trimestre": every = .quarter
                case "year", "yearly", "annual", "an": every = .year
                default:
                    if let n = t["every"] { sink.error(tomlPath, n.position, "'every' = \"\(e)\" is not one of week, month, quarter, year") }
                }
            }
            let day = r.int("day", in: every == .week ? 1...7 : 1...31) ?? 1
            let month = r.int("month", in: 1...12) ?? 1
            let from = r.day("from"), until = r.day("until")
            let category = r.string("category").flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
            if let f = from, let u = until, u < f, let n = t["until"] { sink.error(tomlPath, n.position, "'until' is before 'from'") }
            if let label, let amount {
                recurring.append(RecurringFlow(label: label, amount: amount, every: every, day: day, month: month, from: from, until: until,
                                               category: category))
                recurringPositions.append(t["amount"]?.position ?? node.position)
            }
        }

        let financing = FinancingSection.read(root: root, sink: sink)
        let risk = RiskSection.read(root: root, sink: sink)
        let accounts = AccountsSection.read(root: root, sink: sink)
        CreditSection.checkAccounts(financing.instruments.credit, accounts, root: root, sink: sink)
        let forecast = ForecastSection.read(root: root, sink: sink)
        let defaultVAT = root.percent("default_vat_rate") ?? Rate(percentHundredths: 2000)
        var defaulted: [String] = []
        if let t = root.table(ScenarioKeys.whatIf) {
            let r = root.sub(t, ScenarioKeys.whatIf)
            r.rejectUnknown([ScenarioKeys.defaulted])
            if let n = r.node(ScenarioKeys.defaulted) {
                if let a = n.arrayValue {
                    for el in a { if let id = el.stringValue { defaulted.append(id) } else { sink.error(tomlPath, el.position, "receivable ids must be strings") } }
                } else { sink.error(tomlPath, n.position, "'what_if.defaulted' must be an array of receivable ids") }
            }
        }

        let imports = ImportSection.read(root: root, currency: currency, file: tomlPath, sink: sink)

        // Invoice files, both read and checked even when the TOML has errors: list every problem at once.
        // Errors in rows leave those rows out (listed in `rejected`); only an unusable file or a TOML error
        // stops the scenario.
        var fatal = sink.hasErrors
        var invoices: [InvoiceKind: [Invoice]] = [.receivable: [], .payable: []]
        var files: [InvoiceKind: String] = [:]
        var payments: [PaidInvoice] = []
        for kind in InvoiceKind.allCases {
            let key = kind == .receivable ? "receivables" : "payables"
            // No file named is allowed: a scenario may have only receivables or only payables.
            guard let rel = root.string(key) else { continue }
            if rel.trimmingSpaces().isEmpty {
                if let n = root.node(key) {
                    sink.error(tomlPath, n.position, "'\(key)' is empty: name the CSV file (e.g. \(key) = \"\(key).csv\"), or remove the line if there are no \(key)")
                }
                continue
            }
            let full = joinPath(folder, rel)
            files[kind] = full
            let r = InvoiceCSVReader.read(path: full, displayName: full, kind: kind, options: imports.options)
            sink.items.append(contentsOf: r.diagnostics)
            if r.unusable { fatal = true }
            invoices[kind] = r.invoices
            result.disputed[kind] = r.disputed
            result.paidSkipped[kind] = r.paidSkipped
            payments.append(contentsOf: r.payments)
            result.rejected[kind] = r.rejected
            result.needs.merge(r.needs)
        }
        if let rel = imports.fec {
            let full = joinPath(folder, rel)
            let r = FECReader.read(path: full, displayName: full, options: imports.options)
            sink.items.append(contentsOf: r.diagnostics)
            if r.unusable { fatal = true }
            for kind in InvoiceKind.allCases {
                invoices[kind, default: []].append(contentsOf: kind == .receivable ? r.receivables : r.payables)
                result.rejected[kind, default: []].append(contentsOf: kind == .receivable ? r.rejectedReceivables : r.rejectedPayables)
                if files[kind] == nil { files[kind] = full }
            }
            result.needs.merge(r.needs)
            payments.append(contentsOf: r.payments)
            if root.node(ScenarioKeys.openingBalance) == nil, let bank = r.bankBalance {
                opening = bank
                result.openingBalanceSource = "\(full): balance of the 512 (bank) accounts at \(r.lastEntryDate?.iso ?? "the last entry")"
            }
        }
        let statementsSection = StatementsSection.read(root: root, file: tomlPath, sink: sink)
        if !statementsSection.isEmpty {
            let given = (opening: root.node(ScenarioKeys.openingBalance) != nil, start: root.node("start") != nil)
            let b = loadStatements(statementsSection, folder: folder, options: imports.options, invoices: &invoices,
                                   opening: &opening, start: &start, given: given, sink: sink)
            result.bank = b.summary
            if let src = b.balanceSource {
                result.openingBalanceSource = src
                let a = b.summary.accounts
                if a.count == 1, let one = a.first {
                    result.openingBalanceLabel = "statement \(lastPathComponent(one.file)) \(one.closingDate.iso)"
                } else if let last = a.map(\.closingDate).max() {
                    result.openingBalanceLabel = "\(a.count) accounts' statements, latest \(last.iso)"
                }
            }
        }
        if imports.netCreditNotes {
            for kind in InvoiceKind.allCases {
                let (kept, notes) = CreditNoteNetting.net(invoices[kind] ?? [], file: files[kind] ?? tomlPath)
                invoices[kind] = kept
                sink.items.append(contentsOf: notes)
            }
        }

        result.diagnostics = sink.items
        guard !fatal else { return result }
        var scenario = Scenario(name: name, currency: currency, start: start, horizonDays: horizon, openingBalance: opening,
                                minCash: minCash, calendar: calendar, receivables: invoices[.receivable] ?? [],
                                payables: invoices[.payable] ?? [], customerDelayDays: defaultDelay, customerDelays: delays,
                                overdraft: overdraft, recurring: recurring,
                                receivablesFile: files[.receivable] ?? "", payablesFile: files[.payable] ?? "")
        scenario.defaultVATRate = defaultVAT
        scenario.defaulted = defaulted
        scenario.risk = risk
        // Each customer's observed delays (calendar days from due date to payment), in file order (§15).
        for pay in payments { scenario.paymentHistory[pay.counterparty, default: []].append(pay.delayDays) }
        let errorsBefore = sink.items.filter { $0.severity == .error }.count
        // Forecast invoices are built once the real ones are known (they consume the forecast), after every import,
        // and before the plans are checked (a plan may name a forecast invoice).
        scenario.forecasts = forecast.lines
        scenario.vat = forecast.vat
        if !forecast.lines.isEmpty { scenario = scenario.withForecastInvoices() }
        financing.apply(to: &scenario, file: tomlPath, sink: sink)
        AccountsSection.apply(accounts, to: &scenario)
        if let v = ScenarioLimits.firstViolation(in: scenario) {
            let origin = TOMLPosition(line: 0, column: 0)
            func at(_ key: String) -> TOMLPosition { root.node(key)?.position ?? origin }
            switch v.place {
            case .start: sink.error(tomlPath, at("start"), v.message)
            case .horizon: sink.error(tomlPath, at("horizon_days"), v.message)
            case .openingBalance: sink.error(tomlPath, at("opening_balance"), v.message)
            case .minCash: sink.error(tomlPath, at("min_cash"), v.message)
            case .overdraftLimit, .overdraftRate, .highestOverdraftRate: sink.error(tomlPath, at("overdraft"), v.message)
            case .recurring(let i): sink.error(tomlPath, recurringPositions.indices.contains(i) ? recurringPositions[i] : at("recurring"), v.message)
            case .invoice(let kind, let i):
                let list = scenario.invoices(kind)
                let line = list.indices.contains(i) ? Int(list[i].line) : 0
                sink.items.append(.error(files[kind] ?? tomlPath, line: line, column: 0, v.message))
            }
        }
        result.diagnostics = sink.items
        if sink.items.filter({ $0.severity == .error }).count == errorsBefore { result.scenario = scenario }
        return result
    }

    /// (folder, toml path) for a folder or a `.toml` path.
    static func locate(_ path: String) -> (String, String) {
        if path.hasSuffix(".toml") {
            let folder = parentPath(path)
            return (folder, path)
        }
        return (path, joinPath(path, fileName))
    }
}
