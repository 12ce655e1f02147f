import Foundation
import Testing
import TestSupport

/// `treso optimize` through the real binary: the JSON contract, and the cost it reports is what
/// `treso compare` reports for a plan made of exactly its decisions.
@Suite struct OptimizeCommandTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func savedPlanCostsWhatCompareSays() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("treso-optimize-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.copyItem(atPath: packageRoot() + "/examples/demo", toPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (out, err, code) = try run("treso optimize \(dir) --format json --save \"best found\"")
        #expect(code == 0, "\(err)")
        let o = try json(out)
        #expect(o["status"] as? String == "optimal")
        #expect(o["lower_bound"] as? String == o["total_cost"] as? String)
        #expect(o["gap"] as? String == "0.0000")
        #expect(o["shortfall"] is NSNull && o["shortfall_date"] is NSNull)
        #expect(o["seconds"] is NSNumber)
        let decisions = try #require(o["decisions"] as? [[String: String]])
        #expect(!decisions.isEmpty && decisions.allSatisfy { $0["invoice"] != nil && $0["action"] != nil })
        let toml = try String(contentsOfFile: dir + "/treso.toml", encoding: .utf8)
        #expect(toml.contains("min_cash = 15000.00          # the buffer the CFO wants to keep"), "comments kept")
        #expect(toml.contains("name = \"best found\""))
        let (cmp, _, ccode) = try run("treso compare \(dir) --plan \"best found\" --format json")
        #expect(ccode == 0)
        let plans = try #require(try json(cmp)["plans"] as? [[String: Any]])
        let saved = try #require(plans.first { $0["name"] as? String == "best found" })
        #expect(saved["total_cost"] as? String == o["total_cost"] as? String)
        #expect(saved["days_over_limit"] as? Int == 0)
    }

    /// The credit line as the only instrument: the JSON lists the drawings, `--save` writes them in the plan (the other
    /// plans' drawings kept), and `treso compare` charges the saved plan exactly what optimize reported.
    @Test func savedDrawingsCostWhatCompareSays() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("treso-optimize-line-\(getpid())").path
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.copyItem(atPath: packageRoot() + "/examples/demo", toPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (out, err, code) = try run("treso optimize \(dir) --instruments lines --format json --save \"line only\"")
        #expect(code == 0, "\(err)")
        let o = try json(out)
        #expect(o["status"] as? String == "optimal")
        #expect((o["decisions"] as? [Any])?.isEmpty == true)
        let drawings = try #require(o["drawings"] as? [[String: String]])
        #expect(!drawings.isEmpty && drawings.allSatisfy { $0["line"] == "bank" && $0["amount"] != nil && $0["from"] != nil && $0["to"] != nil })
        #expect(drawings.allSatisfy { d in Double(d["amount"] ?? "") .map { $0 >= 10_000 && $0.truncatingRemainder(dividingBy: 10_000) == 0 } ?? false })
        let toml = try String(contentsOfFile: dir + "/treso.toml", encoding: .utf8)
        #expect(toml.contains("name = \"line only\"\ndrawings = [\n  { line = \"bank\", amount = "))
        #expect(toml.contains("{ line = \"bank\", auto = true }"), "the demo's automatic plan keeps its drawing")
        let (cmp, _, ccode) = try run("treso compare \(dir) --plan \"line only\" --format json")
        #expect(ccode == 0)
        let plans = try #require(try json(cmp)["plans"] as? [[String: Any]])
        let saved = try #require(plans.first { $0["name"] as? String == "line only" })
        #expect(saved["total_cost"] as? String == o["total_cost"] as? String)
        #expect(saved["days_over_limit"] as? Int == 0)
    }

    /// CBC aborting (it once did on a Clp assertion) ends its child process, not treso: a clear error naming
    /// the solver and the signal, exit 1, nothing on standard output.
    @Test func aSolverAbortIsAnErrorNotACrash() throws {
        let (out, err, code) = try run("treso optimize examples/demo --format json", environment: ["TRESO_SOLVER_TEST_FAULT": "abort"])
        #expect(code == 1)
        #expect(out.isEmpty)
        #expect(err.contains("error: the solver failed, no plan: CBC 2."), "\(err)")
        #expect(err.contains("signal 6 (SIGABRT"), "\(err)")
    }

    /// A solve never outlives treso: kill -9 the command while its solver child hangs, and the kernel ends the
    /// child too (PR_SET_PDEATHSIG), instead of leaving a CBC process eating a core until its time limit.
    @Test func aKilledTresoTakesItsSolverWithIt() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tresoBinary())
        p.arguments = ["optimize", "examples/demo", "--time-limit", "120"]
        p.currentDirectoryURL = URL(fileURLWithPath: packageRoot())
        var env = ProcessInfo.processInfo.environment
        env["TRESO_SOLVER_TEST_FAULT"] = "hang"
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        func children() -> [Int32] {
            // Each thread lists the children it spawned.
            let tasks = "/proc/\(p.processIdentifier)/task"
            let ids = (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []
            return ids.flatMap { id -> [Int32] in
                let text = (try? String(contentsOfFile: "\(tasks)/\(id)/children", encoding: .utf8)) ?? ""
                return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
        }
        var child: Int32?
        for _ in 0..<600 where child == nil {   // up to 60 s on a loaded machine
            child = children().first
            if child == nil { usleep(100_000) }
        }
        let solver = try #require(child, "treso started no solver process")
        usleep(300_000)   // let the child reach its hang (past the parent-death set-up)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        var gone = false
        for _ in 0..<100 where !gone {   // 10 s
            let stat = (try? String(contentsOfFile: "/proc/\(solver)/stat", encoding: .utf8)) ?? ""
            // Gone, or a zombie waiting for init to reap it: either way it no longer runs.
            gone = stat.isEmpty || stat.contains(") Z ")
            if !gone { usleep(100_000) }
        }
        if !gone { kill(solver, SIGKILL) }
        #expect(gone, "the solver process \(solver) outlived treso")
    }

    @Test func infeasibleSaysByHowMuchAndWhen() throws {
        let (out, _, code) = try run("treso optimize examples/cases/6-construction-advance --instruments negotiate --format json")
        #expect(code == 2)
        let o = try json(out)
        #expect(o["status"] as? String == "infeasible")
        #expect(o["shortfall"] as? String == "4000.00")
        #expect(o["shortfall_date"] as? String == "2027-02-01")
        let (table, _, _) = try run("treso optimize examples/cases/6-construction-advance --instruments negotiate")
        #expect(table.contains("Infeasible: no plan keeps the overdraft limit"))
        #expect(table.contains("It takes 4 000.00 more overdraft limit, binding on 2027-02-01"))
    }

    @Test func unknownInstrumentIsAClearError() throws {
        let (_, err, code) = try run("treso optimize examples/demo --instruments nosuch")
        #expect(code == 1)
        #expect(err.contains("no instrument named \"nosuch\""))
    }
}
