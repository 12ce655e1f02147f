import CbcMILP
import Testing
@testable import TresoApp
import TresoCore
import TresoOptimize

/// `:optimize [keep limit|buffer] [instruments LIST] [risk P] [time SECONDS]` (issue 11's left-out item): the words
/// parse and validate as `treso optimize`'s flags (one `OptimizeOptions`), mistakes go to the status line.
@Suite struct OptimizeLineTests {
    @Test func theWordsBecomeTheRequestTresoOptimizeWouldMake() throws {
        var s = try Fixture.demo()
        let job = try #require(JobTests.optimizeJob(s.send(.run("optimize keep buffer instruments scf,negotiate time 30"))))
        #expect(job.request.keep == .buffer && job.request.instruments == ["scf", "negotiate"] && job.request.timeLimit == 30)
        #expect(job.risk == nil && job.request.maxGap == 0)
        #expect(s.optimizeStatus?.contains("(keep the buffer · negotiate,scf)") == true, "\(s.optimizeStatus ?? "")")
        // The CLI's flags make the same request through the same type.
        var cli = OptimizeOptions()
        cli.keep = .buffer
        cli.instruments = OptimizeOptions.instrumentList("scf, negotiate")
        cli.timeLimit = 30
        var request = OptimizeRequest()
        cli.apply(to: &request)
        #expect(request.keep == job.request.keep && request.instruments == job.request.instruments && request.timeLimit == job.request.timeLimit)
    }

    @Test func oIsOptimizeWithTheDefaults() throws {
        var a = try Fixture.demo(), b = try Fixture.demo()
        let byKey = try #require(JobTests.optimizeJob(a.send(.command(.optimize))))
        let byLine = try #require(JobTests.optimizeJob(b.send(.run("optimize"))))
        #expect(byKey == byLine)
        #expect(byKey.request.keep == .limit && byKey.request.instruments == nil && byKey.request.timeLimit == 60 && byKey.risk == nil)
    }

    @Test func riskGivesTheRiskTarget() throws {
        var s = try Fixture.demo()
        let job = try #require(JobTests.optimizeJob(s.send(.run("optimize risk 0.05"))))
        #expect(job.risk?.probability == 0.05 && job.risk?.paths == 200 && job.risk?.seed == 1)
    }

    @Test(arguments: [
        ("optimize keep cash", "keep must be limit or buffer, not \"cash\""),
        ("optimize risk 2", "risk must be a probability between 0 and 1 (e.g. 0.05)"),
        ("optimize risk x", "risk must be a probability between 0 and 1"),
        ("optimize time 0", "time must be between 0 and 86400 seconds"),
        ("optimize time", "time needs a value"),
        ("optimize fast yes", "unknown option \"fast\""),
        ("optimize instruments nosuch", "no instrument named \"nosuch\"; the scenario has"),
    ])
    func mistakesAreSaidInTheStatusLineAndStartNothing(line: String, expected: String) throws {
        var s = try Fixture.demo()
        let effects = s.send(.run(line))
        #expect(JobTests.optimizeJob(effects) == nil)
        #expect(s.jobs.optimizing == nil)
        let m = try #require(s.message)
        #expect(m.isError && m.text.hasPrefix("optimize: ") && m.text.contains(expected), "\(m.text)")
        #expect(JobTests.bottomLine(s).contains("optimize: "))
    }

    /// The CLI's checks are the same sentences (flag names instead of words).
    @Test func theCLIAndThePlannerShareTheirChecks() {
        var o = OptimizeOptions()
        o.risk = 1.5
        #expect(o.problem() == "--risk must be a probability between 0 and 1 (e.g. 0.05)")
        #expect(o.problem(planner: true) == "risk must be a probability between 0 and 1 (e.g. 0.05)")
        o = OptimizeOptions()
        o.timeLimit = -1
        #expect(o.problem() == "--time-limit must be between 0 and 86400 seconds")
        #expect(OptimizeOptions().problem() == nil)
    }

    /// In process, with the real optimizer: `:optimize keep buffer` adds `treso optimize --keep buffer`'s plan.
    @Test func keepBufferAddsTheCLIsPlan() throws {
        var s = try Fixture.demo()
        let job = try #require(JobTests.optimizeJob(s.send(.run("optimize keep buffer"))))
        let outcome = JobWorkers.standard(solver: { CbcSolver() }).optimize(job, JobControl(report: { _ in }))
        s.send(.optimizeEnded(generation: job.generation, outcome))
        var request = OptimizeRequest()
        request.keep = .buffer
        let cli = try PlanOptimizer(engine: ForecastEngine(scenario: s.scenario), solver: CbcSolver()).optimize(request)
        #expect(s.activePlanState.name == "optimal")
        #expect(s.activePlanState.decisions == cli.state.decisions)
        #expect(s.workspace.comparison.results[s.activePlan].totalCost == cli.totalCost)
    }
}
