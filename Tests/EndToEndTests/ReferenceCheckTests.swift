import Foundation
import Testing
import TestSupport

/// The binary agrees, figure for figure, with an independent Python reference written from the docs alone
/// (scripts/reference_check.py) on random scenarios covering every instrument, plans and defaults.
@Suite struct ReferenceCheckTests {
    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map({ $0 + "/python3" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) })

    /// Shown as skipped (not passed) when python3 is absent.
    @Test(.enabled(if: python != nil, "python3 is not installed: the independent reference cannot run"))
    func binaryMatchesTheIndependentReference() throws {
        let python = try #require(Self.python)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        // 40 random seeds, and every worked case as written in examples/cases.
        let cases = ((try? FileManager.default.contentsOfDirectory(atPath: packageRoot() + "/examples/cases")) ?? []).sorted()
        p.arguments = [packageRoot() + "/scripts/reference_check.py", "--seeds", "0-39", "--treso", tresoBinary()]
            + cases.flatMap { ["--folder", packageRoot() + "/examples/cases/" + $0] }
        p.currentDirectoryURL = URL(fileURLWithPath: packageRoot())
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "reference check failed:\n\(text.suffix(3000))")
        #expect(text.contains("0 mismatches"))
        #expect(text.contains("compared \(40 + cases.count) seeds"), "every worked case was checked")
    }
}
