import Testing
import TestSupport
import TresoCore
@testable import TresoIO
#if canImport(Glibc)
import Glibc
#endif

@Suite struct RiskSectionTests {
    func load(_ toml: String) -> LoadedScenario {
        let dir = "/tmp/treso-risk-section-\(getpid())-\(toml.hashValue & 0xFFFF)"
        mkdir(dir, 0o755)
        writeText(dir + "/treso.toml", "start = 2026-12-01\n" + toml)
        return ScenarioLoader.load(path: dir, defaultStart: Day.ymd(2026, 12, 1))
    }

    @Test func readsDelaysAndProbabilities() throws {
        let r = load("""
        [risk]
        delays = [0, 10, 25]
        default_probability = 0.02
        [risk.customers."Acme Industrie SA"]
        delays = [0, 5, 12, 30]
        default_probability = 0.05
        """)
        #expect(r.errors.isEmpty, "\(r.errors)")
        let risk = try #require(r.scenario?.risk)
        #expect(risk.all.delays == [0, 10, 25])
        #expect(risk.all.defaultProbability == Rate(fraction: "0.02"))
        #expect(risk.customers["Acme Industrie SA"]?.delays == [0, 5, 12, 30])
        #expect(risk.customers["Acme Industrie SA"]?.defaultProbability == Rate(fraction: "0.05"))
    }

    @Test func badValuesAreErrorsWithTheirPlace() {
        let r = load("""
        [risk]
        delays = []
        default_probability = 1.5
        delay = [1]
        [risk.customers."X"]
        delays = ["soon"]
        """)
        let messages = r.errors.map(\.description)
        #expect(messages.contains { $0.contains(":3:") && $0.contains("non-empty array") }, "\(messages)")
        #expect(messages.contains { $0.contains(":4:") && $0.contains("fraction between 0 and 1") }, "\(messages)")
        #expect(messages.contains { $0.contains("unknown key 'risk.delay'") && $0.contains("did you mean 'delays'") }, "\(messages)")
        #expect(messages.contains { $0.contains(":7:") && $0.contains("whole numbers of days") }, "\(messages)")
        #expect(r.scenario == nil)
    }
}
