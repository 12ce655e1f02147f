import ArgumentParser
import TresoCore
import TresoIO

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a scenario and list every problem as file:line:column: message.",
        discussion: """
        Exit 1 on any error (a rejected row is one); warnings (overdue, due before issue, duplicate id…) exit 0 unless --strict. \
        --format json prints counts, exact totals, excluded invoices, the opening balance, the exposure per currency and every \
        diagnostic (docs/scenario-format.md).
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Scenario folder (containing treso.toml) or the treso.toml file itself.")
    var path: String

    @Option(help: "Start date to check overdue invoices against; overrides the file.")
    var start: Day?

    @Option(help: "text (file:line:column: message lines) or json.")
    var format: Format = .text

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    func run() throws {
        var loaded = ScenarioLoader.load(path: path, defaultStart: today())
        var diagnostics = loaded.diagnostics
        if var s = loaded.scenario {
            if let start { s.start = start }
            loaded.scenario = s
            if let v = ScenarioLimits.firstViolation(in: s) {
                diagnostics.append(.error(loaded.tomlPath, "\(v.message) (with --start)"))
            } else {
                let engine = ForecastEngine(scenario: s)
                diagnostics += engine.settlementDiagnostics() + engine.legalTermDiagnostics()
            }
        }
        let sorted = diagnostics.sorted(by: { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) })
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        if format == .json {
            printReport(CheckReport.json(loaded, diagnostics: sorted), format: .json)
        } else {
            for d in sorted { printReport(d.description + "\n") }
        }
        var summary = "\(errors) error(s), \(warnings) warning(s)"
        if let s = loaded.scenario {
            let disputed = (loaded.disputed[.receivable]?.count ?? 0) + (loaded.disputed[.payable]?.count ?? 0)
            let paid = (loaded.paidSkipped[.receivable] ?? 0) + (loaded.paidSkipped[.payable] ?? 0)
            summary += "; \(s.receivables.count) receivables, \(s.payables.count) payables, \(s.recurring.count) recurring flows"
            if paid > 0 { summary += ", \(paid) paid skipped" }
            if disputed > 0 { summary += ", \(disputed) disputed excluded" }
            if loaded.rejectedCount > 0 { summary += ", \(loaded.rejectedCount) rejected rows" }
            if let b = loaded.bank {
                if b.einvoiceDocuments > 0 { summary += "; \(b.einvoiceDocuments) e-invoice(s)" }
                if b.transactions > 0 { summary += "; \(b.transactions) bank line(s): \(b.matches.count) matched, \(b.unmatched.count) unmatched" }
                if format == .text {
                    for m in b.matches { print("match: \(m.kind.rawValue) \(m.invoiceID) ← \(m.transaction.bookingDate.iso) \(m.transaction.amount.decimalString): \(m.reason)") }
                    for t in b.unmatched { print("unmatched: \(t.bookingDate.iso) \(t.amount.decimalString) \(t.label)") }
                }
            }
            if let src = loaded.openingBalanceSource { summary += "; opening balance \(s.openingBalance.decimalString) from \(src)" }
            for e in CheckReport.exposure(s) {
                summary += "; \(e.currency) exposure: receivables \(e.receivables.decimalString), payables \(e.payables.decimalString), "
                    + "net \(e.netConverted.decimalString) \(s.currency) at \(e.rate.fractionString)"
            }
        }
        printError(summary)
        if errors > 0 || (strict && warnings > 0) { throw ExitCode(1) }
    }
}
