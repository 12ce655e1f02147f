import ArgumentParser
import TresoCore
import TresoIO

extension PeriodLength: ExpressibleByArgument {}
extension CSVDialect: ExpressibleByArgument {}

/// Where a command's output goes and how a CSV is spelled; shared by project, compare and entries.
struct OutputOptions: ParsableArguments {
    @Option(help: "CSV dialect: standard (',' and '.') or fr (French Excel: ';', decimal comma, DD/MM/YYYY, UTF-8 BOM).")
    var dialect: CSVDialect = .standard

    @Option(name: [.customShort("o"), .long], help: "Write to this file instead of standard output.")
    var output: String?

    /// Prints `text`, or writes it to --output (atomically); a write failure stops with exit 1.
    func emit(_ text: String) throws {
        guard let output else { print(text, terminator: ""); return }
        try write(Array(text.utf8), to: output)
    }

    func write(_ bytes: [UInt8], to path: String) throws {
        if case .failure(let d) = writeFileAtomically(path: path, bytes: bytes) {
            printError(d.description)
            throw ExitWithCode(code: 1)
        }
    }
}
