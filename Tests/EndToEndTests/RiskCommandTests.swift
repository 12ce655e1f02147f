import Foundation
import Testing
import TestSupport

/// `treso risk` and `treso optimize --risk` through the real binary: the JSON contracts, learned delays said by name.
@Suite struct RiskCommandTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func riskOnAnExportWithPaymentHistorySaysWhoseDelaysAreLearned() throws {
        let (out, err, code) = try run("treso risk examples/cases/12-payment-history --paths 400 --format json")
        #expect(code == 0, "\(err)")
        let o = try json(out)
        #expect(o["paths"] as? Int == 400)
        let plans = try #require(o["plans"] as? [[String: Any]])
        let first = try #require(plans.first)
        for key in ["p_over_limit", "p_below_buffer", "expected_cost", "cost_p95", "lowest_balance_p5", "quantile_error", "days"] {
            #expect(first[key] != nil, "\(key)")
        }
        let assumptions = try #require(o["assumptions"] as? [String])
        #expect(assumptions.contains("delays learned from payment history: Lenteur SARL (4 paid), Rapide SA (3 paid)"))
        #expect(assumptions.contains { $0.hasPrefix("delays assumed (no or too little history) for Nouveau Client") })
        // Same seed, same output.
        let (again, _, _) = try run("treso risk examples/cases/12-payment-history --paths 400 --format json")
        #expect(again == out)
    }

    @Test func optimizeAtARiskLevelReportsInAndOutOfSample() throws {
        let (out, err, code) = try run("treso optimize examples/cases/10-late-customer --risk 0.1 --paths 50 --format json")
        #expect(code == 0, "\(err)")
        let o = try json(out)
        let risk = try #require(o["risk"] as? [String: Any])
        #expect((risk["target"] as? NSNumber)?.doubleValue == 0.1)
        #expect(risk["paths"] as? Int == 50 && risk["check_paths"] as? Int == 2000 && risk["allowed_paths"] as? Int == 5)
        let inSample = try #require((risk["in_sample"] as? NSNumber)?.doubleValue)
        let outOfSample = try #require((risk["out_of_sample"] as? NSNumber)?.doubleValue)
        #expect(inSample <= 0.1)
        #expect(outOfSample <= 0.1 + 3 * (0.09 / 2000).squareRoot())
        let (_, bad, badCode) = try run("treso optimize examples/cases/10-late-customer --risk 1.5")
        #expect(badCode != 0 && bad.contains("--risk must be a probability between 0 and 1"))
    }
}
