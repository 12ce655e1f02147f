import Foundation
import Testing
import TestSupport

/// Issue 9's command-line defects, each run against the real binary: a clear message and the right
/// exit status, never a trap, a hang or raw escape sequences on the user's terminal.
@Suite("Hostile input: command line")
struct HostileCLITests {
    struct Run { var status: Int32; var out: String; var err: String; var finished: Bool }

    /// Runs `treso ARGS` with a deadline; output is small, so reading after exit cannot deadlock.
    static func treso(_ args: [String], seconds: Double = 20) -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tresoBinary())
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do { try p.run() } catch { return Run(status: -1, out: "", err: "\(error)", finished: false) }
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        let finished = !p.isRunning
        if !finished { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return Run(status: p.terminationStatus, out: o, err: e, finished: finished)
    }

    static func folder(_ toml: String, _ files: [String: String] = [:]) -> String {
        let dir = NSTemporaryDirectory() + "treso-cli-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        writeText(dir + "/treso.toml", toml)
        for (n, t) in files { writeText(dir + "/" + n, t) }
        return dir
    }

    static let header = "id,counterparty,issue_date,due_date,amount\n"

    @Test func overflowingAmountsAreErrorsNotTraps() {
        // Before: the payable took the balance past Int64.min and the process died of a trap.
        let dir = HostileCLITests.folder("start = 2026-01-05\nopening_balance = -92233720368547758.07\npayables = \"p.csv\"\n",
                                         ["p.csv": HostileCLITests.header + "P1,S,2026-01-01,2026-01-10,100.00\n"])
        let r = HostileCLITests.treso(["project", dir])
        #expect(r.status == 1)
        #expect(r.err.contains("over the limit of 1 000 000 000.00 per amount"))
        #expect(!r.err.contains("Fatal error") && !r.err.contains("arithmetic overflow"))
        let big = HostileCLITests.folder("start = 2026-01-05\npayables = \"p.csv\"\n",
                                         ["p.csv": HostileCLITests.header + "P1,S,2026-01-01,2026-02-01,92233720368547758.07\n"])
        let c = HostileCLITests.treso(["compare", big])
        // The row is rejected and left out (the projection goes on with the valid rows unless --strict).
        #expect(c.err.contains("p.csv:2:28: error: amount '92233720368547758.07' is over the limit"))
        #expect(!c.err.contains("Fatal error") && !c.err.contains("arithmetic overflow"))
        #expect(HostileCLITests.treso(["compare", big, "--strict"]).status != 0)
    }

    @Test func fifoScenarioDoesNotHangCheck() {
        let dir = NSTemporaryDirectory() + "treso-fifo-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        #expect(mkfifo(dir + "/treso.toml", 0o600) == 0)
        let r = HostileCLITests.treso(["check", dir], seconds: 10)
        #expect(r.finished, "treso check blocked on a FIFO")
        #expect(r.status == 1)
        #expect(r.out.contains("named pipe (FIFO), not a regular file"))
    }

    @Test func escapeSequencesFromACSVAreShownEscaped() {
        let csv = HostileCLITests.header + "\u{1B}]0;pwned\u{07}F1,\u{1B}[2JAcme,2026-01-01,2026-01-05,10\n\u{1B}]0;pwned\u{07}F1,B,2026-01-01,2025-12-01,5\n"
        let dir = HostileCLITests.folder("start = 2026-01-05\nreceivables = \"r.csv\"\n", ["r.csv": csv])
        let day = HostileCLITests.treso(["project", dir, "--day", "2026-01-05"])
        #expect(day.status == 0)
        #expect(!day.out.contains("\u{1B}") && !day.out.contains("\u{07}"))
        #expect(day.out.contains("\\e]0;pwned\\x07F1"))
        let check = HostileCLITests.treso(["check", dir])
        #expect(!check.out.contains("\u{1B}") && !check.err.contains("\u{1B}"))
        #expect(check.out.contains("\\e]0;pwned"))
    }

    @Test func commandLineMistakesExit64WithAClearMessage() {
        let demo = packageRoot() + "/examples/demo"
        let plan = HostileCLITests.treso(["project", demo, "--plan", "nope"])
        #expect(plan.status == 64)
        #expect(plan.err.contains("no plan named \"nope\""))
        let horizon = HostileCLITests.treso(["project", demo, "--horizon", "-5"])
        #expect(horizon.status == 64)
        #expect(horizon.err.contains("--horizon must be a whole number of days from 1 to 3660, not '-5'"))
        #expect(!horizon.err.contains("Missing value"))
        let start = HostileCLITests.treso(["project", demo, "--start", "9999-12-31"])
        #expect(start.status == 64)
        #expect(start.err.contains("start 9999-12-31 is outside 1900-01-01 … 2999-12-31"))
        #expect(!start.out.contains("10010"))
    }

    @Test func devZeroAsReceivablesIsRefusedAtOnce() {
        let dir = HostileCLITests.folder("start = 2026-01-05\nreceivables = \"/dev/zero\"\n")
        let r = HostileCLITests.treso(["check", dir], seconds: 10)
        #expect(r.finished)
        #expect(r.out.contains("/dev/zero: error: is a device, not a regular file"))
    }

    @Test func manyWeeklyRecurringFlowsAreRefusedByTheLimitNamed() {
        var toml = "start = 2026-01-05\n"
        for i in 0..<10_001 { toml += "[[recurring]]\nlabel = \"r\(i)\"\namount = -1\nevery = \"week\"\n" }
        let r = HostileCLITests.treso(["check", HostileCLITests.folder(toml)])
        #expect(r.status == 1)
        #expect(r.out.contains("10001 recurring flows: over the limit of 10000 per scenario"))
    }
}
