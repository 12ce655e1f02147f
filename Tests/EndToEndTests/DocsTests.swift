import Foundation
import Testing
import TestSupport

/// The output blocks of docs/calculations.md are what the binary prints today (scripts/update-docs regenerates them).
@Suite struct DocsTests {
    struct Block: CustomStringConvertible {
        let command: String
        let expected: String
        var description: String { command }
    }

    static func blocks(_ doc: String) -> [Block] {
        guard let text = readText(packageRoot() + "/" + doc) else { return [] }
        var out: [Block] = []
        let parts = text.components(separatedBy: "```console\n$ ")
        for part in parts.dropFirst() {
            guard let nl = part.firstIndex(of: "\n"), let end = part.range(of: "```") else { continue }
            out.append(Block(command: String(part[..<nl]), expected: String(part[part.index(after: nl)..<end.lowerBound])))
        }
        return out
    }

    @Test func calculationsDocHasWorkedExamples() {
        #expect(Self.blocks("docs/calculations.md").count >= 10)
    }

    @Test(arguments: DocsTests.blocks("docs/calculations.md"))
    func calculationsBlockMatchesTheBinary(_ block: Block) throws {
        let (out, _, code) = try run(block.command)
        #expect(code == 0, "\(block.command) exited \(code)")
        #expect(out == block.expected, "docs/calculations.md is stale for `\(block.command)`: run scripts/update-docs")
    }
}

/// Runs `treso ARGS` (shell-like quoting with double quotes) from the package root.
func run(_ commandLine: String, environment extra: [String: String] = [:]) throws -> (String, String, Int32) {
    var args: [String] = []
    var current = "", quoted = false, any = false
    for ch in commandLine {
        if ch == "\"" { quoted.toggle(); any = true; continue }
        if ch == " " && !quoted { if any { args.append(current) }; current = ""; any = false; continue }
        current.append(ch); any = true
    }
    if any { args.append(current) }
    guard args.first == "treso" else { return ("", "not a treso command", 127) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tresoBinary())
    p.arguments = Array(args.dropFirst())
    p.currentDirectoryURL = URL(fileURLWithPath: packageRoot())
    if !extra.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 } }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self), p.terminationStatus)
}

@Suite struct CommandLineTests {
    @Test func projectJSONHasTheDocumentedShape() throws {
        let (out, _, code) = try run("treso project examples/cases/0-overdraft --format json")
        #expect(code == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        let days = obj?["days"] as? [[String: Any]]
        #expect(days?.count == 7)
        #expect(days?.first?["date"] as? String == "2026-12-28")
        #expect(days?.last?["closing"] as? String == "-10025.86")
        #expect(days?[3]["charges"] as? String == "-12.92")   // signed like the table: cash out is negative
        #expect(days?[1]["disbursements"] as? String == "-11000.00")
        #expect((days?[3]["flags"] as? [String]) == ["overdrawn", "over_limit", "below_buffer"])
        let summary = obj?["summary"] as? [String: Any]
        #expect(summary?["lowest_balance"] as? String == "-10025.86")
        #expect(summary?["lowest_balance_date"] as? String == "2027-01-03")
        #expect(summary?["days_overdrawn"] as? Int == 6)
        #expect(summary?["bank_charges"] as? String == "25.86")
    }

    @Test func compareJSONMarksTheBestPlan() throws {
        let (out, _, code) = try run("treso compare examples/cases/2-factoring-advance --format json")
        #expect(code == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        let plans = obj?["plans"] as? [[String: Any]] ?? []
        #expect(plans.map { $0["name"] as? String } == ["overdraft only", "negotiate terms", "factor", "fintech"])
        #expect(plans[2]["total_cost"] as? String == "335.00")
        #expect(plans[2]["operating_cost"] as? String == "200.00")
        #expect(plans[2]["financial_cost"] as? String == "135.00")
        #expect(plans[2]["effective_annual_rate"] as? String == "11.3218")
        // Issue 8's fields: the common window and closing position, costs by kind, the verdict and its assumptions.
        #expect(obj?["window_end"] as? String == "2027-02-28" && obj?["days_past_horizon"] as? Int == 0)
        #expect(plans[2]["window_end"] as? String == "2027-02-28")
        #expect(plans[2]["closing_position"] as? String == "24625.00")
        #expect(plans[2]["credit_losses"] as? String == "0.00")
        #expect(plans[3]["financial_cost"] as? String == "270.00" && plans[3]["operating_cost"] as? String == "0.00")
        #expect(plans[0]["verdict"] as? String == "best" && plans[2]["verdict"] as? String == "admissible")
        #expect(plans[2]["assumptions"] as? [String] == [])
        for key in ["late_interest", "late_indemnities", "overdraft_penalty", "price_increase", "lost_discounts", "bad_debt_vat_relief"] {
            #expect(plans[2][key] as? String == "0.00", "\(key)")
        }
    }

    @Test func demoTableFitsOneHundredColumns() throws {
        let (out, _, code) = try run("treso project examples/demo")
        #expect(code == 0)
        for line in out.split(separator: "\n") { #expect(line.count <= 100, "too wide: \(line)") }
        #expect(out.contains("-65 828.24"), "the demo's squeeze shows with a minus sign")
    }

    @Test func missingFolderIsAClearErrorWithExit1() throws {
        let (_, err, code) = try run("treso project /nonexistent/scenario")
        #expect(code == 1)
        #expect(err.contains("no scenario at '/nonexistent/scenario'"))
    }

    @Test func checkListsEveryProblemWithLocations() throws {
        let dir = NSTemporaryDirectory() + "treso-check-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        name = "Bad"
        start = 2026-12-01
        horizon_days = -5
        opening_balance = 1000.001
        receivables = "r.csv"
        [overdraft]
        annual_rate = 150
        limt = 3
        """.write(toFile: dir + "/treso.toml", atomically: true, encoding: .utf8)
        try "id,counterparty,issue_date,due_date,amount,currency\nA,X,2026-12-01,2026-13-01,10.00,EUR\nB,Y,2026-12-01,2026-12-31,abc,EUR\nC,Z,2026-12-01,2026-12-31,5.00,USD\n"
            .write(toFile: dir + "/r.csv", atomically: true, encoding: .utf8)
        let (out, _, code) = try run("treso check \(dir)")
        #expect(code == 1)
        #expect(out.contains("treso.toml:3:16: error:"), "negative horizon")
        #expect(out.contains("treso.toml:4:19: error:"), "three decimals")
        #expect(out.contains("treso.toml:7:15: error:"), "rate above 100 %")
        #expect(out.contains("treso.toml:8:1: error: unknown key 'overdraft.limt' (did you mean 'limit'?)"))
        #expect(out.contains("r.csv:2:"), "bad date row")
        #expect(out.contains("r.csv:3:"), "bad amount row")
        #expect(out.contains("r.csv:4:"), "other currency row")
    }
}

@Suite struct ReadmeTests {
    /// The README's key table is the code's key table: help never drifts from the real keys.
    @Test func readmeKeyTableIsGeneratedFromTheKeyTable() throws {
        let readme = try #require(readText(packageRoot() + "/README.md"))
        let (keys, _, code) = try run("treso keys")
        #expect(code == 0)
        #expect(!keys.isEmpty)
        #expect(readme.contains("<!-- KEYS -->\n" + keys + "<!-- /KEYS -->"), "README key table is stale: run scripts/update-docs")
    }

    /// The README opens with the two set-up commands, and CI runs exactly the test one.
    @Test func readmeStartsWithTheTwoCommandsAndCIRunsTheTestOne() throws {
        let readme = try #require(readText(packageRoot() + "/README.md"))
        let ci = try #require(readText(packageRoot() + "/.ci/run"))
        let firstBlock = readme.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first ?? ""
        #expect(firstBlock.contains("swift run -c release treso examples/demo"))
        #expect(firstBlock.contains("scripts/test"))
        #expect(ci.contains("scripts/test"))
    }
}
