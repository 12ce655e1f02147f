import Foundation
import Testing
import TestSupport

/// Issue 9: "a kill -9 at any moment leaves either the old or the new file, complete". The real binary
/// saves (`treso optimize DIR --save NAME`: load, solve, the planner's save path) and is killed with
/// SIGKILL at random moments, most of them near the end of the run where the save happens; treso.toml is
/// made large (1 MB of comments) so that writing and fsyncing it takes a while, and every other kill
/// waits for the save's temporary file to appear, then lands within 10 ms.
/// After each kill the file must be byte for byte the old one or the new one; a killed save may leave its
/// temporary file (`.treso.toml.<pid>.<random>.tmp`), which the next save removes, so none is left at the end.
/// Bounded: 30 kills of a run of a fraction of a second (measured: see the note printed), plus a reference
/// save for each kill that left the new file.
@Suite("Kill -9 during saves", .serialized)
struct KillDuringSaveTests {
    static let kills = 30

    /// Runs `treso optimize DIR --save NAME`, killing it with SIGKILL after `killAfter` seconds if it is
    /// still running. Returns whether it was killed, and how long it ran.
    /// When to kill: after a delay, or once the save's temporary file exists (then after up to `jitter`
    /// seconds more, so the kill lands while it is written, fsynced or renamed).
    enum Kill { case after(Double), duringWrite(jitter: Double) }

    static func save(_ dir: String, name: String, killAfter: Double?) -> (killed: Bool, seconds: Double, status: Int32) {
        save(dir, name: name, kill: killAfter.map { .after($0) })
    }

    static func save(_ dir: String, name: String, kill when: Kill?) -> (killed: Bool, seconds: Double, status: Int32) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tresoBinary())
        // Without the demo's "bank" instruments (its credit line among them): on the demo's first rows the line's model
        // runs to the time limit (a known follow-up), and this test is about saving, not solving.
        p.arguments = ["optimize", dir, "--save", name, "--instruments", "fintech,scf,platform,bnpl,negotiate"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        let start = Date()
        do { try p.run() } catch { return (false, 0, -1) }
        var killed = false
        switch when {
        case nil: break
        case .after(let seconds)?:
            while p.isRunning && Date().timeIntervalSince(start) < seconds { usleep(500) }
        case .duringWrite(let jitter)?:
            while p.isRunning && temporaries(dir).isEmpty { usleep(100) }
            usleep(UInt32(jitter * Double.random(in: 0...1) * 1_000_000))
        }
        if when != nil, p.isRunning { kill(p.processIdentifier, SIGKILL); killed = true }
        p.waitUntilExit()
        return (killed && p.terminationReason == .uncaughtSignal, Date().timeIntervalSince(start), p.terminationStatus)
    }

    /// `optimize` exits 2 when no plan keeps the overdraft limit (the demo's first rows alone do not); it
    /// still saves the cheapest plan under the relaxed limit, which is all this test needs.
    static func saved(_ status: Int32) -> Bool { status == 0 || status == 2 }

    static func temporaries(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix(".treso.toml.") && $0.hasSuffix(".tmp") }
    }

    static func copyOfDemo(_ tag: String) throws -> String {
        // On the real disk, not a tmpfs, so that fsync costs what it costs for a user.
        let dir = packageRoot() + "/.build/kill-test-" + tag + "-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // The demo's first rows only: the run is then mostly loading and saving, not optimizing.
        for n in ["receivables.csv", "payables.csv"] {
            let text = try #require(readText(packageRoot() + "/examples/demo/" + n))
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            writeText(dir + "/" + n, lines.prefix(12).joined(separator: "\n") + "\n")
        }
        return dir
    }

    @Test func aKilledSaveLeavesTheOldOrTheNewFileWholeAndNoStaleTemporary() throws {
        let dir = try Self.copyOfDemo("live")
        let reference = try Self.copyOfDemo("ref")
        defer { try? FileManager.default.removeItem(atPath: dir); try? FileManager.default.removeItem(atPath: reference) }
        let demo = try #require(readText(packageRoot() + "/examples/demo/treso.toml"))
        let padding = String(repeating: "# " + String(repeating: "padding so that a save takes a while ", count: 2) + "\n", count: 14_000)
        writeText(dir + "/treso.toml", demo + "\n" + padding)

        // How long one uninterrupted save takes here (the fastest of three, the machine may be busy):
        // kills are spread over [0.3, 1.1] × that.
        var duration = Double.infinity
        for n in 1...3 {
            writeText(reference + "/treso.toml", try #require(readText(dir + "/treso.toml")))
            let timing = Self.save(reference, name: "timing \(n)", killAfter: nil)
            #expect(Self.saved(timing.status))
            duration = min(duration, max(timing.seconds, 0.02))
        }

        var before = try #require(readText(dir + "/treso.toml"))
        var outcomes = (old: 0, new: 0, finished: 0, temporariesLeft: 0)
        var rng = SystemRandomNumberGenerator()
        for k in 1...Self.kills {
            let name = "kill \(k)"
            // Every other kill waits for the save's temporary file: a kill at a random instant rarely
            // lands inside the few milliseconds of the write.
            let delay = duration * Double.random(in: 0.3...1.1, using: &rng)
            let run = Self.save(dir, name: name, kill: k % 2 == 0 ? .after(delay) : .duringWrite(jitter: 0.01))
            let after = try #require(readText(dir + "/treso.toml"), "treso.toml is gone after a kill at \(delay) s")
            if !run.killed { outcomes.finished += 1; duration = min(duration, run.seconds) }
            if after == before {
                outcomes.old += 1
            } else {
                // What a complete save from `before` writes, computed without a kill on a copy.
                writeText(reference + "/treso.toml", before)
                #expect(Self.saved(Self.save(reference, name: name, killAfter: nil).status))
                let new = try #require(readText(reference + "/treso.toml"))
                #expect(after == new, "kill \(k) at \(delay) s left a file that is neither the old nor the new one")
                #expect(after.contains("name = \"\(name)\""))
                outcomes.new += 1
            }
            outcomes.temporariesLeft += Self.temporaries(dir).count
            before = after
        }
        // A finished save removes what killed ones left: nothing stale remains for a later save to trip on.
        #expect(Self.saved(Self.save(dir, name: "last", killAfter: nil).status))
        #expect(Self.temporaries(dir) == [], "stale temporaries: \(Self.temporaries(dir))")
        let check = Process()
        check.executableURL = URL(fileURLWithPath: tresoBinary())
        check.arguments = ["check", dir]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0, "the file after \(Self.kills) kills does not check")
        print("kill -9 during saves: \(Self.kills) runs, one save \(String(format: "%.3f", duration)) s; "
              + "old file kept \(outcomes.old), new file \(outcomes.new), finished before the kill \(outcomes.finished), "
              + "temporaries seen right after a kill \(outcomes.temporariesLeft)")
    }
}
