#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
import TresoCore
import TresoFuzz
@testable import TresoIO

/// Issue 9's reader defects, each a test that failed before the fix: hostile files get a clear,
/// located error, bounded in time and memory, and never reach a trap.
@Suite("Hostile input: readers")
struct HostileInputTests {
    static func tempDir() -> String {
        var template = Array("/tmp/treso-hostile-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress, let made = mkdtemp(base) else { return "/tmp" }
            return String(cString: made)
        }
    }

    static func write(_ bytes: [UInt8], to path: String) {
        guard let f = fopen(path, "wb") else { Issue.record("cannot write \(path)"); return }
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }

    /// A scenario folder with `toml` as treso.toml and the given invoice files.
    static func scenario(_ toml: String, files: [String: String] = [:]) -> String {
        let dir = tempDir()
        writeText(dir + "/treso.toml", toml)
        for (name, text) in files { writeText(dir + "/" + name, text) }
        return dir
    }

    static func errors(_ dir: String) -> [String] {
        ScenarioLoader.load(path: dir, defaultStart: .ymd(2026, 1, 5)).errors.map(\.description)
    }

    static let header = "id,counterparty,issue_date,due_date,amount\n"

    // MARK: Only regular files, bounded

    @Test func devZeroIsRefusedBeforeAnyRead() {
        let r = readRegularFile(path: "/dev/zero", displayName: "z", limit: .data)
        guard case .failure(let d) = r else { Issue.record("read /dev/zero"); return }
        #expect(d.message.contains("is a device"))
        let dir = HostileInputTests.scenario("receivables = \"/dev/zero\"\n")
        #expect(HostileInputTests.errors(dir).contains { $0.contains("/dev/zero: error: is a device, not a regular file") })
    }

    @Test func fifoIsRefusedWithoutBlocking() {
        let dir = HostileInputTests.tempDir()
        let fifo = dir + "/pipe.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        // No writer: a blocking open would wait forever here.
        guard case .failure(let d) = readRegularFile(path: fifo, displayName: "pipe.csv", limit: .data) else { Issue.record("read a FIFO"); return }
        #expect(d.message.contains("named pipe (FIFO)"))
        _ = unlink(dir + "/treso.toml")
        _ = mkfifo(dir + "/treso.toml", 0o600)
        #expect(HostileInputTests.errors(dir).first?.contains("named pipe") == true)
    }

    @Test func symlinkLoopAndEmptyPathSayWhat() {
        let dir = HostileInputTests.tempDir()
        _ = symlink(dir + "/loop", dir + "/loop")
        guard case .failure(let d) = readRegularFile(path: dir + "/loop", displayName: "loop", limit: .text) else { Issue.record("loop"); return }
        #expect(d.message.contains("too many symbolic links"))
        let s = HostileInputTests.scenario("receivables = \"\"\nopening_balance = 1\n")
        #expect(HostileInputTests.errors(s).contains { $0.hasSuffix("treso.toml:1:15: error: 'receivables' is empty: name the CSV file (e.g. receivables = \"receivables.csv\"), or remove the line if there are no receivables") })
    }

    @Test func sizeLimitIsCheckedBeforeReading() {
        let dir = HostileInputTests.tempDir()
        let path = dir + "/big.toml"
        HostileInputTests.write([UInt8](repeating: 0x23, count: FileSizeLimit.textDefault + 1), to: path)
        guard case .failure(let d) = readRegularFile(path: path, displayName: "big.toml", limit: .text) else { Issue.record("read over the limit"); return }
        #expect(d.message.hasPrefix("file too large: 16000001 bytes, over the limit of 16000000 bytes"))
        #expect(d.message.contains("TRESO_MAX_FILE_MB"))
    }

    // MARK: Money that cannot overflow

    @Test func openingBalanceNearInt64IsRejectedAtItsPosition() {
        let dir = HostileInputTests.scenario("start = 2026-01-05\nopening_balance = 92233720368547758.07\n")
        let e = HostileInputTests.errors(dir)
        #expect(e.count == 1)
        #expect(e.first?.hasSuffix("treso.toml:2:19: error: 'opening_balance' = 92233720368547758.07 is over the limit of 1 000 000 000.00 per amount") == true)
        let over = HostileInputTests.scenario("opening_balance = 1000000000.01\n")
        #expect(HostileInputTests.errors(over).first?.contains("is over the limit of 1 000 000 000.00 per amount") == true)
    }

    @Test func payablesWhoseSumExceedsTheScenarioLimitAreRejectedAtTheRowThatCrossesIt() {
        var csv = "id,counterparty,issue_date,due_date,amount\n"
        for i in 1...101 { csv += "P\(i),S,2026-01-01,2026-02-01,1000000000.00\n" }
        let dir = HostileInputTests.scenario("start = 2026-01-05\npayables = \"p.csv\"\n", files: ["p.csv": csv])
        let e = HostileInputTests.errors(dir)
        #expect(e.count == 1)
        #expect(e.first?.contains("p.csv:102: error: invoice P101 brings the scenario's amounts to more than 100 000 000 000.00, the limit per scenario") == true)
        var one = "id,counterparty,issue_date,due_date,amount\nP1,S,2026-01-01,2026-02-01,92233720368547758.07\n"
        one += "P2,S,2026-01-01,2026-02-01,1000000000.01\n"
        let r = InvoiceCSVReader.read(bytes: Array(one.utf8), displayName: "p.csv", kind: .payable, currency: "EUR")
        #expect(r.diagnostics.first?.description == "p.csv:2:28: error: amount '92233720368547758.07' is over the limit of 1 000 000 000.00 per amount")
        #expect(r.invoices.isEmpty)
    }

    @Test func everyLimitAtOnceProjectsAndComparesWithoutTrapping() {
        // The worst case the limits allow: every amount a debit at its maximum, rates at their caps,
        // ten years, late payment plans with penalties. It must finish (a trap would kill the test run).
        let start = Day.ymd(2026, 1, 5)
        var s = Scenario(start: start, horizonDays: ScenarioLimits.maxHorizonDays, openingBalance: Money(cents: -ScenarioLimits.maxAmount.cents))
        s.overdraft = OverdraftTerms(limit: .zero, annualRate: ScenarioLimits.maxOverdraftRate,
                                     highestOverdraftRate: ScenarioLimits.maxHighestOverdraftRate)
        let count = Int(ScenarioLimits.maxTotal.cents / ScenarioLimits.maxAmount.cents) - 1
        s.payables = (0..<count).map { i in
            Invoice(id: "P\(i)", counterparty: "S", issueDate: start - 400, dueDate: start + i % 30, amount: ScenarioLimits.maxAmount)
        }
        s.instruments.negotiation.latePenaltyPoints = .one
        s.instruments.negotiation.ecbRate = .one
        s.plans = [Plan(name: "late", rules: [PlanRule(kind: .payable, selector: .all, decision: .payLate(365))])]
        #expect(ScenarioLimits.firstViolation(in: s) == nil)
        let c = PlanComparison(engine: ForecastEngine(scenario: s), plans: s.plans)
        for r in c.results {
            #expect(r.projection.summary.finalBalance.isNegative)
            #expect(r.projection.summary.finalBalance.cents > Int64.min / 2)
        }
    }

    @Test func scenarioLimitsAreRejectedWithTheirNames() {
        let far = HostileInputTests.scenario("start = 9999-12-31\n")
        #expect(HostileInputTests.errors(far).first?.contains("treso.toml:1:9: error: start 9999-12-31 is outside 1900-01-01 … 2999-12-31") == true)
        let commission = HostileInputTests.scenario("[overdraft]\nhighest_overdraft_rate = 50\n")
        #expect(HostileInputTests.errors(commission).first?.contains("out of range 0…1 %") == true)
        var many = "start = 2026-01-05\nhorizon_days = 3660\n"
        for i in 0..<2000 { many += "[[recurring]]\nlabel = \"w\(i)\"\namount = -1\nevery = \"week\"\nday = 1\n" }
        let e = HostileInputTests.errors(HostileInputTests.scenario(many))
        #expect(e.count == 1)
        #expect(e.first?.contains("over the limit of 1000000") == true)
    }

    // MARK: Clear messages

    @Test func nonUTF8ScenarioIsRejectedAtTheFirstBadByte() {
        let dir = HostileInputTests.tempDir()
        HostileInputTests.write(Array("start = 2026-01-05\n# caf".utf8) + [0xE9] + Array(" au lait\n".utf8), to: dir + "/treso.toml")
        let e = HostileInputTests.errors(dir)
        #expect(e.count == 1)
        #expect(e.first?.hasSuffix("treso.toml:2:6: error: byte 0xE9 is not UTF-8 (Latin-1 or Windows-1252 text?); scenario files must be UTF-8: save it as UTF-8 (treso does not re-encode it, so that saving never alters your text)") == true)
    }

    @Test func emptyScenarioFileSaysSo() {
        let e = HostileInputTests.errors(HostileInputTests.scenario("\n  \n"))
        #expect(e.count == 1)
        #expect(e.first?.contains("empty scenario file") == true)
        #expect(e.first?.contains("header") == false)
    }

    @Test func lateBeyond365SaysTheRange() {
        let toml = "start = 2026-01-05\n[[plans]]\nname = \"x\"\n[[plans.decisions]]\nall = true\naction = \"late:366\"\n"
        let e = HostileInputTests.errors(HostileInputTests.scenario(toml))
        #expect(e.contains { $0.contains("\"late:366\": late:DAYS pays 1 to 365 days after the due date") })
    }

    @Test func utf16WithoutBOMIsReadNotShownAsNULBytes() {
        let text = HostileInputTests.header + "F1,Acme,2026-01-01,2026-02-01,10.00\n"
        var bytes: [UInt8] = []
        for u in text.utf16 { bytes += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        let r = InvoiceCSVReader.read(bytes: bytes, displayName: "u.csv", kind: .receivable, currency: "EUR")
        #expect(r.invoices.map(\.id) == ["F1"])
        #expect(r.diagnostics.map(\.description) == ["u.csv: warning: UTF-16 text without a byte-order mark (every other byte is 0): read as UTF-16 LE; save the file as UTF-8 to silence this warning"])
    }

    // MARK: Bounded work

    @Test func errorListingIsCappedWithACountOfTheRest() {
        var csv = HostileInputTests.header
        for i in 0..<5000 { csv += "B\(i),X,not-a-date,2026-02-01,abc\n" }
        let r = InvoiceCSVReader.read(bytes: Array(csv.utf8), displayName: "b.csv", kind: .receivable, currency: "EUR")
        #expect(r.diagnostics.count == InvoiceCSVParser.listedLimit + 1)
        #expect(r.diagnostics.last?.description == "b.csv: error: … and 9900 errors more, not listed (the first 100 problems are): fix these, then check again")
    }

    @Test func aHugeLineIsNeverQuotedWhole() {
        let line = [UInt8](repeating: 0x41, count: 2_000_000)
        let r = InvoiceCSVReader.read(bytes: line, displayName: "n.csv", kind: .receivable, currency: "EUR")
        #expect(!r.diagnostics.isEmpty)
        #expect(r.diagnostics.allSatisfy { $0.message.utf8.count < 2_000 })
    }

    @Test func rowGuessFromASkewedSampleReservesNoMoreThanTheBytesCanHold() {
        var text = HostileInputTests.header + String(repeating: "\n", count: 70_000)
        for i in 0..<100 { text += "F\(i),Acme,2026-01-01,2026-02-01,10.00\n" }
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            var parser = InvoiceCSVParser(base: base, end: buf.count, start: 0, file: "s.csv", kind: .receivable, options: InvoiceImportOptions(currency: "EUR"), invalidOffsets: [])
            defer { parser.release() }
            guard let data = parser.readHeader() else { Issue.record("header"); return }
            let plan = parser.plan(data, parallel: false)
            #expect(plan.capacity <= buf.count / InvoiceCSVParser.minimumRowBytes + 64)
        }
        let r = InvoiceCSVReader.read(bytes: bytes, displayName: "s.csv", kind: .receivable, currency: "EUR")
        #expect(r.invoices.count == 100 && r.diagnostics.isEmpty)
    }

    // MARK: Fuzzer crashers stay fixed

    @Test func everySavedCrasherRunsCleanly() throws {
        let root = packageRoot() + "/Tests/crashers"
        var replayed = 0
        for target in FuzzTargets.all {
            guard let dir = opendir(root + "/" + target.name) else { continue }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard !name.hasPrefix("."), name != "README.md" else { continue }
                guard let text = readBytes(root + "/" + target.name + "/" + name) else { continue }
                text.withUnsafeBufferPointer { target.run($0) }
                replayed += 1
            }
        }
        #expect(replayed > 0)
    }
}

private func readBytes(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        out += buf[0..<n]
    }
    return out
}
