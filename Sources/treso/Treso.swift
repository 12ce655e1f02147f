import ArgumentParser
import CbcMILP
import TresoCore
import TresoIO
import TerminalKit
#if canImport(Glibc)
import Glibc
#endif

@main
struct Treso: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "treso",
        abstract: "Day-by-day cash projection and financing comparison for SMEs.",
        discussion: """
        Exit codes: 0 success; 1 the scenario has errors (or, with check --strict, warnings); \
        64 the command line is wrong.
        """,
        version: "0.1.0",
        subcommands: [Open.self, Project.self, Compare.self, Optimize.self, Risk.self, Entries.self, Report.self, Check.self, Init.self, Actual.self, Keys.self],
        defaultSubcommand: Open.self
    )

    /// treso re-executes itself as the optimizer's solver process (CbcMILP): that run solves and exits.
    static func main() {
        CbcSolver.runChildIfRequested()
        main(nil)
    }
}

/// Today in local time: the CLI's default start date. The engine itself never reads the clock.
func today() -> Day {
    var t = time(nil)
    var tmv = tm()
    localtime_r(&t, &tmv)
    return Day(year: Int(tmv.tm_year) + 1900, month: Int(tmv.tm_mon) + 1, day: Int(tmv.tm_mday)) ?? Day(raw: 0)
}

/// Writes to standard error, control characters escaped: messages quote file content.
func printError(_ s: String) {
    var e = StandardError()
    print(escapingControls(s, keepLineBreaks: true), to: &e)
}

/// Writes a report to standard output. Tables are for people: their control characters are always
/// escaped. CSV and JSON keep their bytes exact for a file or a pipe, and are escaped on a terminal.
func printReport(_ s: String, format: OutputFormat = .table) {
    let escape = format == .table || isatty(STDOUT_FILENO) == 1
    print(escape ? escapingControls(s, keepLineBreaks: true) : s, terminator: "")
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var bytes = Array(string.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBufferPointer { Glibc.write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 { return }
            offset += n
        }
    }
}

struct ExitWithCode: Error { let code: Int32 }

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(flexible: argument) }
}

extension OutputFormat: ExpressibleByArgument {}

/// Options every command that reads a scenario shares.
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "Scenario folder (containing treso.toml) or the treso.toml file itself.")
    var path: String

    @Option(help: "Start date of the projection (YYYY-MM-DD or DD/MM/YYYY); overrides the file.")
    var start: Day?

    // Unconditional: `--horizon -5` is a wrong value to explain, not a missing one.
    @Option(parsing: .unconditional, help: "Number of days to project (1–3660); overrides the file.")
    var horizon: String?

    /// The --horizon value, checked by `validate`.
    var horizonDays: Int? { horizon.flatMap { Int($0) } }

    @Flag(help: "Refuse to run when any row of the invoice files was rejected (default: run on the valid rows).")
    var strict = false

    @Option(name: .customLong("fx-shock"), help: ArgumentHelp("What-if on an exchange rate: convert the invoices in CODE at the [fx] rate moved by PERCENT (repeatable), e.g. USD=-10.", valueName: "CODE=PERCENT"))
    var fxShocks: [String] = []

    func validate() throws {
        guard let text = horizon else { return }
        guard let h = Int(text), h >= 1, h <= ScenarioLimits.maxHorizonDays else {
            throw ValidationError("--horizon must be a whole number of days from 1 to \(ScenarioLimits.maxHorizonDays), not '\(text)'")
        }
    }

    /// Loads the scenario and prints every problem to stderr. Rows with errors are left out and the rest
    /// runs, with a summary naming them; an unusable scenario (TOML error, unreadable file) or `--strict`
    /// with rejected rows stops with exit 1.
    func load(quietWarnings: Bool = false) throws -> (LoadedScenario, Scenario) {
        var loaded = ScenarioLoader.load(path: path, defaultStart: today())
        if !quietWarnings { for d in loaded.warnings { printError(d.description) } }
        guard var scenario = loaded.scenario, loaded.errors.isEmpty || !strict else {
            for d in loaded.errors { printError(d.description) }
            printError("\(loaded.errors.count) error(s): nothing was projected. Run 'treso check \(path)' for the full list.")
            throw ExitWithCode(code: 1)
        }
        if !loaded.errors.isEmpty {
            for d in loaded.errors { printError(d.description) }
            printError(rejectedSummary(loaded))
        }
        if !quietWarnings {
            for kind in InvoiceKind.allCases {
                let d = loaded.disputed[kind] ?? []
                guard !d.isEmpty else { continue }
                let ids = d.prefix(20).map(\.id).joined(separator: ", ") + (d.count > 20 ? ", …" : "")
                printError("note: \(d.count) disputed \(kind == .receivable ? "receivable" : "payable")(s) left out of the projection: \(ids)")
            }
        }
        for shock in fxShocks {
            let parts = shock.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
            let pct = parts.count == 2 ? String(parts[1].filter { $0 != "%" && $0 != " " }.map { $0 == "\u{2212}" ? "-" : $0 }) : ""
            guard parts.count == 2, parts[0].count == 3, let rate = Rate(percent: pct), rate > Rate(nanos: -Rate.scale) else {
                printError("error: --fx-shock \(shock): expected CODE=PERCENT such as USD=-10")
                throw ExitWithCode(code: 64)
            }
            let code = parts[0].uppercased()
            guard let moved = FXShock.apply(&scenario, currency: code, shock: rate) else {
                printError("error: --fx-shock \(code): no invoice is in \(code)")
                throw ExitWithCode(code: 1)
            }
            printError("what-if: \(code) rate \(rate.nanos >= 0 ? "+" : "")\(rate.percentString) % on \(moved.count) invoice(s): "
                       + "receivables − payables change by \(moved.netChange.decimalString) \(scenario.currency)")
        }
        if let s = start { scenario.start = s }
        if let h = horizonDays { scenario.horizonDays = h }
        // The overrides can cross a limit the file respected (a start in 9999, more occurrences).
        if start != nil || horizonDays != nil, let v = ScenarioLimits.firstViolation(in: scenario) {
            printError("error: \(v.message) (with --start/--horizon)")
            throw ExitWithCode(code: 64)
        }
        loaded.scenario = scenario
        return (loaded, scenario)
    }
}

extension ParsableCommand {
    /// Runs a command body, turning our exit requests into the process exit status.
    static func exitOnFailure(_ body: () throws -> Void) throws {
        do { try body() } catch let e as ExitWithCode { throw ExitCode(e.code) }
    }
}

/// One paragraph naming the rows left out, for stderr: how many, per file kind, and their ids.
func rejectedSummary(_ loaded: LoadedScenario) -> String {
    var parts: [String] = []
    for kind in InvoiceKind.allCases {
        let r = loaded.rejected[kind] ?? []
        guard !r.isEmpty else { continue }
        let ids = r.prefix(20).map { $0.id.isEmpty ? "line \($0.line)" : $0.id }.joined(separator: ", ")
        parts.append("\(r.count) \(kind == .receivable ? "receivable" : "payable") row(s) (\(ids)\(r.count > 20 ? ", …" : ""))")
    }
    let n = loaded.rejectedCount
    return "warning: \(n) row(s) rejected and left out; projecting the valid rows only: " + parts.joined(separator: "; ")
        + ". Fix them (treso check lists every problem) or use --strict to refuse."
}
