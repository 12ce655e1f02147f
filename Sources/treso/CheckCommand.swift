import ArgumentParser
import TresoCore
import TresoIO

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a scenario and list every problem as file:line:column: message.",
        discussion: "Exit 1 on any error; warnings (overdue, due before issue, duplicate id…) exit 0 unless --strict."
    )

    @Argument(help: "Scenario folder (containing treso.toml) or the treso.toml file itself.")
    var path: String

    @Option(help: "Start date to check overdue invoices against; overrides the file.")
    var start: Day?

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    func run() throws {
        let loaded = ScenarioLoader.load(path: path, defaultStart: today())
        var diagnostics = loaded.diagnostics
        if var s = loaded.scenario {
            if let start { s.start = start }
            if let v = ScenarioLimits.firstViolation(in: s) {
                diagnostics.append(.error(loaded.tomlPath, "\(v.message) (with --start)"))
            } else {
                diagnostics += ForecastEngine(scenario: s).settlementDiagnostics()
            }
        }
        for d in diagnostics.sorted(by: { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }) {
            printReport(d.description + "\n")
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        var summary = "\(errors) error(s), \(warnings) warning(s)"
        if let s = loaded.scenario {
            let disputed = (loaded.disputed[.receivable]?.count ?? 0) + (loaded.disputed[.payable]?.count ?? 0)
            let paid = (loaded.paidSkipped[.receivable] ?? 0) + (loaded.paidSkipped[.payable] ?? 0)
            summary += "; \(s.receivables.count) receivables, \(s.payables.count) payables, \(s.recurring.count) recurring flows"
            if paid > 0 { summary += ", \(paid) paid skipped" }
            if disputed > 0 { summary += ", \(disputed) disputed excluded" }
        }
        printError(summary)
        if errors > 0 || (strict && warnings > 0) { throw ExitCode(1) }
    }
}
