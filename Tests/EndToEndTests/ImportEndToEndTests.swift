import Foundation
import Testing
import TestSupport

/// The "done when": a folder holding only a Sage/EBP/Cegid-style export becomes a working scenario
/// with `treso init` plus one `[fx]` line, and every open amount is right to the cent in `treso check --format json`.
@Suite struct ImportEndToEndTests {
    func scratchCopy(of fixture: String) throws -> String {
        let dir = NSTemporaryDirectory() + "treso-e2e-import-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let src = packageRoot() + "/Tests/Fixtures/exports/" + fixture
        for f in try FileManager.default.contentsOfDirectory(atPath: src) where f.hasSuffix(".csv") {
            try FileManager.default.copyItem(atPath: src + "/" + f, toPath: dir + "/" + f)
        }
        return dir
    }

    @Test func initPlusOneFXLineGivesEveryOpenAmountToTheCent() throws {
        let dir = try scratchCopy(of: "sage-like")
        let (initOut, initErr, initCode) = try run("treso init \(dir) --start 2026-12-01 --opening-balance 50000")
        #expect(initCode == 0, "\(initErr)")
        #expect(initOut.contains("ADD the GBP rate under [fx]"))
        #expect(initOut.contains("CHECK payment_terms_days = 30"))

        // The one line the user adds.
        var toml = try String(contentsOfFile: dir + "/treso.toml", encoding: .utf8)
        let fx = try #require(toml.range(of: "[fx]"))
        let eol = try #require(toml[fx.upperBound...].firstIndex(of: "\n"))
        toml.insert(contentsOf: "\nGBP = 1.1700", at: eol)
        try toml.write(toFile: dir + "/treso.toml", atomically: true, encoding: .utf8)

        let (out, err, code) = try run("treso check \(dir) --format json")
        #expect(code == 0, "\(err)\n\(out)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let rec = try #require(obj["receivables"] as? [String: Any])
        let pay = try #require(obj["payables"] as? [String: Any])
        #expect(rec["count"] as? Int == 7)
        #expect(rec["total"] as? String == "40626.68")
        let excluded = rec["excluded"] as? [[String: Any]]
        #expect(excluded?.map { $0["id"] as? String } == ["FA-1006"])
        #expect(excluded?.first?["reason"] as? String == "disputed")
        #expect(pay["count"] as? Int == 4)
        #expect(pay["total"] as? String == "7900.00")
        #expect(obj["opening_balance"] as? String == "50000.00")
        let diags = try #require(obj["diagnostics"] as? [[String: Any]])
        #expect(diags.allSatisfy { $0["severity"] as? String == "warning" })
        #expect(diags.allSatisfy { $0["file"] is String && $0["line"] is Int && $0["column"] is Int && $0["message"] is String })
        let exposure = obj["exposure"] as? [[String: Any]]
        #expect(exposure?.first?["currency"] as? String == "GBP")
        #expect(exposure?.first?["net_converted"] as? String == "11246.45")

        // And the headless commands run on it.
        let (_, projErr, projCode) = try run("treso project \(dir) --format csv")
        #expect(projCode == 0, "\(projErr)")
    }

    @Test func rejectedRowsAreNamedAndStrictRefuses() throws {
        let dir = try scratchCopy(of: "sage-like")
        _ = try run("treso init \(dir) --start 2026-12-01")
        // Without the GBP rate, FA-1004 is left out: the projection runs and says so on stderr.
        let (_, err, code) = try run("treso project \(dir) --format csv")
        #expect(code == 0)
        #expect(err.contains("no exchange rate for GBP"))
        #expect(err.contains("1 row(s) rejected and left out; projecting the valid rows only: 1 receivable row(s) (FA-1004)"))
        let (_, strictErr, strictCode) = try run("treso project \(dir) --strict")
        #expect(strictCode == 1)
        #expect(strictErr.contains("nothing was projected"))
        let (_, _, checkCode) = try run("treso check \(dir) --format json")
        #expect(checkCode == 1)
    }

    @Test func aRealFECLoadsItsOpenItems() throws {
        let dir = NSTemporaryDirectory() + "treso-e2e-fec-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: packageRoot() + "/Tests/Fixtures/fec/111111111FEC20221231.TXT", toPath: dir + "/111111111FEC20221231.TXT")
        let (_, initErr, initCode) = try run("treso init \(dir) --start 2023-08-01")
        #expect(initCode == 0, "\(initErr)")
        let (out, err, code) = try run("treso check \(dir) --format json")
        #expect(code == 0, "\(err)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect((obj["receivables"] as? [String: Any])?["total"] as? String == "14472.55")
        #expect((obj["payables"] as? [String: Any])?["total"] as? String == "19299.52")
        #expect(obj["opening_balance"] as? String == "25585.92")
    }

    @Test func aCurrencyShockShowsItsEffectOnCash() throws {
        let (base, _, code) = try run("treso project examples/import-sage --format csv")
        #expect(code == 0)
        let (shocked, err, code2) = try run("treso project examples/import-sage --format csv --fx-shock GBP=-10")
        #expect(code2 == 0)
        // £9 612,35 × 1.17 × 0.90 = 10 121,80455 → 10 121,80 instead of 11 246,45.
        #expect(err.contains("what-if: GBP rate -10 % on 1 invoice(s): receivables − payables change by -1124.65 EUR"))
        #expect(base.split(separator: "\n").last?.hasPrefix("2027-05-29,82726.68,") == true)
        #expect(shocked.split(separator: "\n").last?.hasPrefix("2027-05-29,81602.03,") == true)
        let (_, badErr, badCode) = try run("treso compare examples/import-sage --fx-shock USD=-10")
        #expect(badCode == 1)
        #expect(badErr.contains("no invoice is in USD"))
    }
}
