import ArgumentParser
import CbcMILP
import NcursesTerminal
import TerminalKit
import TresoApp
import TresoCore
import TresoIO
#if canImport(Glibc)
import Glibc
#endif

/// `treso PATH`: the interactive planner. The default command, so `treso examples/demo` opens it.
struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the interactive planner on a scenario (the default command: treso PATH).",
        discussion: """
        Toggle factoring, reverse factoring, supplier financing, split payment or negotiation on invoices and see \
        the projection and the plan comparison change at once; undo without limit; save back to treso.toml \
        keeping its comments. Press ? inside for every key. Needs a terminal: in scripts use project, compare, check.
        Colours: NO_COLOR (any value) gives the mono theme unless --theme is given.
        """
    )

    @OptionGroup var scenario: ScenarioOptions

    @Option(help: ArgumentHelp("A built-in theme (\(Theme.builtinNames.joined(separator: ", "))) or a theme file.", valueName: "name|path"))
    var theme: String?

    func run() throws {
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            printError("""
            treso: the interactive planner needs a terminal, and standard \(isatty(STDOUT_FILENO) == 1 ? "input" : "output") is not one.
            For scripts and pipes, use the headless commands:
              treso project \(scenario.path)     day-by-day projection (--plan NAME, --format csv|json)
              treso compare \(scenario.path)     plans side by side
              treso check \(scenario.path)       every problem in the scenario files
            """)
            throw ExitCode(1)
        }
        runWithoutInteractiveCrashHandler()
        let chosenTheme: Theme
        if let name = theme {
            switch ThemeLoader.load(name) {
            case .success(let t): chosenTheme = t
            case .failure(let e):
                printError("treso: theme: \(e.description)")
                throw ExitCode(1)
            }
        } else if let nc = getenv("NO_COLOR"), nc.pointee != 0 {
            chosenTheme = .mono
        } else {
            chosenTheme = .default
        }
        try Self.exitOnFailure {
            let (loaded, s) = try scenario.load()
            var state = AppState(scenario: s, tomlPath: loaded.tomlPath, tomlText: loaded.tomlText, tomlFingerprint: loaded.tomlFingerprint,
                                 theme: chosenTheme, today: today())
            state.showRejectedRows(loaded.rejectedCount, path: scenario.path)
            if let b = loaded.bank {
                let paid = b.paid.values.reduce(0) { $0 + $1.count }
                state.showBankStatements(balanceSource: loaded.openingBalanceLabel, paid: paid,
                                         partlyPaid: b.matches.filter { $0.remaining > .zero }.count, path: scenario.path)
            }
            var terminal = NcursesTerminal()
            do {
                try terminal.start()
            } catch {
                printError("treso: \(error); use treso project|compare|check \(scenario.path) instead")
                throw ExitWithCode(code: 1)
            }
            // Every way out of the loop goes through stop(); signals and crashes are covered by the
            // backend's handlers, which restore the terminal before the process dies.
            defer { terminal.stop() }
            // `o` solves with CBC and each change is simulated (issue 14) on threads of their own; the loop keeps reading keys.
            let jobs = JobRunner(workers: .standard(solver: { CbcSolver() }))
            TresoApp.run(&state, terminal: &terminal, jobs: jobs)
        }
    }
}

/// Swift's crash handler kept a crashed planner alive for 30 s to a minute (measured here: 30 s with
/// `interactive=no`, 63 s with `symbolicate=off` too, under load) after the terminal was restored;
/// with it off, the process dies at once of the signal. Its settings are read when the process starts,
/// so the planner re-executes itself once with `SWIFT_BACKTRACE=enable=no`. A user who sets
/// SWIFT_BACKTRACE (to get a backtrace for a bug report) keeps their own choice. See docs/decisions.md.
func runWithoutInteractiveCrashHandler() {
    guard getenv("SWIFT_BACKTRACE") == nil else { return }
    setenv("SWIFT_BACKTRACE", "enable=no", 1)
    var args: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) } + [nil]
    execv("/proc/self/exe", &args)
    // exec failed (no /proc): carry on with the handler as it is.
    for a in args { free(a) }
}
