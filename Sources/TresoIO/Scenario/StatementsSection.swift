import Foundation
import TresoCore

/// The scenario keys for e-invoices and bank statements: `einvoices`, `company_id`,
/// `bank_statements` and `[bank]` (`refuse_matches`). Schema: docs/scenario-format.md,
/// formats: docs/e-invoices.md, docs/bank-statements.md.
struct StatementsSection {
    static let rootKeys = ["einvoices", "company_id", "bank_statements", "bank"]

    var einvoices: [String] = []
    var companyID: String?
    var statements: [String] = []
    var refused: Set<String> = []

    var isEmpty: Bool { einvoices.isEmpty && statements.isEmpty }

    static func read(root: FieldReader, file: String, sink: DiagnosticSink) -> StatementsSection {
        var s = StatementsSection()
        s.einvoices = strings(root, "einvoices", file: file, sink: sink, what: "files or folders of e-invoices")
        s.statements = strings(root, "bank_statements", file: file, sink: sink, what: "bank statement files")
        s.companyID = root.string("company_id")
        if let t = root.table("bank") {
            let r = root.sub(t, "bank")
            r.rejectUnknown(["refuse_matches"])
            s.refused = Set(strings(r, "refuse_matches", file: file, sink: sink, what: "invoice ids"))
        }
        if !s.einvoices.isEmpty, s.companyID == nil, let n = root.node("einvoices") {
            sink.error(file, n.position, "'einvoices' needs 'company_id' (our SIREN, SIRET or VAT number) to tell receivables from payables")
        }
        return s
    }

    private static func strings(_ r: FieldReader, _ key: String, file: String, sink: DiagnosticSink, what: String) -> [String] {
        guard let n = r.node(key) else { return [] }
        if let s = n.stringValue { return [s] }
        guard let a = n.arrayValue else {
            sink.error(file, n.position, "'\(r.qualified(key))' must be a list of \(what), such as [\"a\", \"b\"]")
            return []
        }
        var out: [String] = []
        for el in a {
            if let s = el.stringValue { out.append(s) } else { sink.error(file, el.position, "'\(r.qualified(key))' holds \(what): strings only") }
        }
        return out
    }
}

/// What the bank statements told the scenario: the balance per account, the matches, what is left.
public struct BankSummary: Sendable {
    public struct Account: Sendable, Hashable {
        public var account: String
        public var file: String
        public var closingBalance: Money
        /// In the scenario currency (converted through `[fx]` when the account's differs).
        public var closingBalanceConverted: Money
        public var currency: String?
        public var closingDate: Day
    }
    public var accounts: [Account] = []
    public var transactions = 0
    /// Every booked line of every statement (for forecast against actual).
    public var lines: [BankTransaction] = []
    /// The scenario gave no `start`: it was taken from the statements (nothing before it to compare).
    public var startFromStatements = false
    public var matches: [Reconciliation.Match] = []
    public var unmatched: [BankTransaction] = []
    /// Invoices the statements show as fully paid: out of the forecast.
    public var paid: [InvoiceKind: [Invoice]] = [:]
    /// Number of e-invoice documents loaded (receivables + payables).
    public var einvoiceDocuments = 0
}

/// E-invoice documents → invoices of the scenario, and bank statements → balance and matches.
enum StatementsImport {
    /// One document as a receivable (we are the seller) or a payable (we are the buyer).
    static func invoice(_ d: EInvoiceDocument, companyID: String, options: InvoiceImportOptions)
        -> Result<(InvoiceKind, Invoice), Diagnostic> {
        let kind: InvoiceKind
        if d.seller.ids.contains(where: { CompanyID.matches(companyID, $0) }) { kind = .receivable }
        else if d.buyer.ids.contains(where: { CompanyID.matches(companyID, $0) }) { kind = .payable }
        else {
            let ids = "seller \(d.seller.name) [\(d.seller.ids.joined(separator: ", "))], buyer \(d.buyer.name) [\(d.buyer.ids.joined(separator: ", "))]"
            return .failure(.error(d.file, "e-invoice \(d.id) rejected: company_id '\(companyID)' is neither its seller nor its buyer (\(ids))"))
        }
        let counterparty = kind == .receivable ? d.buyer.name : d.seller.name
        var amount = d.signedAmountDue
        var vat = d.vatTotal.map { d.isCreditNote ? -$0.magnitude : $0 }
        var currencyNote: (String, Money, Rate)?
        let cur = d.currency.uppercased()
        if cur != options.currency {
            guard let rate = options.fx[cur] else {
                return .failure(.error(d.file, "e-invoice \(d.id) rejected: currency \(cur) has no rate; add `\(cur) = …` under [fx] (\(options.currency) per \(cur))"))
            }
            guard let converted = convertCurrency(amount, rate: rate) else {
                return .failure(.error(d.file, "e-invoice \(d.id) rejected: amount too large to convert"))
            }
            currencyNote = (cur, amount, rate)
            amount = converted
            vat = vat.flatMap { convertCurrency($0, rate: rate) }
        }
        var due = d.dueDate
        var dueTerms: String?
        var note = "e-invoice"
        if case .text(let t) = d.dueDateSource { note += "; due date read from the terms \"\(t)\"" }
        if due == nil {
            guard let terms = options.terms(for: counterparty) else {
                return .failure(.error(d.file, "e-invoice \(d.id) rejected: no due date (no structured due date, no unambiguous terms text\(d.paymentTerms.map { ": \"\($0)\"" } ?? "")) and no payment terms to infer one; add payment_terms_days"))
            }
            due = terms.dueDate(issued: d.issueDate)
            dueTerms = terms.text
        }
        var inv = Invoice(id: d.id, counterparty: counterparty, issueDate: d.issueDate, dueDate: due ?? d.issueDate,
                          amount: amount, discount: amount > .zero ? d.discount : nil, note: note, vatAmount: vat)
        if currencyNote != nil || dueTerms != nil {
            inv.origin = InvoiceOrigin(currency: currencyNote?.0, currencyAmount: currencyNote?.1, rate: currencyNote?.2, dueTerms: dueTerms)
        }
        return .success((kind, inv))
    }

    /// Latest closing balance per account (converted to the scenario currency), newest statement wins.
    static func balances(_ statements: [BankStatement], options: InvoiceImportOptions) -> ([BankSummary.Account], [Diagnostic]) {
        var latest: [String: BankStatement] = [:]
        for s in statements {
            guard s.closingBalance != nil, let d = s.closingDate else { continue }
            if let cur = latest[s.account], let cd = cur.closingDate, cd > d { continue }
            latest[s.account] = s
        }
        var out: [BankSummary.Account] = []
        var diags: [Diagnostic] = []
        for (account, s) in latest.sorted(by: { $0.key < $1.key }) {
            guard let bal = s.closingBalance, let day = s.closingDate else { continue }
            var converted = bal
            if let c = s.currency?.uppercased(), !c.isEmpty, c != options.currency {
                guard let rate = options.fx[c], let v = convertCurrency(bal, rate: rate) else {
                    diags.append(.error(s.file, line: s.line, "account \(account) is in \(c), which has no rate: add `\(c) = …` under [fx]"))
                    continue
                }
                converted = v
            }
            out.append(.init(account: account, file: s.file, closingBalance: bal, closingBalanceConverted: converted,
                             currency: s.currency, closingDate: day))
        }
        return (out, diags)
    }

    /// Removes paid invoices and reduces partly paid ones; returns the new lists and the paid ones.
    static func apply(_ r: Reconciliation.Result, to invoices: inout [InvoiceKind: [Invoice]]) -> [InvoiceKind: [Invoice]] {
        var paid: [InvoiceKind: [Invoice]] = [:]
        for kind in InvoiceKind.allCases {
            guard let left = r.remaining[kind], !left.isEmpty else { continue }
            var kept: [Invoice] = []
            for var inv in invoices[kind] ?? [] {
                guard let rest = left[inv.id], inv.status == .open, inv.amount > .zero else { kept.append(inv); continue }
                if rest == .zero { paid[kind, default: []].append(inv); continue }
                let before = inv.amount
                let o = inv.origin
                inv.origin = InvoiceOrigin(invoicedAmount: o?.invoicedAmount ?? before, currency: o?.currency,
                                           currencyAmount: o?.currencyAmount, rate: o?.rate, dueTerms: o?.dueTerms)
                inv.vatAmount = inv.vatAmount.map {
                    Money(cents: Int64(divideRoundingHalfAwayFromZero(Int128($0.cents) * Int128(rest.cents), Int128(before.cents))))
                }
                inv.amount = rest
                kept.append(inv)
            }
            invoices[kind] = kept
        }
        return paid
    }
}

extension ScenarioLoader {
    /// Reads the e-invoices and statements a scenario names, adds the documents to `invoices`, takes
    /// the opening balance and start from the statements unless the scenario gives them, and applies
    /// the matches. Every step is reported (matches as notes in the summary, problems in `sink`).
    static func loadStatements(_ section: StatementsSection, folder: String, options: InvoiceImportOptions,
                               invoices: inout [InvoiceKind: [Invoice]], opening: inout Money, start: inout Day,
                               given: (opening: Bool, start: Bool), sink: DiagnosticSink)
        -> (summary: BankSummary, balanceSource: String?) {
        var summary = BankSummary()
        var references: [String: String] = [:]
        if !section.einvoices.isEmpty, let company = section.companyID {
            let r = EInvoiceReader.read(paths: section.einvoices.map { (joinPath(folder, $0), joinPath(folder, $0)) })
            sink.items.append(contentsOf: r.diagnostics)
            var seen: [String: String] = [:]
            for doc in r.documents {
                switch StatementsImport.invoice(doc, companyID: company, options: options) {
                case .failure(let d): sink.items.append(d)
                case .success(let (kind, inv)):
                    let key = kind.rawValue + " " + inv.id
                    if let other = seen[key] {
                        sink.items.append(.warning(doc.file, "e-invoice \(inv.id) is also in \(other): loaded once"))
                        continue
                    }
                    seen[key] = doc.file
                    if invoices[kind, default: []].contains(where: { $0.id == inv.id }) {
                        sink.items.append(.warning(doc.file, "e-invoice \(inv.id) is already in the scenario's \(kind.rawValue)s: the e-invoice is left out"))
                        continue
                    }
                    invoices[kind, default: []].append(inv)
                    if let ref = doc.paymentReference { references[inv.id] = ref }
                    summary.einvoiceDocuments += 1
                }
            }
        }
        var source: String?
        if !section.statements.isEmpty {
            let r = BankStatementReader.read(paths: section.statements.map { (joinPath(folder, $0), joinPath(folder, $0)) })
            sink.items.append(contentsOf: r.diagnostics)
            let (accounts, diags) = StatementsImport.balances(r.statements, options: options)
            sink.items.append(contentsOf: diags)
            summary.accounts = accounts
            let transactions = r.statements.flatMap(\.transactions)
            summary.transactions = transactions.count
            summary.lines = transactions
            if !accounts.isEmpty {
                let each = accounts.map { "\($0.account) \($0.closingBalance.decimalString)\($0.currency.map { " " + $0 } ?? "") at \($0.closingDate.iso) (\($0.file))" }
                if !given.opening {
                    opening = DecimalText.sum(accounts.map(\.closingBalanceConverted)) ?? .zero
                    source = "bank statement" + (accounts.count > 1 ? "s, accounts summed: " : ": ") + each.joined(separator: "; ")
                }
                if !given.start, let last = accounts.map(\.closingDate).max() { start = last + 1; summary.startFromStatements = true }
            }
            let rec = Reconciliation.reconcile(transactions, receivables: invoices[.receivable] ?? [],
                                               payables: invoices[.payable] ?? [], paymentReferences: references,
                                               refused: section.refused)
            summary.matches = rec.matches
            summary.unmatched = rec.unmatched
            summary.paid = StatementsImport.apply(rec, to: &invoices)
        }
        return (summary, source)
    }
}
