import Foundation
import Testing
import TestSupport
import TresoCore
@testable import TresoIO

/// Until the libFuzzer targets exist for these readers (issue 9's pattern), every real fixture is
/// mutated thousands of times (bytes flipped, cut, duplicated, spliced): the readers must answer with
/// documents or diagnostics, never trap.
@Suite struct ReaderRobustnessTests {
    static func fixtures(_ folder: String) -> [[UInt8]] {
        let dir = packageRoot() + "/Tests/Fixtures/" + folder
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix("LICENSE") && !$0.hasSuffix(".md") }.sorted()
        return names.compactMap { FileManager.default.contents(atPath: dir + "/" + $0).map { Array($0) } }
    }

    static func mutate(_ b: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var out = b
        guard !out.isEmpty else { return [UInt8(truncatingIfNeeded: rng.next())] }
        switch rng.next() % 6 {
        case 0: for _ in 0..<(1 + Int(rng.next() % 8)) { out[Int(rng.next() % UInt64(out.count))] = UInt8(truncatingIfNeeded: rng.next()) }
        case 1: out = Array(out.prefix(Int(rng.next() % UInt64(out.count))))
        case 2: let i = Int(rng.next() % UInt64(out.count)); out.insert(contentsOf: out[i..<min(out.count, i + 64)], at: i)
        case 3: let i = Int(rng.next() % UInt64(out.count)); out.removeSubrange(i..<min(out.count, i + Int(rng.next() % 200)))
        case 4: out[Int(rng.next() % UInt64(out.count))] = [0x3C, 0x3E, 0x2F, 0x3A, 0x7B, 0x7D, 0x2D, 0x0A, 0x28, 0x29][Int(rng.next() % 10)]
        default: let digits: [UInt8] = Array("9999999999999999999".utf8); let i = Int(rng.next() % UInt64(out.count)); out.insert(contentsOf: digits, at: i)
        }
        return out
    }

    @Test func mutatedEInvoicesNeverTrap() {
        var rng = SeededRandom(seed: 12)
        var read = 0, rejected = 0
        for f in Self.fixtures("einvoices") {
            for _ in 0..<(f.count > 100_000 ? 20 : 120) {
                switch EInvoiceReader.document(Self.mutate(f, &rng), file: "m") {
                case .success: read += 1
                case .failure(let d): rejected += 1; #expect(d.file == "m" && !d.message.isEmpty)
                }
            }
        }
        #expect(read > 0 && rejected > 0)
    }

    @Test func mutatedStatementsNeverTrap() {
        var rng = SeededRandom(seed: 13)
        var statements = 0
        for f in Self.fixtures("bank") {
            for _ in 0..<150 {
                let r = BankStatementReader.statements(Self.mutate(f, &rng), file: "m")
                statements += r.statements.count
                #expect(!r.statements.isEmpty || !r.diagnostics.isEmpty)
            }
        }
        #expect(statements > 0)
    }
}
