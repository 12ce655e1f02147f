#if canImport(Glibc)
import Glibc
#endif
import TresoCore
import TresoIO

/// One reader exercised by the fuzzer: `run` must return normally on any bytes (a trap, a crash or a
/// hang is a bug). The same functions replay `Tests/crashers/` in the ordinary tests.
public struct FuzzTarget: Sendable {
    public var name: String
    public var run: @Sendable (UnsafeBufferPointer<UInt8>) -> Void
}

/// Every fuzz target. Adding a reader: one entry here and one line in `scripts/fuzz` (its seed files).
public enum FuzzTargets {
    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "csv", run: csv),
        FuzzTarget(name: "toml", run: toml),
        FuzzTarget(name: "scenario", run: scenario),
        FuzzTarget(name: "fec", run: fec),
        FuzzTarget(name: "einvoice", run: einvoice),
        FuzzTarget(name: "bank", run: bank),
    ]

    /// The e-invoice reader (Factur-X / ZUGFeRD PDF, CII, UBL) on one file's bytes.
    static func einvoice(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch EInvoiceReader.document(Array(bytes), file: "fuzz.xml") {
        case .success(let d): _ = d.signedAmountDue
        case .failure(let d): _ = d.description
        }
    }

    /// The bank statement reader (camt.053, CFONB 120, OFX, MT940) and the add-up check.
    static func bank(_ bytes: UnsafeBufferPointer<UInt8>) {
        let r = BankStatementReader.statements(Array(bytes), file: "fuzz.sta")
        for s in r.statements { _ = s.discrepancy }
        for d in r.diagnostics { _ = d.description }
    }

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    /// The invoice CSV reader on the fuzzer's buffer itself (no copy), as receivables or as payables
    /// (by the input's length: one parse per input instead of two, both kinds still reached).
    static func csv(_ bytes: UnsafeBufferPointer<UInt8>) {
        let kind: InvoiceKind = bytes.count & 1 == 0 ? .receivable : .payable
        let r = InvoiceCSVReader.read(buffer: bytes, displayName: "fuzz.csv", kind: kind, currency: "EUR", parallel: false)
        for d in r.diagnostics { _ = d.description }
    }

    /// The FEC (Fichier des Écritures Comptables) reader.
    static func fec(_ bytes: UnsafeBufferPointer<UInt8>) {
        let r = FECReader.read(bytes: Array(bytes), displayName: "fuzz.txt", options: InvoiceImportOptions(currency: "EUR"))
        for d in r.diagnostics { _ = d.description }
    }

    /// The TOML parser and the comment-preserving editor saves go through.
    static func toml(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let doc = try? TOMLDocument.parse(text) else { return }
        _ = doc.root.entries.count
        if var editor = try? TOMLEditor(text: text) {
            try? editor.set(["opening_balance"], literal: "1.00")
            try? editor.set(["overdraft", "limit"], literal: "2.00")
            _ = editor.text
        }
    }

    /// The scenario loader on a treso.toml naming two small invoice files, then the engine and the
    /// comparison on whatever it accepts: a value the loader lets through must never trap later.
    static func scenario(_ bytes: UnsafeBufferPointer<UInt8>) {
        let folder = ScenarioFolder.shared.path
        let toml = folder + "/treso.toml"
        guard let f = fopen(toml, "wb") else { return }
        _ = fwrite(bytes.baseAddress, 1, bytes.count, f)
        fclose(f)
        let loaded = ScenarioLoader.load(path: toml, defaultStart: Day(year: 2026, month: 1, day: 5) ?? Day(raw: 0))
        for d in loaded.diagnostics { _ = d.description }
        guard let s = loaded.scenario else { return }
        let engine = ForecastEngine(scenario: s)
        _ = engine.settlementDiagnostics()
        let comparison = PlanComparison(engine: engine, plans: s.plans)
        for r in comparison.results { _ = r.effectiveAnnualRatePercent(decimals: 2) }
    }
}

/// A private folder holding `receivables.csv` and `payables.csv` for the scenario target.
final class ScenarioFolder: Sendable {
    static let shared = ScenarioFolder()
    let path: String

    private init() {
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        var template = Array("\(base)/treso-fuzz-XXXXXX".utf8CString)
        let made: String? = template.withUnsafeMutableBufferPointer { buf in
            guard let b = buf.baseAddress, let m = mkdtemp(b) else { return nil }
            return String(cString: m)
        }
        path = made ?? "/tmp"
        let receivables = """
        id,counterparty,issue_date,due_date,amount,currency,status,expected_date,discount
        F-1,Acme,2025-12-01,2026-01-31,12000.00,EUR,open,,2/10
        F-2,Bolt,2025-11-15,2026-01-15,8000.50,EUR,open,2026-02-20,
        F-3,Acme,2026-01-02,2026-03-03,99999.99,EUR,disputed,,

        """
        let payables = """
        id,counterparty,issue_date,due_date,amount,currency,status
        A-1,Supplier,2025-12-20,2026-02-10,30000.00,EUR,open
        A-2,Other,2026-01-03,2026-01-20,1500.00,EUR,paid

        """
        for (name, text) in [("receivables.csv", receivables), ("payables.csv", payables)] {
            if let f = fopen(path + "/" + name, "wb") {
                let b = Array(text.utf8)
                _ = b.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
                fclose(f)
            }
        }
    }
}
