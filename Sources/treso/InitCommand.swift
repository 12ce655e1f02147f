import ArgumentParser
import TresoCore
import TresoIO

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write DIR/treso.toml for the exports found in DIR (receivables, payables, FEC), and say what to check.",
        discussion: """
        Reads every .csv/.txt/.tsv in DIR with the same readers as check, decides which holds receivables, payables or a \
        FEC, and writes a treso.toml that loads them, with the column mapping and every inference in comments. Never \
        overwrites an existing treso.toml.
        """
    )

    @Argument(help: "Folder holding the exports.")
    var dir: String

    @Option(help: "Start date of the projection (YYYY-MM-DD or DD/MM/YYYY); default: the day treso runs.")
    var start: Day?

    @Option(name: .customLong("opening-balance"), help: "Bank balance on the start date, e.g. 82000.00.")
    var openingBalance: String?

    @Option(help: "Scenario currency (ISO 4217).")
    var currency: String = "EUR"

    func run() throws {
        var opening: Money? = nil
        if let o = openingBalance {
            guard let m = Money(decimal: o.replacingCommas()) else { throw ValidationError("--opening-balance must be an amount such as 82000.00") }
            opening = m
        }
        switch ScenarioInit.run(folder: dir, start: start, openingBalance: opening, currency: currency.uppercased()) {
        case .failure(let d):
            printError(d.description)
            throw ExitCode(1)
        case .success(let out):
            let path = dir.hasSuffix("/") ? dir + "treso.toml" : dir + "/treso.toml"
            if case .failure(let d) = writeFileAtomically(path: path, bytes: Array(out.toml.utf8)) {
                printError(d.description)
                throw ExitCode(1)
            }
            print("wrote \(path)")
            for f in out.found { print("  \(f.file): \(f.kind.map { $0 == .receivable ? "receivables" : "payables" } ?? "FEC") (\(f.why))") }
            for line in out.report { print("  " + line) }
            let loaded = ScenarioLoader.load(path: dir, defaultStart: start ?? today())
            let errors = loaded.errors.count
            if loaded.scenario == nil {
                print("next: fix the \(errors) error(s) listed by: treso check \(dir)")
            } else if errors > 0 {
                print("next: \(loaded.rejectedCount) row(s) are still left out (see the ADD/CHECK lines above); then run: treso check \(dir)")
            } else {
                print("next: treso check \(dir), then treso \(dir)")
            }
        }
    }
}

extension String {
    func replacingCommas() -> String { String(map { $0 == "," ? "." : $0 }.filter { $0 != " " && $0 != "\u{00A0}" }) }
}
