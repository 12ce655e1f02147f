import Foundation
import Testing
import TestSupport

/// Drives the real `treso` binary in a real terminal (tmux): the loop a CFO goes through, a resize,
/// and a quit that leaves the terminal exactly as it was. Each test has its own tmux server.
let tmuxPath: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// Runs a program with posix_spawn and waits for it. (Foundation's Process lost track of tmux's
/// client here: the client forks the server and the wait never returned.) Only a captured stdout goes
/// to a pipe, and the pipe is close-on-exec, so no other child — the tmux server above all — keeps it open.
func spawn(_ argv: [String], capture: Bool) -> String {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var fds: [Int32] = [-1, -1]
    if capture {
        guard pipe(&fds) == 0 else { return "" }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    }
    var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
    cargs.append(nil)
    defer { for p in cargs { free(p) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, argv[0], &actions, nil, cargs, environ)
    if capture { close(fds[1]) }
    var out: [UInt8] = []
    if rc == 0 && capture {
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fds[0], &buf, buf.count)
            if n > 0 { out.append(contentsOf: buf[0..<n]) } else if n < 0 && errno == EINTR { continue } else { break }
        }
    }
    if capture { close(fds[0]) }
    if rc == 0 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
    return String(decoding: out, as: UTF8.self)
}

@Suite(.enabled(if: tmuxPath != nil, "tmux is not installed: the interactive end-to-end tests need it to provide a terminal"),
       .serialized)
struct TUITests {
    /// One tmux server with one 100×30 window running a shell, in a copy of examples/demo.
    final class Session {
        let socket: String
        let dir: String
        let tmux: String

        init(width: Int = 100, height: Int = 30) throws {
            tmux = tmuxPath ?? "tmux"
            socket = "treso-e2e-\(getpid())-\(Int.random(in: 0..<1_000_000))"
            dir = NSTemporaryDirectory() + "treso-e2e-" + UUID().uuidString
            let fm = FileManager.default
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for name in ["treso.toml", "receivables.csv", "payables.csv"] {
                try fm.copyItem(atPath: packageRoot() + "/examples/demo/" + name, toPath: dir + "/" + name)
            }
            // A UTF-8 locale: without it ncurses prints every non-ASCII character as blank.
            _ = try run(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", "main",
                         "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color PS1='$ ' sh"])
            _ = try run(["set-option", "-g", "status", "off"])
        }

        /// Kills the tmux server (and the program in it) and removes the copy.
        func close() {
            let pid = Int32((try? run(["display-message", "-p", "#{pid}"]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
            _ = try? run(["kill-server"])
            // The server has been seen to outlive kill-server for a while: make sure it is gone.
            if let pid, pid > 1 {
                for _ in 0..<50 where kill(pid, 0) == 0 { usleep(20_000) }
                if kill(pid, 0) == 0 { kill(pid, SIGKILL) }
            }
            try? FileManager.default.removeItem(atPath: dir)
        }

        /// Runs a tmux command and returns what it printed.
        @discardableResult
        func run(_ args: [String]) throws -> String {
            spawn([tmux, "-L", socket] + args, capture: args.first == "capture-pane" || args.first == "display-message")
        }

        /// The tmux session the helpers below talk to ("main" unless `use(_:)` chose another).
        var target = "main"

        /// A second terminal on the same copy (another tmux session running a shell), now the target.
        func openSecondTerminal(_ name: String, width: Int = 100, height: Int = 30) throws {
            _ = try run(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-s", name,
                         "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color PS1='$ ' sh"])
            target = name
        }

        func use(_ name: String) { target = name }

        /// Types a shell line in the pane and presses Enter.
        func shell(_ line: String) throws {
            try run(["send-keys", "-t", target, "-l", line])
            try run(["send-keys", "-t", target, "Enter"])
        }

        /// Sends tmux key names (`f`, `Enter`, `Escape`, `BTab`…), one at a time.
        func keys(_ names: String...) throws {
            for n in names { try run(["send-keys", "-t", target, n]) }
        }

        func type(_ text: String) throws { try run(["send-keys", "-t", target, "-l", text]) }

        func screen() throws -> String { try run(["capture-pane", "-p", "-t", target]) }

        /// Polls the pane until `ok` holds (no fixed sleeps); returns the screen or records a failure. The timeout leaves
        /// room for the planner's background risk simulation, a debug build run while the other suites load both cores.
        @discardableResult
        func wait(for what: String, timeout: Double = 45, sourceLocation: SourceLocation = #_sourceLocation,
                  _ ok: (String) -> Bool) throws -> String {
            let deadline = Date().addingTimeInterval(timeout)
            var last = ""
            while Date() < deadline {
                last = try screen()
                if ok(last) { return last }
                usleep(20_000)
            }
            Issue.record("timed out waiting for \(what); screen:\n\(last)", sourceLocation: sourceLocation)
            return last
        }

        func waitFor(_ text: String, timeout: Double = 15, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
            try wait(for: "\"\(text)\"", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
        }

        /// Starts treso on the copy, recording `stty -g` before and after, and a marker when it exits
        /// (printed with printf so that the command line itself, echoed on screen, does not contain it).
        func launch(_ n: Int) throws {
            try shell("stty -g > \(dir)/stty-before-\(n); \(tresoBinary()) \(dir); stty -g > \(dir)/stty-after-\(n); printf 'TRESO-%s\\n' EXITED-\(n)")
        }

        func file(_ name: String) -> String { (try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? "" }
    }

    /// A large receivable the bank's contract takes (the fintech's 100 000 € maximum refuses it):
    /// factoring it lifts the balance visibly for weeks.
    static let invoice = "FA-2026-01044"

    /// The comparison row of a plan.
    static func row(_ screen: String, plan: String) -> String {
        screen.split(separator: "\n").first { $0.dropFirst(2).hasPrefix(plan) }.map(String.init) ?? ""
    }

    /// The background simulation has reported: no P(breach) cell shows "…".
    static func simulated(_ screen: String) -> Bool {
        screen.contains("P(breach)") && !screen.split(separator: "\n").contains { $0.contains(" … ") }
    }

    /// The chart's rows (between the header and the receivables).
    static func chart(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false).prefix(10).map { String($0.prefix(60)) }.joined(separator: "\n")
    }

    @Test func factorUndoSaveReopenResizeAndQuitRestoresTheTerminal() throws {
        let s = try Session()
        defer { s.close() }
        try s.launch(1)
        try s.waitFor("Plans compared")

        // A new plan, then one receivable factored through the picker.
        try s.keys(":")
        try s.type("plan new e2e")
        try s.keys("Enter")
        // The comparison's P(breach) column fills in when the background simulation is done: compare settled rows.
        let before = try s.wait(for: "the new plan, simulated", timeout: 60) { $0.contains("plan 8/8: e2e") && Self.simulated($0) }
        try s.keys("/")
        try s.type(Self.invoice)
        try s.keys("Enter")
        try s.wait(for: "the filtered row") { $0.contains("Receivables 1/") && $0.contains(Self.invoice) }
        try s.keys("f")
        try s.waitFor("Factor \(Self.invoice)")
        try s.keys("Enter")
        let factored = try s.wait(for: "the decision in the table") { $0.contains("factor:bank") && !$0.contains("Factor \(Self.invoice)") }
        #expect(Self.row(factored, plan: "e2e") != Self.row(before, plan: "e2e"), "the comparison did not change")
        #expect(Self.chart(factored) != Self.chart(before), "the chart did not change")
        #expect(factored.contains("● UNSAVED"))

        // Undo puts the plan back.
        try s.keys("u")
        // (The undo re-runs the background simulation of every plan: up to a minute on a loaded machine.)
        let undone = try s.wait(for: "the undo", timeout: 60) { Self.row($0, plan: "e2e") == Self.row(before, plan: "e2e") }
        #expect(!undone.split(separator: "\n").contains { $0.contains(Self.invoice) && $0.contains("factor:bank") })

        // Redo, save to the copy, quit (nothing unsaved: no question).
        try s.keys("C-r")
        try s.waitFor("factor:bank")
        try s.keys("w")
        try s.waitFor("saved ")
        try s.keys("q")
        try s.waitFor("TRESO-EXITED-1")
        let saved = s.file("treso.toml")
        #expect(saved.contains("name = \"e2e\""))
        #expect(saved.contains("{ invoice = \"\(Self.invoice)\", action = \"factor:bank\" },"))
        #expect(saved.contains("# the buffer the CFO wants to keep"))
        #expect(s.file("stty-before-1") == s.file("stty-after-1"))
        #expect(!s.file("stty-before-1").isEmpty)

        // Reopen: the plan and its decision are there.
        try s.launch(2)
        try s.waitFor("Plans compared")
        try s.keys(":")
        try s.type("plan e2e")
        try s.keys("Enter", "/")
        try s.type(Self.invoice)
        try s.keys("Enter")
        try s.wait(for: "the saved decision") { screen in
            screen.contains("e2e") && screen.split(separator: "\n").contains { $0.contains(Self.invoice) && $0.contains("factor:bank") }
        }

        // Resize down to too small, to 1×1, and back: never a crash, full redraw.
        try s.run(["resize-window", "-t", "main", "-x", "60", "-y", "15"])
        try s.waitFor("Terminal too small")
        try s.run(["resize-window", "-t", "main", "-x", "1", "-y", "1"])
        try s.run(["resize-window", "-t", "main", "-x", "2", "-y", "2"])
        try s.run(["resize-window", "-t", "main", "-x", "120", "-y", "40"])
        let big = try s.wait(for: "the redraw at 120×40") {
            $0.contains("Plans compared") && $0.contains("P(breach)") && $0.split(separator: "\n", omittingEmptySubsequences: false).count >= 40
        }
        #expect(big.split(separator: "\n").allSatisfy { $0.count <= 120 })
        try s.run(["resize-window", "-t", "main", "-x", "80", "-y", "24"])
        try s.wait(for: "the redraw at 80×24") { $0.contains("Plans compared") && !$0.contains("P(b") }

        // Esc answers at once (ESCDELAY 25 ms, not ncurses' default second).
        try s.keys("/")
        try s.waitFor("Enter keeps")
        let t0 = Date()
        try s.keys("Escape")
        try s.wait(for: "Esc to close the filter", timeout: 5) { !$0.contains("Enter keeps") }
        #expect(Date().timeIntervalSince(t0) < 0.5, "Esc took \(Date().timeIntervalSince(t0)) s")

        // An unsaved change: quitting asks; "n" quits without saving; the terminal is restored.
        try s.keys("Escape", "Tab", "4", "g", "n")
        try s.keys("q")
        try s.waitFor("Unsaved changes")
        try s.keys("n")
        try s.waitFor("TRESO-EXITED-2")
        #expect(s.file("stty-before-2") == s.file("stty-after-2"))
        #expect(s.file("treso.toml") == saved)
    }

    /// Issue 9: two planners on one scenario, both saving. The second is told the file changed on disk,
    /// re-applies its work onto the first one's, and the file ends with both plans.
    /// Issue 11: `o` runs the optimizer without freezing the planner and adds the plan `treso optimize` finds.
    @Test func oAddsThePlanTresoOptimizeFinds() throws {
        let s = try Session()
        defer { s.close() }
        let json = spawn([tresoBinary(), "optimize", s.dir, "--format", "json"], capture: true)
        let cost = try #require(json.split(separator: "\n").first { $0.contains("\"total_cost\"") }?
            .split(separator: "\"").dropFirst(3).first.map(String.init), "\(json)")
        try s.launch(1)
        try s.waitFor("Plans compared")
        try s.keys("o")
        // Waits for the whole frame (header and bottom line): a capture can fall in the middle of a redraw.
        let done = try s.wait(for: "the optimal plan and its message", timeout: 60) {
            $0.contains("plan 8/8: optimal") && $0.contains("plan \"optimal\" added")
        }
        // The new plan's row shows the optimizer's cost (thousands grouped by a space, as on screen), and so does the message.
        let shown = Self.grouped(cost)
        let row = Self.row(done, plan: "★ optimal") + Self.row(done, plan: "optimal")
        #expect(row.contains(" " + shown + " "), "\(row) vs \(cost)")
        #expect(done.contains("plan \"optimal\" added"), "\(done)")
        #expect(done.contains("cost " + shown + " · bound "), "\(json)")
        // Undoable like any change.
        try s.keys("u")
        try s.waitFor("plan 3/7")
        try s.keys("q")
        try s.waitFor("TRESO-EXITED-1")
    }

    /// `:optimize keep buffer` (issue 11's left-out item) adds the plan `treso optimize --keep buffer` finds: the same
    /// number of decisions and the same cost.
    @Test func optimizeKeepBufferAddsThePlanTresoOptimizeFinds() throws {
        let s = try Session()
        defer { s.close() }
        let json = spawn([tresoBinary(), "optimize", s.dir, "--keep", "buffer", "--format", "json"], capture: true)
        let cost = try #require(json.split(separator: "\n").first { $0.contains("\"total_cost\"") }?
            .split(separator: "\"").dropFirst(3).first.map(String.init), "\(json)")
        let decisions = json.split(separator: "\n").filter { $0.contains("\"invoice\":") && $0.contains("\"action\":") }.count
        #expect(decisions > 0, "\(json)")
        try s.launch(1)
        try s.waitFor("Plans compared")
        try s.keys(":")
        try s.type("optimize keep buffer")
        try s.keys("Enter")
        let done = try s.wait(for: "the optimal plan and its message", timeout: 60) {
            $0.contains("plan 8/8: optimal") && $0.contains("plan \"optimal\" added")
        }
        let shown = Self.grouped(cost)
        #expect(done.contains("plan \"optimal\" added: \(decisions) decisions, cost " + shown + " · bound "), "\(done) vs \(json)")
        let row = Self.row(done, plan: "★ optimal") + Self.row(done, plan: "optimal")
        #expect(row.contains(" " + shown + " "), "\(row) vs \(cost)")
        // A mistake is said in the status line and starts nothing.
        try s.keys(":")
        try s.type("optimize keep cash")
        try s.keys("Enter")
        try s.waitFor("optimize: keep must be limit or buffer")
        try s.keys("u")
        try s.waitFor("plan 3/7")
        try s.keys("q")
        try s.waitFor("TRESO-EXITED-1")
    }

    /// Esc while `o` runs stops it at once: either nothing was found yet (no plan added) or the best plan so far is
    /// added and says so; nothing else comes later.
    @Test func oThenEscStops() throws {
        let s = try Session()
        defer { s.close() }
        try s.launch(1)
        try s.waitFor("Plans compared")
        try s.keys("o", "Escape")
        let stopped = try s.wait(for: "the stop", timeout: 30) {
            $0.contains("optimization stopped") || $0.contains("stopped (best so far) plan \"optimal\" added")
        }
        #expect(!stopped.contains("optimal plan \"optimal\" added"), "the solve ended before Esc was read")
        let plans = stopped.contains("optimization stopped") ? "plan 3/7" : "plan 8/8: optimal"
        #expect(stopped.contains(plans))
        usleep(3_000_000)
        let later = try s.screen()
        #expect(later.contains(plans), "\(later)")
        #expect(!later.contains("optimizing"), "\(later)")
        try s.keys("q")
        try s.waitFor("TRESO-EXITED-1")
    }

    /// "-1234.56" → "-1 234.56", as Money.formatted() writes it.
    static func grouped(_ decimal: String) -> String {
        let negative = decimal.hasPrefix("-")
        let digits = negative ? String(decimal.dropFirst()) : decimal
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        var whole = String(parts.first ?? "")
        var out = ""
        while whole.count > 3 {
            out = " " + String(whole.suffix(3)) + out
            whole = String(whole.dropLast(3))
        }
        return (negative ? "-" : "") + whole + out + (parts.count > 1 ? "." + parts[1] : "")
    }

    @Test func twoPlannersSavingTheSameScenarioBothKeepTheirPlans() throws {
        let s = try Session()
        defer { s.close() }
        try s.launch(1)
        try s.waitFor("Plans compared")
        try s.openSecondTerminal("two")
        try s.launch(2)
        try s.waitFor("Plans compared")

        s.use("main")
        try s.keys(":")
        try s.type("plan new alpha")
        try s.keys("Enter")
        try s.waitFor("plan 8/8: alpha")
        try s.keys("w")
        try s.waitFor("saved ")

        s.use("two")
        try s.keys(":")
        try s.type("plan new beta")
        try s.keys("Enter")
        try s.waitFor("plan 8/8: beta")
        try s.keys("w")
        try s.waitFor("Scenario file changed on disk")
        #expect(!s.file("treso.toml").contains("name = \"beta\""))
        try s.keys("r")
        try s.waitFor("re-applied")
        let both = s.file("treso.toml")
        #expect(both.contains("name = \"alpha\""))
        #expect(both.contains("name = \"beta\""))
        // Both quit without a question: each one's work is in the file.
        try s.keys("q")
        try s.waitFor("TRESO-EXITED-2")
        s.use("main")
        try s.keys("q")
        try s.waitFor("TRESO-EXITED-1")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: s.dir)) ?? []
        #expect(!left.contains { $0.hasSuffix(".tmp") }, "temporary files left: \(left)")
    }

    /// Issue 9: `:export csv treso.toml` used to overwrite the scenario, and `q` then quit at once.
    @Test func anExportOntoTheScenarioFileIsRefused() throws {
        let s = try Session()
        defer { s.close() }
        let before = s.file("treso.toml")
        try s.launch(1)
        try s.waitFor("Plans compared")
        try s.keys(":")
        try s.type("export csv treso.toml")
        try s.keys("Enter")
        try s.waitFor("scenario's own files")
        try s.keys(":")
        try s.type("export csv out.csv")
        try s.keys("Enter")
        try s.waitFor("exported the projection")
        try s.keys(":")
        try s.type("export csv out.csv")
        try s.keys("Enter")
        try s.waitFor("Replace an existing file?")
        try s.keys("n", "q")
        try s.waitFor("TRESO-EXITED-1")
        #expect(s.file("treso.toml") == before)
        #expect(s.file("out.csv").hasPrefix("date,"))
    }

    /// SIGUSR1 and SIGPIPE used to leave the terminal raw; after SIGILL (what a Swift trap raises),
    /// Swift's crash handler used to wait 30 s for a key: now the process dies at once, terminal restored.
    @Test func fatalSignalsRestoreTheTerminalAndDieAtOnce() throws {
        let s = try Session()
        defer { s.close() }
        for (n, signal) in [(1, SIGTERM), (2, SIGHUP), (3, SIGUSR1), (4, SIGPIPE), (5, SIGILL)] {
            // sh -c writes its pid, then becomes treso (exec): treso runs in the foreground with that pid.
            try s.shell("stty -g > \(s.dir)/stty-before-\(n); sh -c 'echo $$ > \(s.dir)/pid-\(n); exec \(tresoBinary()) \(s.dir)'; "
                        + "stty -g > \(s.dir)/stty-after-\(n); printf 'TRESO-%s\\n' EXITED-\(n)")
            try s.waitFor("Plans compared")
            let pid = s.file("pid-\(n)").trimmingCharacters(in: .whitespacesAndNewlines)
            let p = try #require(Int32(pid))
            kill(p, signal)
            try s.waitFor("TRESO-EXITED-\(n)", timeout: 10)
            #expect(s.file("stty-before-\(n)") == s.file("stty-after-\(n)"), "terminal not restored after signal \(signal)")
            #expect(!s.file("stty-after-\(n)").isEmpty)
        }
    }

    @Test func notATerminalPointsToTheHeadlessCommands() throws {
        let (out, err, code) = try run("treso \(packageRoot())/examples/demo")
        #expect(out.isEmpty)
        #expect(code == 1)
        #expect(err.contains("needs a terminal"))
        #expect(err.contains("treso project"))
        #expect(err.contains("treso compare"))
        #expect(err.contains("treso check"))
    }
}
