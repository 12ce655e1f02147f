import ArgumentParser
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
        subcommands: [Open.self, Project.self, Compare.self, Entries.self, Check.self, Keys.self],
        defaultSubcommand: Open.self
    )
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

    func validate() throws {
        guard let text = horizon else { return }
        guard let h = Int(text), h >= 1, h <= ScenarioLimits.maxHorizonDays else {
            throw ValidationError("--horizon must be a whole number of days from 1 to \(ScenarioLimits.maxHorizonDays), not '\(text)'")
        }
    }

    /// Loads the scenario, prints every problem to stderr, and stops with exit 1 on any error.
    func load(quietWarnings: Bool = false) throws -> (LoadedScenario, Scenario) {
        var loaded = ScenarioLoader.load(path: path, defaultStart: today())
        if !quietWarnings { for d in loaded.warnings { printError(d.description) } }
        guard var scenario = loaded.scenario, loaded.errors.isEmpty else {
            for d in loaded.errors { printError(d.description) }
            printError("\(loaded.errors.count) error(s): nothing was projected. Run 'treso check \(path)' for the full list.")
            throw ExitWithCode(code: 1)
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
