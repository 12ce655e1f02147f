import TresoCore

/// The financing part of treso.toml: named instruments and stored plans. Schema: docs/scenario-format.md.
struct FinancingSection {
    static let rootKeys = ["factoring", "reverse_factoring", "supplier_financing", "split_payment", "negotiation", "plans"]

    var instruments = Instruments()
    /// Plans with, per rule, the line it was written on.
    var plans: [Plan] = []
    /// (plan index, rule index) → position of an `invoice = "…"` rule whose kind must be resolved against the files.
    var unresolvedInvoiceRules: [(plan: Int, rule: Int, id: String, position: TOMLPosition)] = []
    /// Ids written under a plan's legacy `defaulted` key: they join the scenario's what-if.
    var planDefaulted: [String] = []

    static func read(root: FieldReader, sink: DiagnosticSink) -> FinancingSection {
        var out = FinancingSection()
        let file = root.file
        func named(_ key: String) -> [(String, FieldReader)] {
            guard let t = root.table(key) else { return [] }
            var list: [(String, FieldReader)] = []
            for (name, node) in t.entries {
                guard let sub = node.tableValue else {
                    sink.error(file, node.position, "'\(key).\(name)' must be a table: write [\(key).\(name)] and its keys below it")
                    continue
                }
                list.append((name, FieldReader(table: sub, file: file, context: key + "." + name, sink: sink)))
            }
            return list
        }
        for (name, r) in named(ScenarioKeys.factoring) {
            r.rejectUnknown(["kind", "advance_rate", "commission_rate", "minimum_commission", "vat_rate", "annual_rate", "grace_days",
                             "funding_delay_days", "recourse", "reclaim_days", "notified", "insurance_coverage", "indemnity_delay_days",
                             "min_invoice", "max_invoice", "excluded_customers", "annual_minimum_fee", "fee_base", "fee_vat_rate",
                             "fee_class", "insurance_base", "max_per_customer", "programme_limit"])
            var c = FactoringContract(name: name)
            if let k = r.string("kind") {
                if let kind = FactoringContract.Kind(rawValue: k.lowercased()) { c.kind = kind } else if let n = r.node("kind") {
                    sink.error(file, n.position, "'\(r.qualified("kind"))' = \"\(k)\" is not one of global, spot")
                }
            }
            c.advanceRate = r.percent(ScenarioKeys.advanceRate) ?? c.advanceRate
            c.commissionRate = r.percent(ScenarioKeys.commissionRate) ?? c.commissionRate
            c.minimumCommission = r.money("minimum_commission", allowNegative: false) ?? c.minimumCommission
            c.vatRate = r.percent("fee_vat_rate") ?? r.percent("vat_rate") ?? c.vatRate
            func choice<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type) -> T? where T.RawValue == String {
                guard let v = r.string(key) else { return nil }
                if let x = T(rawValue: v.lowercased()) { return x }
                if let n = r.node(key) {
                    sink.error(file, n.position, "'\(r.qualified(key))' = \"\(v)\" is not one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
                }
                return nil
            }
            c.feeBaseSetting = choice("fee_base", FactoringContract.FeeBase.self)
            c.feeClass = choice("fee_class", FactoringContract.FeeClass.self) ?? c.feeClass
            c.insuranceBase = choice("insurance_base", FactoringContract.InsuranceBase.self) ?? c.insuranceBase
            c.annualRate = r.percent(ScenarioKeys.annualRate) ?? c.annualRate
            c.graceDays = r.int("grace_days", in: 0...365) ?? c.graceDays
            c.fundingDelayDays = r.int("funding_delay_days", in: 0...30) ?? c.fundingDelayDays
            c.recourse = r.bool("recourse") ?? c.recourse
            c.reclaimDays = r.int("reclaim_days", in: 0...365) ?? c.reclaimDays
            c.notified = r.bool("notified") ?? c.notified
            c.insuranceCoverage = r.percent("insurance_coverage") ?? c.insuranceCoverage
            c.indemnityDelayDays = r.int("indemnity_delay_days", in: 0...730) ?? c.indemnityDelayDays
            c.minimumInvoice = r.money("min_invoice", allowNegative: false)
            c.maximumInvoice = r.money("max_invoice", allowNegative: false)
            c.annualMinimumFee = r.money("annual_minimum_fee", allowNegative: false) ?? .zero
            c.maxPerCustomer = r.money("max_per_customer", allowNegative: false)
            c.programmeLimit = r.money("programme_limit", allowNegative: false)
            if let n = r.node("excluded_customers") {
                if let a = n.arrayValue {
                    for el in a { if let s = el.stringValue { c.excludedCustomers.append(s) } else { sink.error(file, el.position, "customer names must be strings") } }
                } else { sink.error(file, n.position, "'\(r.qualified("excluded_customers"))' must be an array of names") }
            }
            if let lo = c.minimumInvoice, let hi = c.maximumInvoice, lo > hi, let n = r.node("max_invoice") {
                sink.error(file, n.position, "'\(r.qualified("max_invoice"))' is below min_invoice")
            }
            out.instruments.factoring.append(c)
        }
        for (name, r) in named(ScenarioKeys.reverseFactoring) {
            r.rejectUnknown(["extension_days", "annual_rate", "captures_discounts", "max_per_supplier", "programme_limit"])
            var p = ReverseFactoringProgram(name: name)
            p.extensionDays = r.int("extension_days", in: 0...365) ?? p.extensionDays
            p.annualRate = r.percent(ScenarioKeys.annualRate) ?? p.annualRate
            p.capturesDiscounts = r.bool("captures_discounts") ?? p.capturesDiscounts
            p.maxPerSupplier = r.money("max_per_supplier", allowNegative: false)
            p.programmeLimit = r.money("programme_limit", allowNegative: false)
            out.instruments.reverseFactoring.append(p)
        }
        for (name, r) in named(ScenarioKeys.supplierFinancing) {
            r.rejectUnknown(["term_days", "monthly_rate", "max_amount"])
            var p = SupplierFinancingProgram(name: name)
            p.termDays = r.int("term_days", in: 15...120) ?? p.termDays
            p.monthlyRate = r.percent(ScenarioKeys.monthlyRate) ?? p.monthlyRate
            p.maximumAmount = r.money("max_amount", allowNegative: false)
            out.instruments.supplierFinancing.append(p)
        }
        for (name, r) in named(ScenarioKeys.splitPayment) {
            r.rejectUnknown(["instalments", "fee_rate", "max_amount"])
            var p = SplitPaymentProgram(name: name)
            p.instalments = r.int("instalments", in: 2...12) ?? p.instalments
            p.feeRate = r.percent(ScenarioKeys.feeRate) ?? p.feeRate
            p.maximumAmount = r.money("max_amount", allowNegative: false)
            out.instruments.splitPayment.append(p)
        }
        if let t = root.table("negotiation") {
            let r = root.sub(t, "negotiation")
            r.rejectUnknown(["target_days", "cap_days", "cap_method", "ecb_rate", "ecb_rates", "late_penalty_points", "fixed_indemnity",
                             "unlisted", "suppliers", "price_increase_per_30_days"])
            var n = NegotiationTerms()
            n.targetDays = r.int("target_days", in: 0...365) ?? n.targetDays
            n.capDays = r.int("cap_days", in: 0...365) ?? n.capDays
            if let m = r.string("cap_method") {
                if let method = NegotiationTerms.CapMethod(rawValue: m) { n.capMethod = method } else if let node = r.node("cap_method") {
                    sink.error(file, node.position, "'negotiation.cap_method' = \"\(m)\" is not one of days_from_issue, 45_end_of_month")
                }
            }
            n.ecbRate = r.percent("ecb_rate", in: -5...100) ?? n.ecbRate
            n.latePenaltyPoints = r.percent("late_penalty_points") ?? n.latePenaltyPoints
            n.fixedIndemnity = r.money("fixed_indemnity", allowNegative: false) ?? n.fixedIndemnity
            if let et = r.table("ecb_rates") {
                let er = r.sub(et, "negotiation.ecb_rates")
                for (key, node) in et.entries {
                    let valid = key.count == 7 && Int(key.prefix(4)) != nil && (key.hasSuffix("-H1") || key.hasSuffix("-H2"))
                    guard valid else {
                        sink.error(file, node.keyPosition, "'negotiation.ecb_rates' keys are half-years such as \"2026-H2\", found \"\(key)\"")
                        continue
                    }
                    if let rate = er.percent(key, in: -5...100) { n.ecbRates[key] = rate }
                }
            }
            if let u = r.string("unlisted") {
                switch u.lowercased() {
                case "accept": n.unlistedAccept = true
                case "refuse": n.unlistedAccept = false
                default: if let node = r.node("unlisted") { sink.error(file, node.position, "'negotiation.unlisted' = \"\(u)\" is not one of accept, refuse") }
                }
            }
            n.priceIncreasePer30Days = r.percent("price_increase_per_30_days")
            if let st = r.table("suppliers") {
                for (supplier, node) in st.entries {
                    guard let sub = node.tableValue else {
                        sink.error(file, node.position, "'negotiation.suppliers.\"\(supplier)\"' must be a table: accepts = true|false, max_days = N")
                        continue
                    }
                    let sr = FieldReader(table: sub, file: file, context: "negotiation.suppliers.\"\(supplier)\"", sink: sink)
                    sr.rejectUnknown(["accepts", "max_days"])
                    n.suppliers[supplier] = NegotiationTerms.SupplierStance(accepts: sr.bool("accepts") ?? true, maxDays: sr.int("max_days", in: 0...365))
                }
            }
            out.instruments.negotiation = n
        }
        var seenNames: Set<String> = []
        for (pi, (t, node)) in root.arrayOfTables(ScenarioKeys.plans).enumerated() {
            let r = root.sub(t, "plans[\(pi + 1)]")
            r.rejectUnknown(["name", "decisions", "defaulted"])
            guard let name = r.string("name") else {
                if t["name"] == nil { sink.error(file, node.position, "plan \(pi + 1) has no 'name'") }
                continue
            }
            if PlanComparison.isBuiltin(name) || seenNames.contains(name) {
                sink.error(file, t["name"]?.position ?? node.position, "plan name \"\(name)\" is already used (\"overdraft only\" and \"negotiate terms\" are built in)")
            }
            seenNames.insert(name)
            var plan = Plan(name: name)
            if let n = r.node("defaulted") {
                // A default is an event of the scenario, not a choice of one plan: it applies to every plan.
                if let a = n.arrayValue {
                    let ids = a.compactMap { $0.stringValue }
                    out.planDefaulted += ids
                    sink.warning(file, n.position, "plan \"\(name)\": 'defaulted' applies to every plan (a default is a what-if of the scenario): "
                                 + "write it as [what_if] defaulted = [...]")
                } else {
                    sink.error(file, n.position, "'\(r.qualified("defaulted"))' must be an array of receivable ids")
                }
            }
            var rules: [PlanRule] = []
            for (ri, (rt, rnode)) in r.arrayOfTables("decisions").enumerated() {
                let rr = r.sub(rt, "decisions[\(ri + 1)]")
                rr.rejectUnknown(["invoice", "customer", "supplier", "receivables_above", "payables_above", "all", "action"])
                guard let actionText = rr.string("action") else {
                    if rt["action"] == nil { sink.error(file, rnode.position, "decision \(ri + 1) of plan \"\(name)\" has no 'action' (e.g. action = \"factor:bank\")") }
                    continue
                }
                guard let decision = Decision(code: actionText) else {
                    let head = actionText.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
                    sink.error(file, rt["action"]?.position ?? rnode.position, head == "late" || head == "pay-late"
                               ? "\"\(actionText)\": late:DAYS pays 1 to 365 days after the due date (a whole number of days)"
                               : "unknown action \"\(actionText)\": use none, factor:NAME, reverse:NAME, supplier:NAME, split:NAME, negotiate or late:DAYS")
                    continue
                }
                if let problem = out.instruments.unknownInstrument(in: decision) {
                    sink.error(file, rt["action"]?.position ?? rnode.position, problem)
                    continue
                }
                let line = rnode.position.line
                let selectors = ["invoice", "customer", "supplier", "receivables_above", "payables_above", "all"].filter { rt[$0] != nil }
                guard selectors.count == 1 else {
                    sink.error(file, rnode.position, selectors.isEmpty
                               ? "decision \(ri + 1) of plan \"\(name)\" selects nothing: give one of invoice, customer, supplier, receivables_above, payables_above, all"
                               : "decision \(ri + 1) of plan \"\(name)\" has several selectors (\(selectors.joined(separator: ", "))): give exactly one")
                    continue
                }
                let kind = decision.appliesTo
                func wrongKind(_ k: InvoiceKind) -> Bool {
                    if let kind, kind != k {
                        sink.error(file, rnode.position, "\(decision.label) cannot apply to \(k.rawValue)s")
                        return true
                    }
                    return false
                }
                switch selectors[0] {
                case "invoice":
                    guard let id = rr.string("invoice") else { continue }
                    rules.append(PlanRule(kind: kind ?? .receivable, selector: .invoice(id), decision: decision, line: line))
                    if kind == nil { out.unresolvedInvoiceRules.append((pi, rules.count - 1, id, rnode.position)) }
                case "customer":
                    guard let c = rr.string("customer"), !wrongKind(.receivable) else { continue }
                    rules.append(PlanRule(kind: .receivable, selector: .counterparty(c), decision: decision, line: line))
                case "supplier":
                    guard let c = rr.string("supplier"), !wrongKind(.payable) else { continue }
                    rules.append(PlanRule(kind: .payable, selector: .counterparty(c), decision: decision, line: line))
                case "receivables_above":
                    guard let m = rr.money("receivables_above"), !wrongKind(.receivable) else { continue }
                    rules.append(PlanRule(kind: .receivable, selector: .amountAbove(m), decision: decision, line: line))
                case "payables_above":
                    guard let m = rr.money("payables_above"), !wrongKind(.payable) else { continue }
                    rules.append(PlanRule(kind: .payable, selector: .amountAbove(m), decision: decision, line: line))
                default:
                    guard let which = rr.string("all") else { continue }
                    let k: InvoiceKind? = which == "receivables" ? .receivable : (which == "payables" ? .payable : nil)
                    guard let k else {
                        sink.error(file, rt["all"]?.position ?? rnode.position, "'all' must be \"receivables\" or \"payables\"")
                        continue
                    }
                    if wrongKind(k) { continue }
                    rules.append(PlanRule(kind: k, selector: .all, decision: decision, line: line))
                }
            }
            plan.rules = rules
            out.plans.append(plan)
        }
        return out
    }

    /// Installs instruments and plans; resolves `invoice = "…"` rules whose action does not tell the kind,
    /// and reports ids found in neither file (a warning: the invoice may have been paid since).
    func apply(to scenario: inout Scenario, file: String, sink: DiagnosticSink) {
        scenario.instruments = instruments
        for id in planDefaulted where !scenario.defaulted.contains(id) { scenario.defaulted.append(id) }
        var plans = plans
        // Id sets only when a plan names invoices: at 1 M invoices building them costs a fifth of the load.
        let namesInvoices = !scenario.defaulted.isEmpty || plans.contains { p in p.rules.contains { if case .invoice = $0.selector { return true }; return false } }
        guard namesInvoices else { scenario.plans = plans; return }
        let rIds = Set(scenario.receivables.map(\.id)), pIds = Set(scenario.payables.map(\.id))
        for u in unresolvedInvoiceRules {
            if pIds.contains(u.id) && !rIds.contains(u.id) { plans[u.plan].rules[u.rule].kind = .payable }
        }
        for plan in plans {
            for rule in plan.rules {
                if case .invoice(let id) = rule.selector, !(rule.kind == .receivable ? rIds : pIds).contains(id) {
                    sink.warning(file, TOMLPosition(line: rule.line, column: 1),
                                 "plan \"\(plan.name)\": no open \(rule.kind.rawValue) \"\(id)\" (paid, disputed or not in the file): decision ignored")
                }
            }
        }
        for id in scenario.defaulted where !rIds.contains(id) {
            sink.warning(file, TOMLPosition(line: 0, column: 0), "what_if: defaulted \"\(id)\" is not an open receivable")
        }
        scenario.plans = plans
    }
}

extension Instruments {
    /// Names the instrument a decision refers to when the scenario defines none by that name.
    func unknownInstrument(in d: Decision) -> String? {
        func msg(_ what: String, _ name: String, _ known: [String]) -> String {
            "no \(what) named \"\(name)\"" + (known.isEmpty ? " (none is defined)" : " (defined: \(known.joined(separator: ", ")))")
        }
        switch d {
        case .factor(let n): return factoringContract(n) == nil ? msg("factoring contract", n, factoring.map(\.name)) : nil
        case .reverseFactor(let n): return reverseProgram(n) == nil ? msg("reverse-factoring program", n, reverseFactoring.map(\.name)) : nil
        case .supplierFinancing(let n): return supplierProgram(n) == nil ? msg("supplier-financing program", n, supplierFinancing.map(\.name)) : nil
        case .splitPayment(let n): return splitProgram(n) == nil ? msg("split-payment partner", n, splitPayment.map(\.name)) : nil
        case .none, .negotiate, .payLate: return nil
        }
    }
}
