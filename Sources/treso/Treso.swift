import ArgumentParser
import TresoCore
import TresoIO
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
        subcommands: [Open.self, Project.self, Compare.self, Optimize.self, Entries.self, Check.self, Keys.self],
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

/// Writes to standard error.
func printError(_ s: String) {
    var e = StandardError()
    print(s, to: &e)
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

    @Option(help: "Number of days to project; overrides the file.")
    var horizon: Int?

    func validate() throws {
        if let h = horizon, h < 1 || h > 3660 { throw ValidationError("--horizon must be between 1 and 3660 days") }
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
        if let h = horizon { scenario.horizonDays = h }
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
